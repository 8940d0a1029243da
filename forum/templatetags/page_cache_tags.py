"""`{% post_html post node %}`: one post of the thread page, from the page's
PostFragments (forum/page_cache.py) when it holds it, rendered by forum.post_render
otherwise. Without fragments in the context (live posts, catch-up) it just renders."""

from django import template
from django.utils.safestring import mark_safe

from forum import post_render

register = template.Library()


@register.simple_tag(takes_context=True)
def post_html(context, post, node=None):
    fragments = context.get("post_fragments")
    if fragments is not None:
        html = fragments.get(post, node)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - forum.post_render's output, stored by put() below
    html = post_render.render_post(context, post, node)
    if fragments is not None:
        fragments.put(post, node, html)
    return html


@register.simple_tag(takes_context=True)
def reply_items(context, nodes):
    """`{% reply_items nodes %}`: the <li> of each reply node, its post and, nested, its
    answers' <li>s: the reply tree's markup, written here once rather than by a template
    included for every post (a tenth of a cold page's render). static/js/thread.js reads
    li.reply's data-depth and ol.children's data-parent."""
    parts: list[str] = []
    _reply_items(context, nodes, parts)
    return mark_safe("".join(parts))  # noqa: S308 - integers and post_html's own output


@register.simple_tag(takes_context=True)
def reply_item(context, node):
    """`{% reply_item node %}`: one reply with its answers (a live post, a catch-up)."""
    return reply_items(context, [node])


def _reply_items(context, nodes, parts: list[str]) -> None:
    for node in nodes:
        depth, pk = int(node.display_depth), int(node.post.pk)
        parts.append(f'<li class="reply depth-{depth}" data-depth="{depth}">')
        parts.append(post_html(context, node.post, node))
        parts.append(f'<ol class="reply-tree children" data-parent="{pk}">')
        _reply_items(context, node.children, parts)
        parts.append("</ol></li>")


@register.simple_tag(takes_context=True)
def post_controls(context, post):
    """`{% post_controls post %}`: the reactions and links under a post, alone (the
    live-controls <template>s, forum/_live_control_templates.html)."""
    return post_render.controls_html(context, post)
