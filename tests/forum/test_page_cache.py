"""The thread page's cached tree stays correct: every write shows on the next load, and
no reader is ever served another reader's view."""

import re
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from forum import page_cache, services
from forum.models import Post, Thread, Visibility
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


class _Recorded:
    """Renders that count themselves; the first one holds until a second request waits on it."""

    def __init__(self, fail=False):
        self.calls = 0
        self.fail = fail
        self.someone_waits = threading.Event()

    def render(self):
        self.calls += 1
        if self.calls == 1:
            assert self.someone_waits.wait(10), "the second request never waited"
            if self.fail:
                raise RuntimeError("the first render failed")
        return page_cache.Tree(html=f"<p>render {self.calls}</p>", newest_post_id=None, is_last_page=True)


def _two_requests_at_once(monkeypatch, recorded, version):
    class Watched(page_cache._Flight):
        def wait(self):
            recorded.someone_waits.set()
            return super().wait()

    monkeypatch.setattr(page_cache, "_Flight", Watched)
    thread = Thread(pk=987654, version=version)  # a key no other test fills
    results = {}

    def load(name):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        try:
            results[name] = page_cache.thread_tree(request, thread, 1, recorded.render).html
        except RuntimeError as error:
            results[name] = str(error)

    first = threading.Thread(target=load, args=("first",))
    first.start()
    deadline = time.monotonic() + 10
    while not page_cache._flights and time.monotonic() < deadline:  # until the first one renders
        time.sleep(0.001)
    second = threading.Thread(target=load, args=("second",))
    second.start()
    first.join(10)
    second.join(10)
    return results


def test_requests_that_miss_the_cache_together_share_one_render(monkeypatch):
    recorded = _Recorded()
    results = _two_requests_at_once(monkeypatch, recorded, version=1)
    assert recorded.calls == 1
    assert results == {"first": "<p>render 1</p>", "second": "<p>render 1</p>"}
    assert page_cache._flights == {}


def test_when_the_shared_render_fails_the_waiting_request_renders_its_own(monkeypatch):
    recorded = _Recorded(fail=True)
    results = _two_requests_at_once(monkeypatch, recorded, version=2)
    assert recorded.calls == 2
    assert results == {"first": "the first render failed", "second": "<p>render 2</p>"}
    assert page_cache._flights == {}
