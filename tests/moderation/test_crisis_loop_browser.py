"""The crisis loop in a real browser (Debian's Chromium through Playwright, two contexts),
the app served by uvicorn with websockets, and escalation run as cron runs it:

- a member's urgent post reaches a moderator's open queue live; the moderator says they
  are on it and reaches out; the member sees the message live and replies; the moderator
  sees the reply live and records the outcome; nothing escalates after that;
- an unacknowledged urgent item escalates by email, and the email's absolute link opens
  the item."""

import re
from email import message_from_string
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import MODERATORS_GROUP
from tests.conftest import client_for, make_member
from tests.forum.live_server import ESTABLISHED, manage, shared_database_url, uvicorn_server

from ..forum.test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture and the browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."


def file_email(directory: Path) -> dict:
    """The one email the file backend wrote: its recipients, subject and body."""
    files = sorted(directory.glob("*.log"))
    assert len(files) == 1, [path.name for path in files]
    parsed = message_from_string(files[0].read_text())
    return {"to": parsed["To"], "subject": parsed["Subject"], "body": parsed.get_payload(decode=True).decode()}


def session_cookie(user) -> str:
    """Signed in before the database is shared and the browser starts (its loop forbids the ORM)."""
    return client_for(user).cookies["sessionid"].value


def open_as(browser, base, cookie):
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    return context.new_page()


def test_an_urgent_post_reaches_the_live_queue_and_the_loop_closes_with_an_outcome(chromium, thread, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    mona = make_member("mona_keeper")
    mona.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    wren = make_member("wren")
    mona_cookie, wren_cookie = session_cookie(mona), session_cookie(wren)
    database_url = shared_database_url(tmp_path)
    mail_dir = tmp_path / "mail"
    mail_env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED, **mail_env) as base, \
            launched(chromium) as browser:
        moderator = open_as(browser, base, mona_cookie)
        member = open_as(browser, base, wren_cookie)
        moderator.goto(f"{base}/moderation/")
        expect(moderator.locator("#queue-empty")).to_be_visible()
        member.goto(f"{base}/t/{thread.pk}/")
        moderator.wait_for_timeout(500)  # the queue's socket is open

        # The member's urgent reply reaches the open queue, and an alert, without a reload.
        member.fill("textarea[name=body]", URGENT)
        member.click("text=Post reply")
        row = moderator.locator("#queue-list .queue-item.is-urgent")
        expect(row).to_be_visible(timeout=10000)
        expect(row).to_contain_text("Nobody has said they are on it yet.")
        expect(moderator.locator("#moderation-alerts .crisis-alert")).to_contain_text("a member may be at risk")
        assert moderator.locator("#moderation-alerts .crisis-alert a").first.get_attribute("href").startswith(base)
        expect(member.locator("article.post", has_text="end my life tonight").locator(".support-note")).to_be_visible()

        # The moderator opens it (which is not acknowledging it), says they are on it and reaches out.
        row.locator("a.queue-item-link").click()
        expect(moderator.locator(".unacknowledged")).to_be_visible()
        expect(moderator.locator("a", has_text="The moderators' guide")).to_have_attribute("href", "/moderation/guide/")
        item_url = moderator.url
        moderator.click("button:has-text(\"I'm on it\")")
        moderator.goto(item_url)
        expect(moderator.locator(".acknowledged")).to_contain_text("mona_keeper is on it")
        moderator.click("text=Reach out to wren")
        moderator.fill("textarea[name=body]", "Hi wren, I'm Mona, one of the volunteers. I read your post. Are you safe?")
        moderator.click("button:has-text('Send to wren')")
        expect(moderator.locator("#conversation")).to_contain_text("Are you safe?")
        team_conversation_url = moderator.url

        # The member, still on the thread, hears of it live; opens it from the inbox.
        expect(member.locator("#inbox-count")).to_have_text("(1 new)", timeout=10000)
        member.click("#inbox-link")
        member.click("button.inbox-open:has-text('The team sent you a private message.')")
        expect(member.locator("#conversation")).to_contain_text("Are you safe?")
        member.evaluate("window.__notReloaded = true")

        # With the conversation open on both sides, each sees the other's message live.
        moderator.fill("textarea[name=body]", "Take your time. If you can, call or text 988 now: they are there all night.")
        moderator.click("button:has-text('Send to wren')")
        expect(member.locator("#conversation")).to_contain_text("call or text 988", timeout=10000)
        assert member.evaluate("window.__notReloaded") is True
        member.fill("textarea[name=body]", "Thank you. I called them. I'm safe tonight.")
        member.click("button:has-text('Send')")
        expect(member.locator("#conversation")).to_contain_text("I called them")
        moderator.evaluate("window.__notReloaded = true")
        expect(moderator.locator("#conversation")).to_contain_text("I called them", timeout=10000)
        assert moderator.evaluate("window.__notReloaded") is True
        assert moderator.url.split("#")[0] == team_conversation_url.split("#")[0]

        # The moderator records the outcome; the item leaves the queue.
        moderator.goto(item_url)
        moderator.check("input[name=outcome][value=reached_out]")
        moderator.fill(".outcome-form textarea[name=reason]", "Wren called 988 and says they are safe tonight.")
        moderator.click(".outcome-form button[type=submit]")
        expect(moderator.locator("#queue-empty")).to_be_visible()
        moderator.goto(item_url)
        expect(moderator.locator(".status-note")).to_contain_text("We reached out")

        # Nothing escalates after that, however long it waits.
        output = manage(database_url, "escalate_crisis_items", MODERATION_CRISIS_ESCALATE_AFTER="0",
                        MODERATION_CRISIS_REESCALATE_AFTER="0", **mail_env)
        assert "Escalated 0 urgent items." in output
        escalations = [path for path in mail_dir.glob("*.log") if "Urgent" in path.read_text()]
        assert escalations == []
        moderator.screenshot(path=str(tmp_path / "moderator.png"), full_page=True)


def test_an_unacknowledged_urgent_item_escalates_by_email_with_a_link_that_opens_it(chromium, thread, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from forum import services as forum_services

    mona = make_member("mona_keeper")
    mona.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    wren = make_member("wren")
    forum_services.post_create(author=wren, thread=thread, body=URGENT)
    mona_cookie = session_cookie(mona)
    database_url = shared_database_url(tmp_path)
    mail_dir = tmp_path / "mail"
    mail_env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        output = manage(database_url, "escalate_crisis_items", SITE_URL=base, MODERATION_CRISIS_ESCALATE_AFTER="0",
                        **mail_env)
        assert "Escalated 1 urgent item." in output
        email = file_email(mail_dir)
        assert email["to"] == "mona_keeper@example.org" and "Urgent" in email["subject"]
        assert "end my life" not in email["body"] and thread.title not in email["body"]
        links = re.findall(r"https?://\S+", email["body"])
        item_link = next(link for link in links if "/moderation/items/" in link)
        guide_link = next(link for link in links if link.rstrip(".").endswith("/moderation/guide/"))
        assert item_link.startswith(base)

        page = open_as(browser, base, mona_cookie)
        page.goto(item_link)
        expect(page.locator("h1")).to_contain_text("Someone may be at risk")
        expect(page.locator(".unacknowledged")).to_be_visible()
        expect(page.locator(".crisis-status")).to_contain_text("Escalated 1 time")
        page.goto(guide_link.rstrip("."))
        expect(page.locator("h1")).to_contain_text("the moderators' guide")
