"""A private line between the team and one member: reaching out, replying, live events,
discreet emails, crisis screening of the member's messages, who may read what, and the
member's data."""

import json
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts import services as account_services
from config.asgi import application
from forum import services as forum_services
from forum.models import Notification
from moderation import services as moderation_services
from moderation.models import LogEntry, ReviewItem
from modmail import services
from modmail.models import Conversation, Message

from ..conftest import PASSWORD, client_for, make_member

URGENT = "I'm going to end my life tonight. I have everything ready."


def urgent():
    return SimpleNamespace(level="urgent", reasons=["urgent: plan for tonight"])


@pytest.fixture
def crisis_item(thread, other_member):
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply")
    return moderation_services.crisis_item_open(post=reply, assessment=urgent())


# --- Reaching out, and the member's side -----------------------------------------------------------


def test_reach_out_from_a_crisis_item_reaches_the_member_in_their_inbox_and_by_a_discreet_email(
    crisis_item, moderator, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post("/moderation/messages/reach-out/", {
            "item": crisis_item.pk, "subject": "Checking in", "body": "Hi bob, I read your post. Are you safe?",
        })
    conversation = Conversation.objects.get(member=other_member)
    assert response.status_code == 302 and response["Location"] == f"/moderation/messages/{conversation.pk}/"
    assert conversation.item == crisis_item and conversation.crisis
    crisis_item.refresh_from_db()
    assert crisis_item.acknowledged_by == moderator  # writing to them is being on it
    notification = Notification.objects.get(recipient=other_member, kind="message")
    assert notification.link == f"/messages/{conversation.pk}/"
    email = mail.outbox[-1]
    assert email.to == ["bob@example.org"] and email.subject.endswith("A new message for you")
    assert "Are you safe" not in email.body and "First week" not in email.subject + email.body
    assert f"http://127.0.0.1:8000/messages/{conversation.pk}/" in email.body
    # The member reads it, and the inbox item is read with it.
    bob = client_for(other_member)
    html = bob.get(f"/messages/{conversation.pk}/").content.decode()
    assert "Are you safe?" in html and '<span translate="no">mona_keeper</span>, from the team' in html
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_member_replies_and_the_team_sees_who_wrote(crisis_item, moderator, other_member):
    conversation = services.conversation_reach_out(actor=moderator, member=other_member, item=crisis_item,
                                                   body="Are you safe?")
    response = client_for(other_member).post(f"/messages/{conversation.pk}/", {"body": "Thank you. I'm safe."})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.waiting_for_team
    html = client_for(moderator).get(f"/moderation/messages/{conversation.pk}/").content.decode()
    assert "safe.</p>" in html and 'From the team so far: <span translate="no">mona_keeper</span>' in html
    waiting = client_for(moderator).get("/moderation/messages/").content.decode()
    assert f"/moderation/messages/{conversation.pk}/" in waiting and "they wrote last" in waiting


def test_any_member_can_message_the_moderators_from_any_page(member_client, member, moderator):
    assert 'href="/messages/new/"' in member_client.get("/").content.decode()
    response = member_client.post("/messages/new/", {"subject": "A question", "body": "How do reports work?"})
    conversation = Conversation.objects.get(member=member)
    assert response.status_code == 302 and response["Location"] == f"/messages/{conversation.pk}/"
    assert f"/moderation/messages/{conversation.pk}/" in client_for(moderator).get("/moderation/messages/").content.decode()
    assert not conversation.crisis and not ReviewItem.objects.exists()


def test_a_suspended_member_can_still_write_to_the_moderators(db, moderator):
    from datetime import timedelta

    paused = make_member("dana_paused")
    moderation_services.member_suspend(actor=moderator, member=paused, reason="Unkind", duration=timedelta(days=1))
    services.conversation_start(member=paused, body="Can we talk about my suspension?")
    assert Conversation.objects.filter(member=paused).exists()


def test_a_rejected_message_keeps_its_text(member_client):
    response = member_client.post("/messages/new/", {"subject": "x" * 200, "body": "Please keep my words"})
    assert response.status_code == 400 and "Please keep my words" in response.content.decode()


# --- Crisis screening ----------------------------------------------------------------------------------


def test_an_urgent_message_to_the_moderators_opens_an_urgent_item_and_tells_the_member_the_truth(
    member_client, member, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/messages/new/", {"body": URGENT}, follow=True, HTTP_ACCEPT_LANGUAGE="en-CA")
    item = ReviewItem.objects.get(kind=ReviewItem.Kind.CRISIS, status="open")
    assert item.post is None and item.member == member and item.crisis_level == "urgent"
    conversation = Conversation.objects.get(member=member)
    assert conversation.item == item and conversation.crisis
    html = response.content.decode()
    assert "Call or text 9-8-8, any time." in html and "whoever is on call has been alerted" in html
    queue = client_for(moderator).get("/moderation/").content.decode()
    assert f'id="item-{item.pk}"' in queue and "A private message to the team" in queue
    page = client_for(moderator).get(f"/moderation/items/{item.pk}/").content.decode()
    assert f"/moderation/messages/{conversation.pk}/" in page


def test_an_urgent_reply_after_the_outcome_opens_an_urgent_item_again(crisis_item, moderator, other_member):
    conversation = services.conversation_reach_out(actor=moderator, member=other_member, item=crisis_item,
                                                   body="Are you safe?")
    moderation_services.crisis_reached_out(actor=moderator, item=crisis_item)
    services.message_send(author=other_member, conversation=conversation, body="Thanks, that helped a bit.")
    assert not ReviewItem.objects.filter(status="open", kind="crisis").exists()
    services.message_send(author=other_member, conversation=conversation, body=URGENT)
    again = ReviewItem.objects.get(status="open", kind="crisis")
    assert again.pk != crisis_item.pk and again.crisis_level == "urgent" and again.member == other_member
    assert LogEntry.objects.filter(action="crisis_reopen", target_id=again.pk).exists()
    conversation.refresh_from_db()
    assert conversation.item == again


def test_the_teams_own_words_never_open_an_item(crisis_item, moderator, other_member):
    moderation_services.crisis_no_risk(actor=moderator, item=crisis_item)
    services.conversation_reach_out(actor=moderator, member=other_member, body="Are you thinking of suicide?")
    assert not ReviewItem.objects.filter(status="open").exists()


# --- Who may read what -------------------------------------------------------------------------------------


def test_other_members_cannot_read_a_conversation(member, other_member, reader):
    conversation = services.conversation_start(member=member, body="Private worry")
    assert client_for(other_member).get(f"/messages/{conversation.pk}/").status_code == 404
    assert client_for(other_member).get(f"/moderation/messages/{conversation.pk}/").status_code == 403
    assert reader.get(f"/messages/{conversation.pk}/").status_code == 302
    with pytest.raises(PermissionDenied):
        services.message_send(author=other_member, conversation=conversation, body="Let me in")


def test_peer_supporters_see_crisis_conversations_but_not_the_others(member, peer_supporter, crisis_item):
    private = services.conversation_start(member=member, body="About my warning")
    about_crisis = services.conversation_start(member=member, body=URGENT)
    client = client_for(peer_supporter)
    assert client.get(f"/moderation/messages/{private.pk}/").status_code == 403
    assert client.get(f"/moderation/messages/{about_crisis.pk}/").status_code == 200
    listing = client.get("/moderation/messages/?show=all").content.decode()
    assert f"/moderation/messages/{about_crisis.pk}/" in listing and f"/moderation/messages/{private.pk}/" not in listing
    client.post(f"/moderation/messages/{about_crisis.pk}/", {"body": "I'm here. Are you safe right now?"})
    assert Message.objects.filter(author=peer_supporter, from_team=True).count() == 1


def test_peer_supporters_reach_out_about_crisis_items_only(peer_supporter, other_member, crisis_item):
    client = client_for(peer_supporter)
    assert client.get(f"/moderation/messages/reach-out/?member={other_member.pk}").status_code == 403
    response = client.post("/moderation/messages/reach-out/", {"member": other_member.pk, "body": "Hello"})
    assert response.status_code == 403 and "Peer supporters reach out from a crisis item" in response.content.decode()
    assert not Conversation.objects.exists()
    client.post("/moderation/messages/reach-out/", {"item": crisis_item.pk, "body": "Hello, are you safe?"})
    assert Conversation.objects.filter(member=other_member, item=crisis_item).exists()


# --- Live ------------------------------------------------------------------------------------------------------


async def _socket(user, path):
    # client_for signs a moderator in with the second factor their role needs.
    client = await database_sync_to_async(client_for)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return WebsocketCommunicator(application, path, headers=[(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1")])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_the_member_gets_the_teams_message_live_and_the_team_gets_the_reply_live(
    crisis_item, moderator, other_member
):
    member_socket = await _socket(other_member, "/ws/me/")
    team_socket = await _socket(moderator, "/ws/moderation/")
    assert (await member_socket.connect(timeout=3))[0] and (await team_socket.connect(timeout=3))[0]
    conversation = await database_sync_to_async(services.conversation_reach_out)(
        actor=moderator, member=other_member, item=crisis_item, body="Are you safe?"
    )
    seen = [await member_socket.receive_json_from(timeout=3) for _ in range(2)]
    message = next(event for event in seen if event["type"] == "modmail.message")
    assert message["conversation_id"] == conversation.pk and "Are you safe?" in message["html"]
    assert any(event["type"] == "inbox.unread" and event["count"] == 1 for event in seen)
    await database_sync_to_async(services.message_send)(
        author=other_member, conversation=conversation, body="I'm safe, thank you."
    )
    for _ in range(6):
        event = await team_socket.receive_json_from(timeout=3)
        if event["type"] == "modmail.message" and not event["from_team"]:
            break
    assert event["member"] == "bob" and "safe, thank you" in event["html"]
    assert event["url"] == f"http://127.0.0.1:8000/moderation/messages/{conversation.pk}/"
    await member_socket.disconnect()
    await team_socket.disconnect()


# --- The member's data -------------------------------------------------------------------------------------------


def test_conversations_are_in_the_members_export_and_erased_with_the_account(crisis_item, moderator, other_member):
    conversation = services.conversation_reach_out(actor=moderator, member=other_member, item=crisis_item,
                                                   body="Are you safe, bob?")
    services.message_send(author=other_member, conversation=conversation, body="My secret worry, from bob")
    data = json.loads(client_for(other_member).get("/settings/my-data/").content)
    messages = data["private_messages_with_the_team"][0]["messages"]
    assert [m["body"] for m in messages] == ["Are you safe, bob?", "My secret worry, from bob"]
    client_for(other_member).post("/settings/delete-account/", {"password": PASSWORD})
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not Message.objects.filter(body__icontains="secret worry").exists()


def test_a_team_members_messages_stay_with_the_member_under_a_former_name(crisis_item, other_member):
    helper = make_member("kind_helper", is_staff=True)
    conversation = services.conversation_reach_out(actor=helper, member=other_member, item=crisis_item,
                                                   body="I'm kind_helper, here for you")
    account_services.member_delete(member=helper, remove_posts=False)
    message = Message.objects.get(conversation=conversation)
    assert message.author_name == "a former team member" and "kind_helper" not in message.body


def test_the_member_can_turn_the_emails_off(crisis_item, moderator, other_member, django_capture_on_commit_callbacks):
    client_for(other_member).post("/messages/", {})  # the box unticked
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reach_out(actor=moderator, member=other_member, item=crisis_item, body="Hello")
    assert [m for m in mail.outbox if "bob@example.org" in m.to] == []
    assert Notification.objects.filter(recipient=other_member, kind="message").exists()


def test_the_teams_list_and_the_queue_do_not_grow_in_queries_with_conversations(moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(moderator)

    def add(count):
        for n in range(count):
            writer = make_member(f"writer{Conversation.objects.count()}_{n}")
            services.conversation_start(member=writer, body=URGENT if n % 2 else "A question")

    def count_queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add(2)
    for url in ("/moderation/messages/?show=all", "/moderation/"):
        count_queries(url)  # warm: the crisis banner caches its lines on the first page
        few = count_queries(url)
        add(8)
        assert count_queries(url) == few, url
