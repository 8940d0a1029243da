"""Where a reader is, when they have not said: the browser's languages and time zone,
and the big Call and Text buttons for the lines that follow."""

import re

import pytest
from django.test import Client

from safety import regions
from safety.resources import REGION_COOKIE, SESSION_TIMEZONE_REGION
from tests.conftest import client_for, make_member
from tests.safety.test_crisis_banner import banner_of, text_of


@pytest.mark.parametrize(
    "zone, region",
    [
        ("Europe/London", "GB"),
        ("Europe/Belfast", "GB"),
        ("Europe/Dublin", "IE"),
        ("America/Toronto", "CA"),
        ("America/St_Johns", "CA"),
        ("America/Montreal", "CA"),  # an older name some browsers still send
        ("America/New_York", "US"),
        ("Pacific/Honolulu", "US"),
        ("Australia/Sydney", "AU"),
        ("Australia/Perth", "AU"),
        ("Pacific/Auckland", None),  # no lines for New Zealand: no guess
        ("Europe/Jersey", None),
        ("Europe/Paris", None),
        ("", None),
        (None, None),
        ("Europe/London" + "x" * 500, None),
    ],
)
def test_a_time_zone_names_a_country_only_when_it_lies_in_one_we_have_lines_for(zone, region):
    assert regions.region_from_timezone(zone) == region


@pytest.mark.parametrize(
    "header, country",
    [
        ("en-GB", "GB"),
        ("en-gb;q=0.9", "GB"),
        ("en-UK", "GB"),
        ("zh-Hant-TW,zh;q=0.9", "TW"),
        ("es-419,es;q=0.9", None),
        ("en;q=0.8,fr-CA;q=0.9", "CA"),
        ("*", None),
        ("", None),
        (None, None),
        ("en-GB;q=abc,en-US;q=0.2", "US"),
    ],
)
def test_the_browsers_languages_name_a_country_by_their_first_tag_that_has_one(header, country):
    assert regions.country_from_accept_language(header) == country


def test_the_page_sends_its_time_zone_only_when_nothing_else_says_where_the_reader_is(db):
    unknown = Client().get("/").content.decode()
    assert '<script src="/static/js/region.js" defer></script>' in unknown
    assert 'data-region-source="unknown"' in banner_of(unknown)
    for client in (Client(HTTP_ACCEPT_LANGUAGE="en-GB"), client_for(make_member("ira", region="IE"))):
        html = client.get("/").content.decode()
        assert "region.js" not in html


def test_a_readers_time_zone_gets_them_their_countrys_banner_and_is_never_stored(db):
    reader = Client()
    response = reader.get("/help/region/guess/", {"tz": "Europe/London"})
    data = response.json()
    assert data["changed"] is True and data["region"] == "GB"
    banner = text_of(data["banner_html"])
    assert banner.startswith("Call 116 123 Text SHOUT to 85258")
    assert "Thinking about suicide or in crisis? Call 116 123, any time." in banner
    assert "988" not in data["banner_html"]
    # Nothing kept: no region cookie, no session, and the next page knows no more than before.
    assert REGION_COOKIE not in response.cookies and "sessionid" not in response.cookies
    assert 'data-region-source="unknown"' in banner_of(reader.get("/").content.decode())


def test_a_time_zone_outside_the_countries_we_have_lines_for_changes_nothing(db):
    data = Client().get("/help/region/guess/", {"tz": "Pacific/Auckland"}).json()
    assert data == {"region": "international", "changed": False}


def test_a_members_page_sends_the_time_zone_once_and_their_session_keeps_the_answer(member):
    client = client_for(member)
    data = client.post("/help/region/guess/", {"tz": "Australia/Melbourne"}).json()
    assert data["changed"] is True and data["region"] == "AU"
    assert client.session[SESSION_TIMEZONE_REGION] == "AU"
    html = client.get("/").content.decode()
    assert 'data-region-source="timezone"' in banner_of(html)
    assert "Call 13 11 14" in text_of(banner_of(html))
    assert "region.js" not in html  # sent once: the page does not ask again
    member.refresh_from_db()
    assert member.region == ""  # a guess is not the member's choice


def test_a_members_get_stores_nothing_either(member):
    client = client_for(member)
    client.get("/help/region/guess/", {"tz": "Europe/Dublin"})
    assert SESSION_TIMEZONE_REGION not in client.session


def test_the_time_zone_comes_after_a_choice_and_after_the_browsers_languages(db):
    member = make_member("juno", region="CA")
    assert client_for(member).post("/help/region/guess/", {"tz": "Europe/London"}).json()["changed"] is False
    reader = Client()
    reader.cookies[REGION_COOKIE] = "US"
    assert reader.get("/help/region/guess/", {"tz": "Europe/London"}).json() == {"region": "US", "changed": False}
    speaker = Client(HTTP_ACCEPT_LANGUAGE="en-IE")
    assert speaker.get("/help/region/guess/", {"tz": "Europe/London"}).json() == {"region": "IE", "changed": False}


def test_the_time_zone_guess_needs_the_members_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/help/region/guess/", {"tz": "Europe/London"}).status_code == 403
    assert SESSION_TIMEZONE_REGION not in client.session


# --- The Call and Text buttons ---------------------------------------------------------

BUTTONS = {
    "CA": [("tel:988", "Call 9-8-8"), ("sms:988", "Text 9-8-8")],
    "US": [("tel:988", "Call 988"), ("sms:988", "Text 988")],
    "GB": [("tel:116123", "Call 116 123"), ("sms:85258?body=SHOUT", "Text SHOUT to 85258")],
    "IE": [("tel:116123", "Call 116 123"), ("sms:50808?body=TALK", "Text TALK to 50808")],
    "AU": [("tel:131114", "Call 13 11 14"), ("sms:0477131114", "Text 0477 13 11 14")],
    "international": [("https://findahelpline.com", "Find a helpline near you")],
}


def buttons_of(html: str) -> list[tuple[str, str]]:
    actions = re.search(r'<p class="crisis-actions[^"]*">(.*?)</p>', html, re.S).group(1)
    return [(href, text_of(label)) for href, label in re.findall(r'<a class="crisis-button[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', actions)]


@pytest.mark.parametrize("region", BUTTONS)
def test_the_banner_starts_with_call_and_text_buttons_for_the_readers_region(db, region):
    reader = Client()
    reader.cookies[REGION_COOKIE] = region
    html = reader.get("/").content.decode()
    banner = banner_of(html)
    assert buttons_of(banner) == BUTTONS[region]
    # The buttons come first in the banner, before its sentence.
    assert banner.index("crisis-actions") < banner.index("crisis-line")


@pytest.mark.parametrize("region", BUTTONS)
def test_help_starts_with_the_same_buttons_under_its_heading(db, region):
    reader = Client()
    reader.cookies[REGION_COOKIE] = region
    html = reader.get("/help/").content.decode()
    main = html[html.index("<main"):]
    assert main.index("<h1>Get help now</h1>") < main.index("crisis-actions-help") < main.index('class="lead"')
    assert buttons_of(main) == BUTTONS[region]


def test_each_button_names_the_service_for_screen_readers(db):
    reader = Client()
    reader.cookies[REGION_COOKIE] = "GB"
    banner = banner_of(reader.get("/").content.decode())
    assert 'aria-label="Call 116 123, Samaritans"' in banner
    assert 'aria-label="Text SHOUT to 85258, Shout"' in banner


def test_the_swapped_in_banners_selector_returns_to_the_page_the_reader_was_on(db):
    data = Client().get("/help/region/guess/", {"tz": "Europe/Dublin", "next": "/t/7/?page=2"}).json()
    assert '<input type="hidden" name="next" value="/t/7/?page=2">' in data["banner_html"]
    elsewhere = Client().get("/help/region/guess/", {"tz": "Europe/Dublin", "next": "https://evil.example/"}).json()
    assert '<input type="hidden" name="next" value="/">' in elsewhere["banner_html"]


def test_pages_whose_lines_depend_on_the_browser_say_so_to_caches(db):
    assert "Accept-Language" in Client(HTTP_ACCEPT_LANGUAGE="en-GB").get("/")["Vary"]
    assert "Accept-Language" in Client().get("/help/")["Vary"]
    # (Every page varies on Accept-Language anyway since pages come in English and French.)
