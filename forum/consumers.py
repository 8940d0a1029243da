"""The live thread: /ws/threads/<thread_id>/.

A socket only listens. It joins the group `thread-<id>` once the reader may read the
thread (the same permissions.can_read_thread the page asks), and forwards the events that
forum.realtime sends to that group. The group is heard once per worker and its events
handed to every socket of the thread there (forum/fanout.py). Posting stays on HTTP
through the services.

Every LIVE_HEARTBEAT seconds the socket re-joins its group and refreshes its presence
(forum/live.py) and sends the page {"type": "heartbeat", "interval": s, "recent": [ids]}:
a page that hears nothing for three intervals knows its socket went silent and
reconnects. `recent` lists the thread's replies published in the last few heartbeats
(read once a second per thread and worker, not per socket): a page missing one of them
catches up from there, which brings back a reply whose broadcast never left (a worker
killed between the commit and the send) even though the page's socket never dropped. When the
re-join finds that events may have been lost (the layer failed, or Redis forgot the
socket's presence: a restart), the page gets {"type": "resync"} instead and catches up
over HTTP, without a reload.

The socket's first frame is {"type": "welcome", "version": v}: the thread's version
(bumped by every write that changes what a page shows, forum.page_cache), read after the
socket joined its group, so every later change reaches it as an event. A page that holds
version v (rendered at it, or caught up to it) has missed nothing and does not catch up;
any other page does. A reconnect storm of pages that missed nothing thus costs no
catch-up request, and sockets joining together share one read of the version. Without
a version (the database did not answer), the page catches up.
"""

import asyncio
import functools
import json
import logging
import time
import weakref
from datetime import timedelta

from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import DatabaseError
from django.utils import timezone

from accounts import two_factor

from . import fanout, permissions, realtime
from . import presence as reading_now
from .live import GroupKeepingConsumer, gated_database_sync_to_async, interval
from .models import Post, Thread, Visibility

logger = logging.getLogger(__name__)
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Anonymous readers all get the same answer to "may I read this thread": a reconnect storm
# of them asks the database once per thread and worker every ANONYMOUS_VERDICT_TTL
# seconds, not once per socket. A thread event forgets the answer at once.
ANONYMOUS_VERDICT_TTL = 2.0
_anonymous_verdicts: dict[int, tuple[float, str]] = {}


def _standing_group(scope) -> str | None:
    user = scope.get("user")
    return realtime.standing_group(user.pk) if getattr(user, "is_authenticated", False) else None


class ThreadConsumer(GroupKeepingConsumer):
    thread_id: int | None = None
    group: str | None = None
    _last_count: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._checks: set[asyncio.Task] = set()

    async def connect(self):
        thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        try:
            verdict = await self._may_read_on_connect(thread_id)
        except DatabaseError:
            await self.try_again_later()
            return
        if verdict != "ok":
            # Accept first so the browser sees our close code, not a bare handshake failure.
            await self.accept()
            await self.close(code=CLOSE_NOT_FOUND if verdict == "missing" else CLOSE_FORBIDDEN)
            return
        self.thread_id = thread_id
        self.group = realtime.thread_group(thread_id)
        # With the layer away the socket still opens: it joins as soon as the layer
        # answers, and its page catches up then.
        standing = _standing_group(self.scope)
        await self.keep_groups(*([standing] if standing else []), shared=(self.group,))
        joined_at = time.monotonic()
        await self.accept()
        try:
            await reading_now.join(thread_id, self.channel_name)
        except Exception:  # noqa: BLE001 - presence is a nicety: its outage is logged once
            reading_now.outage.failed()
        reading_now.changed(thread_id)
        await self.forward(json.dumps(await _welcome(thread_id, joined_at)))  # a page gone already drops it
        self.start_delivering()

    async def disconnect(self, code):
        if self.group is None:
            return
        self.group = None
        await self.drop_groups()
        checks = list(self._checks)
        for check in checks:
            check.cancel()
        if checks:
            await asyncio.wait(checks, timeout=fanout.CLOSE_WAIT)  # a socket's end never hangs on them
        try:
            await reading_now.leave(self.thread_id, self.channel_name)
        except Exception:  # noqa: BLE001 - the entry expires by itself
            reading_now.outage.failed()
        reading_now.changed(self.thread_id)

    async def rejoined(self, *, lost: bool) -> None:
        """Each period: refresh presence (a forgotten entry means Redis lost our state),
        send the count if it changed, then the heartbeat, or resync if events were lost."""
        try:
            count, forgotten = await reading_now.refresh(self.thread_id, self.channel_name)
        except Exception:  # noqa: BLE001 - presence away: the heartbeat still goes
            reading_now.outage.failed()
        else:
            reading_now.outage.recovered()
            lost = lost or forgotten
            if count != self._last_count:
                self._last_count = count
                await self.send_frame(json.dumps({"type": "presence", "count": count}))
        beat = {"type": "resync" if lost else "heartbeat", "interval": interval()}
        try:
            beat["recent"] = await recent_replies(self.thread_id)
        except DatabaseError:
            pass  # the next heartbeat asks again
        await self.send_frame(json.dumps(beat))

    async def layer_away(self) -> None:
        """The layer refuses (Redis away): the socket is alive, so the page keeps hearing
        heartbeats instead of reconnecting in vain; a resync follows when it answers."""
        await self.send_frame(json.dumps({"type": "heartbeat", "interval": interval()}))

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing is written through the socket; whatever a client sends is ignored."""

    def deliver(self, event):
        """Events of the thread's group (forum/fanout.py), forwarded as the JSON text they
        were serialized to. A thread hidden or removed while open: readers who may no
        longer read it go."""
        if event["type"] == "thread.updated":
            _anonymous_verdicts.pop(self.thread_id, None)
            _verdict_reads.get(asyncio.get_running_loop(), {}).pop(self.thread_id, None)  # may predate it
            if json.loads(event["text"]).get("status") != "published":
                self._check(self._close_unless_readable())
        self.outbox.put(event["text"])

    async def _close_unless_readable(self):
        try:
            verdict = await self._may_read(self.thread_id)
        except DatabaseError:
            return  # the page was told of the change; the next event or reconnect asks again
        if verdict != "ok":
            await self.close(code=CLOSE_FORBIDDEN)

    def _check(self, coroutine) -> None:
        """Run a check beside the socket's event flow; ended with the socket."""
        task = asyncio.ensure_future(coroutine)
        self._checks.add(task)
        task.add_done_callback(self._check_done)

    def _check_done(self, task: asyncio.Task) -> None:
        self._checks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("A live thread socket's check failed.", exc_info=task.exception())

    async def standing_changed(self, event):
        """The reader was banned (or their standing changed otherwise): they stay only if
        they may still read the thread (a members-only category closes to a banned member)."""
        if await self._may_read(self.thread_id, afresh=True) != "ok":
            await self.close(code=CLOSE_FORBIDDEN)

    async def _may_read_on_connect(self, thread_id: int) -> str:
        if getattr(self.scope.get("user"), "is_authenticated", False):
            return await self._may_read(thread_id)
        known = _anonymous_verdicts.get(thread_id)
        if known and time.monotonic() - known[0] < ANONYMOUS_VERDICT_TTL:
            return known[1]
        # Readers arriving together (a storm) wait for the one question already asked.
        asked_at = time.monotonic()
        verdict = await _shared(_verdict_reads, thread_id, lambda: self._may_read(thread_id))
        if len(_anonymous_verdicts) > 10_000:
            _anonymous_verdicts.clear()
        _anonymous_verdicts[thread_id] = (asked_at, verdict)
        return verdict

    @gated_database_sync_to_async
    def _may_read(self, thread_id: int, *, afresh: bool = False) -> str:
        thread = Thread.objects.filter(pk=thread_id).first()
        if thread is None:
            return "missing"
        user = self.scope.get("user")
        if afresh:
            permissions.forget_viewer(user)
        two_factor.attach_session(user, self.scope.get("session"))  # a moderator's sign-in counts
        return "ok" if permissions.can_read_thread(user, thread) else "forbidden"


# Reads in flight, per event loop and thread: (when the read started, its task).
_Reads = weakref.WeakKeyDictionary
_verdict_reads: "_Reads[asyncio.AbstractEventLoop, dict[int, tuple[float, asyncio.Task]]]" = _Reads()
_version_reads: "_Reads[asyncio.AbstractEventLoop, dict[int, tuple[float, asyncio.Task]]]" = _Reads()


async def _shared(reads: _Reads, thread_id: int, read, *, not_before: float = float("-inf")):
    """The answer of a read of this thread that started after `not_before`: the one in
    flight if it did, else the next one, which starts when the one in flight ends and
    serves everyone who waited for it. A storm thus makes one read at a time per thread,
    not one per socket."""
    in_flight = reads.setdefault(asyncio.get_running_loop(), {})
    while True:
        entry = in_flight.get(thread_id)
        if entry is not None and entry[0] > not_before:
            return await asyncio.shield(entry[1])
        if entry is None or entry[1].done():
            entry = (time.monotonic(), asyncio.ensure_future(read()))
            in_flight[thread_id] = entry
            entry[1].add_done_callback(functools.partial(_forget_read, in_flight, thread_id, entry))
            return await asyncio.shield(entry[1])
        await asyncio.wait([entry[1]])


def _forget_read(in_flight: dict, thread_id: int, entry: tuple, task: asyncio.Task) -> None:
    if in_flight.get(thread_id) is entry:
        del in_flight[thread_id]
    if not task.cancelled():
        task.exception()  # retrieved, even if every caller left meanwhile


async def _welcome(thread_id: int, joined_at: float) -> dict:
    """The socket's first frame: the thread's version, read after `joined_at`."""
    try:
        version = await _shared(_version_reads, thread_id, lambda: _thread_version(thread_id), not_before=joined_at)
    except DatabaseError:
        return {"type": "welcome"}  # no version: the page catches up
    return {"type": "welcome", "version": version}


@gated_database_sync_to_async
def _thread_version(thread_id: int) -> int | None:
    return Thread.objects.filter(pk=thread_id).values_list("version", flat=True).first()


_recent: dict[int, tuple[float, list[int]]] = {}


async def recent_replies(thread_id: int) -> list[int]:
    """Ids of the thread's replies published in the last three heartbeats (10 s at least; at most 50),
    read at most once a second per thread in this worker. The newest few seconds are left
    out: their broadcast is most likely still on its way."""
    now = time.monotonic()
    cached = _recent.get(thread_id)
    if cached and now - cached[0] < 1.0:
        return cached[1]
    now_utc = timezone.now()
    grace = timedelta(seconds=min(5.0, interval() / 3))
    window = timedelta(seconds=max(10.0, 3 * interval()))
    ids = await _recent_replies(thread_id, now_utc - window, now_utc - grace)
    if len(_recent) > 10_000:
        _recent.clear()
    _recent[thread_id] = (now, ids)
    return ids


@gated_database_sync_to_async
def _recent_replies(thread_id: int, since, until) -> list[int]:
    return list(
        Post.objects.filter(thread_id=thread_id, is_opening=False, status=Visibility.PUBLISHED,
                            created_at__gte=since, created_at__lte=until)
        .order_by("-pk")
        .values_list("pk", flat=True)[:50]
    )


class MemberConsumer(GroupKeepingConsumer):
    """/ws/me/: a signed-in member's own socket. It joins `user-<id>` and forwards the
    events forum.realtime sends there (the inbox's unread count). Anonymous readers and
    deactivated or former members are refused in connect(), and a socket whose member
    has since been deactivated or deleted closes at its next event."""

    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        try:
            may_listen = await self._may_listen(user)
        except DatabaseError:
            await self.try_again_later()
            return
        if not may_listen:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = realtime.user_group(user.pk)
        await self.keep_groups(self.group, realtime.standing_group(user.pk))
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            self.group = None
            await self.drop_groups()

    async def standing_changed(self, event):
        """A banned member's own socket closes (permissions.can_follow)."""
        if not await self._may_listen(self.scope.get("user"), afresh=True):
            self.group = None
            await self.drop_groups()
            await self.close(code=CLOSE_FORBIDDEN)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing is written through the socket; whatever a client sends is ignored."""

    async def inbox_unread(self, event):
        # Asked again before each event: a member deactivated or deleted meanwhile goes.
        if not await self._still_member(self.scope.get("user")):
            await self.disconnect(CLOSE_FORBIDDEN)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.forward(event["text"])

    async def member_event(self, event):
        """Events for this member from the apps above the forum (a private message from
        the team), sent to `user-<id>` with the handler "member.event"."""
        await self.forward(event["text"])

    @gated_database_sync_to_async
    def _may_listen(self, user, *, afresh: bool = False) -> bool:
        if afresh:
            permissions.forget_viewer(user)
        return permissions.can_follow(user)

    @gated_database_sync_to_async
    def _still_member(self, user) -> bool:
        from accounts.models import User

        return User.objects.filter(pk=user.pk, is_active=True, is_former=False).exists()


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Any other socket address (config/asgi.py routes it last): accepted only to be
    closed with 4404, so a client learns why instead of seeing the connection drop."""

    async def connect(self):
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)
