"""The thread page's cached tree stays correct: every write shows on the next load, and
no reader is ever served another reader's view."""

import re

import pytest
from django.test import Client

from forum import services
from forum.models import Post, Visibility
from moderation import services as moderation
from tests.conftest import client_for


def page(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reply(thread, other_member):
    return services.post_create(author=other_member, thread=thread, body="The first reply")


def test_a_new_reply_shows_on_the_next_load(reader, thread, reply, member):
    assert "The first reply" in page(reader, thread)  # now cached
    services.post_create(author=member, thread=thread, body="A second reply", parent=reply)
    assert "A second reply" in page(reader, thread)


def test_an_edit_shows_on_the_next_load(reader, thread, reply, other_member):
    page(reader, thread)
    services.post_edit(editor=other_member, post=reply, body="The first reply, reworded")
    assert "The first reply, reworded" in page(reader, thread)


def test_a_hidden_post_disappears_on_the_next_load(reader, thread, reply, moderator):
    page(reader, thread)
    moderation.post_hide(actor=moderator, post=reply, reason="Off topic")
    html = page(reader, thread)
    assert "The first reply" not in html and "Hidden by a moderator." in html


def test_an_approved_post_appears_on_the_next_load(reader, thread, moderator, other_member):
    pending = services.post_create(author=other_member, thread=thread, body="Waiting my turn")
    Post.objects.filter(pk=pending.pk).update(status=Visibility.PENDING)
    page(reader, thread)
    pending.refresh_from_db()
    assert pending.status == Visibility.PENDING
    moderation.post_approve(actor=moderator, post=pending)
    assert "Waiting my turn" in page(reader, thread)


def test_a_members_own_view_is_never_served_to_another_reader(thread, reply, member, other_member, reader):
    own = page(client_for(other_member), thread)  # cached with bob's edit link on his reply
    assert f'href="/p/{reply.pk}/edit/"' in own
    assert f'href="/p/{reply.pk}/edit/"' not in page(client_for(member), thread)
    assert f'href="/p/{reply.pk}/edit/"' not in page(reader, thread)


def test_a_moderators_view_is_never_served_to_a_member(thread, reply, moderator, member):
    moderation.post_hide(actor=moderator, post=reply, reason="Needs a look")
    assert "The first reply" in page(client_for(moderator), thread)  # moderators see the text
    assert "The first reply" not in page(client_for(member), thread)


def test_a_pending_post_is_only_in_its_authors_view(thread, other_member, member, reader):
    mine = services.post_create(author=other_member, thread=thread, body="Only mine for now")
    Post.objects.filter(pk=mine.pk).update(status=Visibility.PENDING)
    services.post_create(author=member, thread=thread, body="bump the version")
    assert "Only mine for now" in page(client_for(other_member), thread)
    assert "Only mine for now" not in page(client_for(member), thread)
    assert "Only mine for now" not in page(reader, thread)


def test_forms_in_a_cached_page_carry_the_readers_own_csrf_token(thread, reply, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page(client, thread)
    html = page(client, thread)  # served from the cache
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens and "__forum_csrf_token__" not in html
    response = client.post(f"/p/{reply.pk}/react/", {"kind": "support", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code in (200, 302)
    reply.refresh_from_db()
    assert reply.support_count == 1
    html = page(client, thread)
    assert re.search(r'data-kind="support" aria-pressed="true">Sending support <span class="reaction-count">1</span>', html)
