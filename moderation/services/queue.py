"""The review queue's items: opening them, claiming them, and the one way to close them.

An item is one thing for a moderator to look at about one post: held, flagged, reported
or a possible crisis. Whatever closes it (an action on the post, a dismissal, a crisis
outcome) goes through `items_resolve`, which records who closed it, how and when, and
takes the row off every moderator's live queue.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.models import Post

from .. import realtime as moderators_realtime
from ..models import ReviewItem
from .log import SYSTEM_NAME

POST_ITEM_KINDS = [ReviewItem.Kind.HELD, ReviewItem.Kind.FLAGGED, ReviewItem.Kind.REPORT]


CRISIS_RANK = {"": 0, "none": 0, "concern": 1, "urgent": 2}


def item_open(*, post: Post, kind: str, reasons: list[str], priority: int = ReviewItem.PRIORITY_NORMAL,
              crisis_level: str = "") -> ReviewItem:
    """Open an item, or add reasons (and priority) to the post's open item of that kind.
    A crisis level only ever rises while the item is open."""
    item = ReviewItem.objects.select_for_update().filter(post=post, kind=kind, status=ReviewItem.Status.OPEN).first()
    if item is None:
        item = ReviewItem.objects.create(
            post=post, member_id=post.author_id, kind=kind, reasons=list(reasons), priority=priority,
            crisis_level=crisis_level,
        )
        moderators_realtime.item_changed(item.pk, added=True)
        return item
    item.reasons = item.reasons + [reason for reason in reasons if reason not in item.reasons]
    item.priority = max(item.priority, priority)
    if CRISIS_RANK.get(crisis_level, 0) > CRISIS_RANK.get(item.crisis_level, 0):
        item.crisis_level = crisis_level
    item.save(update_fields=["reasons", "priority", "crisis_level"])
    moderators_realtime.item_changed(item.pk, added=False)
    return item


def items_resolve(items, *, actor: User | None, resolution: str) -> list[int]:
    """Close open items (a queryset or a list). Returns the ids it closed."""
    ids = [item.pk for item in items] if isinstance(items, list) else list(items.values_list("pk", flat=True))
    if not ids:
        return []
    now = timezone.now()
    closed = ReviewItem.objects.select_for_update().filter(pk__in=ids, status=ReviewItem.Status.OPEN)
    ids = list(closed.values_list("pk", flat=True))
    ReviewItem.objects.filter(pk__in=ids).update(
        status=ReviewItem.Status.RESOLVED,
        resolved_by=actor,
        resolved_by_name=actor.username if actor else SYSTEM_NAME,
        resolved_at=now,
        resolution=resolution,
    )
    ReviewItem.objects.filter(pk__in=ids, acknowledged_at__isnull=True).update(acknowledged_at=now)
    for item_id in ids:
        moderators_realtime.item_resolved(item_id)
    return ids


def post_items_resolve(post: Post, *, actor: User | None, resolution: str, kinds=None) -> list[int]:
    """Close the post's open items (of the given kinds, or all of them)."""
    items = ReviewItem.objects.filter(post=post, status=ReviewItem.Status.OPEN)
    if kinds is not None:
        items = items.filter(kind__in=kinds)
    return items_resolve(items, actor=actor, resolution=resolution)


@transaction.atomic
def item_claim(*, actor: User, item: ReviewItem) -> ReviewItem:
    """Opening an item claims it, unless another moderator holds it. Claiming is
    bookkeeping, not an action on a member, so it writes no log row. It does not
    acknowledge a crisis item: only "I'm on it" does (services.crisis_acknowledge)."""
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        return item
    now = timezone.now()
    fields = []
    if item.claimed_by_id is None:
        item.claimed_by, item.claimed_by_name, item.claimed_at = actor, actor.username, now
        fields += ["claimed_by", "claimed_by_name", "claimed_at"]
    if fields:
        item.save(update_fields=fields)
        moderators_realtime.item_changed(item.pk, added=False)
    return item
