"""Home as a reader expects: Latest threads across the forum (filterable by category,
leaving out threads whose warnings the member hides), New and Unread for members, "Start
a thread", the categories beside; and the same lists at /latest/, /new/ and /unread/."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from forum import services
from forum.models import Category, Thread
from tests.conftest import client_for


def start(author, category, title, **extra):
    return services.thread_create(author=author, category=category, title=title, body="Opening words.", **extra)


def test_home_lists_the_latest_threads_across_every_category_newest_activity_first(
    reader, member, other_member, category, other_category
):
    older = start(member, category, "Older thread in ketamine")
    newer = start(other_member, other_category, "Newer thread about tapering")
    services.post_create(author=other_member, thread=older, body="A reply brings it back to the top.")
    html = reader.get("/").content.decode()
    assert html.index("Older thread in ketamine") < html.index("Newer thread about tapering")
    # Each row names its category (escaped, as every name is).
    assert f'class="category-tag" href="/c/{newer.category.slug}/">Medication withdrawal &amp; tapering</a>' in html
    assert "Start a thread" in html and 'id="categories-heading"' in html


def test_the_home_page_title_reads_as_a_sentence(reader, db):
    html = reader.get("/").content.decode()
    assert "<title>Common Ground: peer support for treatment-resistant depression</title>" in html


def test_the_latest_list_filters_by_category(reader, member, category, other_category):
    start(member, category, "About esketamine")
    start(member, other_category, "About tapering")
    html = reader.get(f"/?category={other_category.slug}").content.decode()
    assert "About tapering" in html and "About esketamine" not in html
    html = reader.get(f"/latest/?category={category.slug}").content.decode()
    assert "About esketamine" in html and "About tapering" not in html


def test_threads_with_a_warning_the_member_hides_stay_out_of_the_latest_list(member, other_member, category):
    start(other_member, category, "A hard night", content_warning="suicide or self-harm")
    start(other_member, category, "A calm morning")
    account_services.member_settings_update(member=member, hidden_warnings=["suicide-self-harm"])
    html = client_for(member).get("/").content.decode()
    assert "A calm morning" in html and "A hard night" not in html
    assert "A hard night" in Client().get("/latest/").content.decode()  # hidden for her, not for everyone


def test_new_lists_recent_threads_the_member_has_not_opened(member, other_member, category):
    opened = start(other_member, category, "Opened already")
    fresh = start(other_member, category, "Not opened yet")
    start(member, category, "My own thread")
    old = start(other_member, category, "Started long ago")
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    client = client_for(member)
    client.get(opened.get_absolute_url())
    html = client.get("/new/").content.decode()
    assert fresh.title in html
    assert opened.title not in html and "My own thread" not in html and old.title not in html
    assert '<span class="tab-count">1</span>' in client.get("/").content.decode()


def test_unread_lists_followed_threads_with_replies_the_member_has_not_read(member, other_member, category):
    mine = start(member, category, "My thread with news")
    quiet = start(member, category, "My quiet thread")
    client = client_for(member)
    client.get(mine.get_absolute_url())
    client.get(quiet.get_absolute_url())
    services.post_create(author=other_member, thread=mine, body="Something new for you.")
    html = client.get("/unread/").content.decode()
    assert mine.title in html and quiet.title not in html
    client.get(mine.get_absolute_url())
    assert mine.title not in client.get("/unread/").content.decode()
    assert "You're all caught up." in client.get("/unread/").content.decode()


def test_new_and_unread_are_for_members(reader, db):
    response = reader.get("/unread/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert 'href="/new/"' not in reader.get("/").content.decode()


def test_start_a_thread_asks_where_it_belongs_or_goes_straight_to_a_filtered_category(member_client, category):
    html = member_client.get("/start/").content.decode()
    assert f'href="/c/{category.slug}/new/"' in html
    response = member_client.get(f"/start/?category={category.slug}")
    assert response.status_code == 302 and response.url == f"/c/{category.slug}/new/"


def test_members_only_categories_stay_out_of_lists_for_readers_who_are_not_signed_in(reader, member, category):
    start(member, category, "Only for members")
    Category.objects.filter(pk=category.pk).update(members_only=True)
    assert "Only for members" not in reader.get("/").content.decode()
    assert "Only for members" not in reader.get("/latest/").content.decode()
    assert "Only for members" in client_for(member).get("/").content.decode()


def test_latest_pages_through_every_thread(reader, member, category, settings):
    settings.FORUM_THREADS_PER_PAGE = 3
    for index in range(5):
        start(member, category, f"Thread number {index}")
    html = reader.get(f"/latest/?category={category.slug}").content.decode()
    assert f'href="?category={category.slug}&amp;page=2"' in html
    page_two = reader.get(f"/latest/?category={category.slug}&page=2").content.decode()
    assert "Thread number 0" in page_two
