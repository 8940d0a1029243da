"""One subscription per worker for each thread's events, handed to its sockets in-process.

Channels delivers a group event to each socket through the layer: channels_redis pops it
once per worker, then wakes each socket's own receive(), which builds two tasks, an
asyncio.wait and a fresh queue per event and socket, and Channels' dispatch loop adds
another asyncio.wait. With 1,000 readers of one thread that machinery cost several
times the frames themselves (py-spy on bench/realtime.py's server: 43% of the event
loop in the layer's receive, 20% in Channels' dispatch loop, 8% in the handlers that send
the frames). Here a worker joins each thread group once, with a channel of its own (a
Room), receives each event once and writes it to each local socket of the thread at
once, in the same task.

- Order: one receiver per room hands events to its sockets in the order the layer gave
  them, and each socket's Outbox keeps that order.
- A slow reader holds up nobody: a frame its connection cannot take now waits in its
  outbox; past OUTBOX_LIMIT waiting frames the outbox drops them and remembers it, and
  the socket's next heartbeat tells its page to catch up (forum/live.py).
- Redis forgetting the group (a restart): every socket still re-joins each heartbeat
  (forum/live.py), and each re-join joins the room's channel again.
"""

import asyncio
import collections
import logging
import types
import weakref
from collections.abc import Callable, Coroutine

from . import cancellation

logger = logging.getLogger(__name__)

OUTBOX_LIMIT = 100  # frames; channels_redis's own per-channel capacity is 100 too
CLOSE_WAIT = 2.0  # seconds a socket's end waits for a task it cancelled


class Outbox:
    """One socket's frames, sent in order. A frame the connection can take now is written
    at once, in the caller's task (no task per frame); one it must wait for waits in a
    task of its own, with the frames behind it."""

    def __init__(self, send: Callable[[str], Coroutine], *, held: bool = False):
        self._send = send
        self._waiting: collections.deque[str] = collections.deque()
        self._task: asyncio.Task | None = None
        self._held = held
        self.dropped = 0  # frames dropped since the owner last took the count

    def put(self, text: str) -> None:
        if self._held or self._task is not None:
            if len(self._waiting) >= OUTBOX_LIMIT:
                self.dropped += 1
                return
            self._waiting.append(text)
            return
        coroutine = self._send(text)
        try:
            suspended_on = coroutine.send(None)
        except StopIteration:
            return  # written
        except Exception:  # noqa: BLE001 - the socket closed: its page catches up when it returns
            logger.debug("A frame for a closed socket was dropped.")
            return
        self._task = asyncio.ensure_future(self._drain(_resumed(coroutine, suspended_on)))

    def release(self) -> None:
        """Start sending: frames put while held (before the socket's first frame) follow."""
        self._held = False
        if self._waiting and self._task is None:
            self._task = asyncio.ensure_future(self._drain(None))

    @property
    def delivering(self) -> bool:
        return not self._held

    def take_dropped(self) -> int:
        dropped, self.dropped = self.dropped, 0
        return dropped

    async def close(self) -> None:
        task, self._task = self._task, None
        self._waiting.clear()
        if task is not None:
            task.cancel()
            if not await ended_within(task, CLOSE_WAIT):
                logger.warning("A socket's frame sender did not end when cancelled.")

    async def _drain(self, first) -> None:
        try:
            if first is not None:
                await first
            while self._waiting:
                await self._send(self._waiting.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the socket closed meanwhile, or its write failed
            logger.debug("Frames for a closed socket were dropped.")
            self.dropped += 1 + len(self._waiting)  # a socket still open is told to catch up
            self._waiting.clear()
        finally:
            self._task = None


@types.coroutine
def _resumed(coroutine, suspended_on):
    """Finish a coroutine that `coroutine.send(None)` started and that suspended on
    `suspended_on`, as its own task would have (what Python 3.12's eager tasks do)."""
    while True:
        try:
            sent = yield suspended_on
        except GeneratorExit:
            coroutine.close()
            raise
        except BaseException as error:  # noqa: BLE001 - handed to the coroutine, as a task does
            step = coroutine.throw, error
        else:
            step = coroutine.send, sent
        try:
            suspended_on = step[0](step[1])
        except StopIteration as stop:
            return stop.value


Deliver = Callable[[dict], None]


class Room:
    """One thread group's sockets in this worker, and the one channel that hears the
    group's events for them. Opening (a channel and its receiver) and closing take turns,
    so a room closed while it opened keeps nothing behind: no receiver, and no channel
    left in the group."""

    def __init__(self, layer, group: str):
        self.layer = layer
        self.group = group
        self.members: dict[object, Deliver] = {}
        self.channel: str | None = None
        self.closed = False
        self._receiver: asyncio.Task | None = None
        self._turns = asyncio.Lock()

    async def join(self) -> None:
        """Return once the room's channel is in its group; raise what the layer raised.
        Each call joins again (one sorted-set write in Redis): a socket's periodic re-join
        is what brings the worker back into a group that a Redis restart forgot."""
        if self.channel is None:
            async with self._turns:
                if self.closed:
                    return
                if self.channel is None:
                    self.channel = await self.layer.new_channel()
                    self._receiver = asyncio.ensure_future(self._receive())
        await self.layer.group_add(self.group, self.channel)
        if self.closed:  # the last socket left while this join was on its way
            await self.layer.group_discard(self.group, self.channel)

    async def close(self) -> None:
        """Stop hearing the group. Waits at most CLOSE_WAIT for the receiver to end: a
        socket's end must never hang on the layer (see ended_within)."""
        self.closed = True
        async with self._turns:
            receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.cancel()
            if not await ended_within(receiver, CLOSE_WAIT):
                logger.warning("A thread's event receiver did not end when cancelled (%s).", self.group)
        if self.channel is not None:
            await self.layer.group_discard(self.group, self.channel)

    async def _receive(self) -> None:
        while True:
            cancellation.raise_if_lost()
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a layer without its own retries: try again shortly
                logger.exception("A thread's event receiver failed; trying again.")
                await asyncio.sleep(1.0)
                continue
            for deliver in list(self.members.values()):
                try:
                    deliver(message)
                except Exception:  # noqa: BLE001 - one socket's failure is not its neighbours'
                    logger.exception("Handing a thread event to a socket failed.")


async def ended_within(task: asyncio.Task, seconds: float) -> bool:
    """Wait up to `seconds` for a cancelled task to end; False if it did not. The wait
    itself is not cancelled by the task's fate, and a cancellation of the caller still
    reaches the caller."""
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if done and not task.cancelled() and task.exception() is not None:
        logger.error("A task ended with an error when cancelled.", exc_info=task.exception())
    return bool(done)


_rooms: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple, Room]]" = weakref.WeakKeyDictionary()


def _rooms_here() -> dict[tuple, Room]:
    return _rooms.setdefault(asyncio.get_running_loop(), {})


async def join(layer, group: str, member: object, deliver: Deliver) -> None:
    """From now on hand `member` every event of `group` (deliver(event), in order). Waits
    until this worker's channel for the group is in it; raises what the layer raised,
    with `member` still listed, so that joining again later is enough."""
    rooms = _rooms_here()
    room = rooms.get((layer, group))
    if room is None:
        room = rooms[(layer, group)] = Room(layer, group)
    room.members[member] = deliver
    await room.join()


async def leave(layer, group: str, member: object) -> None:
    """Stop handing `member` the group's events; the last socket to leave takes the
    worker's channel out of the group. Raises what the layer raised."""
    rooms = _rooms_here()
    room = rooms.get((layer, group))
    if room is None:
        return
    room.members.pop(member, None)
    if room.members:
        return
    del rooms[(layer, group)]
    await room.close()


def listeners(layer, group: str) -> int:
    """How many sockets of this worker hear the group (for tests and the benches)."""
    room = _rooms_here().get((layer, group))
    return len(room.members) if room else 0
