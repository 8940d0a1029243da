"""Looking after moderators: how many distressing items (possible crises and reported
posts) a moderator has opened this shift, and when to suggest a break. A shift is kept
in the moderator's session; it starts again after MODERATION_SHIFT_GAP seconds away."""

import time

from django.conf import settings

SESSION_KEY = "moderation_shift"


def _shift(session) -> dict:
    shift = session.get(SESSION_KEY) or {}
    now = time.time()
    if not shift or now - shift.get("last", 0) > settings.MODERATION_SHIFT_GAP:
        shift = {"started": now, "last": now, "opened": []}
    return shift


def is_distressing(item) -> bool:
    return item.kind in ("crisis", "report")


def item_opened(session, item) -> None:
    shift = _shift(session)
    shift["last"] = time.time()
    if is_distressing(item) and item.pk not in shift["opened"]:
        shift["opened"].append(item.pk)
    session[SESSION_KEY] = shift


def shift_state(session) -> dict:
    """{"opened": n, "break_after": m, "suggest_break": bool} for the queue page."""
    opened = len(_shift(session)["opened"])
    limit = settings.MODERATION_BREAK_AFTER
    return {"opened": opened, "break_after": limit, "suggest_break": limit > 0 and opened >= limit}


def shift_restart(session) -> None:
    session[SESSION_KEY] = {"started": time.time(), "last": time.time(), "opened": []}
