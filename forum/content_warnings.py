"""The content warnings an author can put on a thread or a post.

Threads and posts keep the warning as a short string (their content_warning field): the
label of one of the choices below, or the author's own few words for "other".
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

OTHER = "other"
# key, what the author picks from, what readers see (stored in English, whatever the
# author's language, so hiding and searching by warning work across languages; shown
# in the reader's language by display()), and that in the reader's language.
WARNINGS = [
    ("suicide-self-harm", _("Suicide or self-harm"), "suicide or self-harm",
     pgettext_lazy("content warning shown to readers", "suicide or self-harm")),
    ("substance-use", _("Substance use"), "substance use",
     pgettext_lazy("content warning shown to readers", "substance use")),
    ("trauma", _("Trauma"), "trauma", pgettext_lazy("content warning shown to readers", "trauma")),
    ("withdrawal", _("Withdrawal symptoms"), "withdrawal symptoms",
     pgettext_lazy("content warning shown to readers", "withdrawal symptoms")),
]
STORED = {key: stored for key, _label, stored, _shown in WARNINGS}
SHOWN = {stored: shown for _key, _label, stored, shown in WARNINGS}
AUTHOR_CHOICES = (
    [("", _("No warning"))] + [(key, label) for key, label, *_rest in WARNINGS] + [(OTHER, _("Other…"))]
)
# For a member's "hide threads carrying these warnings" setting.
HIDE_CHOICES = [(key, label) for key, label, *_rest in WARNINGS] + [(OTHER, _("Any other warning"))]


def display(stored: str) -> str:
    """A stored warning as the reader sees it: a listed warning in the reader's language,
    an author's own words as they wrote them."""
    shown = SHOWN.get((stored or "").strip().lower())
    return str(shown) if shown is not None else stored


# A post whose crisis assessment (Post.crisis_level, set through forum.screening) is one
# of these is folded behind this warning when its author chose none; they can change it.
CRISIS_LEVELS = ("concern", "urgent")
CRISIS_WARNING = STORED["suicide-self-harm"]


def is_crisis(level: str) -> bool:
    return level in CRISIS_LEVELS


def for_crisis(level: str, chosen: str) -> str:
    """The warning a new (or newly flagged) post carries: the author's own, or for a
    crisis-flagged post without one, "suicide or self-harm"."""
    return chosen or (CRISIS_WARNING if is_crisis(level) else "")


def is_sensitive(post) -> bool:
    """Whether comfort mode hides this post: it carries a warning or is crisis-flagged.
    (A thread with a warning is hidden whole: forum.views.thread_detail.)"""
    return bool(post.content_warning or is_crisis(post.crisis_level))


def stored_value(key: str, other_text: str = "") -> str:
    if key in STORED:
        return STORED[key]
    if key == OTHER:
        other_text = (other_text or "").strip()
        # "Trauma" typed as other is the listed warning, so it can be hidden like it.
        return next((stored for stored in STORED.values() if stored == other_text.lower()), other_text)
    return ""


def split_stored(value: str) -> tuple[str, str]:
    """(key, other text) for a stored warning, to fill the form again."""
    value = (value or "").strip()
    if not value:
        return "", ""
    for key, stored in STORED.items():
        if value.lower() == stored:
            return key, ""
    return OTHER, value


def in_comfort_mode(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "comfort_mode", False))


def crisis_opening(thread_ref="pk"):
    """An Exists() for "the thread's opening post is crisis-flagged", to filter threads with."""
    from .models import Post

    return Exists(Post.objects.filter(thread=OuterRef(thread_ref), is_opening=True, crisis_level__in=CRISIS_LEVELS))


def comfort_threads(threads, user):
    """In comfort mode, leave out every thread with a content warning or whose opening
    post is crisis-flagged."""
    if not in_comfort_mode(user):
        return threads
    return threads.filter(content_warning="").exclude(crisis_opening())


def comfort_posts(posts, user):
    """In comfort mode, leave out posts with a warning (their own or their thread's) and
    crisis-flagged posts."""
    if not in_comfort_mode(user):
        return posts
    return posts.filter(content_warning="", thread__content_warning="").exclude(crisis_level__in=CRISIS_LEVELS)


def hide_from_lists(threads, user):
    """Leave out the threads whose warning the member chose to hide from lists, and in
    comfort mode every thread with a warning or a crisis-flagged opening post."""
    threads = comfort_threads(threads, user)
    keys = set(getattr(user, "hidden_warnings", None) or []) if getattr(user, "is_authenticated", False) else set()
    named = [STORED[key] for key in keys if key in STORED]
    if named:
        threads = threads.exclude(content_warning__in=named)
    if OTHER in keys:
        threads = threads.filter(Q(content_warning="") | Q(content_warning__in=list(STORED.values())))
    return threads
