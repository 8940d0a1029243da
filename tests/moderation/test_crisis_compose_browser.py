"""The composer's supportive note in a real browser (Chromium through Playwright):
it appears while a member writes a draft that suggests they are struggling, and the
post still goes out when they press the button."""

import pytest
from pytest_django.live_server_helper import LiveServer

from forum.models import Post
from tests.conftest import make_member
from tests.forum.live_server import free_port, session_cookie
from tests.forum.live_server import launched_chromium as launched

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def server():
    live = LiveServer(f"127.0.0.1:{free_port()}")
    yield live.url
    live.stop()


def new_page(browser, server, cookie):
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": server}])
    return context.new_page()


def test_a_struggling_draft_shows_the_writers_lines_and_still_posts(server, category):
    writer = make_member("wren", region="GB")
    cookie = session_cookie(writer)
    with launched() as browser:
        page = new_page(browser, server, cookie)
        page.goto(f"{server}/c/{category.slug}/new/")
        page.fill("input[name=title]", "Can't see a way through")
        draft = "Honestly I feel completely hopeless. Everyone would be better off without me."
        page.fill("textarea[name=body]", draft)
        note = page.wait_for_selector(".compose-support .support-note", timeout=10_000).inner_text()
        page.click("main form button[type=submit]")
        page.wait_for_url("**/t/*/")
        after_posting = page.content()
    assert "You can still post" in note
    assert "Samaritans" in note and "116 123" in note
    post = Post.objects.get(is_opening=True, author=writer)
    assert post.status == "published" and post.crisis_level == "concern"
    assert "Only you can see this note." in after_posting


def test_an_ordinary_draft_shows_no_note(server, category):
    cookie = session_cookie(make_member("teal"))
    with launched() as browser:
        page = new_page(browser, server, cookie)
        page.goto(f"{server}/c/{category.slug}/new/")
        page.fill("input[name=title]", "Taper update")
        with page.expect_response("**/crisis/check/", timeout=10_000) as checked:
            page.fill("textarea[name=body]", "Down to 2.5 mg. This taper is killing me but I'm getting there.")
        level = checked.value.json()["level"]
        shown = page.query_selector(".compose-support .support-note")
    assert level == "none"
    assert shown is None
