"""The header's unread count, live over the member's own socket (/ws/me/). Through the project's ASGI app with a
session cookie, as a browser connects. With REDIS_URL set this runs on channels_redis."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from forum import notifications, services
from moderation import services as moderation_services

from ..conftest import client_for, make_member
from .test_realtime_consumer import refused_with

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def my_socket(user=None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        session = await database_sync_to_async(lambda: client_for(user).cookies["sessionid"].value)()
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, "/ws/me/", headers=headers)


async def open_my_socket(user):
    communicator = await my_socket(user)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    return communicator


reply = database_sync_to_async(services.post_create)


async def test_a_reply_raises_the_members_unread_count_live(member, other_member, thread):
    alice = await open_my_socket(member)
    bob = await open_my_socket(other_member)
    await reply(author=other_member, thread=thread, body="Day two was easier.")
    assert await alice.receive_json_from(timeout=3) == {"type": "inbox.unread", "count": 1}
    assert await bob.receive_nothing(timeout=0.5)  # bob's own reply tells bob nothing
    await reply(author=other_member, thread=thread, body="And day three.")
    assert await alice.receive_json_from(timeout=3) == {"type": "inbox.unread", "count": 2}

    await database_sync_to_async(notifications.notifications_mark_read)(member=member)
    assert await alice.receive_json_from(timeout=3) == {"type": "inbox.unread", "count": 0}
    await alice.disconnect()
    await bob.disconnect()


async def test_a_held_post_sends_no_count_until_approved(member, thread, moderator, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    newcomer = await database_sync_to_async(make_member)("newcomer")
    alice = await open_my_socket(member)
    post = await reply(author=newcomer, thread=thread, body="My first post.")
    assert await alice.receive_nothing(timeout=0.6)
    await database_sync_to_async(moderation_services.post_approve)(actor=moderator, post=post)
    assert await alice.receive_json_from(timeout=3) == {"type": "inbox.unread", "count": 1}
    await alice.disconnect()


async def test_anonymous_readers_cannot_open_a_member_socket():
    assert await refused_with(await my_socket()) == 4403
