"""The live review queue in real browsers (Debian's Chromium through Playwright), the app
served by uvicorn with websockets:

- a member reports a post from the thread page and the report is in a moderator's open
  queue within 2 seconds, without a reload;
- the moderator agrees from the row (typing the reason): the row goes from the queue, and
  the post turns into "Hidden by a moderator" on the member's open thread page;
- a trusted member's report hides a post at once; the moderator disagrees from the row:
  the row goes, and the post comes back on that member's open page."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATORS_GROUP
from forum import services as forum_services
from moderation.models import Report
from tests.conftest import make_member
from tests.forum.live_server import ESTABLISHED, shared_database_url, uvicorn_server

from ..forum.test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture and the browser
from .test_crisis_loop_browser import open_as, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def trusted(name: str, *, upheld_on=()) -> User:
    user = make_member(name)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=90), post_count=10)
    for post in upheld_on:
        Report.objects.create(post=post, reporter=user, reason="spam", outcome=Report.Outcome.UPHELD)
    return User.objects.get(pk=user.pk)


def report_from_thread(page, base, post_id):
    page.goto(f"{base}/report/{post_id}/")
    page.check("input[name=reason][value=unkind]")
    page.click("text=Send the report")
    page.wait_for_url("**/t/**")


def test_reports_reach_the_live_queue_and_outcomes_update_both_pages(chromium, thread, other_member, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    mona = make_member("mona_keeper")
    mona.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    User.objects.filter(pk=other_member.pk).update(post_count=10)
    unkind = forum_services.post_create(author=other_member, thread=thread, body="You are weak and everyone here can tell")
    fine = forum_services.post_create(author=other_member, thread=thread, body="Slow tapers worked for me")
    earlier = [forum_services.post_create(author=other_member, thread=thread, body=f"old {n}") for n in range(8)]
    wren = trusted("wren")  # weighs 1: her report alone hides nothing
    pia = trusted("pia", upheld_on=earlier)  # weighs 3: her report alone hides a post
    cookies = {user.username: session_cookie(user) for user in (mona, wren, pia)}
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        moderator = open_as(browser, base, cookies["mona_keeper"])
        member = open_as(browser, base, cookies["wren"])
        moderator.goto(f"{base}/moderation/")
        expect(moderator.locator("#queue-empty")).to_be_visible()
        moderator.wait_for_timeout(500)  # the queue's socket is open

        # A report from one browser is in the moderator's queue within 2 seconds.
        report_from_thread(member, base, unkind.pk)
        started = time.monotonic()
        row = moderator.locator("#queue-list .queue-item", has_text="Unkind or harassment")
        expect(row).to_be_visible(timeout=2000)
        elapsed = time.monotonic() - started
        print(f"the report reached the moderator's queue in {elapsed:.2f} s")
        assert elapsed < 2
        expect(row).to_contain_text("bob")
        # Its text is blurred and folded until the moderator opens it, which the shift counts.
        expect(row.locator(".queue-excerpt")).not_to_be_visible()
        row.locator(".queue-preview summary").click()
        expect(row.locator(".queue-excerpt")).to_contain_text("You are weak and everyone here can tell")
        expect(moderator.locator("#shift-count")).to_contain_text("opened 1 distressing item this shift")
        expect(moderator.locator("#queue-count")).to_have_text("1")
        unkind_on_page = member.locator(f"#post-{unkind.pk}")
        expect(unkind_on_page).to_contain_text("You are weak and everyone here can tell")
        member.wait_for_timeout(500)  # the thread's socket is open

        # Agree from the row, with a reason: the row goes; the member's page hides the post.
        row.locator(".row-reason input").fill("Unkind to members who take medication")
        row.locator("button", has_text="Agree and hide").click()
        expect(row).to_have_count(0, timeout=5000)
        expect(moderator.locator("#queue-empty")).to_be_visible()
        expect(unkind_on_page).to_contain_text("Hidden by a moderator", timeout=5000)
        expect(unkind_on_page).not_to_contain_text("You are weak")

        # A trusted member's report hides a post at once, live on her page.
        reporter = open_as(browser, base, cookies["pia"])
        report_from_thread(reporter, base, fine.pk)
        fine_on_page = reporter.locator(f"#post-{fine.pk}")
        expect(fine_on_page).to_contain_text("Hidden by a moderator")
        row = moderator.locator("#queue-list .queue-item", has_text="Unkind or harassment")
        expect(row).to_be_visible(timeout=2000)
        expect(row).to_contain_text("The reports hid it.")
        reporter.wait_for_timeout(500)

        # Disagree from the row: the row goes; the post is back on her open page.
        row.locator("button", has_text="Disagree: show it again").click()
        expect(row).to_have_count(0, timeout=5000)
        expect(fine_on_page).to_contain_text("Slow tapers worked for me", timeout=5000)
        expect(fine_on_page).not_to_contain_text("Hidden by a moderator")


def test_the_queue_answers_the_keyboard(chromium, thread, tmp_path, settings):  # noqa: F811
    from playwright.sync_api import expect

    from forum.models import Visibility

    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    mona = make_member("mona_keeper")
    mona.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    newcomer = make_member("new_leaf")
    first = forum_services.post_create(author=newcomer, thread=thread, body="Hello, I am new here")
    second = forum_services.post_create(author=newcomer, thread=thread, body="Anyone selling ket near me?")
    assert {first.status, second.status} == {Visibility.PENDING}
    cookie = session_cookie(mona)
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        page = open_as(browser, base, cookie)
        page.goto(f"{base}/moderation/")
        rows = page.locator("#queue-list .queue-item")
        expect(rows).to_have_count(2)
        page.keyboard.press("?")
        expect(page.locator("#shortcut-help")).to_have_attribute("open", "")
        page.keyboard.press("Escape")
        page.locator("h1").click()
        page.keyboard.press("j")
        expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
        page.keyboard.press("a")  # approve the first
        expect(rows).to_have_count(1, timeout=5000)
        expect(rows.nth(0)).to_contain_text("Anyone selling ket")
        page.keyboard.press("j")
        page.keyboard.press("h")  # hide the second: the reason, then Enter
        expect(rows.nth(0).locator(".row-reason input")).to_be_focused()
        page.keyboard.type("Sourcing is not allowed here")
        page.keyboard.press("Enter")
        expect(rows).to_have_count(0, timeout=5000)
        expect(page.locator("#queue-empty")).to_be_visible()
        # What readers now see: the approved post, and not the one turned down.
        reader = browser.new_context().new_page()
        reader.goto(f"{base}/t/{thread.pk}/")
        expect(reader.locator(f"#post-{first.pk}")).to_contain_text("Hello, I am new here")
        expect(reader.locator("body")).not_to_contain_text("Anyone selling ket")
