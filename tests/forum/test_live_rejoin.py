"""Live sockets survive what a Redis restart does to them, through the front door
(the project's ASGI application and WebsocketCommunicator): a socket whose group
membership the channel layer forgot re-joins by itself and tells its page to catch up;
a layer that refuses while a socket opens or leaves never turns into a server error; the
page hears a heartbeat every LIVE_HEARTBEAT seconds. With REDIS_URL set these run on
channels_redis (the CI pass on Redis), else on the in-memory layer."""

import asyncio
import gc
import json
import logging

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings as django_settings

from forum import fanout, presence, services

from ..conftest import client_for
from .test_realtime_consumer import socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEAT = 0.3  # seconds between re-joins in these tests (15 in production)
reply = database_sync_to_async(services.post_create)


@pytest.fixture(autouse=True)
def _quick_heartbeat(settings):
    settings.LIVE_HEARTBEAT = BEAT
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False


async def opened(thread_id, user=None):
    communicator = await socket(thread_id, user)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    assert (await communicator.receive_json_from(timeout=3))["type"] == "welcome"
    return communicator


async def wait_for(communicator, kind: str, timeout: float = 5) -> dict:
    """The next frame of this kind; presence counts and heartbeats on the way are skipped."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        event = await communicator.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        if event["type"] == kind:
            return event
        assert event["type"] in ("presence", "heartbeat", "resync"), f"unexpected {event} while waiting for {kind}"


async def redis_forgets_everything() -> None:
    """What a Redis restart (without persistence) does: every group membership and every
    presence entry is gone, while the sockets stay open."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        layer.groups.clear()
        presence._memory_store._threads.clear()
        return
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(django_settings.REDIS_URL)
    for pattern in (f"{layer.prefix}:group:*", f"{layer.prefix}:presence:*"):
        keys = [key async for key in client.scan_iter(match=pattern)]
        if keys:
            await client.delete(*keys)
    await client.aclose()


async def test_the_page_hears_a_heartbeat_every_interval(thread):
    communicator = await opened(thread.pk)
    loop = asyncio.get_running_loop()
    started = loop.time()
    first = await wait_for(communicator, "heartbeat", timeout=3)
    await wait_for(communicator, "heartbeat", timeout=3)
    assert first["interval"] == BEAT
    assert loop.time() - started < 4 * BEAT + 1
    await communicator.disconnect()


async def test_a_socket_whose_membership_redis_forgot_rejoins_and_its_page_is_told_to_catch_up(thread, other_member):
    communicator = await opened(thread.pk)
    await wait_for(communicator, "heartbeat")
    await redis_forgets_everything()
    # Within a couple of intervals the socket has joined again and asks its page to catch up ...
    await wait_for(communicator, "resync", timeout=3)
    # ... and hears new replies live again, without reconnecting.
    post = await reply(author=other_member, thread=thread, body="Posted after the restart")
    event = await wait_for(communicator, "post.created")
    assert event["post_id"] == post.pk
    await communicator.disconnect()


class RefusingLayer(InMemoryChannelLayer):
    """The in-memory layer while Redis refuses: every group call fails until `up`."""

    up = False

    async def group_add(self, group, channel):
        if not RefusingLayer.up:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return await super().group_add(group, channel)

    async def group_discard(self, group, channel):
        if not RefusingLayer.up:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return await super().group_discard(group, channel)


@pytest.fixture
def refusing_layer(settings):
    RefusingLayer.up = False
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.forum.test_live_rejoin.RefusingLayer"}}
    settings.REDIS_URL = ""  # presence in memory too: this layer is the only thing that fails
    yield RefusingLayer
    RefusingLayer.up = False


async def test_a_socket_opened_while_the_layer_refuses_joins_when_it_answers_and_catches_up(
    thread, other_member, refusing_layer, caplog
):
    with caplog.at_level(logging.WARNING):
        communicator = await opened(thread.pk)  # opens (no server error) though it cannot join yet
        refusing_layer.up = True
        await wait_for(communicator, "resync", timeout=4)
        post = await reply(author=other_member, thread=thread, body="Now the layer answers")
        event = await wait_for(communicator, "post.created")
        assert event["post_id"] == post.pk
        refusing_layer.up = False
        await communicator.disconnect()  # leaving while it refuses: logged, never raised
    # Two outages (while opening, while leaving), each logged once however often it was retried.
    outages = [r.getMessage() for r in caplog.records if r.name == "forum.live"]
    assert [m for m in outages if "not answering" in m] == [outages[0]] * 2
    assert len([m for m in outages if "answering again" in m]) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_presence_failing_leaves_no_task_exception_behind(thread, monkeypatch, settings):
    settings.REDIS_URL = ""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    loop = asyncio.get_running_loop()
    unhandled = []
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))

    class DownStore:
        async def _fail(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        add = remove = count = _fail

    monkeypatch.setattr(presence, "_store", lambda: DownStore())
    for _ in range(3):
        communicator = await opened(thread.pk)
        await wait_for(communicator, "heartbeat")  # the page still hears it is alive
        await communicator.disconnect()
    await asyncio.sleep(presence.WINDOW + 0.3)  # the debounced count broadcasts have run
    gc.collect()
    await asyncio.sleep(0)
    assert unhandled == []


async def test_the_members_own_socket_rejoins_too(member, other_member, thread):
    """The inbox count socket (/ws/me/) re-joins `user-<id>` after Redis forgot it."""
    session = await database_sync_to_async(lambda: client_for(member).cookies["sessionid"].value)()
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", f"sessionid={session}".encode())]
    communicator = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    assert (await communicator.connect(timeout=3))[0]
    await redis_forgets_everything()
    await asyncio.sleep(3 * BEAT)
    await database_sync_to_async(services.post_create)(author=other_member, thread=thread, body="@alice hello there")
    event = json.loads(await communicator.receive_from(timeout=5))
    assert event["type"] == "inbox.unread" and event["count"] >= 1
    await communicator.disconnect()


def test_a_reply_made_while_redis_refuses_is_saved_and_answers_201(thread, other_member, settings, caplog):
    """The real channels_redis layer (as production configures it) pointed at a Redis that
    refuses: the reply commits, the on-commit broadcast fails, and the author still hears
    201, so their page never retries a post that exists. Logged once, not per reply."""
    from forum import broadcast

    broadcast.outage.since = broadcast.outage._logged_at = None
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layer.ResilientRedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_connect_timeout": 1}]},
        }
    }
    client = client_for(other_member)
    with caplog.at_level(logging.WARNING):
        answers = [
            client.post(f"/t/{thread.pk}/reply/", {"body": f"Posted while Redis is down ({n})"},
                        HTTP_ACCEPT="application/json")
            for n in range(3)
        ]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert thread.posts.filter(body__startswith="Posted while Redis is down").count() == 3
    outages = [r for r in caplog.records if r.name == "forum.broadcast"]
    assert len(outages) == 1 and "live updates are paused" in outages[0].getMessage()
    broadcast.outage.since = broadcast.outage._logged_at = None


async def test_a_socket_the_database_cannot_answer_is_told_to_try_again_not_a_server_error(
    thread, monkeypatch, caplog
):
    """PostgreSQL refusing clients during a reconnect storm: the socket closes with 1013
    (try again later; the page reconnects with its backoff), logged once."""
    from django.db import OperationalError

    from forum import live
    from forum.models import Thread

    from .test_realtime_consumer import refused_with

    live.database_outage.since = live.database_outage._logged_at = None

    def refuse(*args, **kwargs):
        raise OperationalError("FATAL:  sorry, too many clients already")

    monkeypatch.setattr(Thread.objects, "filter", refuse)
    with caplog.at_level(logging.WARNING):
        codes = [await refused_with(await socket(thread.pk)) for _ in range(3)]
    assert codes == [1013, 1013, 1013]
    warnings = [r for r in caplog.records if r.name == "forum.live"]
    assert len(warnings) == 1 and "try again" in warnings[0].getMessage()
    live.database_outage.since = live.database_outage._logged_at = None


async def test_a_heartbeat_names_recent_replies_so_a_lost_broadcast_is_caught_up(thread, other_member, monkeypatch):
    """A worker killed between a reply's commit and its broadcast: no event ever comes,
    but the next heartbeats list the reply, so the page knows to catch up."""
    from forum import broadcast

    communicator = await opened(thread.pk)
    await wait_for(communicator, "heartbeat")
    monkeypatch.setattr(broadcast, "send_on_commit", lambda *args, **kwargs: None)  # the broadcast is lost
    post = await reply(author=other_member, thread=thread, body="Committed, never broadcast")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        beat = await wait_for(communicator, "heartbeat", timeout=max(0.1, deadline - loop.time()))
        if post.pk in beat.get("recent", []):
            break
    await communicator.disconnect()


async def test_an_event_for_a_socket_that_already_closed_is_dropped_not_raised():
    """A client that leaves during the handshake, or a socket we closed, may still get a
    group's event: uvicorn refuses a send after close, and the event is dropped quietly
    (its page catches up when it comes back) instead of an unhandled server exception."""
    from forum.consumers import ThreadConsumer

    consumer = ThreadConsumer()
    sent = []

    async def refusing_send(text_data=None, bytes_data=None, close=False):
        sent.append(text_data)
        raise RuntimeError("Unexpected ASGI message 'websocket.send', after sending 'websocket.close'.")

    consumer.send = refusing_send
    consumer.outbox = fanout.Outbox(consumer._send_text)
    consumer.deliver({"type": "post.created", "text": '{"type": "post.created"}'})
    assert sent == ['{"type": "post.created"}']
