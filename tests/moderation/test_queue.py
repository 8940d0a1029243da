"""The review queue: ordering, context, claiming, the live queue over Channels, and
crisis items with their escalation."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forum import services as forum_services
from moderation import services
from moderation.models import LogEntry, ReviewItem

from ..conftest import client_for, make_member
from .test_access import moderators_socket


def urgent():
    return SimpleNamespace(level="urgent", reasons=["states a plan for tonight"])


@pytest.fixture
def replies(thread, other_member):
    return [forum_services.post_create(author=other_member, thread=thread, body=f"reply {n}") for n in range(3)]


def backdate(item, minutes):
    ReviewItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_priority_comes_first_then_the_oldest(replies, member, moderator):
    old_spam = services.report_create(reporter=member, post=replies[0], reason="spam").item
    backdate(old_spam, 60)
    newer_spam = services.report_create(reporter=member, post=replies[1], reason="spam").item
    backdate(newer_spam, 30)
    at_risk = services.report_create(reporter=member, post=replies[2], reason="at_risk").item
    crisis = services.crisis_item_open(post=replies[1], assessment=urgent())
    page = client_for(moderator).get("/moderation/").content.decode()
    positions = [page.index(f'id="item-{item.pk}"') for item in (crisis, at_risk, old_spam, newer_spam)]
    assert positions == sorted(positions)


def test_each_item_shows_its_context_and_the_authors_history(thread, replies, member, moderator, other_member):
    services.member_warn(actor=moderator, member=other_member, reason="Be gentle")
    child = forum_services.post_create(author=other_member, thread=thread, body="the reported words", parent=replies[0])
    item = services.report_create(reporter=member, post=child, reason="unkind").item
    page = client_for(moderator).get(f"/moderation/items/{item.pk}/").content.decode()
    assert "First week of esketamine" in page  # thread title
    assert "reply 0" in page  # the parent post
    assert "the reported words" in page and child.get_absolute_url() in page
    assert "Unkind or harassment" in page
    assert "joined" in page and "warned by mona_keeper" in page and "Be gentle" in page


def test_queue_page_queries_do_not_grow_with_items(thread, moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(moderator)

    def add(count):
        for n in range(count):
            author = make_member(f"writer{ReviewItem.objects.count()}_{n}")
            post = forum_services.post_create(author=author, thread=thread, body=f"x{n}")
            services.report_create(reporter=moderator, post=post, reason="spam")

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/moderation/").status_code == 200
        return len(context.captured_queries)

    add(2)
    count_queries()  # warm: the crisis banner caches its lines on the first page
    few = count_queries()
    add(10)
    assert count_queries() == few


def test_crisis_items_are_resolved_as_reached_out_or_no_risk_once_each(replies, moderator):
    first = services.crisis_item_open(post=replies[0], assessment=urgent())
    second = services.crisis_item_open(post=replies[1], assessment=SimpleNamespace(level="concern", reasons=[]))
    assert first.priority > second.priority > ReviewItem.PRIORITY_NORMAL
    services.crisis_reached_out(actor=moderator, item=first, note="Sent resources by message")
    services.crisis_reached_out(actor=moderator, item=first, note="Sent resources by message")
    services.crisis_no_risk(actor=moderator, item=second)
    assert LogEntry.objects.filter(action="crisis_reached_out").count() == 1
    assert LogEntry.objects.filter(action="crisis_no_risk").count() == 1
    assert not ReviewItem.objects.filter(status="open").exists()


def test_no_risk_level_opens_no_item(replies):
    assert services.crisis_item_open(post=replies[0], assessment=SimpleNamespace(level="none", reasons=[])) is None
    assert not ReviewItem.objects.exists()


def test_an_unacknowledged_urgent_item_is_emailed_to_moderators_once_after_15_minutes(
    replies, moderator, django_capture_on_commit_callbacks
):
    item = services.crisis_item_open(post=replies[0], assessment=urgent())
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=14)) == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=16)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [moderator.email]
    item.refresh_from_db()
    assert item.escalated_at is not None
    assert LogEntry.objects.filter(action="crisis_escalate").count() == 1


def test_the_escalation_command_emails_the_moderators(replies, moderator, django_capture_on_commit_callbacks):
    item = services.crisis_item_open(post=replies[0], assessment=urgent())
    backdate(item, 16)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_crisis_items")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert moderator.email in message.to and "Urgent" in message.subject
    assert f"/moderation/items/{item.pk}/" in message.body


def test_opening_an_urgent_item_is_not_acknowledging_it(replies, moderator, django_capture_on_commit_callbacks):
    item = services.crisis_item_open(post=replies[0], assessment=urgent())
    page = client_for(moderator).get(f"/moderation/items/{item.pk}/").content.decode()
    assert "Nobody has said they are on it yet." in page
    item.refresh_from_db()
    assert item.acknowledged_at is None
    backdate(item, 20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate() == 1
    assert len(mail.outbox) == 1


def test_an_acknowledged_urgent_item_is_not_escalated_until_the_longer_wait(
    replies, moderator, django_capture_on_commit_callbacks
):
    item = services.crisis_item_open(post=replies[0], assessment=urgent())
    client_for(moderator).post(f"/moderation/item/{item.pk}/acknowledge/", {"next": "/moderation/"})
    item.refresh_from_db()
    assert item.acknowledged_by == moderator and item.is_open
    backdate(item, 20)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=30)) == 0
    assert mail.outbox == []


# --- Live over Channels ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_new_items_appear_and_resolved_items_disappear_live(thread, moderator):
    author = await database_sync_to_async(make_member)("writer")
    reporter = await database_sync_to_async(make_member)("noticer")
    communicator = await moderators_socket(moderator)
    assert (await communicator.connect(timeout=3))[0]
    post = await database_sync_to_async(forum_services.post_create)(
        author=author, thread=thread, body="I know a guy who can help, ask around"
    )
    report = await database_sync_to_async(services.report_create)(reporter=reporter, post=post, reason="sourcing")
    added = await communicator.receive_json_from(timeout=3)
    assert added["type"] == "moderation.item_added" and added["item_id"] == report.item_id
    assert "Sourcing or selling drugs" in added["html"] and "First week of esketamine" in added["html"]
    await database_sync_to_async(services.post_hide)(actor=moderator, post=post, reason="Selling")
    item = await database_sync_to_async(ReviewItem.objects.get)(pk=report.item_id)
    await database_sync_to_async(services.report_dismiss)(actor=moderator, item=item)
    resolved = await communicator.receive_json_from(timeout=3)
    assert resolved == {"type": "moderation.item_resolved", "item_id": report.item_id}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_urgent_crisis_items_alert_moderators_online_but_not_members(thread, moderator, other_member):
    reply = await database_sync_to_async(forum_services.post_create)(author=other_member, thread=thread, body="x")
    communicator = await moderators_socket(moderator)
    assert (await communicator.connect(timeout=3))[0]
    item = await database_sync_to_async(services.crisis_item_open)(post=reply, assessment=urgent())
    events = [await communicator.receive_json_from(timeout=3) for _ in range(2)]
    kinds = {event["type"] for event in events}
    assert kinds == {"moderation.item_added", "moderation.crisis_alert"}
    alert = next(event for event in events if event["type"] == "moderation.crisis_alert")
    # Absolute links (SITE_URL), to the item and to the moderators' guide.
    assert alert["url"] == f"http://127.0.0.1:8000/moderation/items/{item.pk}/"
    assert alert["guide_url"] == "http://127.0.0.1:8000/moderation/guide/"
    assert alert["title"] == "First week of esketamine"
    await communicator.disconnect()


def test_a_crisis_post_is_published_marked_and_put_first_in_the_queue(thread, other_member, member, moderator):
    watches = forum_services.post_create(author=member, thread=thread, body="buy cheap watches")
    spam = services.report_create(reporter=moderator, post=watches, reason="spam").item
    backdate(spam, 120)
    post = forum_services.post_create(
        author=other_member, thread=thread, body="I am going to end my life tonight, I have the pills ready"
    )
    post.refresh_from_db()
    assert post.status == "published" and post.crisis_level == "urgent"
    first = ReviewItem.objects.filter(status="open").order_by("-priority", "created_at").first()
    assert first.post == post and first.kind == ReviewItem.Kind.CRISIS and first.crisis_level == "urgent"
    page = client_for(moderator).get("/moderation/").content.decode()
    assert page.index(f'id="item-{first.pk}"') < page.index(f'id="item-{spam.pk}"')


def test_ordinary_treatment_talk_opens_no_crisis_item(thread, other_member):
    forum_services.post_create(author=other_member, thread=thread, body="This taper is killing me, 5 mg to go")
    assert not ReviewItem.objects.exists()
