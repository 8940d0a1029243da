"""The HTTP side of the live thread: replying with fetch, and catching up after a dropped
socket."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import services
from forum.models import Post, Thread, Visibility

from ..conftest import client_for

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _established_members(settings):
    """These members are past pre-moderation and rate limits (the moderation issue's
    rules), so their replies publish at once; the held case is tested on purpose."""
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False


def catch_up(client, thread, after):
    return client.get(f"/t/{thread.pk}/posts/", {"after": after}, **JSON)


def test_a_fetch_reply_comes_back_as_the_post_to_insert(thread, other_member):
    response = client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "Same here"}, **JSON)
    assert response.status_code == 201
    data = response.json()
    post = Post.objects.get(pk=data["post_id"])
    assert post.body == "Same here" and data["parent_id"] is None
    assert f'id="post-{post.pk}"' in data["html"] and "Same here" in data["html"]
    assert "Edit</a>" in data["html"]  # the author's own view of it
    assert data["url"].endswith(f"#post-{post.pk}")


def test_a_fetch_reply_with_errors_keeps_the_draft(thread, other_member):
    long_body = "x" * 20_001
    response = client_for(other_member).post(
        f"/t/{thread.pk}/reply/", {"body": long_body, "content_warning": "withdrawal"}, **JSON
    )
    assert response.status_code == 400
    data = response.json()
    assert "body" in data["errors"]
    assert long_body in data["form_html"] and 'value="withdrawal"' in data["form_html"]
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_without_javascript_a_reply_still_redirects_to_its_anchor(thread, other_member):
    response = client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "Plain form"})
    post = Post.objects.get(body="Plain form")
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")


def test_the_thread_page_tells_its_script_where_to_catch_up(thread, reader):
    page = reader.get(f"/t/{thread.pk}/").content.decode()
    assert f'data-catch-up-url="/t/{thread.pk}/posts/"' in page
    assert "js/thread.js" in page and 'aria-live="polite"' in page


def test_catch_up_returns_the_posts_after_the_last_one_held(thread, member, other_member, reader):
    first = services.post_create(author=other_member, thread=thread, body="seen already")
    second = services.post_create(author=member, thread=thread, body="missed one", parent=first)
    third = services.post_create(author=other_member, thread=thread, body="missed two")
    data = catch_up(reader, thread, first.pk).json()
    assert [p["post_id"] for p in data["posts"]] == [second.pk, third.pk]
    assert data["posts"][0]["parent_id"] == first.pk and "missed one" in data["posts"][0]["html"]
    assert data["more"] is False


def test_catch_up_leaves_out_pending_posts_and_shows_removed_ones_as_placeholders(thread, member, other_member):
    held = services.post_create(author=other_member, thread=thread, body="waiting for review")
    Post.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
    gone = services.post_create(author=other_member, thread=thread, body="taken back")
    services.post_delete(actor=other_member, post=gone)
    data = catch_up(client_for(member), thread, 0).json()
    assert [p["post_id"] for p in data["posts"]] == [gone.pk]
    assert "Removed by its author." in data["posts"][0]["html"] and "taken back" not in data["posts"][0]["html"]


def test_catch_up_of_a_hidden_thread_is_not_found(thread, reader):
    Thread.objects.filter(pk=thread.pk).update(status=Visibility.HIDDEN)
    assert catch_up(reader, thread, 0).status_code == 404


def test_catch_up_needs_a_post_id(thread, reader):
    assert reader.get(f"/t/{thread.pk}/posts/").status_code == 400


def test_catch_up_query_count_does_not_grow_with_posts(thread, member, other_member, reader):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert catch_up(reader, thread, 0).status_code == 200
        return len(queries)

    top = services.post_create(author=other_member, thread=thread, body="a")
    services.post_create(author=member, thread=thread, body="b", parent=top)
    few = count_queries()
    parent = top
    for n in range(12):
        parent = services.post_create(author=member if n % 2 else other_member, thread=thread, body=f"r{n}", parent=parent)
    assert count_queries() == few


def test_a_catch_up_with_nothing_new_reads_only_ids(thread, member, other_member, reader):
    """A page that reconnects usually missed nothing: its answer is one narrow query for
    ids, not the wide one with every post's text and authors (costly to build, and a
    reconnect storm asks it of every page at once)."""
    top = services.post_create(author=other_member, thread=thread, body="Still here")
    services.post_edit(editor=other_member, post=top, body="Still here, a week on")
    since = (timezone.now() + timedelta(minutes=1)).isoformat()
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(f"/t/{thread.pk}/posts/", {"after": top.pk, "since": since})
    assert response.status_code == 200
    assert response.json()["posts"] == [] and response.json()["changed"] == []
    assert not [query for query in queries if "body_html" in query["sql"]]
    # And when something is new or changed, it comes.
    assert [post["post_id"] for post in reader.get(f"/t/{thread.pk}/posts/", {"after": 0}).json()["posts"]] == [top.pk]
    long_ago = timezone.now().replace(year=2020).isoformat()
    changed = reader.get(f"/t/{thread.pk}/posts/", {"after": top.pk, "since": long_ago}).json()["changed"]
    assert "Still here, a week on" in changed[0]["html"]


def test_a_fetch_reply_that_reads_as_crisis_shows_the_author_their_own_lines(thread, other_member):
    other_member.region = "GB"
    other_member.save()
    response = client_for(other_member).post(
        f"/t/{thread.pk}/reply/", {"body": "Some nights I just want to die, nothing is helping."}, **JSON
    )
    assert response.status_code == 201
    html = response.json()["html"]
    assert "Only you can see this note" in html and "Samaritans" in html and "116 123" in html


def test_catch_up_brings_the_edits_removals_and_approvals_missed_while_away(thread, member, other_member, moderator, reader):
    from moderation import services as moderation

    edited = services.post_create(author=other_member, thread=thread, body="first words")
    gone = services.post_create(author=other_member, thread=thread, body="a reply I regret")
    held = services.post_create(author=other_member, thread=thread, body="approved while you were away")
    Post.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
    untouched = services.post_create(author=member, thread=thread, body="nothing happens to me")
    page = reader.get(thread.get_absolute_url()).content.decode()
    since = page.split('data-rendered-at="')[1].split('"')[0]

    # The reader's socket drops; meanwhile an edit, a removal and an approval happen.
    services.post_edit(editor=other_member, post=edited, body="first words, put better")
    services.post_delete(actor=other_member, post=gone)
    moderation.post_approve(actor=moderator, post=Post.objects.get(pk=held.pk))

    data = reader.get(
        f"/t/{thread.pk}/posts/", {"after": untouched.pk, "since": since}, **JSON
    ).json()
    changes = {change["post_id"]: change for change in data["changed"]}
    assert set(changes) == {edited.pk, gone.pk, held.pk}
    assert "first words, put better" in changes[edited.pk]["html"] and not changes[edited.pk]["removed"]
    assert changes[gone.pk]["removed"] and "a reply I regret" not in changes[gone.pk]["html"]
    assert "approved while you were away" in changes[held.pk]["node"]["html"]

    # Asked again from the time of that answer, nothing more has changed.
    again = reader.get(f"/t/{thread.pk}/posts/", {"after": untouched.pk, "since": data["now"]}, **JSON).json()
    assert again["changed"] == []


def test_catch_up_never_brings_a_change_to_a_post_still_pending(thread, other_member, reader):
    held = services.post_create(author=other_member, thread=thread, body="still waiting")
    Post.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
    since = reader.get(f"/t/{thread.pk}/posts/", {"after": 0}, **JSON).json()["now"]
    services.post_edit(editor=other_member, post=Post.objects.get(pk=held.pk), body="still waiting, edited")
    data = reader.get(f"/t/{thread.pk}/posts/", {"after": held.pk, "since": since}, **JSON).json()
    assert data["changed"] == [] and "still waiting" not in str(data)


def test_the_same_catch_up_is_answered_once_and_shared_until_the_thread_changes(thread, member, other_member, reader):
    """A reconnect storm of pages loaded from one shared page asks the same question: it
    is answered from the posts once, and anything written since shows at once."""
    top = services.post_create(author=other_member, thread=thread, body="The first reply")
    since = timezone.now().isoformat()
    first = reader.get(f"/t/{thread.pk}/posts/", {"after": 0, "since": since}).json()
    with CaptureQueriesContext(connection) as queries:
        again = client_for(member).get(f"/t/{thread.pk}/posts/", {"after": 0, "since": since}).json()
    assert again == first and [post["post_id"] for post in again["posts"]] == [top.pk]
    assert not [query for query in queries if 'FROM "forum_post"' in query["sql"]]

    later = services.post_create(author=member, thread=thread, body="Written after the first answer")
    services.post_edit(editor=other_member, post=top, body="The first reply, edited")
    fresh = reader.get(f"/t/{thread.pk}/posts/", {"after": 0, "since": since}).json()
    assert [post["post_id"] for post in fresh["posts"]] == [top.pk, later.pk]
    assert "The first reply, edited" in fresh["posts"][0]["html"]
    assert fresh["version"] > first["version"]


def test_a_shared_catch_up_is_still_refused_to_whoever_may_not_read_the_thread(thread, category, member, reader):
    assert catch_up(reader, thread, 0).status_code == 200  # the answer is kept
    category.members_only = True
    category.save()
    assert catch_up(reader, thread, 0).status_code == 404
    assert catch_up(client_for(member), thread, 0).status_code == 200
