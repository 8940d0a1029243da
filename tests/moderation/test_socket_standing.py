"""The moderators' socket and a member's own socket follow the member's standing as it
changes, not as it was when the socket opened (issue 15): a demoted moderator's socket
closes at the next event instead of receiving it; a moderator who signed in without a
second factor is not let in; a deactivated member's socket closes too."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group

from accounts.roles import MODERATORS_GROUP
from config.asgi import application
from forum import broadcast

from ..conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def socket(path, user, *, two_factor=True) -> WebsocketCommunicator:
    session = await database_sync_to_async(lambda: client_for(user, two_factor=two_factor).cookies["sessionid"].value)()
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", f"sessionid={session}".encode())]
    return WebsocketCommunicator(application, path, headers=headers)


async def queue_event(text="a queue row"):
    event = broadcast.envelope({"type": "moderation.item_added", "item_id": 1, "html": text}, handler="moderation.event")
    await get_channel_layer().group_send(broadcast.MODERATORS, event)


async def test_a_moderator_who_signed_in_without_a_second_factor_is_not_let_in(moderator):
    communicator = await socket("/ws/moderation/", moderator, two_factor=False)
    await communicator.connect(timeout=3)
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_a_demoted_moderators_socket_closes_instead_of_receiving_the_queue(moderator):
    communicator = await socket("/ws/moderation/", moderator)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    await queue_event("before")
    assert json.loads(await communicator.receive_from(timeout=3))["html"] == "before"

    await database_sync_to_async(lambda: moderator.groups.remove(Group.objects.get(name=MODERATORS_GROUP)))()
    await queue_event("after the demotion")
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
    assert await communicator.receive_nothing(timeout=0.3)


async def test_a_deactivated_members_own_socket_closes_at_the_next_event(member):
    communicator = await socket("/ws/me/", member)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    member.is_active = False
    await database_sync_to_async(member.save)(update_fields=["is_active"])
    event = broadcast.envelope({"type": "inbox.unread", "count": 3})
    await get_channel_layer().group_send(broadcast.user_group(member.pk), event)
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_a_moderator_without_the_second_factor_cannot_follow_a_hidden_thread_live(moderator, thread):
    from forum.models import Thread

    await database_sync_to_async(lambda: Thread.objects.filter(pk=thread.pk).update(status="hidden"))()
    half = await socket(f"/ws/threads/{thread.pk}/", moderator, two_factor=False)
    await half.connect(timeout=3)
    assert await half.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
    full = await socket(f"/ws/threads/{thread.pk}/", moderator)
    connected, _ = await full.connect(timeout=3)
    assert connected
    await full.disconnect()
