"""The channel layer forgets what nobody will read: messages that reached this process
for a socket that has since gone (a group event already on its way when it left) are
dropped after a while instead of piling up for as long as the worker lives."""

import asyncio
import uuid

import pytest
from django.conf import settings

from config import channel_layer

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="The Redis layer's; CI runs this with Redis.")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(channel_layer, "monotonic", clock)
    return clock


def layer():
    return channel_layer.ResilientRedisChannelLayer(hosts=[settings.REDIS_URL], prefix=f"test-{uuid.uuid4().hex}")


def test_messages_for_a_socket_that_left_are_dropped_and_a_waiting_socket_keeps_its_own(clock):
    async def scenario():
        redis_layer = layer()
        gone, live, waiting = [await redis_layer.new_channel() for _ in range(3)]
        # A message for a socket that has left arrives first; the live socket's receive
        # reads it off the process's shared list and parks it under the gone channel.
        await redis_layer.send(gone, {"type": "post.created", "text": "for nobody"})
        await redis_layer.send(live, {"type": "post.created", "text": "one"})
        assert (await redis_layer.receive(live))["text"] == "one"
        assert gone in redis_layer.receive_buffer

        # A third socket waits in receive() with nothing for it yet.
        waiter = asyncio.ensure_future(redis_layer.receive(waiting))
        await asyncio.sleep(0.1)

        clock.now += channel_layer.STALE_AFTER + channel_layer.SWEEP_EVERY + 1
        await redis_layer.send(live, {"type": "post.created", "text": "two"})
        assert (await redis_layer.receive(live))["text"] == "two"
        assert gone not in redis_layer.receive_buffer  # dropped: nobody will ever read it

        # The waiting socket was not swept away: it still hears its own message.
        await redis_layer.send(waiting, {"type": "post.created", "text": "three"})
        assert (await asyncio.wait_for(waiter, 5))["text"] == "three"
        await redis_layer.flush()

    asyncio.run(scenario())


def test_a_socket_between_two_messages_keeps_what_was_buffered_for_it(clock):
    async def scenario():
        redis_layer = layer()
        first, second = [await redis_layer.new_channel() for _ in range(2)]
        await redis_layer.send(second, {"type": "post.created", "text": "kept"})
        await redis_layer.send(first, {"type": "post.created", "text": "first"})
        assert (await redis_layer.receive(first))["text"] == "first"
        # `second` has never called receive() yet, but its buffer is younger than STALE_AFTER.
        clock.now += channel_layer.SWEEP_EVERY + 1
        await redis_layer.send(first, {"type": "post.created", "text": "again"})
        assert (await redis_layer.receive(first))["text"] == "again"
        assert (await redis_layer.receive(second))["text"] == "kept"
        await redis_layer.flush()

    asyncio.run(scenario())


def test_a_receive_whose_cancellation_was_lost_on_the_way_still_ends():
    """A socket that leaves cancels its receive(). On Python 3.11 asyncio.wait_for (inside
    redis-py's connection pool) can swallow that cancellation; the receive then popped
    for good and its consumer never ended. The layer raises the lost cancellation."""

    async def scenario():
        redis_layer = layer()
        channel = await redis_layer.new_channel()

        async def receive_after_losing_the_cancellation():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                pass  # what wait_for does when its wait completes as the cancellation arrives
            return await redis_layer.receive(channel)

        receiving = asyncio.ensure_future(receive_after_losing_the_cancellation())
        await asyncio.sleep(0.05)
        receiving.cancel()
        with pytest.raises(asyncio.CancelledError):
            # Without the check the receive waits for a message that never comes.
            await asyncio.wait_for(receiving, redis_layer.brpop_timeout + 2)
        await redis_layer.flush()

    asyncio.run(scenario())


def test_a_receive_that_lost_its_cancellation_while_popping_for_another_socket_ends_and_hands_it_on(monkeypatch):
    """The receive holding the process's lock pops for every socket. Cancelled during a
    pop, with the cancellation lost on the way and the pop bringing another socket's
    message, it used to hand the message on and wait again for one of its own: a thread
    socket's own channel hears nothing, so it waited for good, and so did the socket's
    end (a hung CI run). Now it ends, and the other socket still gets its message."""
    from channels_redis.core import RedisChannelLayer

    real_pop, pops = RedisChannelLayer._brpop_with_clean, []

    async def pop_losing_the_first_cancellation(self, index, channel, timeout):
        pops.append(channel)
        if len(pops) > 1:
            await asyncio.sleep(3600)  # the next pop waits for a message, as Redis's does
        try:
            await asyncio.sleep(10)  # blocked in Redis's pop
        except asyncio.CancelledError:
            pass  # what wait_for does when its wait completes as the cancellation arrives
        return await real_pop(self, index, channel, timeout)

    monkeypatch.setattr(RedisChannelLayer, "_brpop_with_clean", pop_losing_the_first_cancellation)

    async def scenario():
        redis_layer = layer()
        leaving, other, third = [await redis_layer.new_channel() for _ in range(3)]
        holder = asyncio.ensure_future(redis_layer.receive(leaving))
        await asyncio.sleep(0.05)
        waiting = [asyncio.ensure_future(redis_layer.receive(channel)) for channel in (other, third)]
        await asyncio.sleep(0.05)
        await redis_layer.send(other, {"type": "post.created", "text": "for the other socket"})
        holder.cancel()  # the socket leaves while its receive pops
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(holder, 3)
        assert (await asyncio.wait_for(waiting[0], 3))["text"] == "for the other socket"
        waiting[1].cancel()
        await asyncio.wait({waiting[1]}, timeout=3)
        await redis_layer.flush()

    asyncio.run(scenario())
