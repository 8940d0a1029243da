""""I'm safe for now": the author of a crisis-flagged post says so on the post, and the
members who answered it hear about it."""

import pytest
from django.core.exceptions import PermissionDenied

from forum import reactions, services
from forum.models import FollowLevel, Notification, ThreadFollow
from tests.conftest import client_for, make_member

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."


@pytest.fixture
def crisis_post(member, category):
    thread = services.thread_create(author=member, category=category, title="Tonight", body=URGENT)
    return thread.posts.get(is_opening=True)


def told(member) -> list[str]:
    from forum.notifications import describe

    return [describe(n) for n in Notification.objects.filter(recipient=member, kind=Notification.Kind.SAFE_FOR_NOW)]


def test_the_author_sees_the_button_on_their_crisis_post_and_nobody_else_does(crisis_post, member, other_member, reader):
    url = crisis_post.thread.get_absolute_url()
    assert "I'm safe for now</button>" in client_for(member).get(url).content.decode().replace("&#x27;", "'")
    for client in (client_for(other_member), reader):
        assert "safe for now</button>" not in client.get(url).content.decode().replace("&#x27;", "'")


def test_marking_it_shows_on_the_post_for_every_reader(crisis_post, member, reader):
    response = client_for(member).post(f"/p/{crisis_post.pk}/safe/", {"safe": "1"})
    assert response.status_code == 302
    html = reader.get(crisis_post.thread.get_absolute_url()).content.decode()
    assert '<span translate="no">alice</span> says they are safe for now.' in html


def test_those_who_replied_or_reacted_are_told_once(crisis_post, member, other_member, django_capture_on_commit_callbacks):
    replier, reactor, watcher = other_member, make_member("rhea"), make_member("wade")
    services.post_create(author=replier, thread=crisis_post.thread, body="I'm here. Are you safe right now?")
    reactions.reaction_toggle(member=reactor, post=crisis_post, kind="support")
    ThreadFollow.objects.create(member=watcher, thread=crisis_post.thread, level=FollowLevel.WATCHING)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_safe_mark(author=member, post=crisis_post)
    expected = ["alice, whom you answered in “Tonight”, says they are safe for now"]
    assert told(replier) == expected and told(reactor) == expected
    assert told(watcher) == [] and told(member) == []
    # Taking it back tells nobody; saying it again tells nobody twice.
    services.post_safe_mark(author=member, post=crisis_post, safe=False)
    services.post_safe_mark(author=member, post=crisis_post)
    assert len(told(replier)) == 1


def test_only_replies_to_that_post_count_for_a_reply(member, other_member, thread):
    crisis_reply = services.post_create(author=other_member, thread=thread, body=URGENT)
    answer = make_member("una")
    services.post_create(author=answer, thread=thread, parent=crisis_reply, body="Please stay. Call the line?")
    services.post_create(author=make_member("vic"), thread=thread, body="Unrelated, week two went well.")
    services.post_safe_mark(author=other_member, post=crisis_reply)
    assert Notification.objects.filter(kind=Notification.Kind.SAFE_FOR_NOW).count() == 1
    assert told(answer) == ["bob, whom you answered in “First week of esketamine”, says they are safe for now"]


def test_taking_it_back_removes_it_from_the_post_and_offers_the_lines_again(crisis_post, member, reader):
    client = client_for(member)
    client.post(f"/p/{crisis_post.pk}/safe/", {"safe": "1"})
    response = client.post(f"/p/{crisis_post.pk}/safe/", {"safe": "0"}, follow=True)
    assert "You don&#x27;t have to go through this alone" in response.content.decode()
    assert "says they are safe for now" not in reader.get(crisis_post.thread.get_absolute_url()).content.decode()


def test_nobody_else_can_say_it_and_nobody_can_say_it_of_an_ordinary_post(crisis_post, other_member, member, thread):
    with pytest.raises(PermissionDenied):
        services.post_safe_mark(author=other_member, post=crisis_post)
    assert client_for(other_member).post(f"/p/{crisis_post.pk}/safe/", {"safe": "1"}).status_code == 403
    ordinary = thread.posts.get(is_opening=True)
    with pytest.raises(PermissionDenied):
        services.post_safe_mark(author=member, post=ordinary)
    crisis_post.refresh_from_db()
    assert crisis_post.safe_for_now_at is None


def test_it_is_a_post_only(crisis_post, member):
    assert client_for(member).get(f"/p/{crisis_post.pk}/safe/").status_code == 405
