from django import template

from forum import notifications
from forum.models import ReactionKind

register = template.Library()


@register.filter
def describe(notification) -> str:
    return notifications.describe(notification)


@register.simple_tag
def reaction_kinds() -> list[tuple[str, str]]:
    """The reactions, for the button template live posts are given on the client."""
    return ReactionKind.choices
