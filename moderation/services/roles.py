"""Moderators give and take away the peer supporter role (accounts.roles), each change
logged and told to the member."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from forum.permissions import forget_viewer

from .log import log_write, notice_send, reason_checked


def _group() -> Group:
    group, _created = Group.objects.get_or_create(name=roles.PEER_SUPPORTERS_GROUP)
    return group


@transaction.atomic
def peer_supporter_appoint(*, actor: User, member: User, reason: str = "") -> bool:
    """Make a member a peer supporter. Returns whether anything changed."""
    reason = reason_checked(reason)
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_former or not member.is_active:
        raise ValidationError({"reason": [_("This account is closed, so it cannot take on a role.")]})
    group = _group()
    if member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.add(group)
    forget_viewer(member)
    log_write(actor=actor, action="role_peer_supporter_add", target=member, target_user=member, reason=reason)
    notice_send(recipient=member, action="role_peer_supporter_add",  # the note is the log's only
                message=lambda: _("Thank you for joining the peer supporters. You can now see the crisis queue, "
                                  "write to members who may be struggling, and take on-call hours. The moderators' "
                                  "guide is your first read."))
    return True


@transaction.atomic
def peer_supporter_remove(*, actor: User, member: User, reason: str = "") -> bool:
    reason = reason_checked(reason)
    member = User.objects.select_for_update().get(pk=member.pk)
    group = _group()
    if not member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.remove(group)
    forget_viewer(member)
    log_write(actor=actor, action="role_peer_supporter_remove", target=member, target_user=member, reason=reason)
    notice_send(recipient=member, action="role_peer_supporter_remove",  # the note is the log's only
                message=lambda: _("You are no longer one of the peer supporters. Thank you for everything you gave."))
    return True
