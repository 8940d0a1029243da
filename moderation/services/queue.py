"""The review queue's items: opening them, claiming them, and the one way to close them.

An item is one thing for a moderator to look at about one post. One post has one item
(held, flagged and reported together, every reason listed, its kind the weightiest:
held, then reported, then flagged); a possible crisis keeps an item of its own, because
its outcomes are about a person and peer supporters answer it. Whatever closes an item
(an outcome, an action on the post, the author removing it) goes through
`items_resolve`, which records who closed it, how and when, and takes the row off every
moderator's live queue.

Claims: opening an item claims nothing. Acting on it (or pressing "Claim") does; the
holder may release it or hand it to another moderator, and a claim nobody has acted on
for MODERATION_CLAIM_IDLE seconds lapses, so anyone may take it. Claims are bookkeeping,
not actions on a member: they write no log row.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from forum.models import Post

from .. import realtime as moderators_realtime
from ..models import ReviewItem
from .log import SYSTEM_NAME

POST_ITEM_KINDS = [ReviewItem.Kind.HELD, ReviewItem.Kind.FLAGGED, ReviewItem.Kind.REPORT]
# Which kind a post's one item shows when several apply.
KIND_RANK = {ReviewItem.Kind.FLAGGED: 1, ReviewItem.Kind.REPORT: 2, ReviewItem.Kind.HELD: 3}


CRISIS_RANK = {"": 0, "none": 0, "concern": 1, "urgent": 2}


def _open_post_item(post: Post, kind: str):
    items = ReviewItem.objects.select_for_update().filter(post=post, status=ReviewItem.Status.OPEN)
    if kind == ReviewItem.Kind.CRISIS:
        return items.filter(kind=kind).first()
    return items.exclude(kind=ReviewItem.Kind.CRISIS).first()


def item_open(*, post: Post, kind: str, reasons: list[str], priority: int = ReviewItem.PRIORITY_NORMAL,
              crisis_level: str = "") -> ReviewItem:
    """Open the post's item, or add reasons (and priority) to its open one: one item per
    post (and a crisis item of its own). A crisis level only ever rises while the item
    is open; the item's kind becomes the weightiest that applies."""
    item = _open_post_item(post, kind)
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
    if KIND_RANK.get(kind, 0) > KIND_RANK.get(item.kind, 0):
        item.kind = kind
    item.save(update_fields=["reasons", "priority", "crisis_level", "kind"])
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
    """Close the post's open items: every one about the post but its crisis item (whose
    outcome is about a person, recorded apart), or those of the given kinds."""
    items = ReviewItem.objects.filter(post=post, status=ReviewItem.Status.OPEN)
    items = items.filter(kind__in=kinds if kinds is not None else POST_ITEM_KINDS)
    return items_resolve(items, actor=actor, resolution=resolution)


@transaction.atomic
def post_removed_items_close(*, post: Post) -> list[int]:
    """The author removed their post: its items have nothing left to decide and close
    themselves. A crisis item stays: the person may still need someone."""
    return post_items_resolve(post, actor=None, resolution="removed_by_author")


def _locked(item: ReviewItem) -> ReviewItem:
    return ReviewItem.objects.select_for_update().get(pk=item.pk)


def _hold(item: ReviewItem, member: User) -> ReviewItem:
    item.claimed_by, item.claimed_by_name, item.claimed_at = member, member.username, timezone.now()
    item.save(update_fields=["claimed_by", "claimed_by_name", "claimed_at"])
    moderators_realtime.item_changed(item.pk, added=False)
    return item


@transaction.atomic
def item_claim(*, actor: User, item: ReviewItem) -> ReviewItem:
    """The moderator takes the item: nobody holds it, the claim lapsed, or it is theirs
    (acting again keeps it fresh). It does not acknowledge a crisis item: only "I'm on
    it" does (services.crisis_acknowledge)."""
    item = _locked(item)
    if not item.is_open:
        return item
    if item.claim_is_live() and item.claimed_by_id != actor.pk:
        raise ValidationError(
            _("%(name)s holds this item. Ask them to hand it over, or wait until their claim lapses.")
            % {"name": item.claimed_by_name}
        )
    return _hold(item, actor)


@transaction.atomic
def item_touch(*, actor: User, items) -> None:
    """Acting on an item claims it for the actor unless another moderator holds it now;
    their own claim is kept fresh."""
    for item in items:
        item = _locked(item)
        if item.is_open and (not item.claim_is_live() or item.claimed_by_id == actor.pk):
            _hold(item, actor)


@transaction.atomic
def item_release(*, actor: User, item: ReviewItem) -> ReviewItem:
    """The holder lets the item go, back to everyone."""
    item = _locked(item)
    if not item.is_open or item.claimed_by_id is None:
        return item
    if item.claimed_by_id != actor.pk and item.claim_is_live():
        raise PermissionDenied(_("Only the moderator who holds an item can release it."))
    item.claimed_by, item.claimed_by_name, item.claimed_at = None, "", None
    item.save(update_fields=["claimed_by", "claimed_by_name", "claimed_at"])
    moderators_realtime.item_changed(item.pk, added=False)
    return item


@transaction.atomic
def item_hand_over(*, actor: User, item: ReviewItem, to: User) -> ReviewItem:
    """The holder (or anyone, when nobody holds it now) gives the item to another
    moderator, who sees their name on it in the queue."""
    item = _locked(item)
    if not item.is_open:
        return item
    if item.claim_is_live() and item.claimed_by_id != actor.pk:
        raise PermissionDenied(_("Only the moderator who holds an item can hand it over."))
    team = roles.crisis_responders() if item.is_crisis else roles.moderators()
    if not team.filter(pk=to.pk).exists():
        raise ValidationError({"to": [_("Hand items only to a moderator.")]})
    return _hold(item, to)


def hand_over_choices(item: ReviewItem):
    """Who the item may go to: moderators (and peer supporters, for a crisis item)."""
    team = roles.crisis_responders() if item.is_crisis else roles.moderators()
    return team.order_by("username")


def reports_settle(post: Post, *, outcome: str) -> int:
    """The post's reports still waiting get the moderator's outcome (upheld, rejected or
    ignored), which weighs their authors' next reports. Returns how many."""
    from ..models import Report

    return Report.objects.filter(post=post, outcome=Report.Outcome.PENDING).update(outcome=outcome)
