"""How often one member may do a thing that costs every reader something: a reaction or an
edit (each makes the thread's cached pages stale and is broadcast to its readers), the
composer's crisis check (the crisis patterns over up to 20,000 characters).

A fixed window per member and action, counted in the cache (Redis in production, so all
workers count together). The limits are settings.FORUM_RATE_LIMITS: {action: (times,
seconds)}. Posting itself has moderation's own limits (moderation/screening.py).
"""

import time

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    """Too many of one action; the message says so kindly."""


def consume(*, action: str, member_id: int) -> bool:
    """Count one `action` by the member; False once they are past its limit."""
    if not settings.FORUM_RATE_LIMITS_ENABLED or action not in settings.FORUM_RATE_LIMITS:
        return True
    times, seconds = settings.FORUM_RATE_LIMITS[action]
    key = f"ratelimit:{action}:{member_id}:{int(time.time() // seconds)}"
    if cache.add(key, 1, timeout=seconds):
        return times >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= times


def check(*, action: str, member_id: int, message: str) -> None:
    if not consume(action=action, member_id=member_id):
        raise RateLimited(message)
