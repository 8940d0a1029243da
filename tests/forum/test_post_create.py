import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from forum import services
from forum.models import Post, Thread, Visibility


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_thread_create_makes_the_thread_and_its_opening_post(member, category):
    thread = services.thread_create(author=member, category=category, title="  Hello  ", body="First words")
    opening = Post.objects.get(thread=thread, is_opening=True)
    assert thread.title == "Hello"
    assert opening.body == "First words" and opening.body_html == "<p>First words</p>"
    assert thread.reply_count == 0
    assert reload(member).post_count == 1


def test_a_reply_counts_and_bumps_the_thread(thread, other_member):
    before = thread.last_activity_at
    services.post_create(author=other_member, thread=thread, body="Me too")
    thread = reload(thread)
    assert thread.reply_count == 1
    assert thread.last_activity_at > before
    assert reload(other_member).post_count == 1


def test_replies_nest_under_any_reply(thread, member, other_member):
    top = services.post_create(author=other_member, thread=thread, body="top")
    child = services.post_create(author=member, thread=thread, body="child", parent=top)
    grandchild = services.post_create(author=other_member, thread=thread, body="grandchild", parent=child)
    assert (top.depth, child.depth, grandchild.depth) == (1, 2, 3)
    assert top.root_id == child.root_id == grandchild.root_id == top.pk


def test_replying_to_the_opening_post_is_a_top_level_reply(thread, other_member):
    opening = Post.objects.get(thread=thread, is_opening=True)
    reply = services.post_create(author=other_member, thread=thread, body="hi", parent=opening)
    assert reply.parent_id is None and reply.depth == 1


def test_a_parent_from_another_thread_is_refused(thread, member, other_member, category):
    elsewhere = services.thread_create(author=member, category=category, title="Other", body="x")
    foreign = services.post_create(author=member, thread=elsewhere, body="there")
    with pytest.raises(ValidationError) as caught:
        services.post_create(author=other_member, thread=thread, body="here", parent=foreign)
    assert "parent" in caught.value.message_dict
    assert reload(thread).reply_count == 0


def test_a_locked_thread_takes_no_replies(thread, other_member):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    with pytest.raises(ValidationError, match="locked"):
        services.post_create(author=other_member, thread=thread, body="hello?")
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_moderators_may_still_reply_to_a_locked_thread(thread, moderator):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    services.post_create(author=moderator, thread=thread, body="Locking this for now, see the guidelines.")
    assert reload(thread).reply_count == 1


def test_an_unverified_member_cannot_post(unverified_member, category):
    with pytest.raises(PermissionDenied):
        services.thread_create(author=unverified_member, category=category, title="t", body="b")


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("\u200b\u200b", "empty"),
        ("x" * 20_001, "at most 20,000"),
        ("bad\x00byte", "control characters"),
        ("bell\x07", "control characters"),
    ],
)
def test_bad_bodies_get_a_clear_error(thread, other_member, body, message):
    with pytest.raises(ValidationError) as caught:
        services.post_create(author=other_member, thread=thread, body=body)
    assert message in " ".join(caught.value.message_dict["body"])


@pytest.mark.parametrize(
    "title, message", [("", "title"), ("   ", "title"), ("x" * 151, "at most 150"), ("a\x00b", "control")]
)
def test_bad_titles_get_a_clear_error(member, category, title, message):
    with pytest.raises(ValidationError) as caught:
        services.thread_create(author=member, category=category, title=title, body="fine")
    assert message in " ".join(caught.value.message_dict["title"])
    assert not Thread.objects.exists()


def test_a_body_of_exactly_the_limit_is_accepted(thread, other_member):
    post = services.post_create(author=other_member, thread=thread, body="y" * 20_000)
    assert len(post.body) == 20_000


@pytest.mark.parametrize(
    "text",
    ["Thank you 🙏🏽👩‍👩‍👧", "שלום, אני כאן", "مرحبا بكم", "Zoë, naïve, e\u0301", "你好，我在减药"],
)
def test_unicode_round_trips_unchanged(thread, other_member, text):
    post = services.post_create(author=other_member, thread=thread, body=text)
    assert Post.objects.get(pk=post.pk).body == text
    assert text in post.body_html


def test_concurrent_style_counter_updates_use_the_database_value(thread, other_member, member):
    # Two replies made from stale Thread objects still count both.
    stale = Thread.objects.get(pk=thread.pk)
    services.post_create(author=other_member, thread=stale, body="one")
    services.post_create(author=member, thread=stale, body="two")
    assert reload(thread).reply_count == 2
    assert User.objects.get(pk=other_member.pk).post_count == 1


def test_visibility_starts_published(thread, other_member):
    assert services.post_create(author=other_member, thread=thread, body="hi").status == Visibility.PUBLISHED
