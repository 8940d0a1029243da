"""How many sockets read a thread now: a count, never names.

With REDIS_URL set, every process shares one sorted set per thread in Redis: the member is
the socket's channel name, the score the time its entry expires. A socket adds itself on
connect, refreshes itself every LIVE_HEARTBEAT seconds and removes itself on disconnect; the
entries of a process that dies simply expire after TTL seconds. Without Redis the same
lives in a dict, which is right for the one process such a setup runs. Each socket costs
one pipelined write per heartbeat (O(1) per reader per interval, as the sorted set's
expired entries are trimmed by score), and a refresh that finds its entry gone tells the
socket that Redis forgot its state (a restart), so the socket re-joins and its page
catches up (forum/consumers.py).

Counts reach readers through forum.realtime. A change (someone arrives or leaves) is sent
at most once a second per thread and process, so a thousand readers arriving at once
cost a few dozen fan-outs, not a thousand. Redis failing never raises out of here into
a task nobody awaits: the count is simply not sent, and the outage is logged once.
"""

import asyncio
import logging
import time
import weakref
from collections import defaultdict

from django.conf import settings

from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage(logger, "Presence (Redis)", '"reading now" counts pause until it returns.')

TTL = 90  # at least three heartbeats (LIVE_HEARTBEAT, 15 s by default)
WINDOW = 1.0
POOL_SIZE = 50  # Redis connections per process; more callers wait for one
POOL_WAIT = 10


async def join(thread_id: int, member: str) -> int:
    count, _ = await _store().add(thread_id, member)
    return count


async def refresh(thread_id: int, member: str) -> tuple[int, bool]:
    """(the count, whether this socket's entry had to be made again: the store forgot it)."""
    return await _store().add(thread_id, member)


async def leave(thread_id: int, member: str) -> None:
    await _store().remove(thread_id, member)


async def count(thread_id: int) -> int:
    return await _store().count(thread_id)


def changed(thread_id: int) -> None:
    """Tell the thread's readers the new count soon: at once if nothing was sent in the
    last WINDOW seconds, else once when the window ends (later changes ride along)."""
    loop = asyncio.get_running_loop()
    state = _loop_state(loop)
    if thread_id in state["scheduled"]:
        return
    state["scheduled"].add(thread_id)
    delay = max(0.0, state["last"].get(thread_id, -WINDOW) + WINDOW - loop.time())
    task = loop.create_task(_broadcast_later(thread_id, delay))
    state["tasks"].add(task)
    task.add_done_callback(state["tasks"].discard)


async def _broadcast_later(thread_id: int, delay: float) -> None:
    from . import realtime

    loop = asyncio.get_running_loop()
    state = _loop_state(loop)
    try:
        await asyncio.sleep(delay)
    finally:
        state["scheduled"].discard(thread_id)
        state["last"][thread_id] = loop.time()
    try:
        await realtime.presence_send(thread_id, await count(thread_id))
    except Exception:  # noqa: BLE001 - nobody awaits this task: log the outage once, never leak
        outage.failed()
    else:
        outage.recovered()


class MemoryStore:
    def __init__(self):
        self._threads: dict[int, dict[str, float]] = defaultdict(dict)

    async def add(self, thread_id: int, member: str) -> tuple[int, bool]:
        readers = self._threads[thread_id]
        added = readers.get(member, 0) <= time.time()
        readers[member] = time.time() + TTL
        return await self.count(thread_id), added

    async def remove(self, thread_id: int, member: str) -> None:
        self._threads[thread_id].pop(member, None)
        if not self._threads[thread_id]:
            del self._threads[thread_id]

    async def count(self, thread_id: int) -> int:
        now = time.time()
        readers = self._threads.get(thread_id, {})
        for member in [m for m, expires in readers.items() if expires <= now]:
            del readers[member]
        return len(readers)


class RedisStore:
    def __init__(self, url: str, prefix: str):
        self._url = url
        self._prefix = prefix

    def _key(self, thread_id: int) -> str:
        return f"{self._prefix}:presence:thread-{thread_id}"

    async def add(self, thread_id: int, member: str) -> tuple[int, bool]:
        key, now = self._key(thread_id), time.time()
        async with _redis(self._url).pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zadd(key, {member: now + TTL})
            pipe.expire(key, TTL)
            pipe.zcard(key)
            results = await pipe.execute()
        return int(results[-1]), bool(results[1])

    async def remove(self, thread_id: int, member: str) -> None:
        await _redis(self._url).zrem(self._key(thread_id), member)

    async def count(self, thread_id: int) -> int:
        key = self._key(thread_id)
        async with _redis(self._url).pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", time.time())
            pipe.zcard(key)
            results = await pipe.execute()
        return int(results[-1])


_memory_store = MemoryStore()
# Per event loop: a Redis client and the debounce state (tests run one loop per test).
_loops: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def _store():
    if settings.REDIS_URL:
        prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "forum")
        return RedisStore(settings.REDIS_URL, prefix)
    return _memory_store


def _loop_state(loop) -> dict:
    state = _loops.get(loop)
    if state is None:
        state = _loops[loop] = {"scheduled": set(), "last": {}, "tasks": set(), "redis": {}}
    return state


def _redis(url: str):
    import redis.asyncio

    clients = _loop_state(asyncio.get_running_loop())["redis"]
    if url not in clients:
        # A blocking pool: a thousand sockets leaving at once wait for a connection
        # instead of raising MaxConnectionsError ("Too many connections").
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            url, max_connections=POOL_SIZE, timeout=POOL_WAIT, socket_connect_timeout=2, socket_timeout=5
        )
        clients[url] = redis.asyncio.Redis(connection_pool=pool)
    return clients[url]
