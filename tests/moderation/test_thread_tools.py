"""The moderators' tools on the thread page (templates/forum/_thread_tools.html): who sees
them, that the page cache never hands them to anyone else, and that each button does what
it says from the thread page: the change, one log row, the author told, a result message
back on the thread page, readers told live."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.utils.html import escape

from forum import services as forum_services
from forum.models import Thread, Visibility
from moderation.models import LogEntry, Notice

from ..conftest import client_for
from ..forum.test_realtime_consumer import next_event, open_socket

TOOLS = 'id="thread-tools"'


def url(thread):
    return thread.get_absolute_url()


def tool(thread, name, pk=None, target="thread"):
    return f"/moderation/{target}/{pk or thread.pk}/{name}/"


def opening(thread):
    return thread.posts.get(is_opening=True)


def from_page(client, thread, name, reason="", target="thread", pk=None, **extra):
    """What the thread page's form sends when a button is pressed: the reason box, the
    move list and the page to come back to."""
    data = {"reason": reason, "next": url(thread), **extra}
    return client.post(tool(thread, name, pk, target), data, follow=True)


def logged(action):
    return list(LogEntry.objects.filter(action=action))


def test_a_moderator_signed_in_with_two_factors_gets_the_tools_on_the_thread_page(moderator, thread, other_category):
    page = client_for(moderator).get(url(thread)).content.decode()
    assert TOOLS in page
    assert f'formaction="{tool(thread, "lock")}"' in page
    assert f'formaction="{tool(thread, "pin")}"' in page
    assert f'formaction="{tool(thread, "move")}"' in page
    assert f'formaction="{tool(thread, "hide", opening(thread).pk, "post")}"' in page
    assert f'<option value="{other_category.pk}">{escape(other_category.name)}</option>' in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("persona", ["member", "other_member", "unverified_member"])
def test_members_never_get_the_tools(request, persona, thread):
    page = client_for(request.getfixturevalue(persona)).get(url(thread)).content.decode()
    assert TOOLS not in page
    assert "/moderation/thread/" not in page


def test_anonymous_readers_never_get_the_tools(reader, thread):
    assert TOOLS not in reader.get(url(thread)).content.decode()


def test_a_moderator_signed_in_without_the_second_factor_sees_what_a_member_sees(moderator, thread):
    page = client_for(moderator, two_factor=False).get(url(thread)).content.decode()
    assert TOOLS not in page
    assert "/moderation/" not in page.split('id="thread"', 1)[1]  # no tool under any post either


def test_the_page_cache_never_carries_the_tools_to_another_reader(moderator, member, other_member, reader, thread):
    forum_services.post_create(author=other_member, thread=thread, body="A reply, so there is a tree to cache")
    moderator_client, member_client = client_for(moderator), client_for(member)
    # Warm every cache entry in both orders; each reader gets their own page.
    assert TOOLS in moderator_client.get(url(thread)).content.decode()
    assert TOOLS not in member_client.get(url(thread)).content.decode()
    assert TOOLS not in reader.get(url(thread)).content.decode()
    assert TOOLS not in client_for(moderator, two_factor=False).get(url(thread)).content.decode()
    assert TOOLS in moderator_client.get(url(thread)).content.decode()
    assert "/moderation/post/" not in member_client.get(url(thread)).content.decode()


@pytest.mark.parametrize("persona", ["member", "unverified_member"])
def test_members_who_post_the_tools_form_are_refused_and_nothing_changes(request, persona, thread, other_category):
    client = client_for(request.getfixturevalue(persona))
    for name in ("lock", "pin", "move"):
        response = client.post(tool(thread, name), {"reason": "x", "category": other_category.pk, "next": url(thread)})
        assert response.status_code == 403
    assert client.post(tool(thread, "hide", opening(thread).pk, "post"), {"reason": "x"}).status_code == 403
    thread.refresh_from_db()
    assert (thread.locked, thread.pinned, thread.category_id, thread.status) == (False, False, thread.category_id,
                                                                                 "published")
    assert thread.category != other_category
    assert not LogEntry.objects.exists()


def test_a_moderator_without_the_second_factor_is_sent_to_give_it_and_nothing_changes(moderator, thread):
    client = client_for(moderator, two_factor=False)
    response = client.post(tool(thread, "lock"), {"reason": "heated", "next": url(thread)})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] and url(thread) not in response["Location"]
    thread.refresh_from_db()
    assert not thread.locked
    assert not LogEntry.objects.exists()


def test_lock_from_the_thread_page_locks_logs_tells_the_author_and_shows_the_result(moderator, member, thread):
    response = from_page(client_for(moderator), thread, "lock", reason="It got heated; a pause for tonight")
    assert response.redirect_chain[-1][0] == url(thread)
    page = response.content.decode()
    assert "Thread locked." in page
    assert '<span class="badge badge-locked">Locked</span>' in page
    assert f'formaction="{tool(thread, "unlock")}"' in page and f'formaction="{tool(thread, "lock")}"' not in page
    assert Thread.objects.get(pk=thread.pk).locked
    [entry] = logged("lock")
    assert (entry.actor, entry.target_id, entry.reason) == (moderator, thread.pk, "It got heated; a pause for tonight")
    assert Notice.objects.get(recipient=member, action="lock").reason == "It got heated; a pause for tonight"
    # The member now finds it locked.
    assert "This thread is locked" in client_for(member).get(url(thread)).content.decode()


def test_unlock_from_the_thread_page(moderator, thread):
    client = client_for(moderator)
    from_page(client, thread, "lock")
    page = from_page(client, thread, "unlock").content.decode()
    assert "Thread unlocked." in page
    assert not Thread.objects.get(pk=thread.pk).locked
    assert len(logged("unlock")) == 1


def test_pin_and_unpin_from_the_thread_page(moderator, thread):
    client = client_for(moderator)
    page = from_page(client, thread, "pin", reason="A good guide for newcomers").content.decode()
    assert "Thread pinned." in page and '<span class="badge">Pinned</span>' in page
    assert f'formaction="{tool(thread, "unpin")}"' in page
    assert Thread.objects.get(pk=thread.pk).pinned
    page = from_page(client, thread, "unpin").content.decode()
    assert "Thread unpinned." in page
    assert not Thread.objects.get(pk=thread.pk).pinned
    assert [len(logged("pin")), len(logged("unpin"))] == [1, 1]


def test_move_from_the_thread_page(moderator, thread, other_category):
    page = from_page(client_for(moderator), thread, "move", reason="About tapering", category=other_category.pk)
    assert "Thread moved." in page.content.decode()
    assert Thread.objects.get(pk=thread.pk).category == other_category
    assert escape(other_category.name) in page.content.decode()  # the breadcrumb names the new category
    [entry] = logged("move")
    assert entry.reason == "About tapering"
    # As the reason box says: a move tells the author where the thread went, not the reason.
    notice = Notice.objects.get(action="move")
    assert other_category.name in notice.message and "About tapering" not in notice.reason + notice.message


def test_hiding_the_thread_needs_a_reason_and_keeps_what_was_written(moderator, thread):
    client = client_for(moderator)
    response = client.post(tool(thread, "hide", opening(thread).pk, "post"), {"reason": "", "next": url(thread)})
    assert response.status_code == 400
    assert "Please give a reason" in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).status == Visibility.PUBLISHED
    assert not logged("hide")


def test_hiding_the_thread_from_its_page_hides_it_from_members_logs_it_and_can_be_undone(moderator, member,
                                                                                       other_member, thread):
    client = client_for(moderator)
    page = from_page(client, thread, "hide", reason="Names a seller", target="post", pk=opening(thread).pk)
    assert "Post hidden; its author has been told why." in page.content.decode()
    assert Thread.objects.get(pk=thread.pk).status == Visibility.HIDDEN
    assert f'formaction="{tool(thread, "unhide", opening(thread).pk, "post")}"' in page.content.decode()
    assert client_for(other_member).get(url(thread)).status_code == 404
    assert len(logged("hide")) == 1
    assert Notice.objects.get(recipient=member, action="hide").reason == "Names a seller"
    page = from_page(client, thread, "unhide", target="post", pk=opening(thread).pk)
    assert "Post visible again." in page.content.decode()
    assert client_for(other_member).get(url(thread)).status_code == 200
    assert len(logged("unhide")) == 1


def test_hiding_and_showing_a_reply_from_the_thread_page(moderator, other_member, thread):
    reply = forum_services.post_create(author=other_member, thread=thread, body="I can sell you some")
    client = client_for(moderator)
    page = client.get(url(thread)).content.decode()
    assert f"/moderation/post/{reply.pk}/hide/" in page  # the tools under the reply
    page = from_page(client, thread, "hide", reason="Sourcing", target="post", pk=reply.pk).content.decode()
    assert "Post hidden" in page
    reply.refresh_from_db()
    assert reply.status == Visibility.HIDDEN
    assert f"/moderation/post/{reply.pk}/unhide/" in page
    from_page(client, thread, "unhide", target="post", pk=reply.pk)
    reply.refresh_from_db()
    assert reply.status == Visibility.PUBLISHED
    assert [len(logged("hide")), len(logged("unhide"))] == [1, 1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_on_the_page_are_told_live_when_the_thread_is_locked_from_its_page(moderator, thread):
    @async_to_sync
    async def run():
        communicator = await open_socket(thread.pk)
        await database_sync_to_async(lambda: from_page(client_for(moderator), thread, "lock", reason="A pause"))()
        event = await next_event(communicator, "thread.updated")
        await communicator.disconnect()
        return event

    event = run()
    assert event["locked"] is True and event["thread_id"] == thread.pk
