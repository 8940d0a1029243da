"""The live thread in a real browser: Debian's Chromium driven by Playwright, the app
served by uvicorn (one process, the in-memory layer unless REDIS_URL is set)."""

import contextlib
import os

import pytest

from ..conftest import client_for
from .live_server import CHROMIUM, CHROMIUM_ARGS, ESTABLISHED, shared_database_url, uvicorn_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"No Chromium at {CHROMIUM} (apt-get install chromium); CI installs it and runs these.")
    return CHROMIUM


@contextlib.contextmanager
def launched(executable):
    # Playwright's sync API runs an event loop in this thread, so the ORM is done first.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_two_members_see_each_others_replies_live_and_a_dropped_socket_catches_up(
    chromium, thread, member, other_member, tmp_path
):
    from playwright.sync_api import expect

    url = f"/t/{thread.pk}/"
    pages = {}
    # Sessions must exist in the copy the server reads, so make them first, then share.
    alice_cookie = client_for(member).cookies["sessionid"].value
    bob_cookie = client_for(other_member).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        for name, cookie in (("alice", alice_cookie), ("bob", bob_cookie)):
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            pages[name] = context.new_page()
            pages[name].goto(base + url)
        alice, bob = pages["alice"], pages["bob"]
        expect(bob.locator("#presence")).to_have_text("2 reading now", timeout=5000)
        bob.evaluate("window.__notReloaded = true")

        # Alice replies; Bob sees it within 2 seconds, Alice sees it once.
        alice.fill("textarea[name=body]", "Week two was much easier for me.")
        alice.click("text=Post reply")
        expect(bob.locator("article.post", has_text="Week two was much easier")).to_be_visible(timeout=2000)
        live_post = bob.locator("article.post", has_text="Week two was much easier")
        expect(live_post.locator("a.reply-link")).to_have_count(1)  # bob can answer it at once
        expect(live_post.locator("a.report-link")).to_have_count(1)  # and report it
        live_post.locator(".reaction-more").click()  # and react to it: "React" offers the three
        expect(live_post.locator(".reactions button[name=kind]")).to_have_count(3)
        expect(bob.locator("#reply-count")).to_have_text("1 reply")  # the header follows too
        expect(alice.locator("#reply-count")).to_have_text("1 reply")
        expect(alice.locator("article.post", has_text="Week two was much easier")).to_have_count(1)
        expect(alice.locator("textarea[name=body]").first).to_have_value("")
        assert bob.evaluate("window.__notReloaded") is True
        assert bob.locator("#live-announcer").inner_text() in ("", "New reply from alice.")

        # Bob answers inline under Alice's reply; it lands nested under it on Alice's page.
        first_id = alice.locator("article.post", has_text="Week two").get_attribute("data-post-id")
        bob.click(f"#post-{first_id} .reply-link")
        bob.fill(f"#inline-reply-{first_id} textarea", "Glad to hear it.")
        bob.click(f"#inline-reply-{first_id} button[type=submit]")
        nested = alice.locator(f'ol.children[data-parent="{first_id}"] article.post', has_text="Glad to hear it.")
        expect(nested).to_be_visible(timeout=2000)
        expect(bob.locator("article.post", has_text="Glad to hear it.")).to_have_count(1)

        # Bob's socket drops and cannot come back (offline) while Alice replies again ...
        bob.context.set_offline(True)
        bob.evaluate("window.forumLive.socket().close()")
        expect(bob.locator("#presence")).to_have_text("Reconnecting…")
        alice.fill("textarea[name=body]", "Posted while Bob was away.")
        alice.click("text=Post reply")
        expect(alice.locator("article.post", has_text="Posted while Bob was away.")).to_have_count(1)
        # ... and edits her first reply.
        alice.goto(f"{base}/p/{first_id}/edit/")
        alice.fill("textarea[name=body]", "Week two was much easier for me, and week three too.")
        alice.click("text=Save changes")
        expect(alice.locator(f"#post-{first_id}")).to_contain_text("week three too")
        bob.wait_for_timeout(1500)
        expect(bob.locator("article.post", has_text="Posted while Bob was away.")).to_have_count(0)
        # ... then the connection returns: the socket reconnects, the missed reply appears
        # and the missed edit shows.
        bob.context.set_offline(False)
        expect(bob.locator("article.post", has_text="Posted while Bob was away.")).to_be_visible(timeout=10000)
        expect(bob.locator(f"#post-{first_id}")).to_contain_text("week three too", timeout=5000)
        expect(bob.locator("#presence")).to_have_text("2 reading now", timeout=5000)
        assert bob.evaluate("window.__notReloaded") is True
        bob.screenshot(path=str(tmp_path / "bob.png"), full_page=True)
