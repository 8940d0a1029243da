"""The moderation log and the notices that tell a member what was done and why.

Every moderation action writes exactly one LogEntry (the actor's name copied, so history
survives account deletion) and, when it touches a member or their content, sends them a
Notice with the reason. A private note for other moderators never goes here: it is a
MemberNote (moderation.services.members).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

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


def notice_send(
    *, recipient: User | None, action: str, message: str | Callable[[], str], reason: str = "", post=None, thread=None
):
    """Tell the member, in their inbox and on their notices page. Nothing for a former member.

    The notice is stored as text, so it is written in the RECIPIENT's language, not the
    moderator's: pass `message` as a function that builds it (`lambda: _("...") % {...}`);
    it is called with the recipient's language active. A plain string is stored as is."""
    if recipient is None or recipient.is_former:
        return None
    with translation.override(notifications.recipient_language(recipient)):
        message = str(message() if callable(message) else message)
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
        # Translators: %(what)s is an action, already translated: "hide a post", "warn a member".
        raise ValidationError({"reason": [_("Please give a reason: the member is told it when you %(what)s.")
                                          % {"what": what}]})
    return reason_checked(reason)


def reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [_("Please keep the reason under %(limit)d characters (it has %(count)d).")
                        % {"limit": REASON_MAX_LENGTH, "count": len(reason)}]}
        )
    return reason
