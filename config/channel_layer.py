"""channels_redis's RedisChannelLayer, made to ride out a Redis restart or a burst of sockets.

- Connections come from a *blocking* pool of CHANNELS_REDIS_POOL connections per process:
  when a thousand sockets join or leave at once they wait their turn for a connection
  (up to POOL_WAIT seconds) instead of raising MaxConnectionsError ("Too many
  connections"), as the plain pool of redis-py does past its cap.
- The process's receive loop (one blocking pop that serves every socket of the process)
  survives Redis going away: the error is logged once per outage (forum.outages) and the
  pop is tried again each second, so sockets stay open and start hearing events again
  when Redis is back.
- Messages that arrive for a socket that has gone (a group event already on its way when
  it left) are put in channels_redis's receive buffer under that socket's channel, where
  nothing ever reads them: a slow leak on every connect-and-leave (channels_redis issue
  212). Buffers of channels that nobody has received on for STALE_AFTER seconds are
  dropped, checked at most every SWEEP_EVERY seconds from the receive path.
- A socket that leaves cancels its receive(). On Python 3.11, asyncio.wait_for (which
  redis-py's blocking pool waits with) drops a cancellation that arrives as its wait
  completes; the cancelled receive then went on popping, every brpop_timeout, for good,
  and its consumer never ended (1 of 1,000 sockets leaving at once, in 2 of 6 cycles of
  bench/memory.py --redis). The task still counts the request (Task.cancelling()), so
  each pop first checks it and raises the cancellation it lost.
- The receive that holds the process's lock can lose its cancellation the same way
  while it pops a message for another socket; it then hands that message on and ends,
  instead of going back to wait for a message of its own that may never come.
- `failures` counts the layer's failed calls in this process. A consumer compares it
  between its periodic re-joins: events may have been lost in between, so it re-joins
  its groups and tells its page to catch up (forum/live.py).
"""

import asyncio
import collections
import logging
import time

from channels_redis.core import RedisChannelLayer
from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from forum import cancellation
from forum.outages import Outage

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
POOL_WAIT = 10
RETRY_EVERY = 1.0
STALE_AFTER = 60.0  # a live consumer is back in receive() within milliseconds of each message
SWEEP_EVERY = 30.0
monotonic = time.monotonic  # the tests move the clock


class ResilientRedisChannelLayer(RedisChannelLayer):
    outage = Outage(
        logger, "The channel layer's receive loop (Redis)", "sockets wait and hear events again when it returns."
    )

    def __init__(self, *args, pool_size: int = 50, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool_size = pool_size
        self.failures = 0
        self._receiving: collections.Counter[str] = collections.Counter()  # channels waiting in receive()
        self._last_received: dict[str, float] = {}  # when each channel last left receive()
        self._next_sweep = 0.0

    def create_pool(self, index):
        host = dict(self.hosts[index])
        if "address" not in host:  # a Sentinel entry: channels_redis's own pool
            return super().create_pool(index)
        address = host.pop("address")
        host.pop("max_connections", None)
        return aioredis.BlockingConnectionPool.from_url(
            address, max_connections=self.pool_size, timeout=POOL_WAIT, **host
        )

    async def receive(self, channel):
        self._receiving[channel] += 1
        try:
            while True:
                try:
                    message = await super().receive(channel)
                except UNREACHABLE:
                    self.failures += 1
                    self.outage.failed()
                    await asyncio.sleep(RETRY_EVERY)
                    continue
                self.outage.recovered()
                return message
        finally:
            self._receiving[channel] -= 1
            if not self._receiving[channel]:
                del self._receiving[channel]
            self._last_received[channel] = monotonic()
            self._drop_abandoned_buffers()

    def _drop_abandoned_buffers(self) -> None:
        """Forget the buffered messages of channels nobody receives on any more. A channel
        waiting in receive() is never touched (its waiter holds that very queue)."""
        now = monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY
        for channel in list(self.receive_buffer):
            if channel in self._receiving:
                continue
            if now - self._last_received.setdefault(channel, now) > STALE_AFTER:
                del self.receive_buffer[channel]
        for channel, when in list(self._last_received.items()):
            if now - when > STALE_AFTER and channel not in self.receive_buffer and channel not in self._receiving:
                del self._last_received[channel]

    async def receive_single(self, channel):
        """The receive holding the process's lock pops for every socket of the process. If
        its own cancellation was lost in the Redis client while it popped a message for
        another socket, channels_redis would hand that message on, give up the lock and
        wait again for one of its own. A thread socket's own channel hears nothing (its
        thread's events reach it through forum/fanout.py), so that wait never ended, nor
        did the socket's consumer: a socket leaving during a pop hung CI. It hands the
        message on itself and ends."""
        message_channel, message = await super().receive_single(channel)
        if cancellation.lost():
            for receiver in message_channel if isinstance(message_channel, list) else [message_channel]:
                self.receive_buffer[receiver].put_nowait(message)
            raise asyncio.CancelledError("a cancellation lost inside the Redis client")
        return message_channel, message

    async def _brpop_with_clean(self, index, channel, timeout):
        cancellation.raise_if_lost()
        return await super()._brpop_with_clean(index, channel, timeout)

    async def _clean_receive_backup(self, index, channel):
        """channels_redis runs this as a task nobody awaits: with Redis away it would end in
        "Task exception was never retrieved". The backup it cleans expires by itself."""
        try:
            return await super()._clean_receive_backup(index, channel)
        except UNREACHABLE:
            self.failures += 1
            self.outage.failed()

    async def _counted(self, call, *args):
        try:
            return await call(*args)
        except UNREACHABLE:
            self.failures += 1
            raise

    async def send(self, channel, message):
        return await self._counted(super().send, channel, message)

    async def group_add(self, group, channel):
        return await self._counted(super().group_add, group, channel)

    async def group_discard(self, group, channel):
        return await self._counted(super().group_discard, group, channel)

    async def group_send(self, group, message):
        return await self._counted(super().group_send, group, message)
