"""The crisis banner on every page, for each way a region is chosen, and /help/."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safety.models import CrisisResource
from safety.resources import REGION_COOKIE
from tests.conftest import client_for, make_member

SENTENCES = {
    "CA": ("Thinking about suicide or in crisis? Call or text 9-8-8, any time.", ["911"]),
    "US": ("Thinking about suicide or in crisis? Call or text 988, any time.", ["911"]),
    "GB": ("Thinking about suicide or in crisis? Call 116 123, any time.", ["999", "112"]),
    "IE": ("Thinking about suicide or in crisis? Call 116 123, any time.", ["999", "112"]),
    "AU": ("Thinking about suicide or in crisis? Call 13 11 14 or text 0477 13 11 14, any time.", ["000"]),
    # Nothing tells us where the reader is: the worldwide directory, and no country's numbers.
    "international": ("Thinking about suicide or in crisis? Visit findahelpline.com.", []),
}
# A French page says the same in French (the catalog in locale/fr).
SENTENCES_FR = {"CA": "Vous pensez au suicide ou vous êtes en crise? Appelez ou textez le 9-8-8, en tout temps."}
COUNTRY_NUMBERS = ["988", "911", "116123", "999", "112", "000", "131114", "85258", "741741", "50808"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" .", ".").strip()


def banner_of(html: str) -> str:
    match = re.search(r'<aside class="crisis-banner"[^>]*>.*?</aside>', html, re.S)
    assert match, "no crisis banner on the page"
    return match.group(0)


def page_urls(thread):
    return {
        "home": "/",
        "category": thread.category.get_absolute_url(),
        "thread": thread.get_absolute_url(),
        "new thread form": f"/c/{thread.category.slug}/new/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "help": "/help/",
        "guidelines": "/guidelines/",
        "not found": "/no-such-page/",
    }


def assert_banner(response, region):
    html = response.content.decode()
    banner = banner_of(html)
    sentence, emergency = SENTENCES[region]
    if response.headers.get("Content-Language") == "fr":
        sentence = SENTENCES_FR[region]
    assert 'id="crisis-support"' in banner and 'aria-label="' in banner
    assert html.index('class="crisis-banner"') < html.index("<main"), "the banner comes before the main content"
    assert sentence in text_of(banner)
    for number in emergency:
        assert f'href="tel:{number}"' in banner
    if region == "international":
        assert "In immediate danger, call your local emergency number." in text_of(banner)
        assert 'href="https://findahelpline.com"' in banner
        for number in COUNTRY_NUMBERS:
            assert f"tel:{number}" not in banner and f"sms:{number}" not in banner, number
    assert 'href="/help/"' in banner




PAGES = ["home", "category", "thread", "new thread form", "login", "signup", "help", "guidelines", "not found"]


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_we_know_nothing_about_sees_the_worldwide_directory_on_every_page(reader, thread, page):
    url = page_urls(thread)[page]
    response = reader.get(url)
    if page == "new thread form":
        # Readers are sent to log in; the login page carries the banner too.
        response = reader.get(url, follow=True)
    assert response.status_code == (404 if page == "not found" else 200)
    assert_banner(response, "international")


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_who_chose_a_region_sees_its_line_on_every_page(thread, page):
    browser = make_reader_with_cookie("AU")
    response = browser.get(page_urls(thread)[page], follow=page == "new thread form")
    assert_banner(response, "AU")


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("login", "signup")])
def test_a_member_sees_the_line_for_the_region_in_their_settings_on_every_page(thread, page):
    member = make_member("gwen", region="GB")
    response = client_for(member).get(page_urls(thread)[page])
    assert_banner(response, "GB")


def test_a_members_setting_wins_over_a_cookie_left_in_their_browser(db):
    member = make_member("ulla", region="US")
    client = client_for(member)
    client.cookies[REGION_COOKIE] = "AU"
    assert_banner(client.get("/"), "US")


def test_a_member_without_a_region_setting_or_a_browser_hint_gets_the_worldwide_directory(member_client):
    assert_banner(member_client.get("/"), "international")


@pytest.mark.parametrize(
    "languages, region",
    [
        ("en-GB,en;q=0.9", "GB"),
        ("en-IE", "IE"),
        ("en-AU,en;q=0.8", "AU"),
        ("fr-CA,fr;q=0.9,en;q=0.8", "CA"),
        ("en-US,en;q=0.9", "US"),
        ("en;q=0.9,en-GB;q=0.8", "GB"),  # the first tag naming a country, by preference
        ("en", "international"),  # a language alone says nothing about where
        ("de-DE,de;q=0.9,en-GB;q=0.5", "international"),  # a country we have no lines for: never guess another
        ("en-NZ,en-AU;q=0.9", "international"),
        ("en-GB;q=0,en-US;q=0.5", "US"),
    ],
)
def test_a_reader_without_a_choice_gets_the_lines_their_browser_languages_point_to(db, languages, region):
    from django.test import Client

    assert_banner(Client(HTTP_ACCEPT_LANGUAGE=languages).get("/"), region)


def test_a_choice_wins_over_the_browser_languages(db):
    from django.test import Client

    reader = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    reader.cookies[REGION_COOKIE] = "AU"
    assert_banner(reader.get("/"), "AU")
    member = make_member("kit", region="IE")
    client = client_for(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US"
    assert_banner(client.get("/"), "IE")


def test_a_reader_who_chose_somewhere_else_keeps_the_directory_whatever_the_browser_says(db):
    from django.test import Client

    reader = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    reader.cookies[REGION_COOKIE] = "international"
    assert_banner(reader.get("/"), "international")


def make_reader_with_cookie(region):
    from django.test import Client

    client = Client()
    client.cookies[REGION_COOKIE] = region
    return client


def test_the_selector_works_without_javascript_and_is_remembered(reader, thread):
    response = reader.post("/help/region/", {"region": "GB", "next": thread.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert response.cookies[REGION_COOKIE].value == "GB"
    assert_banner(reader.get("/"), "GB")


def test_the_selector_ignores_unknown_regions_and_foreign_redirects(reader, db):
    response = reader.post("/help/region/", {"region": "XX", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert REGION_COOKIE not in response.cookies
    assert_banner(reader.get("/"), "international")


def test_a_member_who_uses_the_selector_keeps_the_choice_in_their_settings(member, member_client):
    member_client.post("/help/region/", {"region": "IE", "next": "/"})
    member.refresh_from_db()
    assert member.region == "IE"


def test_members_change_their_region_from_the_banner_link_to_settings(member_client):
    banner = banner_of(member_client.get("/").content.decode())
    assert 'href="/settings/"' in banner and "<select" not in banner


def test_the_banner_has_no_dismiss_button_and_needs_no_script(reader, db):
    banner = banner_of(reader.get("/").content.decode())
    assert "<script" not in banner
    assert "dismiss" not in banner.lower() and "close" not in banner.lower()
    # Reachable from the keyboard: focusable links, and the landmark can take focus.
    assert 'tabindex="-1"' in banner and banner.count("<a ") >= 3


def test_the_crisis_lines_cost_no_query_on_a_warm_page(reader, db):
    reader.get("/")
    with CaptureQueriesContext(connection) as context:
        reader.get("/")
    assert not [q for q in context.captured_queries if "moderation_crisisresource" in q["sql"]]


def test_saving_a_line_on_the_moderators_page_shows_on_the_next_page_at_once(moderator,
                                                                             django_capture_on_commit_callbacks):
    reader = make_reader_with_cookie("CA")
    reader.get("/")  # the lines are now cached
    line = CrisisResource.objects.get(region="CA", is_primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(
            f"/moderation/rules/crisis-lines/{line.pk}/",
            {
                "region": "CA", "name": line.name, "name_fr": line.name_fr, "description": line.description,
                "description_fr": line.description_fr, "is_primary": "on", "emergency_number": "911",
                "position": line.position, "call_number": "988", "text_number": "", "text_keyword": "",
                "chat_url": "", "web_url": line.web_url, "hours": "24/7", "languages": line.languages,
                "source": line.source,
            },
        )
    assert response.status_code == 302
    banner = text_of(banner_of(reader.get("/").content.decode()))
    assert "Thinking about suicide or in crisis? Call 9-8-8, any time." in banner


def test_help_lists_every_seeded_line_with_how_to_reach_it_hours_and_source(reader, db):
    html = reader.get("/help/").content.decode()
    page = text_of(html)
    lines = list(CrisisResource.objects.all())
    assert len(lines) == 13
    for line in lines:
        assert line.name.replace("&", "&amp;") in html, line.name
        if line.call_number:
            assert f'href="tel:{re.sub(r"[^0-9+]", "", line.call_number)}"' in html
        if line.text_keyword:
            assert f"Text {line.text_keyword} to" in page, line.name
        assert line.source.split(",")[0] in page, line.source
    for heading in ("Canada", "United States", "United Kingdom", "Ireland", "Australia", "Somewhere else"):
        assert heading in page
    assert "Open 24 hours a day, 7 days a week." in page
    assert "911 in Canada and the US, 999 or 112 in the UK and Ireland, 000 in Australia" in page


def test_help_never_lists_retired_lines(reader, db):
    page = reader.get("/help/").content.decode()
    assert "1-833-456-4566" not in page and "Wellness Together" not in page


def test_a_link_cannot_change_anyones_region(member, member_client, reader, db):
    """A GET never writes: a link in a post to /help/region/?region=AU changes nothing."""
    response = member_client.get("/help/region/", {"region": "AU", "next": "/"})
    member.refresh_from_db()
    assert response.status_code == 405 and member.region == ""
    response = reader.get("/help/region/", {"region": "AU", "next": "/"})
    assert response.status_code == 405 and REGION_COOKIE not in response.cookies


def test_the_banners_selector_only_shows_the_lines_of_the_region_chosen(reader, thread):
    """The banner's form asks /help/ for a region's lines (a read); keeping the choice is a
    POST from there, with the form's own security token."""
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert '<form class="crisis-region" method="get" action="/help/">' in banner_of(page)
    response = reader.get("/help/", {"region": "GB", "next": thread.get_absolute_url()})
    html = response.content.decode()
    assert REGION_COOKIE not in response.cookies
    assert 'Crisis lines for <span data-localized>United Kingdom</span>' in html
    assert '<form method="post" action="/help/region/"' in html and "csrfmiddlewaretoken" in html
    assert f'name="next" value="{thread.get_absolute_url()}"' in html
