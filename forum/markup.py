"""Markdown to safe HTML. The only module in the project that imports bleach.

Members write Markdown. markdown-it-py renders it with raw HTML switched off, then
bleach keeps a small allowlist of tags, allows only http, https and mailto links, turns
bare URLs into links and marks every link nofollow ugc noopener noreferrer. Run it once,
when the post is written; the stored result is the only user-derived HTML ever marked
safe in a template.
"""

from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "del"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    md.enable("strikethrough")
    # Headings and tables are outside the allowlist: keep their text as plain paragraphs
    # rather than letting the sanitizer strip the structure.
    md.disable(["heading", "lheading"])
    md.add_render_rule("image", _render_image_as_link)
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    return md


def _render_image_as_link(self, tokens, idx, options, env):
    """Images are not embedded (tracking pixels, shock images); show a link to them."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{_escape(src)}">{_escape(alt)}</a>'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_md = _markdown()
_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)],
)


def render(text: str) -> str:
    """Render a member's Markdown to sanitized HTML, @mentions of members as links."""
    from .mentions import link_mentions

    return link_mentions(render_without_mentions(text))


def render_without_mentions(text: str) -> str:
    """What render() makes, before @mentions become links: the same words on the page,
    without asking the database which names are members. For checks of a draft's text."""
    return _cleaner.clean(_md.render(text)).strip()
