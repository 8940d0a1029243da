"""Reactions, edits and the composer's crisis check are limited per member (issue 15):
each reaction and edit invalidates the thread's cached pages and is broadcast to every
reader, and each check runs the crisis patterns over up to 20,000 characters."""

import pytest

from forum import services
from forum.models import Post

from ..conftest import client_for


@pytest.fixture
def reply(thread, other_member):
    return services.post_create(author=other_member, thread=thread, body="Some words worth a reaction")


def test_a_member_who_reacts_too_fast_is_asked_to_slow_down(reply, member, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "react": (4, 60)}
    client = client_for(member)
    json = {"HTTP_ACCEPT": "application/json"}
    statuses = [client.post(f"/p/{reply.pk}/react/", {"kind": "support"}, **json).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(f"/p/{reply.pk}/react/", {"kind": "me_too"}, **json)
    assert response.status_code == 429 and "a moment" in response.json()["error"]
    assert Post.objects.get(pk=reply.pk).me_too_count == 0


def test_another_member_is_not_slowed_by_someone_elses_reactions(reply, member, settings):
    from ..conftest import make_member

    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "react": (1, 60)}
    client_for(member).post(f"/p/{reply.pk}/react/", {"kind": "support"})
    response = client_for(make_member("erin")).post(
        f"/p/{reply.pk}/react/", {"kind": "support"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200


def test_a_member_who_edits_too_often_is_refused_and_keeps_the_text(reply, other_member, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "edit": (2, 600)}
    client = client_for(other_member)
    for n in range(2):
        assert client.post(f"/p/{reply.pk}/edit/", {"body": f"Version {n}"}).status_code == 302
    response = client.post(f"/p/{reply.pk}/edit/", {"body": "Version three, carefully worded"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Version three, carefully worded" in html and "edited this often" in html
    assert Post.objects.get(pk=reply.pk).body == "Version 1"


def test_the_composers_crisis_check_is_limited(member, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "crisis_check": (3, 60)}
    client = client_for(member)
    statuses = [client.post("/crisis/check/", {"text": "an ordinary draft"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
