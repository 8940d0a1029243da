"""A new member's first posts wait for a moderator: only they and the moderators see
them, they count for nothing yet, and no page, list or socket shows them to others."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from forum import selectors
from forum import services as forum_services
from forum.models import Post, Visibility
from moderation import services
from moderation.models import ReviewItem
from moderation.screening import NEW_MEMBER_REASON

from ..conftest import client_for, make_member
from ..forum.test_realtime_consumer import assert_no_content_event, next_event, open_socket

@pytest.fixture
def newcomer(db, premoderation_on):
    """Ask for it after `thread`: the thread is started by an established member."""
    return make_member("new_leaf")


def test_a_new_members_first_two_posts_are_held_and_the_third_is_not(thread, newcomer, moderator):
    first = forum_services.post_create(author=newcomer, thread=thread, body="Hello everyone")
    assert first.status == Visibility.PENDING
    item = ReviewItem.objects.get(post=first)
    assert item.kind == ReviewItem.Kind.HELD and item.reasons == [NEW_MEMBER_REASON]
    services.post_approve(actor=moderator, post=first)
    second = forum_services.post_create(author=newcomer, thread=thread, body="Thanks for the welcome")
    assert second.status == Visibility.PENDING
    services.post_approve(actor=moderator, post=second)
    third = forum_services.post_create(author=newcomer, thread=thread, body="Now I'm settled in")
    assert third.status == Visibility.PUBLISHED


def test_a_pending_reply_is_not_counted(thread, newcomer):
    forum_services.post_create(author=newcomer, thread=thread, body="Hello everyone")
    thread.refresh_from_db()
    newcomer.refresh_from_db()
    assert thread.reply_count == 0 and newcomer.post_count == 0


def test_a_pending_reply_shows_only_to_its_author_and_moderators(thread, newcomer, other_member, moderator, reader):
    forum_services.post_create(author=newcomer, thread=thread, body="My very first words here")
    url = thread.get_absolute_url()
    mine = client_for(newcomer).get(url).content.decode()
    assert "My very first words here" in mine and "Waiting for a moderator" in mine
    assert "My very first words here" in client_for(moderator).get(url).content.decode()
    for client in (client_for(other_member), reader):
        page = client.get(url).content.decode()
        assert "My very first words here" not in page and "new_leaf" not in page


def test_a_pending_thread_is_missing_for_others_on_every_page(category, newcomer, other_member, reader, moderator):
    thread = forum_services.thread_create(
        author=newcomer, category=category, title="A quiet first thread", body="Saying hello"
    )
    for client in (client_for(other_member), reader):
        assert "A quiet first thread" not in client.get(category.get_absolute_url()).content.decode()
        assert "A quiet first thread" not in client.get("/").content.decode()
        assert client.get(thread.get_absolute_url()).status_code == 404
    assert "A quiet first thread" in client_for(newcomer).get(category.get_absolute_url()).content.decode()
    assert "A quiet first thread" in client_for(moderator).get(category.get_absolute_url()).content.decode()


def test_hidden_posts_are_left_out_of_what_others_can_read(thread, other_member, moderator):
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply to hide")
    services.post_hide(actor=moderator, post=reply, reason="checking")
    visible_text = [post.body for post in selectors.visible_posts(AnonymousUser()) if post.status == "published"]
    assert "a reply to hide" not in visible_text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_pending_post_is_never_broadcast_and_goes_out_when_approved(thread, moderator, premoderation_on):
    newcomer = await database_sync_to_async(make_member)("new_leaf")
    communicator = await open_socket(thread.pk)
    pending = await database_sync_to_async(forum_services.post_create)(
        author=newcomer, thread=thread, body="Held for a moderator"
    )
    assert pending.status == Visibility.PENDING
    await assert_no_content_event(communicator)
    await database_sync_to_async(services.post_approve)(actor=moderator, post=pending)
    event = await next_event(communicator, "post.created")
    assert event["post_id"] == pending.pk and "Held for a moderator" in event["html"]
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_hiding_a_post_sends_readers_the_placeholder(thread, other_member, moderator):
    reply = await database_sync_to_async(forum_services.post_create)(
        author=other_member, thread=thread, body="Soon to be hidden"
    )
    communicator = await open_socket(thread.pk)
    await database_sync_to_async(services.post_hide)(actor=moderator, post=reply, reason="checking")
    event = await next_event(communicator, "post.removed")
    assert event["post_id"] == reply.pk
    assert "Hidden by a moderator" in event["html"] and "Soon to be hidden" not in event["html"]
    await communicator.disconnect()
    assert await database_sync_to_async(Post.objects.filter(pk=reply.pk, status="hidden").exists)()
