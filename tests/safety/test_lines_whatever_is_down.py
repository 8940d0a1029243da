"""The crisis lines are always there: with the cache failing, the database unreachable
or the channel layer away, the pages that show them still answer, and the logs say so
once per outage, not once per page."""

import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client

from forum import broadcast
from forum.models import Post
from safety import resources
from safety.models import CrisisResource
from tests.conftest import client_for, make_member

from .broken_services import cache_down, database_down
from .test_crisis_banner import assert_banner, text_of


@pytest.fixture(autouse=True)
def _no_outage_yet():
    """Each test starts with every service answering, as far as the logs know."""
    for outage in (resources.cache_outage, resources.database_outage, broadcast.outage):
        outage.since = outage._logged_at = None


@pytest.fixture
def failing_client():
    """A browser that gets the error page rather than the test's exception."""
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.parametrize("page", ["/", "thread", "/help/"])
def test_with_the_cache_failing_on_every_call_pages_answer_with_the_lines(thread, page):
    url = thread.get_absolute_url() if page == "thread" else page
    reader = Client(HTTP_ACCEPT_LANGUAGE="en-CA")  # a Canadian reader, by their browser
    with cache_down():
        response = reader.get(url)
    assert response.status_code == 200
    assert_banner(response, "CA")
    if page == "/help/":
        assert "Samaritans" in response.content.decode() and "lifeline.org.au" in response.content.decode()


@pytest.mark.parametrize("page", ["/", "thread", "/help/"])
def test_with_the_cache_failing_a_member_still_gets_their_regions_lines(thread, page):
    member = make_member("gwen", region="GB")
    url = thread.get_absolute_url() if page == "thread" else page
    client = client_for(member)
    with cache_down():
        response = client.get(url)
    assert response.status_code == 200
    assert_banner(response, "GB")


def test_with_the_cache_failing_a_member_can_still_reply(thread, other_member):
    client = client_for(other_member)
    with cache_down():
        response = client.post(f"/t/{thread.pk}/reply/", {"body": "Still here while the cache is away"})
        assert response.status_code == 302
        assert "Still here while the cache is away" in client.get(thread.get_absolute_url()).content.decode()


def test_a_cache_outage_is_logged_once_not_on_every_page(reader, thread, caplog):
    with caplog.at_level(logging.WARNING), cache_down():
        for _ in range(5):
            assert reader.get("/help/").status_code == 200
    about_lines = [r for r in caplog.records if r.name == "safety.resources" and "not answering" in r.getMessage()]
    assert len(about_lines) == 1
    assert "The cache is not answering" in about_lines[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        reader.get("/help/")  # the cache answers again, and the logs say so once
        reader.get("/help/")
    back = [r.getMessage() for r in caplog.records if r.name == "safety.resources"]
    assert len(back) == 1 and back[0].startswith("The cache is answering again")


def test_with_the_database_unreachable_help_shows_the_shipped_lines(db):
    with database_down():
        response = Client(HTTP_ACCEPT_LANGUAGE="en-CA").get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_banner(response, "CA")
    for name in ("9-8-8 Suicide Crisis Helpline", "988 Suicide &amp; Crisis Lifeline", "Samaritans", "Lifeline"):
        assert name in page
    assert "Source: 988.ca, launched 2023-11-30, run by CAMH." in text_of(page)


def test_with_the_database_unreachable_a_readers_cookie_still_picks_the_region(db):
    browser = Client()
    browser.cookies[resources.REGION_COOKIE] = "AU"
    with database_down():
        response = browser.get("/help/")
    assert_banner(response, "AU")


def test_with_the_database_unreachable_the_503_page_shows_the_lines(member, failing_client):
    failing_client.force_login(member)  # the member's session cannot be read: the page fails
    failing_client.cookies[resources.REGION_COOKIE] = "GB"
    with database_down():
        response = failing_client.get("/help/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "The forum is very busy and could not load this page" in page
    assert_banner(response, "GB")
    assert "Samaritans" in page and 'href="sms:85258?body=SHOUT"' in page


def test_a_database_outage_is_logged_once_not_on_every_page(reader, db, caplog):
    with caplog.at_level(logging.WARNING), database_down():
        for _ in range(4):
            assert reader.get("/help/").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.name == "safety.resources"]
    assert warnings == [
        "The database is not answering: crisis lines are shown from the copy shipped with the forum."
    ]


def test_with_every_line_deleted_in_the_admin_readers_still_get_the_shipped_ones(db):
    CrisisResource.objects.all().delete()
    resources.resources_changed()
    assert_banner(Client(HTTP_ACCEPT_LANGUAGE="en-CA").get("/"), "CA")


def test_the_shipped_lines_are_the_lines_the_migration_seeds(db):
    """Keep crisis_lines.json and the admin's starting lines in step."""
    shipped = json.loads(resources.SHIPPED_LINES.read_text())["lines"]
    seeded = [
        {field: getattr(row, field) for field in shipped[0]}
        for row in CrisisResource.objects.order_by("region", "position", "name")
    ]
    assert sorted(shipped, key=lambda line: (line["region"], line["name"])) == sorted(
        seeded, key=lambda line: (line["region"], line["name"])
    )
    assert all(line["source"] for line in shipped)


def test_with_the_channel_layer_away_a_reply_is_saved_and_the_author_told_so(
    thread, other_member, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.safety.broken_services.BrokenLayer"}}
    client = client_for(other_member)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            f"/t/{thread.pk}/reply/", {"body": "Posted while Redis is away"}, HTTP_ACCEPT="application/json"
        )
        second = client.post(f"/t/{thread.pk}/reply/", {"body": "And another one"}, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and second.status_code == 201
    assert Post.objects.filter(body="Posted while Redis is away").exists()
    outages = [r for r in caplog.records if r.name == "forum.broadcast"]
    assert len(outages) == 1 and "live updates are paused" in outages[0].getMessage()


# --- The static pages the proxy serves when no worker answers ---------------------------


def test_build_static_help_writes_help_and_the_503_page_for_every_region(tmp_path, db):
    with database_down():
        call_command("build_static_help", output=str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    for region, sentence in (("CA", "Call or text 9-8-8"), ("GB", "Call 116 123"), ("AU", "Call 13 11 14")):
        help_page = text_of((tmp_path / f"help-{region}.html").read_text())
        unavailable = text_of((tmp_path / f"503-{region}.html").read_text())
        assert sentence in help_page and sentence in unavailable
        assert "The forum is down for a short while" in unavailable
        assert "Lifeline" in help_page and "Samaritans" in help_page and "Find A Helpline" in help_page
    # With no region known, the proxy's fallback page lists the international directory.
    assert (tmp_path / "help.html").read_text() == (tmp_path / "help-international.html").read_text()
    assert "<script" not in (tmp_path / "503.html").read_text() and "style=" not in (tmp_path / "503.html").read_text()
