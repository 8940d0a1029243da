"""Moderators' actions on members: warn, suspend, lift a suspension. A Suspension lives
with the member (accounts.models), since every layer asks whether they may post."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Suspension, User
from forum.permissions import forget_viewer

from ..models import Notice
from ..selectors import active_suspension
from .log import log_write, notice_send, reason_checked, reason_required

WARNING_REPEAT_WINDOW = timedelta(minutes=10)


@transaction.atomic
def member_warn(*, actor: User, member: User, reason: str, post=None) -> Notice:
    """A private warning. The same warning again within a few minutes is a double submit."""
    reason = reason_required(reason, "warn a member")
    User.objects.select_for_update().filter(pk=member.pk).first()
    earlier = Notice.objects.filter(
        recipient=member, action="warn", reason=reason, post=post,
        created_at__gt=timezone.now() - WARNING_REPEAT_WINDOW,
    ).first()
    if earlier:
        return earlier
    log_write(actor=actor, action="warn", target=member, target_user=member, reason=reason)
    return notice_send(
        recipient=member, action="warn", reason=reason, post=post, thread=post.thread if post else None,
        message="A moderator is asking you to take care with how you post. Please read the reason below. "
        "If you want to talk it over, write to the moderators: “Message the moderators” is at the foot of "
        "every page, and on your notices.",
    )


@transaction.atomic
def member_suspend(*, actor: User, member: User, reason: str, duration: timedelta) -> Suspension:
    """The member can read but not post or react until the suspension ends. A member
    already suspended stays on their current suspension (lift it to set another)."""
    reason = reason_required(reason, "suspend a member")
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
    forget_viewer(member)
    log_write(actor=actor, action="suspend", target=member, target_user=member,
              reason=f"{reason} (until {suspension.ends_at:%Y-%m-%d %H:%M} UTC)")
    notice_send(recipient=member, action="suspend", reason=reason,
                message=f"A moderator has paused your posting until {suspension.ends_at:%-d %B %Y, %H:%M} UTC. "
                "You can still read everything, and the crisis lines at the top of every page are always there.")
    return suspension


@transaction.atomic
def member_unsuspend(*, actor: User, member: User, reason: str = "") -> Suspension | None:
    reason = reason_checked(reason)
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if current is None:
        return None
    current.lifted_at = timezone.now()
    current.lifted_by = actor
    current.lifted_by_name = actor.username
    current.save(update_fields=["lifted_at", "lifted_by", "lifted_by_name"])
    forget_viewer(member)
    log_write(actor=actor, action="unsuspend", target=member, target_user=member, reason=reason)
    notice_send(recipient=member, action="unsuspend", reason=reason,
                message="Your suspension has been lifted. Welcome back: you can post again.")
    return current
