"""Follow levels: watching, tracking, muted; category watching."""

from forum import services
from forum.models import FollowLevel, ThreadFollow

from ..conftest import client_for


def level_of(member, thread):
    row = ThreadFollow.objects.filter(member=member, thread=thread).first()
    return row.level if row else ""


def test_a_member_watches_the_thread_they_start(member, thread):
    assert level_of(member, thread) == FollowLevel.WATCHING


def test_replying_tracks_the_thread(thread, other_member):
    services.post_create(author=other_member, thread=thread, body="Mine went well, tired the day after.")
    assert level_of(other_member, thread) == FollowLevel.TRACKING


def test_replying_keeps_a_level_the_member_chose(thread, other_member):
    client_for(other_member).post(f"/t/{thread.pk}/follow/", {"level": "muted"})
    services.post_create(author=other_member, thread=thread, body="Replying anyway.")
    assert level_of(other_member, thread) == FollowLevel.MUTED


def test_the_follow_control_works_without_javascript(thread, other_member):
    client = client_for(other_member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'action="/t/{thread.pk}/follow/"' in page
    assert 'value="watching" class="follow-watching" aria-pressed="false"' in page

    response = client.post(f"/t/{thread.pk}/follow/", {"level": "watching"}, follow=True)
    page = response.content.decode()
    assert "You&#x27;re watching this thread" in page
    assert 'value="watching" class="follow-watching" aria-pressed="true"' in page


def test_an_unknown_level_changes_nothing(thread, other_member):
    response = client_for(other_member).post(f"/t/{thread.pk}/follow/", {"level": "shouting"})
    assert response.status_code == 302
    assert level_of(other_member, thread) == ""


def test_anonymous_readers_see_no_follow_control_and_cannot_follow(reader, thread):
    assert "follow-control" not in reader.get(thread.get_absolute_url()).content.decode()
    response = reader.post(f"/t/{thread.pk}/follow/", {"level": "watching"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ThreadFollow.objects.filter(thread=thread, level="watching").exclude(member=thread.author).exists()


def test_a_member_watches_a_category_from_its_page_and_stops(category, other_member):
    client = client_for(other_member)
    assert "Watch for new threads" in client.get(category.get_absolute_url()).content.decode()
    page = client.post(f"/c/{category.slug}/watch/", {"watch": "1"}, follow=True).content.decode()
    assert "Stop watching" in page
    page = client.post(f"/c/{category.slug}/watch/", {"watch": "0"}, follow=True).content.decode()
    assert "Watch for new threads" in page


def test_muting_a_thread_quiets_what_it_already_put_in_the_inbox(thread, member, other_member):
    from forum import follows
    from forum.models import Notification

    follows.thread_follow_set(member=member, thread=thread, level="watching")
    services.post_create(author=other_member, thread=thread, body="A reply alice is told about.")
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 1
    client_for(member).post(f"/t/{thread.pk}/follow/", {"level": "muted"})
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert "(1 new)" not in client_for(member).get("/").content.decode()
