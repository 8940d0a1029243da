"""The no-JavaScript reply form quotes the post being answered: only a post of this thread
that the reader may see, and its text only where the thread page would show it."""

import pytest

from forum import services
from forum.models import Thread, Visibility
from moderation import services as moderation_services

from ..conftest import client_for, make_member


@pytest.fixture
def hidden_reply(other_member, category):
    """A reply in another thread, which a moderator has since hidden whole."""
    elsewhere = services.thread_create(
        author=other_member, category=category, title="Somewhere private", body="The opening words"
    )
    reply = services.post_create(author=other_member, thread=elsewhere, body="Words nobody may read now")
    Thread.objects.filter(pk=elsewhere.pk).update(status=Visibility.HIDDEN)
    return reply


def reply_form(client, thread, parent):
    return client.get(f"/t/{thread.pk}/reply/", {"parent": parent.pk})


def test_a_reply_in_a_hidden_thread_is_not_quoted_through_another_threads_form(
    thread, hidden_reply, unverified_member
):
    response = reply_form(client_for(unverified_member), thread, hidden_reply)
    assert response.status_code == 404
    assert "Words nobody may read now" not in response.content.decode()


def test_a_post_of_another_thread_is_not_quoted_even_when_public(thread, other_member, member, category):
    elsewhere = services.thread_create(author=other_member, category=category, title="Another", body="Hello")
    reply = services.post_create(author=other_member, thread=elsewhere, body="A reply over there")
    response = reply_form(client_for(member), thread, reply)
    assert response.status_code == 404
    assert "A reply over there" not in response.content.decode()


def test_someone_elses_pending_reply_is_neither_quoted_nor_named(thread, member, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    newcomer = make_member("quiet_newcomer")
    pending = services.post_create(author=newcomer, thread=thread, body="Waiting for a moderator")
    assert pending.status == Visibility.PENDING
    response = reply_form(client_for(member), thread, pending)
    html = response.content.decode()
    assert response.status_code == 404
    assert "quiet_newcomer" not in html and "Waiting for a moderator" not in html


def test_a_hidden_reply_shows_as_the_thread_shows_it_a_note_without_its_text(thread, other_member, member, moderator):
    reply = services.post_create(author=other_member, thread=thread, body="Words a moderator hid")
    moderation_services.post_hide(actor=moderator, post=reply, reason="Unkind")
    response = reply_form(client_for(member), thread, reply)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Words a moderator hid" not in html and "not shown" in html


def test_a_visible_reply_of_this_thread_is_quoted(thread, other_member, member):
    reply = services.post_create(author=other_member, thread=thread, body="Glad you asked")
    response = reply_form(client_for(member), thread, reply)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Glad you asked" in html and 'Reply to <span translate="no">bob</span>' in html


def test_a_reply_sent_to_a_foreign_parent_is_refused_and_keeps_the_draft(thread, hidden_reply, member):
    response = client_for(member).post(
        f"/t/{thread.pk}/reply/", {"parent": hidden_reply.pk, "body": "My careful draft"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "My careful draft" in html
    assert "Words nobody may read now" not in html and 'Reply to <span translate="no">bob</span>' not in html
