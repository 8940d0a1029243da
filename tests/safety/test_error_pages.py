"""Every error page shows the crisis lines for the reader's region, and a failed CSRF
check echoes a draft only when it came from one of the forum's own pages."""

import contextlib
from unittest import mock

import pytest
from django.test import Client

from safety.resources import REGION_COOKIE
from tests.conftest import client_for, make_member

from .broken_services import database_down
from .test_crisis_banner import assert_banner, text_of


def browser(region=None, **headers):
    client = Client(raise_request_exception=False, **headers)
    if region:
        client.cookies[REGION_COOKIE] = region
    return client


def bad_request(client):
    return client.get("/", HTTP_HOST="forum.evil.example")  # not in ALLOWED_HOSTS


def forbidden(client, thread):
    return client.get(f"/p/{thread.posts.get(is_opening=True).pk}/edit/")


def not_found(client, thread):
    return client.get("/t/999999/")


def server_error(client, thread):
    with mock.patch("forum.selectors.category_list", side_effect=RuntimeError("a bug")):
        return client.get("/")


def csrf_failure(client, thread):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    return csrf_client.post(f"/t/{thread.pk}/reply/", {"body": "hello"})


ERRORS = {
    "bad request": (lambda client, thread: bad_request(client), 400, "We couldn't make sense of that request"),
    "forbidden": (forbidden, 403, "You can only edit your own posts."),
    "not found": (not_found, 404, "We couldn't find that page"),
    "server error": (server_error, 500, "Something went wrong on our side"),
    "csrf failure": (csrf_failure, 403, "That form had expired"),
}


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("region", ["GB", "AU"])
def test_every_error_page_shows_the_lines_for_the_readers_region(error, region, thread, other_member):
    request, status, words = ERRORS[error]
    client = browser(region)
    client.force_login(other_member)
    response = request(client, thread)
    assert response.status_code == status
    page = response.content.decode()
    assert words in text_of(page)
    assert_banner(response, region)
    assert "If you need to talk to someone now" in page
    assert {"GB": "Samaritans", "AU": "Lifeline"}[region] in page
    assert "<script" not in page and "style=" not in page  # nothing a strict CSP would block


@pytest.mark.parametrize("language, region", [("en-GB,en;q=0.8", "GB"), ("fr-CA", "CA"), ("en-AU", "AU")])
def test_the_500_page_reads_the_region_from_the_browsers_language(thread, language, region):
    response = server_error(browser(HTTP_ACCEPT_LANGUAGE=language), thread)
    assert response.status_code == 500
    assert_banner(response, region)


def test_a_reader_from_a_country_without_listed_lines_is_pointed_to_find_a_helpline(thread):
    response = not_found(browser(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5"), thread)
    page = text_of(response.content.decode())
    assert "Find A Helpline" in page and "findahelpline.com" in page


def test_the_500_page_needs_neither_the_database_nor_the_member(thread):
    member = make_member("gwen", region="GB")
    client = browser("AU")
    client.force_login(member)
    with contextlib.ExitStack() as stack:

        def fail_with_the_database_gone(*args, **kwargs):
            stack.enter_context(database_down())  # from here on, every query fails
            raise RuntimeError("a bug")

        stack.enter_context(mock.patch("forum.selectors.category_list", side_effect=fail_with_the_database_gone))
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert_banner(response, "GB")  # the member was read before the failure: their own setting


def test_a_database_that_cannot_answer_gets_a_503_with_the_lines_and_no_database_or_member(thread):
    member = make_member("gwen", region="GB")
    client = browser("AU")
    client.force_login(member)
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = text_of(response.content.decode())
    assert "The forum is very busy and could not load this page" in page
    assert "Something went wrong" not in page
    assert_banner(response, "AU")


# --- A database too busy to save a post -------------------------------------------------

BUSY = "couldn't get a connection after 30.00 sec"  # psycopg_pool.PoolTimeout's words


def busy_database():
    from django.db import OperationalError

    return mock.patch("forum.services.post_create", side_effect=OperationalError(BUSY))


def test_a_reply_the_database_could_not_save_answers_503_to_the_page_script_and_is_not_a_500(thread, other_member):
    client = browser()
    client.force_login(other_member)
    with busy_database():
        response = client.post(
            f"/t/{thread.pk}/reply/", {"body": "My reply, typed on a bus"}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    data = response.json()
    assert "Nothing was posted; your text is still here" in data["error"]
    assert thread.posts.count() == 1  # only the opening post: nothing half-saved


def test_a_reply_sent_without_javascript_comes_back_on_the_busy_page(thread, other_member):
    client = browser("GB")
    client.force_login(other_member)
    text = "Words I wrote at 3am and do not want to lose"
    with busy_database():
        response = client.post(f"/t/{thread.pk}/reply/", {"body": text}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 503
    page = response.content.decode()
    assert text in page
    assert "The forum is very busy" in text_of(page)
    assert "Samaritans" in page  # the lines, as on every error page
    assert "<script" not in page


def test_the_busy_page_never_echoes_text_posted_from_another_site(thread, other_member):
    client = browser()
    client.force_login(other_member)
    lure = "URGENT from the moderators: call 1-900-555-0100 now"
    with busy_database():
        response = client.post(f"/t/{thread.pk}/reply/", {"body": lure}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 503
    assert "1-900-555-0100" not in response.content.decode()


def test_a_busy_database_is_logged_with_what_was_refused(thread, other_member, caplog):
    client = browser()
    client.force_login(other_member)
    with busy_database(), caplog.at_level("WARNING", logger="safety.errors"):
        client.post(f"/t/{thread.pk}/reply/", {"body": "hello"}, HTTP_ACCEPT="application/json")
    assert f"answered 503 to POST /t/{thread.pk}/reply/" in caplog.text and BUSY in caplog.text


def test_the_404_page_shows_a_members_own_region(thread):
    member = make_member("gwen", region="GB")
    response = client_for(member).get("/no-such-page/")
    assert response.status_code == 404
    assert_banner(response, "GB")


# --- A failed CSRF check --------------------------------------------------------------


def post_with_expired_token(member, thread, text, **headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client.post(f"/t/{thread.pk}/reply/", {"body": text}, **headers)


def test_a_members_own_draft_from_the_forums_form_is_shown_back(thread, other_member):
    text = "Words I do not want to lose"
    for headers in ({"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "http://testserver"}):
        response = post_with_expired_token(other_member, thread, text, **headers)
        assert response.status_code == 403
        assert text in response.content.decode()


def test_text_posted_from_another_site_is_never_shown_under_the_forums_banner(thread, other_member):
    lure = "URGENT from the moderators: call 1-900-555-0100 now"
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {},  # a client that says nothing about where the form was
    ):
        response = post_with_expired_token(other_member, thread, lure, **headers)
        assert response.status_code == 403
        page = response.content.decode()
        assert "1-900-555-0100" not in page and "URGENT" not in page
        assert "That form had expired" in page


def test_a_reaction_the_database_could_not_save_is_told_nothing_changed(thread, other_member):
    client = browser()
    client.force_login(other_member)
    opening = thread.posts.get(is_opening=True)
    from django.db import OperationalError

    with mock.patch("forum.reactions.reaction_toggle", side_effect=OperationalError(BUSY)):
        response = client.post(f"/p/{opening.pk}/react/", {"kind": "support"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "Nothing was changed" in response.json()["error"]
    assert "your text" not in response.json()["error"]
