"""One post's markup: its <article> on the thread page, as a live post, in a catch-up,
and the controls under it (also rendered into the page's live-controls <template>s).

Written in Python rather than as a template because a thread page shows dozens of posts
and a cold page renders every one: through Django's template engine a post cost about
0.4 ms, most of it resolving variables (docs/performance.md, "Issue 18, third pass").
The parts that ask the database or need the request stay templates, included from here
for the few posts that show them: the author's own notes under their post, the sourcing
hold note, a moderator's tools, and a reaction button (one template, shared with the
reaction page and the page's button <template>).

static/js/thread.js reads the article's classes and data-* attributes, .post-head,
.author, .in-reply-to, .reactions and .post-actions: keep them. Members' words (names,
text, warnings) carry translate="no". Changing the markup means raising
forum.page_cache.FRAGMENT_FORMAT, so no cached fragment of the old markup is served.
"""

from datetime import timezone
from urllib.parse import quote

from django.template import Engine
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as date_format
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext, pgettext

from accounts.models import FORMER_MEMBER_NAME

from . import content_warnings
from .models import REACTION_COUNT_FIELDS, ReactionKind, Visibility

OWN_NOTES_TEMPLATE = "forum/_post_own_notes.html"
SOURCING_HELD_TEMPLATE = "moderation/_sourcing_held_note.html"
MOD_ACTIONS_TEMPLATE = "moderation/_post_mod_actions.html"
REACTION_BUTTON_TEMPLATE = "forum/_reaction_button.html"


def post_view(viewer, post, *, can_reply: bool) -> dict:
    """What the viewer may see of, and do with, one post: the viewer's own rule
    (forum.permissions.Viewer.post_controls), with the thread's can_reply from the page."""
    return {
        "show_body": viewer.can_read_post_body(post),
        "own": viewer.is_author(post),
        # Folded away while the reader's comfort mode is on (static/css/site.css, "Comfort mode").
        "sensitive": content_warnings.is_sensitive(post),
        "crisis": content_warnings.is_crisis(post.crisis_level),
        # The viewer blocked its author: the post is folded away (forum/blocks.py).
        "blocked_author": viewer.has_blocked(post.author_id),
        **viewer.post_controls(post, can_reply=can_reply),
    }


def render_post(context, post, node=None) -> SafeString:
    """The post's <article>. `context` is the page's template Context: its `viewer`,
    `can_reply`, `my_reactions` and `user`, and what the included templates need."""
    view = post_view(context["viewer"], post, can_reply=bool(context.get("can_reply")))
    parts = [_article_open(post, view), _head(post), "\n"]
    if node is not None and getattr(node, "in_reply_to", None):
        parts.append(_in_reply_to(node.in_reply_to))
    if view["sensitive"]:
        parts.append(_comfort_note(post))
    parts.append(_status_note(post.status))
    if post.status == Visibility.PENDING and view["own"]:
        parts.append(_render(context, SOURCING_HELD_TEMPLATE, post=post, view=view))
    if view["show_body"]:
        parts.append(_body(context, post, view))
        if view["crisis"] and post.safe_for_now_at:
            parts.append(_safe_for_now(post))
        if view["own"]:
            parts.append(_render(context, OWN_NOTES_TEMPLATE, post=post, view=view))
        elif view["crisis"]:
            parts.append(_support_resources())
    parts += ['<div class="post-foot">', _controls(context, post, view), "</div></article>"]
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or our own markup


def controls_html(context, post) -> SafeString:
    """The reactions and links under a post, alone (the live-controls <template>s)."""
    view = post_view(context["viewer"], post, can_reply=bool(context.get("can_reply")))
    return _controls(context, post, view)


def member_name(user) -> str:
    """The public pseudonym, or "former member" for a deleted account."""
    if user is None:
        return gettext(FORMER_MEMBER_NAME)
    return user.public_name


# --- The parts of a post ------------------------------------------------------------------


def _article_open(post, view) -> str:
    classes = "post" + (" post-opening" if post.is_opening else "") + f" status-{escape(post.status)}"
    if view["sensitive"]:
        classes += " is-sensitive"
    anchor = post.anchor
    attributes = [
        f'class="{classes}" id="{anchor}" data-post-id="{int(post.pk)}"',
        f'data-author-id="{"" if post.author_id is None else int(post.author_id)}"',
        f'data-status="{escape(post.status)}"',
    ]
    if post.parent_id:
        attributes.append(f'data-parent-id="{int(post.parent_id)}"')
    if view["crisis"]:
        attributes.append('data-crisis="1"')
    attributes.append(f'aria-labelledby="{anchor}-by"')
    return f"<article {' '.join(attributes)}>"


def _head(post) -> str:
    author, anchor = post.author, post.anchor
    if author is not None and not author.is_former:
        who = format_html(
            '<a class="author" id="{}-by" translate="no" href="{}">{}</a>',
            anchor, name_url("forum:profile", author.username), member_name(author),
        )
    else:
        who = format_html('<span class="author" id="{}-by" translate="no">{}</span>', anchor, member_name(author))
    # An absolute UTC time (for readers without JavaScript, and for the cache);
    # static/js/site.js shows it local and relative.
    when = format_html(
        '<a class="permalink" href="{}">{}</a>', id_url("forum:post", post.pk), post_time(post.created_at)
    )
    edited = ""
    if post.edited_at:
        at = escape(local_date(post.edited_at, "j M Y H:i"))
        title = mark_safe(gettext("Edited %(when)s UTC") % {"when": at})  # noqa: S308 - the date is escaped
        label = pgettext("a post was changed", "edited")
        edited = format_html(' <span class="edited" title="{}">{}</span>', title, label)
    return f'<header class="post-head">{who} {when}{edited}</header>'


def _in_reply_to(answered) -> str:
    text = gettext('in reply to <a href="#%(anchor)s" translate="no">%(name)s</a>') % {
        "anchor": escape(answered.anchor), "name": escape(member_name(answered.author)),
    }
    return f'<p class="in-reply-to">{text}</p>\n'


def _comfort_note(post) -> str:
    if post.content_warning:
        text = gettext("Comfort mode is hiding this post (content warning: %(warning)s).") % {
            "warning": escape(post.content_warning)
        }
    else:
        text = escape(gettext("Comfort mode is hiding this post."))
    return f'<p class="comfort-note" hidden>{text}</p>\n'


def _status_note(status: str) -> str:
    if status == Visibility.PENDING:
        text = gettext("Waiting for a moderator. Only you and the moderators can see this for now.")
        return format_html('<p class="status-note">{}</p>\n', text)
    if status == Visibility.REMOVED:
        return format_html('<p class="placeholder">{}</p>\n', gettext("Removed by its author."))
    if status == Visibility.HIDDEN:
        return format_html('<p class="placeholder">{}</p>\n', gettext("Hidden by a moderator."))
    return ""


def _body(context, post, view) -> str:
    parts = []
    if post.status in (Visibility.REMOVED, Visibility.HIDDEN):
        parts.append(format_html('<p class="mod-note">{}</p>', gettext("Moderators see the text:")))
    if view["blocked_author"]:
        summary = gettext('You blocked <span translate="no">%(name)s</span>. Show this post') % {
            "name": escape(member_name(post.author))
        }
        parts.append(f'<details class="blocked-post"><summary>{summary}</summary>')
    body = f'<div class="post-body" translate="no">{post.body_html}</div>'  # sanitized when saved (forum.markup)
    if post.content_warning:
        expand = " open" if getattr(context.get("user"), "always_expand_warnings", False) else ""
        summary = gettext("Content warning: %(warning)s. Show the post") % {"warning": escape(post.content_warning)}
        body = f'<details class="content-warning"{expand}><summary>{summary}</summary>{body}</details>'
    parts.append(body)
    if view["blocked_author"]:
        parts.append("</details>")
    parts.append("\n")
    return "".join(parts)


def _safe_for_now(post) -> str:
    said = gettext('<span translate="no">%(name)s</span> says they are safe for now.') % {
        "name": escape(member_name(post.author))
    }
    at = post.safe_for_now_at
    return (
        f'<p class="safe-for-now"><strong>{said}</strong> '
        f'<time datetime="{local_date(at, "c")}">{escape(local_date(at, "j M Y, H:i"))} UTC</time></p>\n'
    )


def _support_resources() -> str:
    text = gettext(
        'If this post brings up something hard for you, <a href="%(help_url)s">support resources</a> '
        "are here, any time."
    ) % {"help_url": escape(reverse("safety:help"))}
    return f'<p class="support-resources">{text}</p>\n'


def _controls(context, post, view) -> SafeString:
    return mark_safe(_reactions(context, post, view) + _actions(context, post, view))  # noqa: S308 - as above


def _reactions(context, post, view) -> str:
    """Compact: only the reactions someone gave show, with their count. A viewer who may
    react gets the buttons of those, and "React": a link to the post's reaction page
    (forum:post_react) that static/js/reactions.js turns into the other buttons, from the
    page's one <template id="reaction-buttons">. The buttons belong to the page's one
    form (#reaction-form, with the CSRF token) and post to their own post's URL, so a post
    carries no form or token of its own."""
    if post.status != Visibility.PUBLISHED:
        return ""
    mine = (context.get("my_reactions") or {}).get(post.pk, ())
    shown = [button for button in reaction_buttons(post, mine) if button["count"] or button["pressed"]]
    parts = [f'<div class="reactions" data-post-id="{int(post.pk)}">']
    if view["react"]:
        action = id_url("forum:post_react", post.pk)
        parts += [_render(context, REACTION_BUTTON_TEMPLATE, action=action, **button) for button in shown]
        more = escape(pgettext("show the reactions one may give", "React"))
        parts.append(f'<a href="{action}" class="reaction-more">{more}</a>')
    else:
        parts += [
            format_html(
                '<span class="reaction reaction-{}" data-kind="{}">{} <span class="reaction-count">{}</span></span>',
                button["kind"], button["kind"], button["label"], button["count"],
            )
            for button in shown
        ]
    parts.append("</div>")
    return "".join(parts)


def reaction_buttons(post, mine) -> list[dict]:
    """The three reactions of a post as its buttons show them: label, count, and whether
    the viewer gave it (`mine`: the kinds they gave)."""
    return [
        {"kind": kind, "label": label, "count": getattr(post, REACTION_COUNT_FIELDS[kind]), "pressed": kind in mine}
        for kind, label in ReactionKind.choices
    ]


def _actions(context, post, view) -> str:
    """The links under a post, by forum.permissions.Viewer.post_controls."""
    pk = int(post.pk)
    links = []
    if view["reply"]:
        links.append(format_html(
            '<a href="{}?parent={}" class="reply-link" data-reply-to="{}">{}</a> ',
            id_url("forum:reply", post.thread_id), pk, pk, gettext("Reply"),
        ))
    if view["edit"]:
        links.append(
            format_html('<a href="{}" class="edit-link">{}</a> ', id_url("forum:post_edit", pk), gettext("Edit"))
        )
    if view["delete"]:
        links.append(
            format_html('<a href="{}" class="delete-link">{}</a> ', id_url("forum:post_delete", pk), gettext("Delete"))
        )
    if view["report"]:
        links.append(format_html(
            '<a href="{}" class="report-link">{}</a>', id_url("member_moderation:report", pk), gettext("Report")
        ))
    if view["moderate"]:
        links.append(_render(context, MOD_ACTIONS_TEMPLATE, post=post, view=view))
    return f'<footer class="post-actions">{"".join(links)}</footer>'


# --- Helpers ----------------------------------------------------------------------------


def _render(context, name: str, **values) -> str:
    """One of the few templates a post includes, as {% include %} would: the page's
    context plus `values`."""
    with context.push(**values):
        return Engine.get_default().get_template(name).render(context)


def local_date(value, fmt: str) -> str:
    """What the `date` filter gives: in the current time zone, in the page's language."""
    return date_format(localtime(value) if is_aware(value) else value, fmt)


def post_time(value) -> str:
    """A post's <time>: UTC to the second in `datetime` (the cached fragment never ages),
    the absolute time as text and, in the reader's language, in full as its title for
    readers without JavaScript; static/js/site.js shows it local and relative. The same
    as {% when %} (forum_tags) without its microseconds, and without a DateFormat per post."""
    if value is None:
        return ""
    value = localtime(value, timezone.utc) if is_aware(value) else value
    # What date formats "j F Y, H:i" and "j M Y, H:i" give.
    clock = f"{value.year}, {value.hour:02d}:{value.minute:02d}"
    return format_html(
        '<time datetime="{}" title="{} {} {}">{} {} {} UTC</time>',
        value.strftime("%Y-%m-%dT%H:%M:%SZ"),
        value.day, MONTHS[value.month], clock + " UTC",
        value.day, str(MONTHS_3[value.month]).title(), clock,
    )


# The same URL as reverse() for a route that takes one integer id, without running the
# resolver for every post of a page (a page of 77 posts reversed some 250 URLs, an eighth
# of its cold render). Each route's shape is reversed once per script prefix with a
# stand-in id and reused.
_STAND_IN = "9081726354"
_SHAPES: dict[tuple[str, str], tuple[str, str]] = {}


def id_url(name: str, pk) -> str:
    shape = _shape(name)
    if shape is None:
        return reverse(name, args=[pk])
    return f"{shape[0]}{int(pk)}{shape[1]}"


def name_url(name: str, value: str) -> str:
    """The same for a route that takes one name (a member's profile), quoted as reverse()
    quotes it. A name reverse() would refuse (a slash) goes through reverse() itself."""
    shape = _shape(name)
    if shape is None or "/" in value:
        return reverse(name, args=[value])
    return f"{shape[0]}{quote(value, safe=RFC3986_SUBDELIMS + '~:@')}{shape[1]}"


def route_url(name: str) -> str:
    """The address of a route that takes no arguments, reversed once per script prefix."""
    key = (name, get_script_prefix())
    url = _ROUTES.get(key)
    if url is None:
        url = _ROUTES[key] = reverse(name)
    return url


_ROUTES: dict[tuple[str, str], str] = {}


def _shape(name: str) -> tuple[str, str] | None:
    prefix = get_script_prefix()
    shape = _SHAPES.get((name, prefix))
    if shape is None:
        before, stand_in, after = reverse(name, args=[_STAND_IN]).partition(_STAND_IN)
        if not stand_in or _STAND_IN in after:
            return None
        shape = _SHAPES[(name, prefix)] = (before, after)
    return shape
