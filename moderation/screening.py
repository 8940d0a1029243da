"""What happens to a post before and after it is saved: rate limits, watched words, the
pre-moderation of a new member's first posts, method details of self-harm, and the
crisis assessment, then the queue items for what was found.

`ModerationScreener` is installed into the forum's one seam (forum.screening) when the
moderation app starts; forum.services asks it inside the writing transaction. `screen`
raises ValidationError (on the body field, so the form keeps the draft) when the post
must be refused, and otherwise says whether the post is published or held, which rules
it matched and its crisis level. `screened` opens the queue items.

Crisis outranks first-post review: a post that reads as concern or urgent and is held
only because its author is new is published at once, so peers can answer it; a post held
by a sourcing or method-detail rule stays held. Either way it opens an urgent crisis item
and alerts the crisis responders live, because someone may be waiting for an answer.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from forum import content, permissions
from forum.models import Post, Thread, Visibility
from forum.prepared import PreparedQuery
from forum.screening import Screener, Screening
from safety import crisis, reply_check
from safety import text as safety_text

from . import held, sourcing
from .models import ReviewItem, WatchedWord
from .rules import PHRASE, compile_rule

NEW_MEMBER_REASON = "A new member's first posts wait for a moderator"
METHOD_DETAILS_REASON = "Asks for or gives method details of suicide or self-harm"
CRISIS_PUBLISHED_REASON = (
    "A new member's first post, published at once: crisis outranks first-post review, so peers can answer"
)
CRISIS_HELD_REASON = "Held, so only the moderators can see it until one acts ({rules})"

held.explanation_register(NEW_MEMBER_REASON, gettext_lazy(
    "A new member's first posts wait for a moderator, so that nobody can sign up just to sell drugs or "
    "upset people. It is nothing you did; after your first posts yours go up at once."))
held.explanation_register(reply_check.REASONS[reply_check.ENCOURAGEMENT], gettext_lazy(
    "The person you answered may be at risk, and words that could read as encouragement to act can tip "
    "someone over, so a moderator reads these replies first."))
held.explanation_register(reply_check.REASONS[reply_check.ABRUPT_STOP], gettext_lazy(
    "Stopping a psychiatric medication abruptly can be dangerous (seizures, in the case of benzodiazepines), "
    "so a moderator reads replies that suggest it to someone at risk before they go up."))
held.explanation_register(METHOD_DETAILS_REASON, gettext_lazy(
    "Details of how to harm yourself can put other readers at risk, so a moderator reads these posts first. "
    "You are welcome to share what you are going through; if you are in danger now, please call your local "
    "crisis line or emergency number."))


@dataclass
class ModerationScreening(Screening):
    """What moderation decided, plus why a crisis item must be urgent whatever the
    assessment's level (the post would have waited for review)."""

    crisis_urgent: bool = False
    crisis_note: str = ""


def watched_word_matches(text: str) -> list[WatchedWord]:
    """The enabled rules the text (Markdown, as a member writes it) matches, each once.

    Rules are matched against the text readers will see (safety.text): rendered, HTML
    entities decoded, zero-width characters gone, inline Markdown joined to its word,
    fullwidth and lookalike letters made plain, case and accents folded, with each
    link's target beside its text."""
    return _watched_word_matches(safety_text.visible_text(text, links=True))


# Every post is matched against them: compiled once per process, read afresh each time,
# in the model's own order (by name), so reasons and the first block's message read as before.
_ENABLED_RULES = PreparedQuery(lambda: WatchedWord.objects.filter(enabled=True))


def _watched_word_matches(visible: str) -> list[WatchedWord]:
    folded = safety_text.fold(visible)
    matched = []
    for rule in _ENABLED_RULES.instances():
        fold = safety_text.fold if rule.match_type == PHRASE else safety_text.fold_pattern
        pattern = fold(rule.pattern)
        try:
            if compile_rule(rule.match_type, pattern).search(folded):
                matched.append(rule)
        except (re.error, ValueError):
            continue  # A broken rule saved around the admin's check must not stop posting.
    return matched


class ModerationScreener(Screener):
    def screen(self, *, author, title, body, body_html, starts_thread, editing, replying_to=None) -> Screening:
        # What readers will read: the title and the rendered post (safety.text).
        assessment = crisis.assess_visible(safety_text.post_text(title=title, body_html=body_html))
        found = post_screen(
            author=author, body=body, body_html=body_html, title=title, starts_thread=starts_thread, editing=editing,
            at_risk=assessment.is_crisis or _own_crisis_thread(author, replying_to),
        )
        reply_to_risk_screen(found, author=author, body=body, replying_to=replying_to)
        screening = ModerationScreening(**vars(found))
        screening.crisis_level = assessment.level
        screening.crisis_reasons = assessment.reasons
        if assessment.is_crisis and screening.held:
            screening.crisis_urgent = True
            if screening.held == [NEW_MEMBER_REASON]:
                screening.held = []
                screening.status = Visibility.PUBLISHED
                screening.crisis_note = CRISIS_PUBLISHED_REASON
            else:
                rules = "; ".join(reason for reason in screening.held if reason != NEW_MEMBER_REASON)
                screening.crisis_note = CRISIS_HELD_REASON.format(rules=rules)
        return screening

    def screened(self, *, post, screening, editing) -> None:
        from . import services

        if editing and screening.held and post.status == Visibility.PUBLISHED:
            # A hold rule matched by the new text sends a published post back to wait.
            content.post_status_set(content.lock_post(post), Visibility.PENDING)
            post.status = Visibility.PENDING
        if screening.held:
            services.item_open(post=post, kind=ReviewItem.Kind.HELD, reasons=screening.held)
            if post.status == Visibility.PENDING:
                services.post_held_notice(post=post, reasons=screening.held)
        if screening.flagged:
            services.item_open(post=post, kind=ReviewItem.Kind.FLAGGED, reasons=screening.flagged)
        services.crisis_item_open(
            post=post, assessment=crisis.Assessment(level=screening.crisis_level, reasons=screening.crisis_reasons),
            urgent=getattr(screening, "crisis_urgent", False), reason=getattr(screening, "crisis_note", ""),
        )

    def removed(self, *, post) -> None:
        from . import services

        services.post_removed_items_close(post=post)


# Every new post takes this lock: compiled once per process (inside the post's transaction).
_MEMBER_LOCK = PreparedQuery(
    lambda member_id: User.objects.select_for_update().filter(pk=member_id).values("pk"), member_id=-1_804_552_967
)


def post_screen(
    *, author, body: str, body_html: str | None = None, title: str = "", starts_thread: bool = False,
    editing: Post | None = None, at_risk: bool = False,
):
    """Decide whether a new post (or an edit) is refused, held or published. The checks
    read the post as readers will (its rendered HTML; rendered here when not given).
    at_risk: crisis detection reads the post as concern or urgent."""
    if permissions.is_moderator(author):
        return Screening()
    if editing is None:
        # Lock the member's row so two quick posts are counted one after the other.
        _MEMBER_LOCK.first(member_id=author.pk)
        _check_rate_limits(author=author, body=body, starts_thread=starts_thread)
    screening = Screening()
    with_links = safety_text.post_text(title=title, body=body, body_html=body_html, links=True)
    for rule in _watched_word_matches(with_links):
        if rule.action == WatchedWord.Action.BLOCK:
            raise ValidationError({"body": [_block_message(rule)]}, code="watched_word")
        if rule.action == WatchedWord.Action.HOLD:
            screening.held.append(rule.name)
        else:
            screening.flagged.append(rule.name)
    visible = safety_text.post_text(title=title, body=body, body_html=body_html)
    # Sourcing, selling and price talk (moderation/sourcing.py): held with the rule's
    # explanation, which its author reads under the post (templates/moderation/_sourcing_held_note.html).
    # The model's word alone does not call sourcing a post held for method details ("what
    # is the lethal dose of my lorazepam" reads to it like a question about drugs), nor
    # hold one from someone who may be at risk ("maybe I'll just stop taking my meds
    # tonight"): peers should be able to answer it, and its crisis item reaches the
    # moderators anyway. A rule's finding holds either.
    method_details = crisis.method_details_visible(visible)
    finding = sourcing.check_visible(visible)
    if finding is not None and not ((method_details or at_risk) and finding.by == "model"):
        screening.held.append(sourcing_reason(finding))
    # docs/safety-reference.md: experiences may be shared, instructions may not. Held, never refused.
    if method_details:
        screening.held.append(METHOD_DETAILS_REASON)
    if editing is None and _needs_premoderation(author):
        screening.held.insert(0, NEW_MEMBER_REASON)
    if screening.held:
        screening.status = Visibility.PENDING
    return screening


def sourcing_reason(finding: sourcing.Finding) -> str:
    """The queue item's reason for a sourcing hold: the rule's name, in English like the
    other reasons. Its explanation is registered with moderation.held below, so the
    author's notice and the note under their post give it in their language."""
    return sourcing.NAMES_EN[finding.kind]


# Each sourcing rule's explanation, for the author's notice (moderation.held).
for _kind, _name in sourcing.NAMES_EN.items():
    held.explanation_register(_name, sourcing.EXPLANATIONS.get(_kind, sourcing.MODEL_EXPLANATION))


def _own_crisis_thread(author, replying_to: Post | None) -> bool:
    """The person at risk answering under their own crisis-flagged post."""
    return (
        replying_to is not None
        and replying_to.author_id == author.pk
        and replying_to.crisis_level in ("concern", "urgent")
    )


def reply_to_risk_screen(screening: Screening, *, author, body: str, replying_to: Post | None) -> None:
    """A reply to a crisis-flagged post that encourages the person to act or advises
    stopping a medication abruptly waits for a moderator (safety.reply_check); method
    details are held for every post already (post_screen). Not for the person's own
    replies under their post, nor for moderators."""
    if replying_to is None or replying_to.crisis_level not in ("concern", "urgent"):
        return
    if replying_to.author_id == author.pk or permissions.is_moderator(author):
        return
    found = reply_check.check(body)
    for kind in found.kinds:
        if kind != reply_check.METHOD:
            screening.held.append(reply_check.REASONS[kind])
    if screening.held:
        screening.status = Visibility.PENDING


def _block_message(rule: WatchedWord) -> str:
    explanation = f" {rule.explanation}" if rule.explanation else ""
    return (
        f"We couldn't publish this because it matches our rule “{rule.name}”.{explanation} "
        "Your text is still here, so you can change it and post again."
    )


def _needs_premoderation(author) -> bool:
    first_posts = settings.MODERATION_PREMODERATE_FIRST_POSTS
    if first_posts <= 0:
        return False
    post_count = User.objects.filter(pk=author.pk).values_list("post_count", flat=True).first() or 0
    return post_count < first_posts


def is_new_member(author, now=None) -> bool:
    now = now or timezone.now()
    return author.date_joined > now - timedelta(seconds=settings.MODERATION_NEW_MEMBER_PERIOD)


def _check_rate_limits(*, author, body: str, starts_thread: bool) -> None:
    if not settings.MODERATION_RATE_LIMITS_ENABLED:
        return
    now = timezone.now()
    new = is_new_member(author, now)
    mine = Post.objects.filter(author=author)

    interval = settings.MODERATION_NEW_MEMBER_POST_INTERVAL if new else settings.MODERATION_POST_INTERVAL
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and now - last < timedelta(seconds=interval):
        wait = interval - (now - last).total_seconds()
        reason = "New members wait" if new else "Everyone waits"
        raise _wait_error(
            f"{reason} {_duration(interval)} between posts, to keep things calm. "
            f"You can post again in {_duration(wait)}. Your text is kept here.",
            code="too_soon",
        )

    window = timedelta(seconds=settings.MODERATION_DUPLICATE_WINDOW)
    duplicate = (
        mine.filter(body=body, created_at__gt=now - window)
        .exclude(status=Visibility.REMOVED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if duplicate is not None:
        wait = (duplicate + window - now).total_seconds()
        raise _wait_error(
            "You posted this same text a moment ago. If you meant to post it again, you can in "
            f"{_duration(wait)}; or change it a little. Your text is kept here.",
            code="duplicate",
        )

    if new:
        day_ends = author.date_joined + timedelta(seconds=settings.MODERATION_NEW_MEMBER_PERIOD)
        since = now - timedelta(seconds=settings.MODERATION_NEW_MEMBER_PERIOD)
        if starts_thread:
            limit = settings.MODERATION_NEW_MEMBER_MAX_THREADS
            used = Thread.objects.filter(author=author, created_at__gt=since).count()
            what = "threads"
        else:
            limit = settings.MODERATION_NEW_MEMBER_MAX_REPLIES
            used = mine.filter(is_opening=False, created_at__gt=since).count()
            what = "replies"
        if used >= limit:
            raise _wait_error(
                f"In their first day, new members can post up to {limit} {what}. You can post more in "
                f"{_duration((day_ends - now).total_seconds())}. Your text is kept here.",
                code="daily_limit",
            )


def _wait_error(message: str, *, code: str) -> ValidationError:
    return ValidationError({"body": [ValidationError(message, code=code)]})


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"

