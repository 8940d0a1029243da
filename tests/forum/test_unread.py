"""Read positions: one row per member and thread, written only by a member's GET."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import follows, services
from forum.models import Post, ThreadFollow

from ..conftest import client_for, make_member


def test_an_anonymous_thread_view_writes_nothing_and_sets_no_cookie(reader, thread):
    with CaptureQueriesContext(connection) as context:
        response = reader.get(thread.get_absolute_url())
    assert response.status_code == 200
    writes = [q["sql"] for q in context.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert "sessionid" not in response.cookies
    assert not ThreadFollow.objects.exclude(member=thread.author).exists()


def test_a_members_view_writes_only_their_read_position(thread, other_member):
    services.post_create(author=thread.author, thread=thread, body="An update.")
    client = client_for(other_member)
    client.get("/")  # the session is loaded and warm
    with CaptureQueriesContext(connection) as context:
        client.get(thread.get_absolute_url())
    writes = [q["sql"] for q in context.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1 and "forum_threadfollow" in writes[0]
    assert ThreadFollow.objects.get(member=other_member, thread=thread).last_read_post_id == (
        Post.objects.filter(thread=thread).latest("pk").pk
    )

    # Reading again with nothing new writes nothing, and there is still one row.
    with CaptureQueriesContext(connection) as context:
        client.get(thread.get_absolute_url())
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in context.captured_queries)
    assert ThreadFollow.objects.filter(member=other_member, thread=thread).count() == 1


def test_reading_keeps_the_level_the_member_chose(thread, other_member):
    client = client_for(other_member)
    client.post(f"/t/{thread.pk}/follow/", {"level": "watching"})
    services.post_create(author=thread.author, thread=thread, body="News.")
    client.get(thread.get_absolute_url())
    assert ThreadFollow.objects.get(member=other_member, thread=thread).level == "watching"


def test_the_category_page_counts_new_replies_in_followed_threads(member, other_member, thread, category):
    client = client_for(member)
    client.get(thread.get_absolute_url())  # alice has read her thread
    services.post_create(author=other_member, thread=thread, body="One.")
    services.post_create(author=other_member, thread=thread, body="Two.")
    services.post_create(author=member, thread=thread, body="My own reply is not new to me.")
    page = client.get(category.get_absolute_url()).content.decode()
    assert f'<a class="unread-count" href="/t/{thread.pk}/?unread" aria-label="2 new replies in {thread.title}">2 new</a>' in page

    client.get(thread.get_absolute_url())
    assert "unread-count" not in client.get(category.get_absolute_url()).content.decode()


def test_threads_a_member_does_not_follow_show_no_count(member, other_member, thread, category):
    client = client_for(other_member)
    client.get(thread.get_absolute_url())
    services.post_create(author=member, thread=thread, body="New.")
    assert "unread-count" not in client.get(category.get_absolute_url()).content.decode()


def test_opening_a_thread_from_the_list_goes_to_the_first_unread_reply(member, other_member, thread, settings):
    settings.FORUM_REPLIES_PER_PAGE = 2
    client = client_for(member)
    for n in range(3):
        services.post_create(author=other_member, thread=thread, body=f"Old reply {n}")
    client.get(f"{thread.get_absolute_url()}?page=2")  # alice read up to the third reply
    first_new = services.post_create(author=other_member, thread=thread, body="First new one")
    services.post_create(author=other_member, thread=thread, body="Second new one")

    response = client.get(f"{thread.get_absolute_url()}?unread", follow=True)
    assert response.redirect_chain[-1][0] == f"/t/{thread.pk}/?page=2#post-{first_new.pk}"
    assert "First new one" in response.content.decode()


def test_the_thread_page_offers_a_jump_to_the_first_new_reply(member, other_member, thread):
    client = client_for(member)
    client.get(thread.get_absolute_url())
    new = services.post_create(author=other_member, thread=thread, body="Something new.")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'<a href="/p/{new.pk}/">Jump to the first new reply</a>' in page
    assert "Jump to the first new reply" not in client.get(thread.get_absolute_url()).content.decode()


def test_with_nothing_unread_the_unread_link_opens_the_thread(member, thread):
    response = client_for(member).get(f"{thread.get_absolute_url()}?unread")
    assert response["Location"] == thread.get_absolute_url()


def test_hidden_replies_do_not_count_as_unread(member, other_member, thread, category, moderator):
    from moderation import services as moderation_services

    client = client_for(member)
    client.get(thread.get_absolute_url())
    post = services.post_create(author=make_member("carol"), thread=thread, body="To be hidden.")
    moderation_services.post_hide(actor=moderator, post=post, reason="Method details")
    assert "unread-count" not in client.get(category.get_absolute_url()).content.decode()


def test_a_page_that_finishes_late_does_not_move_the_read_position_back(thread, other_member):
    """Two page loads of one member can finish out of order (a slow one opened before a new
    reply): the one that read less must not undo what the other recorded."""
    older = services.post_create(author=thread.author, thread=thread, body="Earlier news.")
    newer = services.post_create(author=thread.author, thread=thread, body="Later news.")
    follows.read_position_record(member=other_member, thread=thread, post_id=newer.pk, known=None)
    follows.read_position_record(member=other_member, thread=thread, post_id=older.pk, known=None)
    assert ThreadFollow.objects.get(member=other_member, thread=thread).last_read_post_id == newer.pk

    follows.thread_follow_set(member=other_member, thread=thread, level="watching")
    later = services.post_create(author=thread.author, thread=thread, body="Even later.")
    follows.read_position_record(member=other_member, thread=thread, post_id=later.pk, known=newer.pk)
    row = ThreadFollow.objects.get(member=other_member, thread=thread)
    assert (row.last_read_post_id, row.level) == (later.pk, "watching")
    assert abs((timezone.now() - row.updated_at).total_seconds()) < 60
