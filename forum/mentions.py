"""@mentions in a post's sanitized HTML.

A mention is @ followed by a member's username, in running text. Inside code, a code
block, a quote or a link it is not a mention: quoting a post that mentions someone
does not call them again. Works on the HTML that forum.markup produced (well-formed,
allowlisted tags), so splitting it at tags is safe.
"""

import re
from urllib.parse import quote

from django.contrib.auth import get_user_model

_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
# Usernames are letters, digits and . + - _ (Django's validator also allows @, which a
# mention cannot use). Not after a word character, so an email address is not a mention.
_MENTION = re.compile(r"(?<![\w@./+-])@([\w.+-]{1,150})")
SKIP_TAGS = {"code", "pre", "blockquote", "a"}


def _text_segments(html: str):
    """Yield (segment, is_text_outside_skipped_tags) for each piece of the HTML. A mention
    link this module made (stored posts carry them) still counts as a mention."""
    open_tags: list[str] = []
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            match = _TAG_NAME.match(piece)
            name = match.group(1).lower() if match else ""
            if name in SKIP_TAGS and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if open_tags:
                        open_tags.pop()
                else:
                    open_tags.append("mention" if 'class="mention"' in piece else name)
            yield piece, False
        else:
            yield piece, all(tag == "mention" for tag in open_tags)


def _candidates(text: str) -> list[tuple[re.Match, str]]:
    found = []
    for match in _MENTION.finditer(text):
        name = match.group(1).rstrip(".")  # "thanks @alice." ends a sentence
        if name:
            found.append((match, name))
    return found


def mentioned_names(html: str) -> set[str]:
    return set(mentioned_names_in_order(html))


def mentioned_names_in_order(html: str) -> list[str]:
    """Each name once, in the order the post first mentions it."""
    names: dict[str, None] = {}
    for segment, is_text in _text_segments(html):
        if is_text:
            names.update((name, None) for _, name in _candidates(segment))
    return list(names)


def mentioned_members(html: str):
    """The members a post mentions (unknown names are ignored), as a queryset."""
    names = mentioned_names(html)
    User = get_user_model()
    if not names:
        return User.objects.none()
    return User.objects.filter(username__in=names, is_active=True, is_former=False)


def link_mentions(html: str) -> str:
    """Turn each mention of an existing member into a link to their profile."""
    names = mentioned_names(html)
    if not names:
        return html
    known = set(mentioned_members(html).values_list("username", flat=True))
    if not known:
        return html
    out = []
    for segment, is_text in _text_segments(html):
        if not is_text:
            out.append(segment)
            continue
        position = 0
        for match, name in _candidates(segment):
            if name not in known:
                continue
            start = match.start()
            out.append(segment[position:start])
            url = profile_url(name)
            out.append(f'<a class="mention" href="{url}">@{name}</a>')
            position = start + 1 + len(name)
        out.append(segment[position:])
    return "".join(out)


def profile_url(username: str) -> str:
    """The member's profile page (/members/<username>/, built by the profile work)."""
    return f"/members/{quote(username)}/"
