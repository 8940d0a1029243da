"""Reads the moderation pages share. Each runs a fixed number of queries, whatever the rows."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q

from accounts.models import Suspension, User, running_suspension
from forum.models import Post

from .models import LogEntry, Notice, Report, ReviewItem


# Crisis care (acknowledged, reached out, escalated ...) and roles given are not
# disciplinary: they are never listed among a member's "earlier actions".
CARE_PREFIX = "crisis_"
ROLE_PREFIX = "role_"


def disciplinary(entries):
    return entries.exclude(Q(action__startswith=CARE_PREFIX) | Q(action__startswith=ROLE_PREFIX))


def _items():
    return ReviewItem.objects.select_related(
        "post__thread__category", "post__author", "post__parent__author", "claimed_by", "member"
    ).prefetch_related(Prefetch("reports", queryset=Report.objects.select_related("reporter"), to_attr="report_list"))


def review_queue(*, crisis_only: bool = False):
    """Open items: someone at risk first, then the oldest. Peer supporters see crisis items only."""
    items = _items().filter(status=ReviewItem.Status.OPEN)
    if crisis_only:
        items = items.filter(kind=ReviewItem.Kind.CRISIS)
    return items.order_by("-priority", "created_at", "pk")


def queue_item(item_id: int) -> ReviewItem | None:
    return _items().filter(pk=item_id).first()


def other_open_items(item: ReviewItem) -> list[ReviewItem]:
    """The post's other open item (its crisis item, or the post's review item)."""
    if item.post_id is None:
        return []
    return list(ReviewItem.objects.filter(post_id=item.post_id, status=ReviewItem.Status.OPEN).exclude(pk=item.pk))


def open_item_count(*, crisis_only: bool = False) -> int:
    items = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
    if crisis_only:
        items = items.filter(kind=ReviewItem.Kind.CRISIS)
    return items.count()


def author_histories(items) -> dict[int, dict]:
    """For each author in the items: earlier disciplinary actions against them (never crisis
    care), in two queries."""
    author_ids = {item.member_id for item in items if item.member_id}
    actions = {author_id: [] for author_id in author_ids}
    for entry in disciplinary(LogEntry.objects.filter(target_user_id__in=author_ids)).order_by("-created_at", "-pk"):
        if len(actions[entry.target_user_id]) < 5:
            actions[entry.target_user_id].append(entry)
    counts = dict(
        ReviewItem.objects.filter(member_id__in=author_ids)
        .values_list("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    )
    return {author_id: {"actions": actions[author_id], "items": counts.get(author_id, 0)} for author_id in author_ids}


def moderation_log():
    return LogEntry.objects.select_related("target_user").order_by("-created_at", "-pk")


def member_posts(member: User, limit: int = 10):
    return Post.objects.filter(author=member).select_related("thread").order_by("-created_at")[:limit]


def notices_for(user):
    return (
        Notice.objects.filter(recipient=user)
        .select_related("post", "thread", "notification")
        .order_by("-created_at", "-pk")
    )


def active_suspension(member, *, now: datetime | None = None) -> Suspension | None:
    return running_suspension(member, now)


@dataclass
class MemberHistory:
    member: User | None
    actions: list[LogEntry]  # disciplinary: warnings, hides, suspensions ...
    suspension: Suspension | None
    care: list[LogEntry] = field(default_factory=list)  # crisis care: kept apart, always


def member_history(member: User | None, *, limit: int = 10) -> MemberHistory:
    if member is None:
        return MemberHistory(None, [], None)
    entries = LogEntry.objects.filter(target_user=member)
    actions = list(disciplinary(entries)[:limit])
    return MemberHistory(member, actions, active_suspension(member), crisis_care(member, limit=limit))


def crisis_care(member: User | None, *, limit: int = 10) -> list[LogEntry]:
    """What the team did when this member may have been at risk: shown apart from
    disciplinary history, and to peer supporters, who never see that history."""
    if member is None:
        return []
    return list(LogEntry.objects.filter(target_user=member, action__startswith=CARE_PREFIX)[:limit])


def item_timeline(item: ReviewItem) -> list[LogEntry]:
    """The item's own log, oldest first: acknowledged, escalated, resolved."""
    return list(LogEntry.objects.filter(target_type="reviewitem", target_id=item.pk).order_by("created_at", "pk"))
