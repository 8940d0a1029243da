"""Every moderation action: one idempotent function each, each writing one row to the
moderation log (Misago's threads/hide.py, lock.py, approve.py).

Calling an action a second time (a double-clicked button, two moderators at once) finds
the work done, changes nothing and writes no second row. Rows that two requests may
change together are locked with select_for_update(); counters change with F().

The author is told of every action on their content, with the reason, as a Notice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum import notifications, page_cache, realtime
from forum import services as forum_services
from forum.models import Category, Post, Thread, Visibility
from forum.validators import clean_body

from . import realtime as moderators_realtime
from .models import MODERATORS_GROUP, LogEntry, Notice, Report, ReviewItem, Suspension
from .screening import Screening

SYSTEM_NAME = "automatic"


# --- The log -------------------------------------------------------------------------


def _log(*, actor: User | None, action: str, target, target_user: User | None = None, reason: str = "") -> LogEntry:
    target_type = target._meta.model_name
    return LogEntry.objects.create(
        actor=actor,
        actor_name=actor.username if actor else SYSTEM_NAME,
        action=action,
        target_type=target_type,
        target_id=target.pk,
        target_user=target_user,
        reason=reason,
    )


def _notify(*, recipient: User | None, action: str, message: str, reason: str = "", post=None, thread=None) -> None:
    if recipient is None or recipient.is_former:
        return
    notice = Notice.objects.create(
        recipient=recipient, action=action, message=message, reason=reason, post=post, thread=thread
    )
    notifications.notice_created(notice)  # the member's one inbox


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [f"Please give a reason: the member is told it when you {what}."]})
    return reason


# --- Post status, with the counters that follow it ------------------------------------


def _locked_post(post: Post) -> Post:
    Thread.objects.select_for_update().filter(pk=post.thread_id).first()
    return Post.objects.select_for_update(of=("self",)).select_related("thread", "author").get(pk=post.pk)


def _set_post_status(post: Post, status: str) -> None:
    """Move a post (already locked) to `status`, keeping reply and post counts true:
    they count published posts only. An opening post carries its thread with it."""
    was_published = post.status == Visibility.PUBLISHED
    post.status = status
    post.changed_at = timezone.now()
    post.save(update_fields=["status", "changed_at"])
    page_cache.thread_changed(post.thread_id)
    now_published = status == Visibility.PUBLISHED
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=status)
        post.thread.status = status
    if was_published == now_published:
        return
    delta = 1 if now_published else -1
    if not post.is_opening:
        changes = {"reply_count": F("reply_count") + delta}
        if now_published:
            changes["last_activity_at"] = timezone.now()
        Thread.objects.filter(pk=post.thread_id).update(**changes)
    if post.author_id:
        User.objects.filter(pk=post.author_id).update(post_count=F("post_count") + delta)


def _broadcast(post: Post, send_post_event) -> None:
    """Tell the thread's readers: an opening post changes the whole thread (it carries the
    thread's visibility with it); any other post is one event about that post."""
    if post.is_opening:
        realtime.thread_updated(post.thread)
    else:
        send_post_event(post)


def _resolve_items(post: Post, *, actor: User | None, resolution: str, kinds=None) -> list[int]:
    items = ReviewItem.objects.select_for_update().filter(post=post, status=ReviewItem.Status.OPEN)
    if kinds is not None:
        items = items.filter(kind__in=kinds)
    ids = list(items.values_list("pk", flat=True))
    if ids:
        ReviewItem.objects.filter(pk__in=ids).update(
            status=ReviewItem.Status.RESOLVED,
            resolved_by=actor,
            resolved_by_name=actor.username if actor else SYSTEM_NAME,
            resolved_at=timezone.now(),
            resolution=resolution,
        )
        for item_id in ids:
            moderators_realtime.item_resolved(item_id)
    return ids


POST_ITEM_KINDS = [ReviewItem.Kind.HELD, ReviewItem.Kind.FLAGGED, ReviewItem.Kind.REPORT]


# --- Approve and reject pending posts --------------------------------------------------


@transaction.atomic
def post_approve(*, actor: User, post: Post, reason: str = "") -> Post:
    post = _locked_post(post)
    if post.status != Visibility.PENDING:
        _resolve_items(post, actor=actor, resolution="approved", kinds=[ReviewItem.Kind.HELD])
        return post
    _set_post_status(post, Visibility.PUBLISHED)
    _resolve_items(post, actor=actor, resolution="approved", kinds=POST_ITEM_KINDS)
    _log(actor=actor, action="approve", target=post, target_user=post.author, reason=reason)
    _notify(
        recipient=post.author,
        action="approve",
        message=f"Your post in “{post.thread.title}” was approved and is now published.",
        reason=reason,
        post=post,
        thread=post.thread,
    )
    notifications.post_published(post)  # replies, mentions and watchers hear of it now
    _broadcast(post, realtime.post_created)
    return post


@transaction.atomic
def post_reject(*, actor: User, post: Post, reason: str) -> Post:
    reason = _require_reason(reason, "turn a post down")
    post = _locked_post(post)
    if post.status != Visibility.PENDING:
        return post
    _set_post_status(post, Visibility.HIDDEN)
    _resolve_items(post, actor=actor, resolution="rejected", kinds=POST_ITEM_KINDS)
    _log(actor=actor, action="reject", target=post, target_user=post.author, reason=reason)
    _notify(
        recipient=post.author,
        action="reject",
        message=f"A moderator did not publish your post in “{post.thread.title}”. Its text is kept here "
        "for you, so nothing you wrote is lost.",
        reason=reason,
        post=post,
        thread=post.thread,
    )
    return post


# --- Hide and unhide -------------------------------------------------------------------


@transaction.atomic
def post_hide(*, actor: User | None, post: Post, reason: str, automatic: bool = False) -> Post:
    reason = _require_reason(reason, "hide a post")
    post = _locked_post(post)
    if post.status != Visibility.PUBLISHED:
        return post
    _set_post_status(post, Visibility.HIDDEN)
    _log(actor=actor, action="hide", target=post, target_user=post.author, reason=reason)
    _notify(
        recipient=post.author,
        action="hide",
        message=(
            f"Your post in “{post.thread.title}” is hidden while a moderator looks at it."
            if automatic
            else f"A moderator hid your post in “{post.thread.title}”. You can still read it; others see a note."
        ),
        reason=reason,
        post=post,
        thread=post.thread,
    )
    _broadcast(post, realtime.post_removed)
    return post


@transaction.atomic
def post_unhide(*, actor: User, post: Post, reason: str = "") -> Post:
    post = _locked_post(post)
    if post.status != Visibility.HIDDEN:
        return post
    _set_post_status(post, Visibility.PUBLISHED)
    ReviewItem.objects.filter(post=post, auto_hidden=True).update(auto_hidden=False)
    _log(actor=actor, action="unhide", target=post, target_user=post.author, reason=reason)
    _notify(
        recipient=post.author,
        action="unhide",
        message=f"Your post in “{post.thread.title}” is visible again.",
        reason=reason,
        post=post,
        thread=post.thread,
    )
    _broadcast(post, realtime.post_updated)
    return post


# --- Edit with a reason ----------------------------------------------------------------


@transaction.atomic
def post_revise(*, actor: User, post: Post, body: str, reason: str) -> Post:
    """A moderator edits a post (say, to take out method details). The earlier version
    is kept as a PostRevision, and the author is told why."""
    reason = _require_reason(reason, "edit a post")
    try:
        body = clean_body(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error
    post = _locked_post(post)
    if body == post.body:
        return post
    forum_services.post_body_replace(post=post, body=body, editor=actor, reason=reason)
    _log(actor=actor, action="edit", target=post, target_user=post.author, reason=reason)
    _notify(
        recipient=post.author,
        action="edit",
        message=f"A moderator edited your post in “{post.thread.title}”.",
        reason=reason,
        post=post,
        thread=post.thread,
    )
    realtime.post_updated(post)
    return post


# --- Threads: lock, pin, move ------------------------------------------------------------


def _thread_flag(*, actor: User, thread: Thread, field: str, value: bool, action: str, message: str, reason: str):
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if getattr(thread, field) == value:
            return thread
        setattr(thread, field, value)
        thread.save(update_fields=[field])
        page_cache.thread_changed(thread)
        _log(actor=actor, action=action, target=thread, target_user=thread.author, reason=reason)
        _notify(recipient=thread.author, action=action, message=message.format(title=thread.title),
                reason=reason, thread=thread)
        realtime.thread_updated(thread)
    return thread


def thread_lock(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_flag(actor=actor, thread=thread, field="locked", value=True, action="lock", reason=reason,
                        message="A moderator locked your thread “{title}”: it takes no new replies for now.")


def thread_unlock(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_flag(actor=actor, thread=thread, field="locked", value=False, action="unlock", reason=reason,
                        message="Your thread “{title}” is open for replies again.")


def thread_pin(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_flag(actor=actor, thread=thread, field="pinned", value=True, action="pin", reason=reason,
                        message="A moderator pinned your thread “{title}” to the top of its category.")


def thread_unpin(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_flag(actor=actor, thread=thread, field="pinned", value=False, action="unpin", reason=reason,
                        message="Your thread “{title}” is no longer pinned.")


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, category: Category, reason: str = "") -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.category_id == category.pk:
        return thread
    old = thread.category.name
    thread.category = category
    thread.save(update_fields=["category"])
    page_cache.thread_changed(thread)
    _log(actor=actor, action="move", target=thread, target_user=thread.author,
         reason=reason or f"Moved from {old} to {category.name}.")
    _notify(recipient=thread.author, action="move", thread=thread, reason=reason,
            message=f"A moderator moved your thread “{thread.title}” from {old} to {category.name}.")
    realtime.thread_updated(thread)
    return thread


# --- Members: warn, suspend, lift --------------------------------------------------------

WARNING_REPEAT_WINDOW = timedelta(minutes=10)


@transaction.atomic
def member_warn(*, actor: User, member: User, reason: str, post: Post | None = None) -> Notice:
    """A private warning. The same warning again within a few minutes is a double submit."""
    reason = _require_reason(reason, "warn a member")
    User.objects.select_for_update().filter(pk=member.pk).first()
    earlier = Notice.objects.filter(
        recipient=member, action="warn", reason=reason, post=post,
        created_at__gt=timezone.now() - WARNING_REPEAT_WINDOW,
    ).first()
    if earlier:
        return earlier
    _log(actor=actor, action="warn", target=member, target_user=member, reason=reason)
    notice = Notice.objects.create(
        recipient=member, action="warn", reason=reason, post=post, thread=post.thread if post else None,
        message="A moderator is asking you to take care with how you post. Please read the reason below; "
        "reply to any moderator if you want to talk it over.",
    )
    notifications.notice_created(notice)
    return Notice.objects.filter(recipient=member, action="warn").first()


def active_suspension(member, *, now: datetime | None = None) -> Suspension | None:
    if not getattr(member, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (
        Suspension.objects.filter(member=member, lifted_at__isnull=True, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )


@transaction.atomic
def member_suspend(*, actor: User, member: User, reason: str, duration: timedelta) -> Suspension:
    """The member can read but not post or react until the suspension ends. A member
    already suspended stays on their current suspension (lift it to set another)."""
    reason = _require_reason(reason, "suspend a member")
    if duration <= timedelta(0):
        raise ValidationError({"duration": ["Choose how long the suspension lasts."]})
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if current:
        return current
    now = timezone.now()
    suspension = Suspension.objects.create(
        member=member, reason=reason, ends_at=now + duration, created_by=actor, created_by_name=actor.username
    )
    _log(actor=actor, action="suspend", target=member, target_user=member,
         reason=f"{reason} (until {suspension.ends_at:%Y-%m-%d %H:%M} UTC)")
    _notify(recipient=member, action="suspend", reason=reason,
            message=f"A moderator has paused your posting until {suspension.ends_at:%-d %B %Y, %H:%M} UTC. "
            "You can still read everything, and the crisis lines at the top of every page are always there.")
    return suspension


@transaction.atomic
def member_unsuspend(*, actor: User, member: User, reason: str = "") -> Suspension | None:
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if current is None:
        return None
    current.lifted_at = timezone.now()
    current.lifted_by = actor
    current.lifted_by_name = actor.username
    current.save(update_fields=["lifted_at", "lifted_by", "lifted_by_name"])
    _log(actor=actor, action="unsuspend", target=member, target_user=member, reason=reason)
    _notify(recipient=member, action="unsuspend", reason=reason,
            message="Your suspension has been lifted. Welcome back: you can post again.")
    return current


# --- Reports -----------------------------------------------------------------------------


@transaction.atomic
def report_create(*, reporter: User, post: Post, reason: str, note: str = "") -> Report:
    """A member reports a post, once. Enough reports from different members hide it
    until a moderator has looked."""
    note = (note or "").strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": ["Please choose a reason."]})
    if reason == Report.Reason.OTHER and not note:
        raise ValidationError({"note": ["Please tell the moderators a little about what is wrong."]})
    if post.author_id == reporter.pk:
        raise ValidationError({"reason": ["This is your own post: you can edit or delete it instead."]})
    post = _locked_post(post)
    existing = Report.objects.filter(post=post, reporter=reporter).first()
    if existing:
        return existing
    at_risk = reason == Report.Reason.AT_RISK
    item = ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.REPORT, status=ReviewItem.Status.OPEN).first()
    created = item is None
    if created:
        item = ReviewItem.objects.create(post=post, kind=ReviewItem.Kind.REPORT, reasons=[])
    label = Report.Reason(reason).label
    if label not in item.reasons:
        item.reasons.append(label)
    if at_risk:
        item.priority = max(item.priority, ReviewItem.PRIORITY_AT_RISK)
    item.save(update_fields=["reasons", "priority"])
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=reporter, reason=reason, note=note, item=item)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter)
    reporters = Report.objects.filter(item=item).values("reporter").distinct().count()
    if reporters >= settings.MODERATION_REPORT_THRESHOLD and post.status == Visibility.PUBLISHED:
        post_hide(actor=None, post=post, automatic=True,
                  reason=f"Reported by {reporters} members; hidden until a moderator has looked.")
        ReviewItem.objects.filter(pk=item.pk).update(auto_hidden=True)
    moderators_realtime.item_changed(item.pk, added=created)
    return report


@transaction.atomic
def report_dismiss(*, actor: User, item: ReviewItem, reason: str = "") -> ReviewItem:
    """The reports were not needed. A post the reports hid automatically comes back."""
    item = ReviewItem.objects.select_for_update().select_related("post").get(pk=item.pk)
    if not item.is_open or item.kind not in (ReviewItem.Kind.REPORT, ReviewItem.Kind.FLAGGED):
        return item
    post = _locked_post(item.post)
    restored = item.auto_hidden and post.status == Visibility.HIDDEN
    if restored:
        _set_post_status(post, Visibility.PUBLISHED)
    _close(item, actor=actor, resolution="dismissed")
    _log(actor=actor, action="dismiss", target=item, target_user=post.author, reason=reason)
    if restored:
        _notify(recipient=post.author, action="unhide", post=post, thread=post.thread,
                message=f"Your post in “{post.thread.title}” was looked at by a moderator and is visible again.")
        _broadcast(post, realtime.post_updated)
    return item


def _close(item: ReviewItem, *, actor: User | None, resolution: str) -> None:
    now = timezone.now()
    item.status = ReviewItem.Status.RESOLVED
    item.resolved_by = actor
    item.resolved_by_name = actor.username if actor else SYSTEM_NAME
    item.resolved_at = now
    item.resolution = resolution
    item.acknowledged_at = item.acknowledged_at or now
    item.save(update_fields=["status", "resolved_by", "resolved_by_name", "resolved_at", "resolution",
                             "acknowledged_at"])
    moderators_realtime.item_resolved(item.pk)


# --- Claiming ----------------------------------------------------------------------------


@transaction.atomic
def item_claim(*, actor: User, item: ReviewItem) -> ReviewItem:
    """Opening an item claims it, unless another moderator holds it. Claiming is
    bookkeeping, not an action on a member, so it writes no log row."""
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        return item
    now = timezone.now()
    fields = []
    if item.claimed_by_id is None:
        item.claimed_by, item.claimed_by_name, item.claimed_at = actor, actor.username, now
        fields += ["claimed_by", "claimed_by_name", "claimed_at"]
    if item.acknowledged_at is None:
        item.acknowledged_at = now
        fields.append("acknowledged_at")
    if fields:
        item.save(update_fields=fields)
        moderators_realtime.item_changed(item.pk, added=False)
    return item


# --- Items opened by the forum's services --------------------------------------------------


def post_screened(*, post: Post, screening: Screening) -> None:
    """Called by forum.services after saving a post: queue what the screening found."""
    if screening.held:
        _open_item(post=post, kind=ReviewItem.Kind.HELD, reasons=screening.held)
    if screening.flagged:
        _open_item(post=post, kind=ReviewItem.Kind.FLAGGED, reasons=screening.flagged)


def _open_item(*, post: Post, kind: str, reasons: list[str], priority: int = ReviewItem.PRIORITY_NORMAL,
               crisis_level: str = "") -> ReviewItem:
    item = ReviewItem.objects.select_for_update().filter(post=post, kind=kind, status=ReviewItem.Status.OPEN).first()
    if item is None:
        item = ReviewItem.objects.create(
            post=post, kind=kind, reasons=list(reasons), priority=priority, crisis_level=crisis_level
        )
        moderators_realtime.item_changed(item.pk, added=True)
        return item
    item.reasons = item.reasons + [reason for reason in reasons if reason not in item.reasons]
    item.priority = max(item.priority, priority)
    if crisis_level:
        item.crisis_level = crisis_level
    item.save(update_fields=["reasons", "priority", "crisis_level"])
    moderators_realtime.item_changed(item.pk, added=False)
    return item


def crisis_item_open(*, post: Post, assessment) -> ReviewItem | None:
    """A post assessed as concern or urgent goes to the top of the queue. Urgent items
    also flash on every moderator's screen."""
    level = getattr(assessment, "level", "none")
    if level not in ("concern", "urgent"):
        return None
    priority = ReviewItem.PRIORITY_URGENT if level == "urgent" else ReviewItem.PRIORITY_AT_RISK
    reasons = [str(reason) for reason in (getattr(assessment, "reasons", None) or [])] or [
        "Crisis language in the post"
    ]
    with transaction.atomic():
        item = _open_item(post=post, kind=ReviewItem.Kind.CRISIS, reasons=reasons, priority=priority,
                          crisis_level=level)
        if level == "urgent":
            moderators_realtime.crisis_alert(item.pk)
    return item


# --- Crisis items: reached out, no risk, escalation -----------------------------------------


def _crisis_resolve(*, actor: User, item: ReviewItem, resolution: str, note: str) -> ReviewItem:
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().select_related("post").get(pk=item.pk)
        if not item.is_open or item.kind != ReviewItem.Kind.CRISIS:
            return item
        _close(item, actor=actor, resolution=resolution)
        _log(actor=actor, action=f"crisis_{resolution}", target=item, target_user=item.post.author, reason=note)
    return item


def crisis_reached_out(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return _crisis_resolve(actor=actor, item=item, resolution="reached_out", note=note)


def crisis_no_risk(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return _crisis_resolve(actor=actor, item=item, resolution="no_risk", note=note)


def moderator_emails() -> list[str]:
    members = User.objects.filter(is_active=True, is_former=False).filter(
        Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)
    )
    return sorted({email for email in members.values_list("email", flat=True) if email})


def crisis_items_escalate(*, now: datetime | None = None) -> int:
    """Email the moderators about urgent items nobody has acknowledged in time. Each item
    is escalated once. Returns how many were escalated."""
    now = now or timezone.now()
    deadline = now - timedelta(seconds=settings.MODERATION_CRISIS_ESCALATE_AFTER)
    escalated = 0
    with transaction.atomic():
        items = list(
            ReviewItem.objects.select_for_update()
            .select_related("post__thread")
            .filter(kind=ReviewItem.Kind.CRISIS, crisis_level="urgent", status=ReviewItem.Status.OPEN,
                    acknowledged_at__isnull=True, escalated_at__isnull=True, created_at__lte=deadline)
        )
        recipients = moderator_emails()
        for item in items:
            item.escalated_at = now
            item.save(update_fields=["escalated_at"])
            minutes = int((now - item.created_at).total_seconds() // 60)
            _log(actor=None, action="crisis_escalate", target=item, target_user=item.post.author,
                 reason=f"No moderator had opened it after {minutes} minutes; moderators emailed.")
            escalated += 1
            if recipients:
                path = reverse("moderation:item", args=[item.pk])
                transaction.on_commit(lambda path=path, minutes=minutes, title=item.post.thread.title: send_mail(
                    subject=f"[{settings.SITE_NAME}] Urgent: a member may be at risk",
                    message=(
                        f"A post in “{title}” was assessed as urgent {minutes} minutes ago and no moderator "
                        f"has opened it yet.\n\nPlease look now: {path}\n\nIf the person can be identified and "
                        "is in immediate danger, follow the emergency steps in the moderators' guide."
                    ),
                    from_email=None,
                    recipient_list=recipients,
                ))
    return escalated


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


def post_edit_screened(*, post: Post, screening: Screening) -> None:
    """After a member edits their post: a hold rule matched by the new text sends a
    published post back to wait for a moderator; a flag rule queues it."""
    if screening.held and post.status == Visibility.PUBLISHED:
        post = _locked_post(post)
        _set_post_status(post, Visibility.PENDING)
        if post.is_opening:
            realtime.thread_updated(post.thread)
    post_screened(post=post, screening=screening)
