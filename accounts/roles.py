"""Who moderates: the one definition, asked by every page, socket, email and command.

A moderator is an active member who is a superuser, is staff, or holds the
`moderation.moderate` permission (the Moderators group carries it). Moderators are never
`is_former`. The permission is named by string so this module, at the bottom of the
layers, imports nothing of the moderation app.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

MODERATORS_GROUP = "Moderators"
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


def is_moderator_by_standing(user, holds_permission: bool) -> bool:
    """The same rule, for a member whose permission was read with their standing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_former", False):
        return False
    return bool(user.is_superuser or user.is_staff or holds_permission)
