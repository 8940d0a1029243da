from django import template
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext

from forum import content_warnings, post_render

register = template.Library()


# The public pseudonym, or "former member" for a deleted account.
register.filter("member_name", post_render.member_name)


@register.simple_tag
def route(name: str) -> str:
    """{% route 'forum:search' %}: what {% url 'forum:search' %} gives for a route without
    arguments, without running the URL resolver on every page (the header has 17)."""
    return post_render.route_url(name)


@register.filter
def warning_label(stored: str) -> str:
    """A stored content warning in the reader's language (an author's own words as written)."""
    return content_warnings.display(stored)


@register.simple_tag
def blocked_members(user) -> list:
    """The members this member blocked, for their settings page (forum/blocks.py)."""
    from forum.blocks import blocked_members as blocked

    return blocked(user) if getattr(user, "is_authenticated", False) else []


@register.simple_tag
def when(value, css_class: str = ""):
    """A <time> every page shows the same way: the absolute UTC time in the HTML (for
    readers without JavaScript, and for cached fragments, which must not age), turned
    local and relative ("3 h ago") in the reader's browser by static/js/site.js."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" title="{} UTC"{}>{} UTC</time>',
        value.isoformat(),
        post_render.local_date(value, get_format("DATETIME_FORMAT")),  # config/formats: the reader's language
        format_html(' class="{}"', css_class) if css_class else "",
        post_render.local_date(value, get_format("SHORT_DATETIME_FORMAT")),
    )


@register.simple_tag
def member_drafts(user) -> list[dict]:
    """The member's unsent drafts with where to continue each (the welcome page)."""
    from django.urls import reverse

    from forum.models import Category, Draft

    if not getattr(user, "is_authenticated", False):
        return []
    found = list(Draft.objects.filter(member=user).order_by("-updated_at")[:10])
    slugs = dict(Category.objects.filter(pk__in=[int(d.key.split(":")[1]) for d in found if d.key.startswith("new:")])
                 .values_list("pk", "slug"))
    out = []
    for draft in found:
        parts = draft.key.split(":")
        if parts[0] == "new" and int(parts[1]) in slugs:
            url = reverse("forum:thread_create", args=[slugs[int(parts[1])]])
            what = gettext("A new thread")
            if draft.title:
                what = gettext("Your new thread “%(title)s”") % {"title": draft.title}
        elif parts[0] == "reply" and len(parts) == 3:
            url = reverse("forum:reply", args=[int(parts[1])]) + f"?parent={int(parts[2])}"
            what = gettext("A reply to a post")
        elif parts[0] == "reply":
            url = reverse("forum:thread", args=[int(parts[1])]) + "#reply-heading"
            what = gettext("A reply to a thread")
        else:
            continue
        out.append({"url": url, "what": what, "updated_at": draft.updated_at})
    return out
