"""A thread's events are heard once per worker and handed to every socket of the thread
there (forum/fanout.py): through the front door, two pages of one thread in one worker
make one member of the thread's group, both hear each reply, and the last to leave takes
the worker out of the group. A socket whose connection is slow keeps its frames in order
without holding up its neighbours, and one that falls too far behind is told to catch
up. With REDIS_URL set these run on channels_redis (the CI pass on Redis)."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings as django_settings

from forum import fanout, realtime, services

from .test_live_rejoin import BEAT, opened, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
reply = database_sync_to_async(services.post_create)


@pytest.fixture(autouse=True)
def _quick_heartbeat(settings):
    settings.LIVE_HEARTBEAT = BEAT
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False


async def group_members(group: str) -> list[str]:
    """The channels the layer holds in a group: what a group_send reaches."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return list(layer.groups.get(group, {}))
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(django_settings.REDIS_URL)
    try:
        return [name.decode() for name in await client.zrange(layer._group_key(group), 0, -1)]
    finally:
        await client.aclose()


def sockets_of(group: str) -> list:
    room = fanout._rooms_here().get((get_channel_layer(), group))
    return list(room.members) if room else []


async def test_two_pages_of_a_thread_make_one_group_member_and_both_hear_each_reply(thread, other_member):
    group = realtime.thread_group(thread.pk)
    first, second = await opened(thread.pk), await opened(thread.pk)
    assert len(await group_members(group)) == 1
    assert fanout.listeners(get_channel_layer(), group) == 2

    post = await reply(author=other_member, thread=thread, body="Heard once by the worker, read on both pages")
    assert (await wait_for(first, "post.created"))["post_id"] == post.pk
    assert (await wait_for(second, "post.created"))["post_id"] == post.pk

    await first.disconnect()
    assert len(await group_members(group)) == 1  # the other page still listens
    await second.disconnect()
    assert await group_members(group) == []


async def test_a_page_that_opens_after_another_left_hears_replies(thread, other_member):
    await (await opened(thread.pk)).disconnect()
    communicator = await opened(thread.pk)
    post = await reply(author=other_member, thread=thread, body="For the page that came back")
    assert (await wait_for(communicator, "post.created"))["post_id"] == post.pk
    await communicator.disconnect()


async def test_a_page_that_fell_behind_is_told_to_catch_up_at_its_next_heartbeat(thread):
    communicator = await opened(thread.pk)
    await wait_for(communicator, "heartbeat")
    [consumer] = sockets_of(realtime.thread_group(thread.pk))
    consumer.outbox.dropped = 3  # what an outbox full of frames its connection did not take does
    await wait_for(communicator, "resync", timeout=3)
    assert consumer.outbox.dropped == 0
    await wait_for(communicator, "heartbeat", timeout=3)  # told once, then heartbeats again
    await communicator.disconnect()


class SlowConnection:
    """A socket's send as uvicorn's: it waits while the connection is paused (its client
    reads slowly), then writes."""

    def __init__(self, *, paused: bool):
        self.writable = asyncio.Event()
        if not paused:
            self.writable.set()
        self.written: list[str] = []

    async def send(self, text: str) -> None:
        await self.writable.wait()
        self.written.append(text)


async def test_a_slow_connection_keeps_its_frames_in_order_and_holds_up_nobody():
    slow, quick = SlowConnection(paused=True), SlowConnection(paused=False)
    slow_box, quick_box = fanout.Outbox(slow.send), fanout.Outbox(quick.send)
    for number in range(5):
        slow_box.put(f"frame {number}")
        quick_box.put(f"frame {number}")
    assert quick.written == [f"frame {number}" for number in range(5)]  # written at once
    assert slow.written == []
    slow.writable.set()
    for _ in range(10):
        await asyncio.sleep(0)
    assert slow.written == [f"frame {number}" for number in range(5)]
    slow_box.put("frame 5")
    assert slow.written[-1] == "frame 5"  # caught up: written at once again


async def test_a_connection_that_takes_nothing_drops_frames_past_the_limit_and_counts_them():
    stuck = SlowConnection(paused=True)
    box = fanout.Outbox(stuck.send)
    for number in range(fanout.OUTBOX_LIMIT + 6):
        box.put(f"frame {number}")
    # One frame waits on the connection, OUTBOX_LIMIT behind it, the rest are dropped.
    assert box.take_dropped() == 5
    assert box.take_dropped() == 0
    await box.close()  # the socket left: nothing is left waiting
    stuck.writable.set()
    await asyncio.sleep(0)
    assert stuck.written == []


async def test_a_held_outbox_sends_what_waited_once_released_and_in_order():
    connection = SlowConnection(paused=False)
    box = fanout.Outbox(connection.send, held=True)
    box.put("event before the welcome")
    assert connection.written == []
    await connection.send("welcome")
    box.release()
    for _ in range(5):
        await asyncio.sleep(0)
    assert connection.written == ["welcome", "event before the welcome"]


def receivers() -> list[asyncio.Task]:
    """The rooms' receivers still running in this loop."""
    return [task for task in asyncio.all_tasks() if task.get_coro().__qualname__ == "Room._receive"]


class SlowToOpenLayer(InMemoryChannelLayer):
    """A layer whose new channel takes a moment (a socket may leave meanwhile)."""

    def __init__(self):
        super().__init__()
        self.opened = asyncio.Event()

    async def new_channel(self, prefix="specific."):
        await self.opened.wait()
        return await super().new_channel(prefix)


async def test_a_page_that_leaves_while_its_workers_channel_opens_leaves_nothing_behind():
    layer, member = SlowToOpenLayer(), object()
    joining = asyncio.ensure_future(fanout.join(layer, "thread-1", member, lambda event: None))
    await asyncio.sleep(0.01)
    leaving = asyncio.ensure_future(fanout.leave(layer, "thread-1", member))
    await asyncio.sleep(0.01)
    layer.opened.set()
    await asyncio.wait_for(asyncio.gather(joining, leaving), timeout=3)
    assert not layer.groups.get("thread-1")  # no channel left in the group, hearing nobody
    assert fanout.listeners(layer, "thread-1") == 0
    assert receivers() == []  # no receiver either


class LayerThatLosesOneCancellation(InMemoryChannelLayer):
    """A receive that finishes its message although it was cancelled meanwhile, as
    asyncio.wait_for can on Python 3.11 (redis-py writes each command with it)."""

    async def receive(self, channel):
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            return {"type": "post.created", "text": "arrived as the cancellation did"}


async def test_a_receiver_whose_cancellation_was_lost_still_ends():
    layer, heard = LayerThatLosesOneCancellation(), []
    await fanout.join(layer, "thread-1", "page", lambda event: heard.append(event["text"]))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(fanout.leave(layer, "thread-1", "page"), timeout=fanout.CLOSE_WAIT / 2)
    assert receivers() == []
    assert not layer.groups.get("thread-1")


class LayerThatWillNotLetGo(InMemoryChannelLayer):
    """A receive that outlives its cancellations until told to let go."""

    let_go = False

    async def receive(self, channel):
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if self.let_go:
                    raise


async def test_a_socket_ends_in_bounded_time_even_when_the_layer_will_not_let_its_receiver_go(monkeypatch, caplog):
    monkeypatch.setattr(fanout, "CLOSE_WAIT", 0.1)
    layer = LayerThatWillNotLetGo()
    await fanout.join(layer, "thread-1", "page", lambda event: None)
    await asyncio.sleep(0.01)
    await asyncio.wait_for(fanout.leave(layer, "thread-1", "page"), timeout=1)
    assert "did not end when cancelled" in caplog.text
    assert not layer.groups.get("thread-1")  # the worker's channel is out of the group all the same
    [stuck] = receivers()
    layer.let_go = True  # let the test's loop close
    stuck.cancel()
    await asyncio.wait({stuck})


class OneWriterConnection(SlowConnection):
    """A paused connection that, like uvicorn's websockets, lets one write wait at a time."""

    def __init__(self, *, paused: bool):
        super().__init__(paused=paused)
        self.waiting = 0
        self.overlaps = 0

    async def send(self, text: str) -> None:
        self.waiting += 1
        self.overlaps += self.waiting > 1
        try:
            await super().send(text)
        finally:
            self.waiting -= 1


async def test_a_heartbeat_waits_behind_the_events_of_a_paused_socket_one_write_at_a_time():
    from forum.live import GroupKeepingConsumer

    connection = OneWriterConnection(paused=True)
    consumer = GroupKeepingConsumer()
    consumer.base_send = lambda message: connection.send(message["text"])
    consumer.outbox = fanout.Outbox(consumer._send_text)
    consumer.outbox.put("a reply")
    beat = asyncio.ensure_future(consumer.send_frame("heartbeat"))  # from the periodic task
    await asyncio.sleep(0.01)
    connection.writable.set()
    await asyncio.wait_for(beat, timeout=1)
    for _ in range(10):
        await asyncio.sleep(0)
    assert connection.written == ["a reply", "heartbeat"]
    assert connection.overlaps == 0


async def test_frames_lost_to_a_failed_write_make_the_next_heartbeat_a_resync():
    async def failing(text):
        await asyncio.sleep(0)
        raise RuntimeError("the write failed")

    box = fanout.Outbox(failing)
    box.put("first")
    box.put("second")
    for _ in range(5):
        await asyncio.sleep(0)
    assert box.take_dropped() == 2
