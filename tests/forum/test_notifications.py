"""Who hears about a post, and that nobody hears about what they cannot see."""

import pytest

from forum import services
from forum.models import Notification
from moderation import services as moderation_services

from ..conftest import client_for, make_member


def kinds_for(member):
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def inbox(member) -> str:
    return client_for(member).get("/inbox/").content.decode()


def test_a_reply_to_your_thread_notifies_you(member, other_member, thread):
    services.post_create(author=other_member, thread=thread, body="Day three was the hardest for me.")
    assert kinds_for(member) == ["reply"]
    assert "bob replied to you in “First week of esketamine”" in inbox(member)


def test_a_reply_to_your_reply_notifies_you_and_not_the_thread_author_twice(member, other_member, thread):
    first = services.post_create(author=other_member, thread=thread, body="Mine was fine.")
    carol = make_member("carol")
    services.post_create(author=carol, thread=thread, body="Glad to hear it.", parent=first)
    assert kinds_for(other_member) == ["reply"]
    # alice started the thread, so she watches it: one notification per post.
    assert kinds_for(member) == ["reply", "watched"]


def test_you_are_not_notified_about_your_own_posts(member, thread):
    services.post_create(author=member, thread=thread, body="Adding an update to my own thread.")
    assert kinds_for(member) == []


def test_a_watched_thread_notifies_of_every_reply(thread, other_member):
    client_for(other_member).post(f"/t/{thread.pk}/follow/", {"level": "watching"})
    services.post_create(author=make_member("carol"), thread=thread, body="Something new here.")
    assert kinds_for(other_member) == ["watched"]


def test_tracking_counts_but_does_not_notify(thread, other_member):
    services.post_create(author=other_member, thread=thread, body="My first reply.")  # tracking now
    services.post_create(author=make_member("carol"), thread=thread, body="A reply to the thread.")
    assert kinds_for(other_member) == []


def test_a_muted_thread_sends_nothing_not_even_replies_to_you(member, other_member, thread):
    client_for(member).post(f"/t/{thread.pk}/follow/", {"level": "muted"})
    services.post_create(author=other_member, thread=thread, body="@alice are you still here?")
    assert kinds_for(member) == []


def test_a_mention_notifies_the_member_and_links_to_their_profile(member, other_member, thread):
    carol = make_member("carol")
    post = services.post_create(author=other_member, thread=thread, body="@carol had the same thing, I think.")
    assert kinds_for(carol) == ["mention"]
    assert '<a class="mention" href="/members/carol/">@carol</a>' in post.body_html
    assert "bob mentioned you in" in inbox(carol)


@pytest.mark.parametrize(
    "body",
    ["Try `@carol` in the search box.", "```\n@carol\n```", "> @carol said this helped\n\nI agree."],
)
def test_mentions_inside_code_or_quotes_do_not_notify(other_member, thread, body):
    carol = make_member("carol")
    post = services.post_create(author=other_member, thread=thread, body=body)
    assert kinds_for(carol) == []
    assert 'class="mention"' not in post.body_html


def test_an_unknown_name_does_nothing(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Thanks @nobody_here, and email me@example.org")
    assert Notification.objects.filter(kind="mention").count() == 0
    assert 'class="mention"' not in post.body_html


def test_category_watchers_hear_of_new_threads(category, member, other_member):
    client_for(other_member).post(f"/c/{category.slug}/watch/", {"watch": "1"})
    services.thread_create(author=member, category=category, title="Nasal spray and nausea", body="Any tips?")
    assert kinds_for(other_member) == ["new_thread"]
    assert "alice started a new thread: “Nasal spray and nausea”" in inbox(other_member)


def test_a_pending_post_notifies_nobody_until_a_moderator_approves_it(member, thread, moderator, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2  # a newcomer's first posts wait for a moderator
    newcomer = make_member("newcomer")
    post = services.post_create(author=newcomer, thread=thread, body="@alice first post here, hello")
    assert post.status == "pending"
    assert kinds_for(member) == []
    assert "newcomer" not in inbox(member)

    moderation_services.post_approve(actor=moderator, post=post)
    assert kinds_for(member) == ["reply"]
    moderation_services.post_approve(actor=moderator, post=post)  # a double click
    assert kinds_for(member) == ["reply"]


def test_a_pending_thread_notifies_category_watchers_only_once_approved(category, other_member, moderator, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    client_for(other_member).post(f"/c/{category.slug}/watch/", {"watch": "1"})
    newcomer = make_member("newcomer")
    thread = services.thread_create(author=newcomer, category=category, title="Held thread", body="Hello all")
    assert kinds_for(other_member) == []
    moderation_services.post_approve(actor=moderator, post=thread.posts.get(is_opening=True))
    assert kinds_for(other_member) == ["new_thread"]


def test_a_hidden_post_leaves_the_inbox_and_the_count(member, other_member, thread, moderator):
    post = services.post_create(author=other_member, thread=thread, body="Something a moderator will hide.")
    assert "bob replied to you" in inbox(member)
    moderation_services.post_hide(actor=moderator, post=post, reason="Sourcing talk")
    page = inbox(member)
    assert "bob replied to you" not in page
    assert 'id="inbox-count" hidden' in page


def test_moderation_outcomes_arrive_in_the_same_inbox(member, other_member, thread, moderator):
    post = services.post_create(author=other_member, thread=thread, body="A reply that breaks a rule.")
    moderation_services.post_hide(actor=moderator, post=post, reason="No selling here")
    page = inbox(other_member)
    assert "From the moderators" in page
    assert "No selling here" in page
    assert "(1 new)" in page
    # Reading the moderators' notices page reads them in the inbox too.
    client_for(other_member).get("/notices/")
    assert "(1 new)" not in inbox(other_member)


def test_the_header_counts_unread_and_mark_all_read_clears_it(member, other_member, thread):
    services.post_create(author=other_member, thread=thread, body="One.")
    services.post_create(author=other_member, thread=thread, body="Two.")
    client = client_for(member)
    assert "Inbox <span class=\"count\" id=\"inbox-count\">(2 new)</span>" in client.get("/").content.decode()
    page = client.post("/inbox/read/", follow=True).content.decode()
    assert "everything is marked as read" in page
    assert 'id="inbox-count" hidden' in page
    assert "is-unread" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(member, other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Here you go.")
    notification = Notification.objects.get(recipient=member)
    response = client_for(member).post(f"/inbox/{notification.pk}/open/")
    assert response["Location"] == post.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_member_cannot_open_someone_elses_notification(member, other_member, thread):
    services.post_create(author=other_member, thread=thread, body="Hello.")
    notification = Notification.objects.get(recipient=member)
    assert client_for(other_member).post(f"/inbox/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_former_members_are_not_notified(member, other_member, thread):
    member.is_former = True
    member.save(update_fields=["is_former"])
    services.post_create(author=other_member, thread=thread, body="Anyone?")
    assert kinds_for(member) == []
