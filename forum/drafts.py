"""Drafts: what a member is writing, kept on the server as they type.

A draft belongs to one member and one place to write, named by its key:

- ``new:<category id>``              a new thread in that category (title, text, warning)
- ``reply:<thread id>``              a reply to the thread itself
- ``reply:<thread id>:<post id>``    a reply to one post of it

The page's script saves the form a moment after each change (static/js/drafts.js); the
forms are filled from the draft when the page is opened again, on any device, and after
the member confirms their email address. A draft goes only on purpose: when its post is
sent, or when the member discards it. Nothing here is ever shown to anyone else.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from accounts.models import User

from . import content_warnings, permissions
from .models import Draft

_KEY = re.compile(r"^(new:\d{1,12}|reply:\d{1,12}(:\d{1,12})?)$")
# Enough for anyone's open drafts; past it the oldest go, so a script cannot fill the table.
MAX_DRAFTS = 100


def new_thread_key(category_id: int) -> str:
    return f"new:{category_id}"


def reply_key(thread_id: int, parent_id: int | None = None) -> str:
    return f"reply:{thread_id}:{parent_id}" if parent_id else f"reply:{thread_id}"


def valid_key(key: str) -> bool:
    return bool(_KEY.match(key or ""))


# --- Services ---------------------------------------------------------------------------


def draft_save(*, member: User, key: str, title: str = "", body: str = "", content_warning: str = "") -> Draft | None:
    """Keep what the member has written so far. An empty form keeps nothing (and lets an
    earlier draft of the same place go: the member emptied it themselves)."""
    _require_writer(member)
    if not valid_key(key):
        raise ValidationError({"key": [gettext("Unknown place for a draft.")]})
    # PostgreSQL cannot store NUL, and nobody means to type one: a draft keeps everything else.
    title, body, content_warning = (_storable(value) for value in (title, body, content_warning))
    title, content_warning = title[:300], content_warning[:100]
    if len(body) > 2 * settings.FORUM_BODY_MAX_LENGTH:
        raise ValidationError({"body": [gettext("This draft is too long to keep.")]})
    if not title.strip() and not body.strip():
        draft_discard(member=member, key=key)
        return None
    draft, _ = Draft.objects.update_or_create(
        member=member, key=key, defaults={"title": title, "body": body, "content_warning": content_warning}
    )
    stale = Draft.objects.filter(member=member).order_by("-updated_at", "-pk").values_list("pk", flat=True)[MAX_DRAFTS:]
    if stale:
        Draft.objects.filter(pk__in=list(stale)).delete()
    return draft


def _storable(value) -> str:
    return (value or "").replace("\x00", "")


def draft_discard(*, member: User, key: str) -> bool:
    """The member threw the draft away, or sent it. Returns whether there was one."""
    if not getattr(member, "is_authenticated", False):
        return False
    deleted, _ = Draft.objects.filter(member=member, key=key).delete()
    return bool(deleted)


def _require_writer(member) -> None:
    if not getattr(member, "is_authenticated", False) or not member.is_active or member.is_former:
        raise PermissionDenied(gettext("Log in to keep a draft."))


# --- Reads ------------------------------------------------------------------------------


def draft_get(member, key: str) -> Draft | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return Draft.objects.filter(member=member, key=key).first()


def thread_drafts(member, thread_id: int) -> dict[str, Draft]:
    """Every draft of the member's in one thread (the reply box and replies to posts): one
    query, and none for a member who keeps no drafts at all (their standing says so)."""
    if not getattr(member, "is_authenticated", False) or not permissions.viewer_for(member).has_drafts:
        return {}
    prefix = reply_key(thread_id)
    drafts = Draft.objects.filter(member=member, key__startswith=prefix).order_by("key")
    return {draft.key: draft for draft in drafts if draft.key == prefix or draft.key.startswith(prefix + ":")}


def form_initial(draft: Draft | None, **extra) -> dict:
    """A form's initial values from a draft: the content warning back into its two parts."""
    if draft is None:
        return extra
    return {**extra, "title": draft.title, "body": draft.body, "content_warning": draft.content_warning}


def parent_of(key: str) -> int | None:
    parts = key.split(":")
    return int(parts[2]) if len(parts) == 3 else None


def as_json(draft: Draft | None) -> dict:
    if draft is None:
        return {"exists": False}
    key, other = content_warnings.split_stored(draft.content_warning)
    return {
        "exists": True,
        "title": draft.title,
        "body": draft.body,
        "content_warning": draft.content_warning,
        "content_warning_choice": key,
        "content_warning_other": other,
        "updated_at": draft.updated_at.isoformat(),
    }
