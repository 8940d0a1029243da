"""Reads the moderation pages share. Each runs a fixed number of queries, whatever the rows."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

from accounts.models import Suspension, User, running_suspension
from forum.models import Post

from .models import LogEntry, MemberNote, Notice, Report, ReviewItem


# Crisis care (acknowledged, reached out, escalated ...), roles given and private notes
# are not disciplinary: they are never listed among a member's "earlier actions".
CARE_PREFIX = "crisis_"
ROLE_PREFIX = "role_"
NOTE_PREFIX = "note_"


def disciplinary(entries):
    return entries.exclude(
        Q(action__startswith=CARE_PREFIX) | Q(action__startswith=ROLE_PREFIX) | Q(action__startswith=NOTE_PREFIX)
    )


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


# The log's actions in words, as they read after a date ("3 May: warned by mona"): the
# filter's choices, the log's column, a member's history. An action not listed here is
# shown by its name.
ACTION_LABELS = {
    "approve": pgettext_lazy("moderation log action", "approved a post"),
    "reject": pgettext_lazy("moderation log action", "turned a post down"),
    "hide": pgettext_lazy("moderation log action", "hid a post"),
    "unhide": pgettext_lazy("moderation log action", "showed a post again"),
    "edit": pgettext_lazy("moderation log action", "edited a post"),
    "content_warning": pgettext_lazy("moderation log action", "set a content warning"),
    "dismiss": pgettext_lazy("moderation log action", "dismissed reports"),
    "lock": pgettext_lazy("moderation log action", "locked a thread"),
    "unlock": pgettext_lazy("moderation log action", "unlocked a thread"),
    "pin": pgettext_lazy("moderation log action", "pinned a thread"),
    "unpin": pgettext_lazy("moderation log action", "unpinned a thread"),
    "move": pgettext_lazy("moderation log action", "moved a thread"),
    "retitle": pgettext_lazy("moderation log action", "renamed a thread"),
    "warn": pgettext_lazy("moderation log action", "warned"),
    "silence": pgettext_lazy("moderation log action", "silenced"),
    "unsilence": pgettext_lazy("moderation log action", "lifted a silence"),
    "suspend": pgettext_lazy("moderation log action", "suspended"),
    "unsuspend": pgettext_lazy("moderation log action", "lifted a suspension"),
    "ban": pgettext_lazy("moderation log action", "banned"),
    "unban": pgettext_lazy("moderation log action", "lifted a ban"),
    "remove_spammer": pgettext_lazy("moderation log action", "removed a spammer"),
    "note_add": pgettext_lazy("moderation log action", "wrote a private note"),
    "role_peer_supporter_add": pgettext_lazy("moderation log action", "made a peer supporter"),
    "role_peer_supporter_remove": pgettext_lazy("moderation log action", "removed a peer supporter"),
    "crisis_acknowledge": pgettext_lazy("moderation log action", "crisis: on it"),
    "crisis_escalate": pgettext_lazy("moderation log action", "crisis: escalated"),
    "crisis_reopen": pgettext_lazy("moderation log action", "crisis: reopened"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action) or action.replace("_", " "))


def log_actions() -> list[tuple[str, str]]:
    """(action, label) for every action in the log: one query."""
    actions = LogEntry.objects.order_by().values_list("action", flat=True).distinct()
    return sorted(((action, capfirst(action_label(action))) for action in actions), key=lambda pair: pair[1].lower())


def log_actor_names() -> list[str]:
    """Every name that acted in the log (the filter suggests them): one query."""
    return list(LogEntry.objects.order_by("actor_name").values_list("actor_name", flat=True).distinct())


def moderation_log(*, moderator: str = "", member: str = "", action: str = "", since: date | None = None,
                   until: date | None = None):
    """The log, newest first, narrowed by who acted (their name as the log copied it, so a
    moderator whose account is gone is still found), the member it was about, the action,
    and the days it was done on (both ends included, in UTC)."""
    entries = LogEntry.objects.select_related("target_user").order_by("-created_at", "-pk")
    if moderator:
        entries = entries.filter(actor_name__iexact=moderator.strip())
    if member:
        entries = entries.filter(target_user__username__iexact=member.strip())
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until:
        entries = entries.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return entries


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def member_notes(member: User, *, limit: int = 50) -> list[MemberNote]:
    """Private notes on a member, newest first: for moderators' pages only."""
    return list(MemberNote.objects.filter(member=member).order_by("-created_at", "-pk")[:limit])


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
