"""Private by default: search engines are kept out (robots.txt, X-Robots-Tag, <meta>)
unless the site's owner opens the forum to them; members-only categories; a quick exit."""

import pytest

from forum.models import Category
from tests.conftest import client_for


def test_robots_txt_keeps_every_crawler_out_by_default(reader, db):
    response = reader.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "User-agent: *\nDisallow: /\n"


@pytest.mark.parametrize("url", ["/", "/latest/", "/c/ketamine-esketamine/", "/help/", "/accounts/signup/"])
def test_every_page_says_noindex_by_default(reader, thread, url):
    response = reader.get(url)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_thread_pages_and_feeds_say_noindex_by_default(reader, thread):
    assert reader.get(thread.get_absolute_url())["X-Robots-Tag"] == "noindex, nofollow"
    assert reader.get(f"/t/{thread.pk}/feed/")["X-Robots-Tag"] == "noindex, nofollow"


def test_a_setting_opens_public_threads_to_search_engines_but_never_profiles_or_search(
    reader, thread, member, settings
):
    settings.FORUM_ALLOW_SEARCH_ENGINES = True
    robots = reader.get("/robots.txt").content.decode()
    assert "Disallow: /members/" in robots and "Disallow: /search/" in robots and "Disallow: /\n" not in robots
    for url in ("/", thread.get_absolute_url(), thread.category.get_absolute_url()):
        response = reader.get(url)
        assert "X-Robots-Tag" not in response and 'name="robots"' not in response.content.decode(), url
    for url in (f"/members/{member.username}/", "/search/?q=week", "/accounts/login/"):
        assert reader.get(url)["X-Robots-Tag"] == "noindex, nofollow", url


def test_a_members_only_category_shows_readers_only_that_it_exists(reader, member, thread, category):
    Category.objects.filter(pk=category.pk).update(members_only=True)
    html = reader.get(category.get_absolute_url()).content.decode()
    assert "This category is for members" in html and thread.title not in html
    response = reader.get(thread.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert reader.get(f"/t/{thread.pk}/feed/").status_code == 404
    assert reader.get(f"/c/{category.slug}/feed/").status_code == 404
    assert thread.title not in reader.get("/search/?q=esketamine").content.decode()
    member_view = client_for(member)
    assert thread.title in member_view.get(category.get_absolute_url()).content.decode()
    assert member_view.get(thread.get_absolute_url()).status_code == 200


def test_a_members_only_thread_stays_out_of_search_engines_even_when_the_site_is_open(member, thread, category, settings):
    settings.FORUM_ALLOW_SEARCH_ENGINES = True
    Category.objects.filter(pk=category.pk).update(members_only=True)
    assert client_for(member).get(thread.get_absolute_url())["X-Robots-Tag"] == "noindex, nofollow"


def test_a_reader_who_is_not_signed_in_cannot_follow_a_members_only_thread_live(reader, thread, category):
    from forum import permissions
    from django.contrib.auth.models import AnonymousUser

    Category.objects.filter(pk=category.pk).update(members_only=True)
    thread.refresh_from_db()
    assert not permissions.can_read_thread(AnonymousUser(), thread)
    assert reader.get(f"/t/{thread.pk}/posts/?after=0").status_code == 404


def test_every_page_has_a_quick_exit_to_a_neutral_site(reader, db, settings):
    html = reader.get("/").content.decode()
    assert 'class="quick-exit" href="https://www.bbc.co.uk/weather" rel="noreferrer"' in html
    assert 'data-quick-exit="https://www.bbc.co.uk/weather"' in html  # for Esc pressed three times
    assert "/static/js/site.js" in html
