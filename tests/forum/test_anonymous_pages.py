"""Readers who are not logged in share one rendered thread page (forum.page_cache.
anonymous_page): it is rendered once, and still every change shows on the next load, and
no reader is ever served what belongs to another (a message, a token, a member's view,
another region's crisis lines, another language)."""

from django.middleware.csrf import get_token
from django.test import Client

from forum import services, views
from forum.models import Category, Thread
from safety.models import CrisisResource
from safety import resources
from safety.resources import REGION_COOKIE
from tests.conftest import client_for


def load(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def rendered(response) -> bool:
    """Whether the page was rendered for this request (the test client records templates)."""
    return any(template.name == "forum/thread.html" for template in response.templates)


def test_a_second_reader_gets_the_page_without_a_render(thread):
    first = load(Client(), thread.get_absolute_url())
    second = load(Client(), thread.get_absolute_url())
    assert rendered(first) and not rendered(second)
    assert second.content == first.content
    assert second.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_new_reply_shows_to_the_next_reader(thread, other_member):
    load(Client(), thread.get_absolute_url())
    services.post_create(author=other_member, thread=thread, body="Just posted this morning")
    assert b"Just posted this morning" in load(Client(), thread.get_absolute_url()).content


def test_a_change_to_the_thread_or_its_category_shows_even_without_a_version_bump(thread):
    load(Client(), thread.get_absolute_url())
    Thread.objects.filter(pk=thread.pk).update(title="Renamed by a query that forgot the version", locked=True)
    page = load(Client(), thread.get_absolute_url()).content.decode()
    assert "Renamed by a query that forgot the version" in page
    assert '<span class="badge badge-locked">Locked</span>' in page
    assert "This thread is locked, so it takes no new replies." in page
    Category.objects.filter(pk=thread.category_id).update(name="Quiet corner")
    assert "Quiet corner" in load(Client(), thread.get_absolute_url()).content.decode()


def test_each_page_of_replies_is_kept_apart(thread, other_member, settings):
    settings.FORUM_REPLIES_PER_PAGE = 1
    services.post_create(author=other_member, thread=thread, body="On the first page")
    services.post_create(author=other_member, thread=thread, body="On the second page")
    first = load(Client(), thread.get_absolute_url()).content.decode()
    second = load(Client(), thread.get_absolute_url() + "?page=2").content.decode()
    assert "On the first page" in first and "On the second page" not in first
    assert "On the second page" in second and "On the first page" not in second


def test_each_reader_gets_the_crisis_lines_of_their_own_region(thread):
    australian, canadian = Client(), Client()
    australian.cookies[REGION_COOKIE] = "AU"
    canadian.cookies[REGION_COOKIE] = "CA"
    load(australian, thread.get_absolute_url())
    page = load(canadian, thread.get_absolute_url()).content.decode()
    assert 'data-region="CA"' in page and 'data-region="AU"' not in page
    # A reader whose browser names no region gets the choice, not someone's cookie.
    unknown = load(Client(), thread.get_absolute_url()).content.decode()
    assert 'data-region-source="unknown"' in unknown


def test_an_edited_crisis_line_shows_at_once(thread):
    canadian = Client()
    canadian.cookies[REGION_COOKIE] = "CA"
    load(canadian, thread.get_absolute_url())
    CrisisResource.objects.filter(region="CA", is_primary=True).update(call_number="1-800-555-0199")
    resources.resources_changed()
    assert b"1-800-555-0199" in load(canadian, thread.get_absolute_url()).content


def test_french_and_english_readers_each_get_their_language(thread):
    load(Client(), thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    french = load(Client(), thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in french
    english = load(Client(), thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english


def test_a_reader_with_a_message_waiting_gets_it_on_a_page_rendered_for_them(thread, member):
    load(Client(), thread.get_absolute_url())  # the shared page is kept
    leaving = client_for(member)
    leaving.post("/accounts/logout/")  # allauth says "You have signed out."
    page = load(leaving, thread.get_absolute_url())
    assert rendered(page)
    assert b"You have signed out." in page.content
    assert b"You have signed out." not in load(Client(), thread.get_absolute_url()).content


def test_a_page_that_used_a_readers_token_is_never_shared(thread, monkeypatch):
    original = views._thread_page_html

    def with_a_token(request, *args):
        html, tree = original(request, *args)
        return html.replace("</body>", f'<i id="token">{get_token(request)}</i></body>'), tree

    monkeypatch.setattr(views, "_thread_page_html", with_a_token)
    first = load(Client(), thread.get_absolute_url())
    second = load(Client(), thread.get_absolute_url())
    assert rendered(first) and rendered(second)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_members_never_get_the_readers_page(thread, member):
    load(Client(), thread.get_absolute_url())
    page = load(client_for(member), thread.get_absolute_url())
    assert rendered(page)
    assert member.username.encode() in page.content and b"Log out" in page.content
