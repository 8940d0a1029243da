"""Sockets that stay in their channel-layer groups, whatever happens to Redis.

Group memberships live in the channel layer (in Redis, with REDIS_URL). A Redis restart
forgets them while the sockets stay open, so a socket that joined once would hear
nothing more and its page would never know. Every consumer here therefore re-joins its
groups every LIVE_HEARTBEAT seconds (a group_add is idempotent: one sorted-set write),
and more often (RETRY seconds) while the layer refuses. A join that was needed again (the
layer failed since the last one, or, for the thread socket, its presence entry was gone:
Redis forgot everything) means events may have been lost, so `rejoined(lost=True)` lets
the consumer tell its page to catch up.

Nothing here ever raises into the server: layer errors during connect, the periodic
re-join or disconnect are logged once per outage (forum.outages) and retried, and the
periodic task is cancelled and awaited on disconnect, so no "Task exception was never
retrieved" is left behind.
"""

import asyncio
import logging
import random

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage(
    logger, "The channel layer (joining groups)", "sockets re-join and their pages catch up when it returns."
)
RETRY = 2.0


def interval() -> float:
    return float(settings.LIVE_HEARTBEAT)


class GroupKeepingConsumer(AsyncWebsocketConsumer):
    """Join with `await self.keep_groups(*groups)` after the permission check, leave with
    `await self.drop_groups()`. Override `rejoined(lost)` for what happens each period."""

    kept_groups: tuple[str, ...] = ()
    _keeper: asyncio.Task | None = None
    _join_failed = False
    _failures_seen = 0

    async def keep_groups(self, *groups: str) -> None:
        self.kept_groups = groups
        self._failures_seen = self._layer_failures()
        self._join_failed = not await self._join()
        self._keeper = asyncio.ensure_future(self._keep())

    async def drop_groups(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
        groups, self.kept_groups = self.kept_groups, ()
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer forgets us anyway (group expiry)
                outage.failed()

    async def rejoined(self, *, lost: bool) -> None:
        """Called after each periodic re-join that worked. `lost`: events may have been missed."""

    async def layer_away(self) -> None:
        """Called after a periodic re-join that failed: the socket itself is still fine."""

    async def _join(self) -> bool:
        try:
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
            wait = RETRY if self._join_failed else interval() * random.uniform(0.8, 1.0)  # noqa: S311 - jitter
            await asyncio.sleep(wait)
            try:
                await self._tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - never let the keeper die silently
                logger.exception("A live socket's periodic re-join failed; trying again.")
                self._join_failed = True

    async def _tick(self) -> None:
        failures = self._layer_failures()
        lost = self._join_failed or failures != self._failures_seen
        if not await self._join():
            self._join_failed = True
            await self.layer_away()
            return
        self._join_failed = False
        self._failures_seen = self._layer_failures()
        await self.rejoined(lost=lost)
