from django import template

from forum import notifications
from forum.models import ReactionKind
from forum.reactions import COUNT_FIELDS

register = template.Library()


@register.filter
def describe(notification) -> str:
    return notifications.describe(notification)


@register.simple_tag(takes_context=True)
def reaction_buttons(context, post) -> list[dict]:
    """The three reactions of a post: label, count, and whether the viewer gave it
    (from `my_reactions`, fetched once for the whole page)."""
    mine = (context.get("my_reactions") or {}).get(post.pk, ())
    return [
        {"kind": kind, "label": label, "count": getattr(post, COUNT_FIELDS[kind]), "pressed": kind in mine}
        for kind, label in ReactionKind.choices
    ]


@register.simple_tag
def reaction_kinds() -> list[tuple[str, str]]:
    """The reactions, for the button template live posts are given on the client."""
    return ReactionKind.choices
