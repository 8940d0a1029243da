"""Reads the moderation pages share. Each runs a fixed number of queries, whatever the rows."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch

from accounts.models import Suspension, User, running_suspension
from forum.models import Post

from .models import LogEntry, Notice, Report, ReviewItem


def _items():
    return ReviewItem.objects.select_related(
        "post__thread__category", "post__author", "post__parent__author", "claimed_by"
    ).prefetch_related(Prefetch("reports", queryset=Report.objects.select_related("reporter"), to_attr="report_list"))


def review_queue():
    """Open items: someone at risk first, then the oldest."""
    return _items().filter(status=ReviewItem.Status.OPEN).order_by("-priority", "created_at", "pk")


def queue_item(item_id: int) -> ReviewItem | None:
    return _items().filter(pk=item_id).first()


def open_item_count() -> int:
    return ReviewItem.objects.filter(status=ReviewItem.Status.OPEN).count()


def author_histories(items) -> dict[int, dict]:
    """For each author in the items: earlier actions against them, in two queries."""
    author_ids = {item.post.author_id for item in items if item.post.author_id}
    actions = {author_id: [] for author_id in author_ids}
    for entry in LogEntry.objects.filter(target_user_id__in=author_ids).order_by("-created_at", "-pk"):
        if len(actions[entry.target_user_id]) < 5:
            actions[entry.target_user_id].append(entry)
    counts = dict(
        ReviewItem.objects.filter(post__author_id__in=author_ids)
        .values_list("post__author_id")
        .annotate(n=Count("pk"))
        .values_list("post__author_id", "n")
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
    actions: list[LogEntry]
    suspension: Suspension | None


def member_history(member: User | None, *, limit: int = 10) -> MemberHistory:
    if member is None:
        return MemberHistory(None, [], None)
    actions = list(LogEntry.objects.filter(target_user=member)[:limit])
    return MemberHistory(member, actions, active_suspension(member))
