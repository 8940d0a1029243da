"""Sockets that stay in their channel-layer groups, whatever happens to Redis.

Group memberships live in the channel layer (in Redis, with REDIS_URL). A Redis restart
forgets them while the sockets stay open, so a socket that joined once would hear
nothing more and its page would never know. Every consumer here therefore re-joins its
groups every LIVE_HEARTBEAT seconds (a group_add is idempotent: one sorted-set write),
and more often (RETRY seconds) while the layer refuses. A join that was needed again (the
layer failed since the last one, or, for the thread socket, its presence entry was gone:
Redis forgot everything) means events may have been lost, so `rejoined(lost=True)` lets
the consumer tell its page to catch up.

Database questions the sockets ask (may this reader read the thread, is this member
still a member) go through `database_sync_to_async` gated by a semaphore per worker
(LIVE_DB_CONCURRENCY, 8 by default): a thousand sockets arriving at once take turns for
a few database connections instead of opening a thousand (each call runs in a thread of
its own and, with CONN_MAX_AGE=0, opens a connection), which is what made PostgreSQL
refuse clients ("too many clients already") during a reconnect storm.

Nothing here ever raises into the server: layer errors during connect, the periodic
re-join or disconnect are logged once per outage (forum.outages) and retried, and the
periodic task is cancelled and awaited on disconnect, so no "Task exception was never
retrieved" is left behind.
"""

import asyncio
import functools
import logging
import random
import weakref

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from . import cancellation, fanout
from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage(
    logger, "The channel layer (joining groups)", "sockets re-join and their pages catch up when it returns."
)
database_outage = Outage(
    logger, "The database (live sockets)", "new sockets are told to try again (1013) and their pages retry."
)
RETRY = 2.0
CLOSE_TRY_AGAIN = 1013  # RFC 6455: try again later


def interval() -> float:
    return float(settings.LIVE_HEARTBEAT)


_gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = weakref.WeakKeyDictionary()


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _gates:
        _gates[loop] = asyncio.Semaphore(getattr(settings, "LIVE_DB_CONCURRENCY", 8))
    return _gates[loop]


def gated_database_sync_to_async(function):
    """database_sync_to_async, at most LIVE_DB_CONCURRENCY calls at once per worker."""
    call = database_sync_to_async(function)

    @functools.wraps(function)
    async def gated(*args, **kwargs):
        async with _gate():
            return await call(*args, **kwargs)

    return gated


class ClientGone(Exception):
    """The page closed its socket while the periodic task was sending to it."""


class GroupKeepingConsumer(AsyncWebsocketConsumer):
    """Join with `await self.keep_groups(*groups, shared=(...))` after the permission
    check, leave with `await self.drop_groups()`. Override `rejoined(lost)` for what
    happens each period.

    `groups` are joined with the socket's own channel, and their events reach its
    handlers through Channels, one at a time. `shared` groups (a thread's readers, who
    may be a thousand in one worker) are heard once per worker (forum/fanout.py) and
    handed to `deliver(event)`, which by default puts the event's text in the socket's
    outbox. The outbox is held until `start_delivering()`: a socket's first frame goes
    before any event."""

    kept_groups: tuple[str, ...] = ()
    shared_groups: tuple[str, ...] = ()
    outbox: fanout.Outbox | None = None
    _keeper: asyncio.Task | None = None
    _join_failed = False
    _failures_seen = 0

    async def __call__(self, scope, receive, send):
        """However the socket ends (even cancelled, without a disconnect), it leaves its
        shared groups: a worker's channel for a thread must not outlive its last socket."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave_shared()

    async def dispatch(self, message) -> None:
        """Handle a message as Channels does, without its thread hop first. Channels closes
        stale database connections in a thread before every message a consumer handles.
        Every database question here goes through database_sync_to_async, which closes
        them around each call, so that hop only costs: all such hops share one thread, and
        a reconnect storm of 1,000 readers made 19,054 of them, and a fan-out makes one
        per socket for each event."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def try_again_later(self) -> None:
        """The database refused the socket's question (too many clients, a restart): close
        cleanly with 1013, logged once per outage; the page reconnects with its backoff."""
        database_outage.failed()
        await self.accept()
        await self.close(code=CLOSE_TRY_AGAIN)

    async def keep_groups(self, *groups: str, shared: tuple[str, ...] = ()) -> None:
        self.kept_groups, self.shared_groups = groups, shared
        if shared:
            self.outbox = fanout.Outbox(self._send_text, held=True)
        self._failures_seen = self._layer_failures()
        self._join_failed = not await self._join()
        self._keeper = asyncio.ensure_future(self._keep())

    async def drop_groups(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.cancel()
            if not await fanout.ended_within(keeper, fanout.CLOSE_WAIT):
                logger.warning("A live socket's re-join task did not end when cancelled.")
        groups, self.kept_groups = self.kept_groups, ()
        await self._leave_shared()
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer forgets us anyway (group expiry)
                outage.failed()

    async def _leave_shared(self) -> None:
        shared, self.shared_groups = self.shared_groups, ()
        for group in shared:
            try:
                await fanout.leave(self.channel_layer, group, self)
            except Exception:  # noqa: BLE001 - the layer forgets the worker's channel anyway (group expiry)
                outage.failed()
        if self.outbox is not None:
            await self.outbox.close()

    def deliver(self, event: dict) -> None:
        """An event of a shared group: its text goes to the page, after what went before."""
        self.outbox.put(event["text"])

    def start_delivering(self) -> None:
        """The socket's first frame is out: events of shared groups follow from here."""
        if self.outbox is not None:
            self.outbox.release()

    def _send_text(self, text: str):
        return self.send(text_data=text)

    async def send_frame(self, text: str) -> None:
        """Send from the periodic task: a socket the client already closed raises
        ClientGone, which ends the task quietly (the server's disconnect follows). Once a
        socket's outbox delivers, the frame goes behind the events there: one writer per
        connection, as uvicorn's websockets needs (a second write waiting on a paused
        connection fails an assertion in its flow control)."""
        if self.outbox is not None and self.outbox.delivering:
            self.outbox.put(text)
            return
        try:
            await self.send(text_data=text)
        except Exception as error:  # noqa: BLE001 - uvicorn's ClientDisconnected and kin
            raise ClientGone from error

    async def forward(self, text: str) -> None:
        """Send an event to the page. A socket that closed meanwhile (its client left
        during the handshake, or we closed it) drops the event: its page catches up when
        it comes back."""
        try:
            await self.send_frame(text)
        except ClientGone:
            logger.debug("An event for a closed socket was dropped.")

    async def rejoined(self, *, lost: bool) -> None:
        """Called after each periodic re-join that worked. `lost`: events may have been missed."""

    async def layer_away(self) -> None:
        """Called after a periodic re-join that failed: the socket itself is still fine."""

    async def _join(self) -> bool:
        try:
            for group in self.shared_groups:
                await fanout.join(self.channel_layer, group, self, self.deliver)
            for group in self.kept_groups:
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception:  # noqa: BLE001 - any layer failure: try again soon
            outage.failed()
            return False
        outage.recovered()
        return True

    def _layer_failures(self) -> int:
        return getattr(self.channel_layer, "failures", 0)

    async def _keep(self) -> None:
        while True:
            cancellation.raise_if_lost()
            wait = RETRY if self._join_failed else interval() * random.uniform(0.8, 1.0)  # noqa: S311 - jitter
            await asyncio.sleep(wait)
            try:
                await self._tick()
            except asyncio.CancelledError:
                raise
            except ClientGone:
                return  # the socket closed under us; disconnect() follows
            except Exception:  # noqa: BLE001 - never let the keeper die silently
                logger.exception("A live socket's periodic re-join failed; trying again.")
                self._join_failed = True

    async def _tick(self) -> None:
        failures = self._layer_failures()
        dropped = self.outbox.take_dropped() if self.outbox is not None else 0
        lost = self._join_failed or failures != self._failures_seen or dropped > 0
        if not await self._join():
            self._join_failed = True
            await self.layer_away()
            return
        self._join_failed = False
        self._failures_seen = self._layer_failures()
        await self.rejoined(lost=lost)
