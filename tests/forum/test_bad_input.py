"""Bad input answers 4xx with a clear message, never a server error (issue 15)."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from forum import services

from ..conftest import client_for


@pytest.mark.parametrize("since", ["2024-02-30T00:00:00", "2024-13-01T00:00:00", "yesterday", "2024-02-01T25:00:00"])
def test_catch_up_with_an_impossible_since_is_refused_clearly(reader, thread, since):
    response = reader.get(f"/t/{thread.pk}/posts/", {"after": 1, "since": since})
    assert response.status_code == 400
    assert "since" in response.json()["error"]


def test_catch_up_with_a_real_since_still_answers(reader, thread):
    response = reader.get(f"/t/{thread.pk}/posts/", {"after": 1, "since": "2024-02-29T00:00:00+00:00"})
    assert response.status_code == 200


def test_a_search_with_a_null_character_is_refused_clearly(reader, thread):
    response = reader.get("/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "we cannot search for" in response.content.decode()


def test_a_member_address_with_a_null_character_is_not_found(reader, member):
    response = reader.get("/members/%00/")
    assert response.status_code == 404
    assert reader.get("/members/al%00ice/").status_code == 404


def test_a_moderators_reason_of_a_thousand_characters_is_kept_whole(thread, other_member, moderator):
    from forum.models import PostRevision

    reply = services.post_create(author=other_member, thread=thread, body="Some words to edit")
    reason = "r" * 1000
    response = client_for(moderator).post(
        f"/moderation/post/{reply.pk}/edit/", {"body": "Edited words", "reason": reason}
    )
    assert response.status_code == 302
    assert PostRevision.objects.get(post=reply).reason == reason


def test_a_moderators_reason_over_the_limit_is_refused_and_the_edit_kept_in_the_form(thread, other_member, moderator):
    reply = services.post_create(author=other_member, thread=thread, body="Some words to edit")
    response = client_for(moderator).post(
        f"/moderation/post/{reply.pk}/edit/", {"body": "My edited words", "reason": "r" * 1001}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "My edited words" in html and "at most 1000 characters" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", ["/ws/other/", "/ws/threads/abc/", "/ws/", "/anything/"])
async def test_an_unknown_socket_address_is_closed_cleanly_as_not_found(path):
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")]
    )
    await communicator.connect(timeout=3)
    message = await communicator.receive_output(timeout=3)
    assert message == {"type": "websocket.close", "code": 4404}
