"""Why a post is held, in words for its author: each reason's explanation (a watched
word's own, or one registered by the check that holds posts) and how long review
usually takes, measured from recent reviews (MODERATION_TYPICAL_REVIEW when there are
too few to measure).

A leaf: screening registers its reasons' explanations here when it is imported, and the
services read them, so neither imports the other."""

from datetime import timedelta
from statistics import median

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ReviewItem, WatchedWord

_EXPLANATIONS: dict[str, object] = {}
RECENT_DAYS = 30
RECENT_REVIEWS = 50
MIN_REVIEWS = 5


def explanation_register(reason: str, explanation) -> None:
    """The check that holds a post for `reason` says why, kindly (a lazy string)."""
    _EXPLANATIONS[str(reason)] = explanation


def explanations(reasons: list[str]) -> list[tuple[str, str]]:
    """(reason, explanation) for each reason; "" when none is known."""
    words = {rule.name: rule.explanation for rule in WatchedWord.objects.filter(name__in=reasons)}
    return [(reason, str(_EXPLANATIONS.get(reason) or words.get(reason) or "")) for reason in reasons]


def typical_review_seconds(now=None) -> tuple[float, bool]:
    """(seconds, measured): the median time from hold to approval or refusal over the
    last RECENT_REVIEWS held posts reviewed in RECENT_DAYS days, or the setting."""
    now = now or timezone.now()
    rows = list(
        ReviewItem.objects.filter(
            kind=ReviewItem.Kind.HELD, status=ReviewItem.Status.RESOLVED, resolution__in=["approved", "rejected"],
            resolved_by__isnull=False, resolved_at__gt=now - timedelta(days=RECENT_DAYS),
        ).order_by("-resolved_at").values_list("created_at", "resolved_at")[:RECENT_REVIEWS]
    )
    if len(rows) < MIN_REVIEWS:
        return float(settings.MODERATION_TYPICAL_REVIEW), False
    return median((resolved - created).total_seconds() for created, resolved in rows), True


def describe_wait(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 36:
        return ngettext("about %(n)d hour", "about %(n)d hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("about %(n)d day", "about %(n)d days", days) % {"n": days}


def review_time_sentence() -> str:
    seconds, measured = typical_review_seconds()
    if measured:
        return _("Lately, moderators have looked at held posts within %(wait)s.") % {"wait": describe_wait(seconds)}
    return _("Moderators usually look at held posts within %(wait)s.") % {"wait": describe_wait(seconds)}
