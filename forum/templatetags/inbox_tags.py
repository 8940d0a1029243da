from django import template

from forum import notifications, reactions
from forum.models import ReactionKind

register = template.Library()


@register.filter
def describe(notification) -> str:
    return notifications.describe(notification)


@register.simple_tag(takes_context=True)
def shown_reactions(context, post) -> list[dict]:
    """The reactions a post shows under it: those someone gave, with their count and
    whether the viewer gave it (from `my_reactions`, fetched once for the whole page)."""
    mine = (context.get("my_reactions") or {}).get(post.pk, ())
    return [button for button in reactions.buttons(post, mine) if button["count"] or button["pressed"]]


@register.simple_tag
def reaction_kinds() -> list[tuple[str, str]]:
    """The reactions, for the button template live posts are given on the client."""
    return ReactionKind.choices
