"""The content warnings an author can put on a thread or a post.

Threads and posts keep the warning as a short string (their content_warning field): the
label of one of the choices below, or the author's own few words for "other".
"""

from django.db.models import Q

OTHER = "other"
# key, what the author picks from, what readers see (and what is stored)
WARNINGS = [
    ("suicide-self-harm", "Suicide or self-harm", "suicide or self-harm"),
    ("substance-use", "Substance use", "substance use"),
    ("trauma", "Trauma", "trauma"),
    ("withdrawal", "Withdrawal symptoms", "withdrawal symptoms"),
]
STORED = {key: stored for key, _, stored in WARNINGS}
AUTHOR_CHOICES = [("", "No warning")] + [(key, label) for key, label, _ in WARNINGS] + [(OTHER, "Other…")]
# For a member's "hide threads carrying these warnings" setting.
HIDE_CHOICES = [(key, label) for key, label, _ in WARNINGS] + [(OTHER, "Any other warning")]


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


def hide_from_lists(threads, user):
    """Leave out the threads whose warning the member chose to hide from lists."""
    keys = set(getattr(user, "hidden_warnings", None) or []) if getattr(user, "is_authenticated", False) else set()
    named = [STORED[key] for key in keys if key in STORED]
    if named:
        threads = threads.exclude(content_warning__in=named)
    if OTHER in keys:
        threads = threads.filter(Q(content_warning="") | Q(content_warning__in=list(STORED.values())))
    return threads
