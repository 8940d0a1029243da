"""`{% post_html post node %}`: one post of the thread page, from the page's
PostFragments (forum/page_cache.py) when it holds it, rendered otherwise. Without
fragments in the context (live posts, catch-up) it renders as `{% include %}` would."""

from django import template
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
