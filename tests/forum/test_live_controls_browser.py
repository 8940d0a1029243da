"""A reply that arrives live shows exactly the controls a reload would show, for each
kind of reader: its author in a second tab, another member, an unverified member, a
suspended member and a moderator. The page's script picks the server's own rendering of
the controls (forum.permissions.Viewer.post_controls); it decides nothing itself."""

from datetime import timedelta

import pytest

from moderation import services as moderation_services

from ..conftest import client_for, make_member
from .live_server import ESTABLISHED, shared_database_url, uvicorn_server
from .test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture and the browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTROLS = """
(postId) => {
  const post = document.getElementById("post-" + postId);
  const found = [];
  post.querySelectorAll(".post-actions a, .post-actions button, .reactions button[name=kind], .reactions a").forEach((el) => {
    found.push([el.tagName, el.textContent.trim(), el.getAttribute("href") || el.getAttribute("value") || ""]);
  });
  return found.sort();
}
"""


def test_live_replies_carry_the_controls_a_reload_shows_for_every_reader(
    chromium, thread, member, other_member, unverified_member, moderator, tmp_path  # noqa: F811
):
    from playwright.sync_api import expect

    suspended = make_member("dana_paused")
    moderation_services.member_suspend(actor=moderator, member=suspended, reason="A pause", duration=timedelta(days=2))
    readers = {
        "author's second tab": member,
        "another member": other_member,
        "unverified member": unverified_member,
        "suspended member": suspended,
        "moderator": moderator,
    }
    cookies = {name: client_for(user).cookies["sessionid"].value for name, user in readers.items()}
    author_cookie = client_for(member).cookies["sessionid"].value
    url = f"/t/{thread.pk}/"
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:

        def open_page(cookie):
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            page = context.new_page()
            page.goto(base + url)
            return page

        pages = {name: open_page(cookie) for name, cookie in cookies.items()}
        for page in pages.values():
            expect(page.locator("#presence")).to_contain_text("reading now", timeout=5000)
        writer = open_page(author_cookie)
        writer.fill("textarea[name=body]", "A reply everyone sees arrive.")
        writer.click("text=Post reply")
        post_id = writer.locator("article.post", has_text="A reply everyone sees arrive.").get_attribute("data-post-id")

        live = {}
        for name, page in pages.items():
            expect(page.locator(f"#post-{post_id}")).to_be_visible(timeout=3000)
            live[name] = page.evaluate(CONTROLS, post_id)
        for name, page in pages.items():
            page.reload()
            assert page.evaluate(CONTROLS, post_id) == live[name], name

    labels = {name: [text for _tag, text, _target in controls] for name, controls in live.items()}
    assert {"Edit", "Delete"} <= set(labels["author's second tab"])
    assert "Report" not in labels["author's second tab"]
    assert "React" not in labels["author's second tab"]  # no reacting to yourself
    assert {"Reply", "Report"} <= set(labels["another member"])
    assert ["A", "React", f"/p/{post_id}/react/"] in live["another member"]  # the reactions, behind "React"
    assert "Reply" not in labels["unverified member"] and "React" not in labels["unverified member"]
    assert "Reply" not in labels["suspended member"] and "React" not in labels["suspended member"]
    assert {"Reply", "Hide", "Edit with a reason"} <= set(labels["moderator"]) and "Report" not in labels["moderator"]
