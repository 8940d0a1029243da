"""Who moderates, and who supports members in crisis: the one definition of each role,
asked by every page, socket, email and command.

A moderator is an active member who is a superuser, is staff, or holds the
`moderation.moderate` permission (the Moderators group carries it). Moderators are never
`is_former`. The permission is named by string so this module, at the bottom of the
layers, imports nothing of the moderation app.

A peer supporter is an active member in the Peer supporters group: a trained volunteer
whom moderators appoint (and remove) through moderation.services, each change logged.
Peer supporters see crisis items, acknowledge them, record their outcome and write to
members through the team's private messages; they cannot hide, edit, approve or suspend.
Moderators and peer supporters together are the crisis responders.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

MODERATORS_GROUP = "Moderators"
PEER_SUPPORTERS_GROUP = "Peer supporters"
MODERATE_PERMISSION = "moderation.moderate"


def _moderate_permission():
    app_label, codename = MODERATE_PERMISSION.split(".")
    return Permission.objects.filter(codename=codename, content_type__app_label=app_label)


def holds_moderate_permission(member_ref=None):
    """An Exists() expression: the member (OuterRef("pk") unless given) holds the
    permission, directly or through a group."""
    member_ref = member_ref if member_ref is not None else OuterRef("pk")
    return Exists(_moderate_permission().filter(Q(user=member_ref) | Q(group__user=member_ref)))


def moderators():
    """Every moderator, as a queryset of members."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_former=False)
        .annotate(_holds=holds_moderate_permission())
        .filter(Q(is_superuser=True) | Q(is_staff=True) | Q(_holds=True))
    )


def in_peer_supporters_group(member_ref=None):
    """An Exists() expression: the member (OuterRef("pk") unless given) is in the Peer
    supporters group."""
    from django.contrib.auth.models import Group

    member_ref = member_ref if member_ref is not None else OuterRef("pk")
    return Exists(Group.objects.filter(name=PEER_SUPPORTERS_GROUP, user=member_ref))


def peer_supporters():
    """Every peer supporter, as a queryset of members."""
    User = get_user_model()
    return User.objects.filter(is_active=True, is_former=False, groups__name=PEER_SUPPORTERS_GROUP).distinct()


def crisis_responders():
    """Moderators and peer supporters: everyone who answers crisis items."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_former=False)
        .annotate(_holds=holds_moderate_permission(), _supports=in_peer_supporters_group())
        .filter(Q(is_superuser=True) | Q(is_staff=True) | Q(_holds=True) | Q(_supports=True))
    )


def is_peer_supporter_by_standing(user, in_group: bool) -> bool:
    """The peer supporter rule, for a member whose group was read with their standing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_former", False):
        return False
    return bool(in_group)


def is_moderator_by_standing(user, holds_permission: bool) -> bool:
    """The same rule, for a member whose permission was read with their standing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_former", False):
        return False
    return bool(user.is_superuser or user.is_staff or holds_permission)
