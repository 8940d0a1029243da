from django import template

from accounts.models import FORMER_MEMBER_NAME
from forum import content_warnings

register = template.Library()


@register.filter
def member_name(user) -> str:
    """The public pseudonym, or "former member" for a deleted account."""
    if user is None:
        return FORMER_MEMBER_NAME
    return user.public_name


@register.simple_tag(takes_context=True)
def post_view(context, post) -> dict:
    """What the page's viewer may see of, and do with, one post: the viewer's own rule
    (forum.permissions.Viewer.post_controls), with the thread's can_reply from the page."""
    viewer = context["viewer"]
    return {
        "show_body": viewer.can_read_post_body(post),
        "own": viewer.is_author(post),
        # Folded away while the reader's comfort mode is on (static/css/site.css, "Comfort mode").
        "sensitive": content_warnings.is_sensitive(post),
        "crisis": content_warnings.is_crisis(post.crisis_level),
        **viewer.post_controls(post, can_reply=bool(context.get("can_reply"))),
    }
