"""`{% post_html post node %}`: one post of the thread page, from the page's
PostFragments (forum/page_cache.py) when it holds it, rendered otherwise. Without
fragments in the context (live posts, catch-up) it renders as `{% include %}` would."""

from datetime import timezone

from django import template
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import format_html
from django.utils.timezone import is_aware, localtime
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

register = template.Library()

POST_TEMPLATE = "forum/_post.html"


@register.simple_tag(takes_context=True)
def post_html(context, post, node=None):
    fragments = context.get("post_fragments")
    if fragments is not None:
        html = fragments.get(post, node)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - our own template's output, stored by put() below
    post_template = context.template.engine.get_template(POST_TEMPLATE)
    with context.push(post=post, node=node):
        html = post_template.render(context)  # a SafeString, as {% include %} gives
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


# `{% id_url "forum:post_react" post.pk %}`: the same URL as `{% url %}` for a route that
# takes one integer id, without running the resolver for every post of a page (a page of
# 77 posts reversed some 250 URLs, an eighth of its cold render). Each route's shape is
# reversed once per script prefix with a stand-in id and reused.
_STAND_IN = "9081726354"
_SHAPES: dict[tuple[str, str], tuple[str, str]] = {}


@register.simple_tag
def id_url(name: str, pk) -> str:
    prefix = get_script_prefix()
    shape = _SHAPES.get((name, prefix))
    if shape is None:
        before, stand_in, after = reverse(name, args=[int(_STAND_IN)]).partition(_STAND_IN)
        if not stand_in or _STAND_IN in after:
            return reverse(name, args=[pk])
        shape = _SHAPES[(name, prefix)] = (before, after)
    return f"{shape[0]}{int(pk)}{shape[1]}"


@register.simple_tag
def post_time(value):
    """A post's <time>: UTC to the second in `datetime` (the cached fragment never ages),
    the absolute time as text and, in the reader's language, in full as its title for
    readers without JavaScript; static/js/site.js shows it local and relative. The same
    as {% when %} without its microseconds, and without a `date` filter's overhead."""
    if value is None:
        return ""
    value = localtime(value, timezone.utc) if is_aware(value) else value
    # What date formats "j F Y, H:i" and "j M Y, H:i" give, without a DateFormat per post.
    clock = f"{value.year}, {value.hour:02d}:{value.minute:02d}"
    return format_html(
        '<time datetime="{}" title="{} {} {}">{} {} {} UTC</time>',
        value.strftime("%Y-%m-%dT%H:%M:%SZ"),
        value.day, MONTHS[value.month], clock + " UTC",
        value.day, str(MONTHS_3[value.month]).title(), clock,
    )
