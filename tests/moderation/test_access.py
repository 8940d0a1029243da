"""Who may open each moderation page and action, over HTTP and the moderators' socket:
anonymous readers are sent to log in, members (suspended or not) get 403, moderators
and admins get in."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from forum import services as forum_services
from moderation.models import ReviewItem

from ..conftest import client_for


@pytest.fixture
def targets(thread, other_member, member):
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply")
    item = ReviewItem.objects.create(post=reply, kind=ReviewItem.Kind.REPORT, reasons=["Spam"])
    crisis = ReviewItem.objects.create(post=reply, kind=ReviewItem.Kind.CRISIS, reasons=["x"], crisis_level="urgent")
    return {"post": reply, "thread": thread, "member": other_member, "item": item, "crisis": crisis}


def moderation_urls(t):
    post, thread, member, item, crisis = t["post"].pk, t["thread"].pk, t["member"].pk, t["item"].pk, t["crisis"].pk
    return [
        "/moderation/",
        "/moderation/log/",
        f"/moderation/items/{item}/",
        f"/moderation/members/{member}/",
        *[f"/moderation/post/{post}/{name}/" for name in ("approve", "reject", "hide", "unhide", "edit")],
        *[f"/moderation/thread/{thread}/{name}/" for name in ("lock", "unlock", "pin", "unpin", "move")],
        *[f"/moderation/member/{member}/{name}/" for name in ("warn", "suspend", "unsuspend")],
        f"/moderation/item/{item}/dismiss/",
        f"/moderation/item/{crisis}/reached_out/",
        f"/moderation/item/{crisis}/no_risk/",
    ]


def test_anonymous_readers_are_sent_to_log_in_everywhere(reader, targets):
    for url in moderation_urls(targets):
        for method in (reader.get, reader.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("persona", ["member", "suspended_member"])
def test_members_get_403_everywhere_and_change_nothing(request, persona, targets):
    client = client_for(request.getfixturevalue(persona))
    for url in moderation_urls(targets):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "because"}).status_code == 403, url
    targets["post"].refresh_from_db()
    assert targets["post"].status == "published"
    assert ReviewItem.objects.filter(status="open").count() == 2


@pytest.mark.parametrize("persona", ["moderator", "admin_user"])
def test_moderators_and_admins_open_every_page(request, persona, targets):
    client = client_for(request.getfixturevalue(persona))
    for url in moderation_urls(targets):
        assert client.get(url).status_code == 200, url


def test_only_moderators_see_the_queue_link(member, moderator):
    assert "Review queue" not in client_for(member).get("/").content.decode()
    assert "Review queue" in client_for(moderator).get("/").content.decode()


# --- The moderators' WebSocket -----------------------------------------------------------


async def moderators_socket(user=None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        session = await database_sync_to_async(lambda: client_for(user).cookies["sessionid"].value)()
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, "/ws/moderation/", headers=headers)


async def close_code(communicator) -> int | None:
    await communicator.connect(timeout=3)
    message = await communicator.receive_output(timeout=3)
    assert message["type"] == "websocket.close"
    return message["code"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_the_moderators_socket_refuses_anonymous_readers_with_4401():
    assert await close_code(await moderators_socket()) == 4401


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("persona", ["member", "suspended_member"])
async def test_the_moderators_socket_refuses_members_with_4403(request, persona):
    user = await database_sync_to_async(request.getfixturevalue)(persona)
    assert await close_code(await moderators_socket(user)) == 4403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("persona", ["moderator", "admin_user"])
async def test_the_moderators_socket_lets_moderators_and_admins_in(request, persona):
    user = await database_sync_to_async(request.getfixturevalue)(persona)
    communicator = await moderators_socket(user)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
