from django import template

from accounts.models import FORMER_MEMBER_NAME
from forum import permissions

register = template.Library()


@register.filter
def member_name(user) -> str:
    """The public pseudonym, or "former member" for a deleted account."""
    if user is None:
        return FORMER_MEMBER_NAME
    return user.public_name


@register.simple_tag
def post_view(user, post) -> dict:
    """What the reader may see of, and do with, one post."""
    return {
        "show_body": permissions.can_read_post_body(user, post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_delete": permissions.can_delete_post(user, post),
        "is_moderator": permissions.is_moderator(user),
    }
