"""The thread page's moderator tools in a real browser (Chromium, Playwright, uvicorn): a
moderator locks a thread and hides a reply from the thread page at a phone's width, sees
the result there, and a member who has the page open sees both live."""

import pytest

from forum import services as forum_services

from ..conftest import client_for
from ..forum.live_server import ESTABLISHED, shared_database_url, uvicorn_server
from ..forum.test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture and the browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_moderator_locks_and_hides_from_the_thread_page_and_a_reader_sees_it_live(
    chromium, thread, member, other_member, moderator, tmp_path  # noqa: F811
):
    from playwright.sync_api import expect

    reply = forum_services.post_create(author=other_member, thread=thread, body="Honestly you lot are pathetic, stop whining")
    url = f"/t/{thread.pk}/"
    cookies = {"member": client_for(member).cookies["sessionid"].value,
               "moderator": client_for(moderator).cookies["sessionid"].value}
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        pages = {}
        for who, cookie in cookies.items():
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            pages[who] = context.new_page()
            pages[who].goto(base + url)
        alice, mona = pages["member"], pages["moderator"]
        expect(alice.locator("#thread-tools")).to_have_count(0)
        expect(alice.locator("#presence")).to_have_text("2 reading now", timeout=5000)
        alice.evaluate("window.__notReloaded = true")

        mona.click("#thread-tools summary")
        mona.fill("#thread-tools-reason", "A pause for tonight")
        mona.click("#thread-tools button:has-text('Lock')")
        expect(mona.locator(".messages")).to_contain_text("Thread locked.")
        expect(mona.locator(".badge-locked")).to_be_visible()
        expect(alice.locator(".locked-note")).to_be_visible(timeout=2000)
        expect(alice.locator(".badge-locked")).to_be_visible()

        mona.click(f"#post-{reply.pk} a:has-text('Hide')")
        mona.fill("textarea[name=reason]", "Unkind to others")
        mona.click("button:has-text('Hide')")
        expect(mona.locator(".messages")).to_contain_text("Post hidden")
        assert mona.url.startswith(f"{base}/p/{reply.pk}/") or url in mona.url
        expect(alice.locator(f"#post-{reply.pk}")).not_to_contain_text("you lot are pathetic", timeout=2000)
        assert alice.evaluate("window.__notReloaded") is True
        mona.screenshot(path=str(tmp_path / "moderator.png"), full_page=True)

        # Both are in the log (the server's database is a copy: read it through the log page).
        mona.goto(base + "/moderation/log/")
        rows = mona.locator("table.mod-log tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Unkind to others")
        expect(rows.nth(1)).to_contain_text("A pause for tonight")
