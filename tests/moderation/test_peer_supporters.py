"""Peer supporters: given and taken away by moderators (logged), they see crisis items,
acknowledge them, record outcomes and reach out; they cannot hide, edit or suspend."""

from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async

from accounts.roles import PEER_SUPPORTERS_GROUP
from forum import services as forum_services
from moderation import services
from moderation.models import LogEntry, Notice, ReviewItem

from ..conftest import client_for
from .test_access import moderators_socket


@pytest.fixture
def items(thread, other_member, member):
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply")
    report = services.report_create(reporter=member, post=reply, reason="spam").item
    crisis = services.crisis_item_open(post=reply, assessment=SimpleNamespace(level="urgent", reasons=["x"]))
    return {"post": reply, "report": report, "crisis": crisis}


def test_moderators_give_and_take_away_the_role_and_both_are_logged(moderator, member):
    client = client_for(moderator)
    client.post(f"/moderation/member/{member.pk}/peer_supporter_add/", {"reason": "Finished the training"})
    assert member.groups.filter(name=PEER_SUPPORTERS_GROUP).exists()
    assert "is a peer supporter" in client.get(f"/moderation/members/{member.pk}/").content.decode()
    client.post(f"/moderation/member/{member.pk}/peer_supporter_remove/", {"reason": "Stepping back"})
    assert not member.groups.filter(name=PEER_SUPPORTERS_GROUP).exists()
    assert list(LogEntry.objects.filter(target_user=member).values_list("action", flat=True).order_by("pk")) == [
        "role_peer_supporter_add", "role_peer_supporter_remove"]
    assert Notice.objects.filter(recipient=member).count() == 2
    # A role is not discipline: it is no "earlier action".
    assert "No earlier moderation actions." in client.get(f"/moderation/members/{member.pk}/").content.decode()


def test_a_peer_supporter_cannot_give_the_role(peer_supporter, member):
    response = client_for(peer_supporter).post(f"/moderation/member/{member.pk}/peer_supporter_add/", {"reason": "x"})
    assert response.status_code == 403
    assert not member.groups.filter(name=PEER_SUPPORTERS_GROUP).exists()


def test_peer_supporters_see_crisis_items_only(peer_supporter, items):
    client = client_for(peer_supporter)
    queue = client.get("/moderation/").content.decode()
    assert f'id="item-{items["crisis"].pk}"' in queue and f'id="item-{items["report"].pk}"' not in queue
    assert "Crisis queue" in queue
    assert client.get(f"/moderation/items/{items['report'].pk}/").status_code == 403
    page = client.get(f"/moderation/items/{items['crisis'].pk}/").content.decode()
    assert "Reach out to <span translate=\"no\">bob</span>" in page and "Hide…" not in page and "Earlier actions" not in page


def test_peer_supporters_acknowledge_and_resolve_but_cannot_hide_edit_or_suspend(peer_supporter, items, other_member):
    client = client_for(peer_supporter)
    post = items["post"]
    for url in (f"/moderation/post/{post.pk}/hide/", f"/moderation/post/{post.pk}/edit/",
                f"/moderation/member/{other_member.pk}/suspend/", f"/moderation/item/{items['report'].pk}/dismiss/",
                f"/moderation/members/{other_member.pk}/", "/moderation/log/"):
        assert client.post(url, {"reason": "x", "days": "1", "body": "x"}).status_code == 403, url
    post.refresh_from_db()
    assert post.status == "published" and post.body == "a reply"
    client.post(f"/moderation/item/{items['crisis'].pk}/acknowledge/", {"next": "/moderation/"})
    client.post(f"/moderation/item/{items['crisis'].pk}/resolve/", {"outcome": "reached_out", "reason": "Wrote"})
    crisis = ReviewItem.objects.get(pk=items["crisis"].pk)
    assert crisis.acknowledged_by == peer_supporter and crisis.resolution == "reached_out"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_peer_supporters_get_crisis_alerts_live_and_nothing_else(thread, peer_supporter, member, other_member):
    communicator = await moderators_socket(peer_supporter)
    assert (await communicator.connect(timeout=3))[0]
    reply = await database_sync_to_async(forum_services.post_create)(author=other_member, thread=thread, body="x")
    await database_sync_to_async(services.report_create)(reporter=member, post=reply, reason="spam")
    item = await database_sync_to_async(services.crisis_item_open)(
        post=reply, assessment=SimpleNamespace(level="urgent", reasons=["x"])
    )
    events = [await communicator.receive_json_from(timeout=3) for _ in range(2)]
    assert {event["type"] for event in events} == {"moderation.item_added", "moderation.crisis_alert"}
    assert all(event["item_id"] == item.pk for event in events)
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


def test_the_guide_and_the_rota_are_for_crisis_responders(peer_supporter, member_client):
    client = client_for(peer_supporter)
    assert client.get("/moderation/guide/").status_code == 200
    assert client.get("/moderation/on-call/").status_code == 200
    assert member_client.get("/moderation/guide/").status_code == 403
