"""Posting limits modelled on Discourse's: a refusal says how long to wait and keeps the draft."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from forum import services as forum_services
from forum.models import Post

from ..conftest import client_for

pytestmark = pytest.mark.usefixtures("rate_limits_on")


def age(user, **delta):
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(**delta))
    user.refresh_from_db()
    return user


def backdate_posts(user, **delta):
    Post.objects.filter(author=user).update(created_at=timezone.now() - timedelta(**delta))


def test_a_new_member_waits_30_seconds_and_keeps_the_draft(thread, other_member):
    client = client_for(other_member)
    assert client.post(f"/t/{thread.pk}/reply/", {"body": "first thought"}).status_code == 302
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "second thought, kept safe"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "New members wait 30 seconds between posts" in page and "You can post again in" in page
    assert "second thought, kept safe</textarea>" in page
    backdate_posts(other_member, seconds=31)
    assert client.post(f"/t/{thread.pk}/reply/", {"body": "second thought, kept safe"}).status_code == 302


def test_everyone_waits_5_seconds(thread, other_member):
    other_member = age(other_member, days=30)
    forum_services.post_create(author=other_member, thread=thread, body="one")
    with pytest.raises(ValidationError, match="Everyone waits 5 seconds"):
        forum_services.post_create(author=other_member, thread=thread, body="two")
    backdate_posts(other_member, seconds=6)
    assert forum_services.post_create(author=other_member, thread=thread, body="two").pk


def test_the_same_text_cannot_be_posted_twice_within_5_minutes(thread, other_member):
    other_member = age(other_member, days=30)
    forum_services.post_create(author=other_member, thread=thread, body="same words")
    backdate_posts(other_member, seconds=60)
    with pytest.raises(ValidationError, match="same text") as caught:
        forum_services.post_create(author=other_member, thread=thread, body="same words")
    assert "4 minutes" in str(caught.value)
    backdate_posts(other_member, minutes=6)
    assert forum_services.post_create(author=other_member, thread=thread, body="same words").pk


def test_a_new_member_starts_at_most_3_threads_on_their_first_day(other_member, category):
    for n in range(3):
        forum_services.thread_create(author=other_member, category=category, title=f"Thread {n}", body=f"body {n}")
        backdate_posts(other_member, minutes=1)
    with pytest.raises(ValidationError, match="up to 3 threads"):
        forum_services.thread_create(author=other_member, category=category, title="Thread 4", body="body 4")
    age(other_member, days=2)
    assert forum_services.thread_create(author=other_member, category=category, title="Thread 4", body="body 4").pk


def test_a_new_member_makes_at_most_10_replies_on_their_first_day(thread, other_member):
    for n in range(10):
        forum_services.post_create(author=other_member, thread=thread, body=f"reply {n}")
        backdate_posts(other_member, minutes=1)
    with pytest.raises(ValidationError, match="up to 10 replies"):
        forum_services.post_create(author=other_member, thread=thread, body="reply 11")


def test_moderators_are_not_rate_limited(thread, moderator):
    forum_services.post_create(author=moderator, thread=thread, body="one")
    assert forum_services.post_create(author=moderator, thread=thread, body="one").pk
