"""Crisis items: a post that may come from someone at risk goes to the top of the queue;
urgent ones flash on every moderator's screen and, if nobody acknowledges them in time,
are emailed to the moderators. Outcomes (reached out, no risk) are logged."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from forum.models import Post

from .. import realtime as moderators_realtime
from ..models import ReviewItem
from .log import log_write, reason_checked
from .queue import item_open, items_resolve

LEVEL_PRIORITY = {"urgent": ReviewItem.PRIORITY_URGENT, "concern": ReviewItem.PRIORITY_AT_RISK}


def crisis_item_open(*, post: Post, assessment) -> ReviewItem | None:
    """A post assessed (safety.crisis.assess) as concern or urgent goes to the top of the
    queue. Urgent items also flash on every moderator's screen."""
    level = getattr(assessment, "level", "none")
    if level not in LEVEL_PRIORITY:
        return None
    reasons = [str(reason) for reason in getattr(assessment, "reasons", None) or ()] or ["Crisis language in the post"]
    with transaction.atomic():
        item = item_open(post=post, kind=ReviewItem.Kind.CRISIS, reasons=reasons, priority=LEVEL_PRIORITY[level],
                         crisis_level=level)
        if level == "urgent":
            moderators_realtime.crisis_alert(item.pk)
    return item


def _crisis_resolve(*, actor: User, item: ReviewItem, resolution: str, note: str) -> ReviewItem:
    note = reason_checked(note)
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().select_related("post").get(pk=item.pk)
        if not item.is_open or item.kind != ReviewItem.Kind.CRISIS:
            return item
        items_resolve([item], actor=actor, resolution=resolution)
        log_write(actor=actor, action=f"crisis_{resolution}", target=item, target_user=item.post.author, reason=note)
    item.refresh_from_db()
    return item


def crisis_reached_out(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return _crisis_resolve(actor=actor, item=item, resolution="reached_out", note=note)


def crisis_no_risk(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return _crisis_resolve(actor=actor, item=item, resolution="no_risk", note=note)


def moderator_emails() -> list[str]:
    return sorted({email for email in roles.moderators().values_list("email", flat=True) if email})


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
            log_write(actor=None, action="crisis_escalate", target=item, target_user=item.post.author,
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
