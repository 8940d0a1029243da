"""The live thread socket, through the front door: the project's ASGI application with
its origin check and session auth, driven by channels' WebsocketCommunicator.

Transactional tests, so the consumer (another thread) sees committed rows and on_commit
really fires. With REDIS_URL set the same tests run on channels_redis."""

import asyncio
import json
import re
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import reverse

from config.asgi import application
from forum import realtime, services
from forum.models import Post, Thread, Visibility

from ..conftest import client_for, make_member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _established_members(settings):
    """These members are past pre-moderation and rate limits (the moderation issue's
    rules), so their replies publish at once; the held case is tested on purpose."""
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False

QUIET = 0.6  # how long "nothing arrives" is watched for


async def socket(thread_id, user=None) -> WebsocketCommunicator:
    """A browser's socket: same-origin, with the member's session cookie if any."""
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        session = await database_sync_to_async(lambda: client_for(user).cookies["sessionid"].value)()
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, f"/ws/threads/{thread_id}/", headers=headers)


async def open_socket(thread_id, user=None) -> WebsocketCommunicator:
    communicator = await socket(thread_id, user)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    welcome = await communicator.receive_json_from(timeout=3)
    assert welcome["type"] == "welcome"  # the first frame, before any event
    await next_event(communicator, "presence")  # then the arrival count
    return communicator


async def next_event(communicator, kind: str, timeout: float = 3) -> dict:
    """The next event of this kind; presence counts on the way are skipped."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        event = await communicator.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        if event["type"] == kind:
            return event
        assert event["type"] == "presence", f"unexpected {event['type']} while waiting for {kind}"


async def assert_no_content_event(communicator) -> None:
    # receive_nothing waits without cancelling the consumer (a receive timeout would).
    while not await communicator.receive_nothing(timeout=QUIET):
        event = await communicator.receive_json_from()
        assert event["type"] == "presence", f"readers were sent {event}"


async def refused_with(communicator) -> int:
    await communicator.connect(timeout=3)
    message = await communicator.receive_output(timeout=3)
    assert message["type"] == "websocket.close"
    return message["code"]


reply = database_sync_to_async(services.post_create)


async def test_an_anonymous_reader_can_follow_a_published_thread(thread):
    communicator = await open_socket(thread.pk)
    await communicator.disconnect()


async def test_a_crowd_of_anonymous_readers_asks_the_database_once(thread, monkeypatch, other_member):
    """A reconnect storm of anonymous readers shares one "may read" answer per thread
    for a moment; members are still asked one by one, and a thread event forgets it."""
    from forum import consumers, permissions

    asked = []
    real = permissions.can_read_thread
    monkeypatch.setattr(permissions, "can_read_thread", lambda user, t: asked.append(user) or real(user, t))
    monkeypatch.setattr(consumers, "ANONYMOUS_VERDICT_TTL", 60)  # the sockets open one by one here
    crowd = [await open_socket(thread.pk) for _ in range(5)]
    assert len(asked) == 1
    member = await open_socket(thread.pk, other_member)
    assert len(asked) == 2

    def lock():
        with transaction.atomic():
            Thread.objects.filter(pk=thread.pk).update(locked=True)
            realtime.thread_updated(Thread.objects.get(pk=thread.pk))

    await database_sync_to_async(lock)()
    await next_event(crowd[0], "thread.updated")
    assert thread.pk not in consumers._anonymous_verdicts
    for communicator in (*crowd, member):
        await communicator.disconnect()


async def test_a_storm_of_anonymous_readers_arriving_together_asks_the_database_once(thread, monkeypatch):
    """Readers whose sockets open at the same moment wait for the question already asked
    instead of each asking it (a thousand did, before the first answer was cached)."""
    from forum import permissions

    asked = []
    real = permissions.can_read_thread
    monkeypatch.setattr(permissions, "can_read_thread", lambda user, t: asked.append(user) or real(user, t))
    crowd = [await socket(thread.pk) for _ in range(20)]
    opened = await asyncio.gather(*(communicator.connect(timeout=5) for communicator in crowd))
    assert all(connected for connected, _ in opened)
    assert len(asked) == 1
    for communicator in crowd:
        await communicator.disconnect()


async def test_the_first_frame_names_the_threads_version_so_a_page_that_holds_it_skips_its_catch_up(thread):
    """thread.js compares the welcome's version with the one its page holds (rendered at
    it, or caught up to it): the same means nothing changed since, so no catch-up."""
    page = await database_sync_to_async(lambda: Client().get(thread.get_absolute_url()))()
    held = re.search(r'data-version="(\d+)"', page.content.decode()).group(1)
    communicator = await socket(thread.pk)
    await communicator.connect(timeout=3)
    assert await communicator.receive_json_from(timeout=3) == {"type": "welcome", "version": int(held)}
    await communicator.disconnect()

    await reply(author=thread.author, thread=thread, body="Something new since that page was rendered.")
    communicator = await socket(thread.pk)
    await communicator.connect(timeout=3)
    welcome = await communicator.receive_json_from(timeout=3)
    assert welcome["version"] > int(held)  # the page catches up
    catch_up = await database_sync_to_async(
        lambda: Client().get(reverse("forum:thread_posts_after", args=[thread.pk]), {"after": 0})
    )()
    assert catch_up.json()["version"] == welcome["version"]  # and then holds the newest
    await communicator.disconnect()


async def test_sockets_opening_together_share_one_read_of_the_version_made_after_they_joined(thread, monkeypatch):
    """The version must be read after the socket joined its group (a change after the read
    then reaches it as an event); sockets that joined before a read started share it."""
    from forum import consumers

    reads = []
    real = consumers._thread_version
    monkeypatch.setattr(consumers, "_thread_version", lambda thread_id: reads.append(thread_id) or real(thread_id))
    crowd = [await socket(thread.pk) for _ in range(20)]
    await asyncio.gather(*(communicator.connect(timeout=5) for communicator in crowd))
    welcomes = [await communicator.receive_json_from(timeout=3) for communicator in crowd]
    assert {welcome["version"] for welcome in welcomes} == {thread.version}
    assert 1 <= len(reads) <= 3

    for communicator in crowd:
        await communicator.disconnect()


async def test_a_read_of_the_version_that_started_before_a_socket_joined_is_not_shared_with_it(thread, monkeypatch):
    from forum import consumers

    reads, answer = [], asyncio.Event()

    async def slow(thread_id):
        reads.append(thread_id)
        await answer.wait()
        return 7

    monkeypatch.setattr(consumers, "_thread_version", slow)
    first = asyncio.ensure_future(consumers._welcome(thread.pk, joined_at=time.monotonic()))
    await asyncio.sleep(0.01)  # its read is under way
    joined_later = asyncio.ensure_future(consumers._welcome(thread.pk, joined_at=time.monotonic()))
    joined_before = asyncio.ensure_future(consumers._welcome(thread.pk, joined_at=time.monotonic() - 60))
    await asyncio.sleep(0.01)
    answer.set()
    assert await asyncio.gather(first, joined_later, joined_before) == [{"type": "welcome", "version": 7}] * 3
    assert len(reads) == 2


async def test_a_welcome_without_the_database_has_no_version_so_the_page_catches_up(thread, monkeypatch):
    from forum import consumers

    async def refused(thread_id):
        raise OperationalError("the database went away")

    monkeypatch.setattr(consumers, "_thread_version", refused)
    communicator = await socket(thread.pk)
    await communicator.connect(timeout=3)
    assert await communicator.receive_json_from(timeout=3) == {"type": "welcome"}
    await communicator.disconnect()


async def test_replies_reach_a_crowd_without_a_thread_hop_per_socket(thread, monkeypatch, other_member):
    """Channels hops to a thread before each message a consumer handles, to close stale
    database connections; our sockets ask the database only through
    database_sync_to_async, which closes them itself, so events reach every socket
    without that hop (all hops share one thread: a fan-out to 1,000 sockets queued 1,000)."""
    from channels import consumer

    hops = []
    real = consumer.aclose_old_connections

    async def counted():
        hops.append(1)
        await real()

    monkeypatch.setattr(consumer, "aclose_old_connections", counted)
    crowd = [await open_socket(thread.pk) for _ in range(5)]
    member = await open_socket(thread.pk, other_member)
    await reply(author=other_member, thread=thread, body="Made it through the week.")
    for communicator in (*crowd, member):
        event = await next_event(communicator, "post.created")
        assert "Made it through the week." in event["html"]
    assert hops == []
    for communicator in (*crowd, member):
        await communicator.disconnect()


async def test_a_missing_thread_is_refused_with_4404(db):
    assert await refused_with(await socket(987654)) == 4404


async def test_a_hidden_thread_is_refused_with_4403_to_members_but_open_to_moderators(thread, other_member, moderator):
    await database_sync_to_async(Thread.objects.filter(pk=thread.pk).update)(status=Visibility.HIDDEN)
    assert await refused_with(await socket(thread.pk)) == 4403
    assert await refused_with(await socket(thread.pk, other_member)) == 4403
    communicator = await open_socket(thread.pk, moderator)
    await communicator.disconnect()


async def test_a_removed_thread_is_refused(thread):
    await database_sync_to_async(Thread.objects.filter(pk=thread.pk).update)(status=Visibility.REMOVED)
    assert await refused_with(await socket(thread.pk)) == 4403


async def test_a_reply_reaches_readers_after_commit_as_a_reader_sees_it(thread, other_member):
    communicator = await open_socket(thread.pk)
    post = await reply(author=other_member, thread=thread, body="It got **easier** by week three")
    event = await next_event(communicator, "post.created")
    assert event["post_id"] == post.pk and event["parent_id"] is None
    assert f'id="post-{post.pk}"' in event["html"]
    assert "<strong>easier</strong>" in event["html"]
    assert "bob" in event["html"]
    assert "Edit</a>" not in event["html"] and "Delete</a>" not in event["html"]
    await communicator.disconnect()


async def test_a_deep_reply_carries_its_display_nesting(thread, member, other_member):
    top = await reply(author=other_member, thread=thread, body="one")
    second = await reply(author=member, thread=thread, body="two", parent=top)
    third = await reply(author=other_member, thread=thread, body="three", parent=second)
    communicator = await open_socket(thread.pk)
    fourth = await reply(author=member, thread=thread, body="four", parent=third)
    event = await next_event(communicator, "post.created")
    assert event["post_id"] == fourth.pk and event["parent_id"] == third.pk
    assert 'data-depth="3"' in event["html"]
    assert "in reply to" in event["html"] and f'href="#post-{third.pk}"' in event["html"]
    await communicator.disconnect()


async def test_a_rolled_back_reply_is_never_shown(thread, other_member):
    communicator = await open_socket(thread.pk)

    def reply_then_fail():
        with transaction.atomic():
            services.post_create(author=other_member, thread=thread, body="never happened")
            raise RuntimeError("the request failed after the reply was written")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(reply_then_fail)()
    await assert_no_content_event(communicator)
    later = await reply(author=other_member, thread=thread, body="this one stays")
    event = await next_event(communicator, "post.created")
    assert event["post_id"] == later.pk and "never happened" not in event["html"]
    await communicator.disconnect()


async def test_a_new_members_first_reply_waits_for_a_moderator_and_is_not_broadcast(thread, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    newcomer = await database_sync_to_async(make_member)("newcomer")
    communicator = await open_socket(thread.pk)
    held = await reply(author=newcomer, thread=thread, body="my first words here")
    assert held.status == Visibility.PENDING
    await assert_no_content_event(communicator)
    await communicator.disconnect()


async def test_a_post_held_for_a_moderator_is_not_broadcast(thread, other_member):
    """Pre-moderation (the moderation issue) sets a post pending inside the write; a
    reply held in the same transaction that created it must reach no reader."""
    communicator = await open_socket(thread.pk)

    def reply_held_for_review():
        with transaction.atomic():
            post = services.post_create(author=other_member, thread=thread, body="held for review")
            Post.objects.filter(pk=post.pk).update(status=Visibility.PENDING)
            return post

    held = await database_sync_to_async(reply_held_for_review)()
    await assert_no_content_event(communicator)
    # And a pending post handed to realtime directly (as moderation's services will) stays quiet too.
    await database_sync_to_async(realtime.post_created)(held)
    await assert_no_content_event(communicator)
    await communicator.disconnect()


async def test_a_deleted_reply_becomes_a_placeholder_for_readers(thread, other_member):
    post = await reply(author=other_member, thread=thread, body="I regret this")
    communicator = await open_socket(thread.pk)
    await database_sync_to_async(services.post_delete)(actor=other_member, post=post)
    event = await next_event(communicator, "post.removed")
    assert event["post_id"] == post.pk
    assert "Removed by its author." in event["html"] and "I regret this" not in event["html"]
    await communicator.disconnect()


async def test_a_hidden_reply_becomes_a_placeholder_for_readers(thread, other_member):
    """Moderation's post_hide (issue 4) will set the status and call realtime.post_removed
    in its transaction; this does the same until it lands."""
    post = await reply(author=other_member, thread=thread, body="method details")
    communicator = await open_socket(thread.pk)

    def hide():
        with transaction.atomic():
            Post.objects.filter(pk=post.pk).update(status=Visibility.HIDDEN)
            realtime.post_removed(Post.objects.get(pk=post.pk))

    await database_sync_to_async(hide)()
    event = await next_event(communicator, "post.removed")
    assert event["post_id"] == post.pk
    assert "Hidden by a moderator." in event["html"] and "method details" not in event["html"]
    await communicator.disconnect()


async def test_an_edit_reaches_readers(thread, other_member):
    post = await reply(author=other_member, thread=thread, body="first words")
    communicator = await open_socket(thread.pk)
    await database_sync_to_async(services.post_edit)(editor=other_member, post=post, body="better words")
    event = await next_event(communicator, "post.updated")
    assert event["post_id"] == post.pk and "better words" in event["html"] and "edited" in event["html"]
    await communicator.disconnect()


async def test_locking_reaches_readers_and_hiding_the_thread_closes_their_sockets(thread):
    communicator = await open_socket(thread.pk)

    def moderate(**changes):
        with transaction.atomic():
            Thread.objects.filter(pk=thread.pk).update(**changes)
            realtime.thread_updated(Thread.objects.get(pk=thread.pk))

    await database_sync_to_async(moderate)(locked=True, title="Locked for now")
    event = await next_event(communicator, "thread.updated")
    assert event["locked"] is True and event["title"] == "Locked for now"
    await database_sync_to_async(moderate)(status=Visibility.HIDDEN)
    await next_event(communicator, "thread.updated")
    closing = await communicator.receive_output(timeout=3)
    assert closing == {"type": "websocket.close", "code": 4403}


async def test_readers_see_how_many_read_now_but_never_who(thread, member):
    first = await open_socket(thread.pk)
    second = await open_socket(thread.pk, member)
    count = await next_event(first, "presence")
    assert count["count"] == 2
    assert set(count) == {"type", "count"}
    await second.disconnect()
    assert (await next_event(first, "presence"))["count"] == 1
    await first.disconnect()


async def test_nothing_is_written_through_the_socket(thread, member):
    communicator = await open_socket(thread.pk, member)
    await communicator.send_to(text_data=json.dumps({"type": "post.create", "body": "sneaky"}))
    await assert_no_content_event(communicator)
    assert not await database_sync_to_async(Post.objects.filter(body="sneaky").exists)()
    await communicator.disconnect()


async def test_a_page_that_leaves_during_the_handshake_loses_its_welcome_quietly(thread):
    """uvicorn refuses a send after the client went: the welcome is dropped (the page is
    gone), never raised as an unhandled exception from connect."""
    from channels.layers import get_channel_layer
    from django.contrib.auth.models import AnonymousUser

    from forum.consumers import ThreadConsumer

    consumer = ThreadConsumer()
    consumer.scope = {"type": "websocket", "url_route": {"kwargs": {"thread_id": thread.pk}}, "user": AnonymousUser()}
    consumer.channel_layer = get_channel_layer()
    consumer.channel_name = await consumer.channel_layer.new_channel()
    handshake, frames = [], []

    async def base_send(message):
        handshake.append(message["type"])

    async def gone(text_data=None, bytes_data=None, close=False):
        frames.append(json.loads(text_data)["type"])
        raise RuntimeError("Unexpected ASGI message 'websocket.send', after sending 'websocket.close'.")

    consumer.base_send, consumer.send = base_send, gone
    await consumer.connect()
    assert handshake == ["websocket.accept"] and frames == ["welcome"]
    await consumer.disconnect(1001)


async def test_a_sockets_frames_skip_channels_session_check(thread, other_member, monkeypatch):
    """Channels' SessionMiddleware checks the session on every frame a socket sends, to
    save it on an HTTP response a socket never sends: a thousand checks per reply to a
    thousand readers. Our sockets send straight to the server; a member's socket still
    knows its member."""
    from channels import sessions

    checked = []
    real = sessions.InstanceSessionWrapper.send

    async def counting(self, message):
        checked.append(message["type"])
        return await real(self, message)

    monkeypatch.setattr(sessions.InstanceSessionWrapper, "send", counting)
    member = await open_socket(thread.pk, other_member)
    await reply(author=other_member, thread=thread, body="Heard without a session check per frame.")
    assert "Heard without" in (await next_event(member, "post.created"))["html"]
    assert checked == []
    await member.disconnect()
