"""The on-call rota: who covers which hours, worked out from the weekly shifts that
crisis responders set in their own time zones.

A shift is a weekday and a span of local time; it becomes concrete UTC intervals for any
window asked about, so daylight-saving changes fall where they do in each time zone.
Escalation asks `on_call_now()`; the rota page asks `coverage()` for the next 24 hours.
Only current crisis responders count: a shift of someone who has stepped down is ignored.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

from accounts import roles
from accounts.models import User

from .models import OnCallShift


@cache
def time_zone_names() -> list[str]:
    return sorted(available_timezones() | {"UTC"})


def zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt_timezone.utc


@dataclass
class Span:
    starts: datetime
    ends: datetime
    members: list[User] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.members


def shift_intervals(shift: OnCallShift, window_start: datetime, window_end: datetime
                    ) -> list[tuple[datetime, datetime]]:
    """The shift's concrete intervals (UTC) that overlap the window."""
    tz = zone(shift.time_zone)
    first = window_start.astimezone(tz).date() - timedelta(days=1)
    last = window_end.astimezone(tz).date()
    intervals = []
    day = first
    while day <= last:
        if day.weekday() == shift.weekday:
            starts = datetime.combine(day, shift.starts, tzinfo=tz)
            end_day = day if shift.ends > shift.starts else day + timedelta(days=1)
            ends = datetime.combine(end_day, shift.ends, tzinfo=tz)
            starts, ends = starts.astimezone(dt_timezone.utc), ends.astimezone(dt_timezone.utc)
            if starts < window_end and ends > window_start:
                intervals.append((max(starts, window_start), min(ends, window_end)))
        day += timedelta(days=1)
    return intervals


def _shifts():
    responders = roles.crisis_responders().values("pk")
    return OnCallShift.objects.filter(member__in=responders).select_related("member")


def coverage(start: datetime | None = None, hours: int = 24) -> list[Span]:
    """The window cut into spans, each with who is on call (empty: a gap). Adjacent spans
    with the same people are merged."""
    start = (start or timezone.now()).astimezone(dt_timezone.utc).replace(second=0, microsecond=0)
    end = start + timedelta(hours=hours)
    intervals = [(s, e, shift.member) for shift in _shifts() for s, e in shift_intervals(shift, start, end)]
    cuts = sorted({start, end, *(s for s, _, _ in intervals), *(e for _, e, _ in intervals)})
    spans: list[Span] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        if right <= left:
            continue
        middle = left + (right - left) / 2
        members = sorted({m.pk: m for s, e, m in intervals if s <= middle < e}.values(), key=lambda m: m.username)
        if spans and [m.pk for m in spans[-1].members] == [m.pk for m in members]:
            spans[-1].ends = right
        else:
            spans.append(Span(left, right, members))
    return spans


def on_call_now(now: datetime | None = None) -> list[User]:
    now = now or timezone.now()
    found = {}
    for shift in _shifts():
        if shift_intervals(shift, now, now + timedelta(seconds=1)):
            found[shift.member.pk] = shift.member
    return sorted(found.values(), key=lambda member: member.username)
