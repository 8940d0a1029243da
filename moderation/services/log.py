"""The moderation log and the notices that tell a member what was done and why.

Every moderation action writes exactly one LogEntry (the actor's name copied, so history
survives account deletion) and, when it touches a member or their content, sends them a
Notice with the reason. A private note for other moderators never goes here: it is a
MemberNote (moderation.services.members).
"""

from django.core.exceptions import ValidationError

from accounts.models import User
from forum import notifications

from ..models import LogEntry, Notice

SYSTEM_NAME = "automatic"
REASON_MAX_LENGTH = 1000


def log_write(
    *, actor: User | None, action: str, target, target_user: User | None = None, reason: str = ""
) -> LogEntry:
    return LogEntry.objects.create(
        actor=actor,
        actor_name=actor.username if actor else SYSTEM_NAME,
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        target_user=target_user,
        reason=reason,
    )


def notice_send(*, recipient: User | None, action: str, message: str, reason: str = "", post=None, thread=None):
    """Tell the member, in their inbox and on their notices page. Nothing for a former member."""
    if recipient is None or recipient.is_former:
        return None
    notification = notifications.moderators_message(
        recipient=recipient, message=message, reason=reason, post=post, thread=thread
    )
    return Notice.objects.create(
        recipient=recipient, action=action, message=message, reason=reason, post=post, thread=thread,
        notification=notification,
    )


def reason_required(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [f"Please give a reason: the member is told it when you {what}."]})
    return reason_checked(reason)


def reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [f"Please keep the reason under {REASON_MAX_LENGTH} characters (it has {len(reason)})."]}
        )
    return reason
