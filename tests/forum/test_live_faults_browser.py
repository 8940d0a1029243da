"""The live thread when the network or the server misbehaves, in a real browser: Debian's
Chromium driven by Playwright, the app served by uvicorn. Playwright's WebSocket routing
sits between the page and the server, so the test decides which frames the page hears:
a reply whose parent arrives late (or never, by the socket), a socket that goes silent
while staying open, and the server's "resync" after it lost its group."""

import json
import secrets
import urllib.parse
import urllib.request

import pytest

from ..conftest import client_for
from .live_server import ESTABLISHED, shared_database_url, uvicorn_server
from .test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def post(base: str, thread_id: int, session: str, body: str, parent: int | None = None) -> int:
    """A reply over HTTP as the page's script sends it; the new post's id."""
    token = secrets.token_hex(16)
    fields = {"body": body, **({"parent": parent} if parent else {})}
    request = urllib.request.Request(
        f"{base}/t/{thread_id}/reply/", data=urllib.parse.urlencode(fields).encode(), method="POST",
        headers={"Accept": "application/json", "Cookie": f"sessionid={session}; csrftoken={token}",
                 "X-CSRFToken": token},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())["post_id"]


class Relay:
    """Between the page and the server: frames from the server pass unless `hold` (post
    events kept in `held`, in order) or their connection is in `silenced` (dropped)."""

    def __init__(self):
        self.hold = self.strip_recent = False
        self.held, self.silenced, self.routes = [], set(), []

    def route(self, ws):
        server = ws.connect_to_server()
        self.routes.append(ws)

        def from_server(message):
            if id(ws) in self.silenced:
                return
            data = json.loads(message)
            if self.hold and data["type"] == "post.created":
                self.held.append((ws, message))
                return
            if self.strip_recent and "recent" in data:
                data.pop("recent")
                message = json.dumps(data)
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(lambda message: server.send(message))

    def release(self, post_id):
        for ws, message in list(self.held):
            if json.loads(message)["post_id"] == post_id:
                self.held.remove((ws, message))
                ws.send(message)


def open_page(browser, base, url, relay):
    page = browser.new_context().new_page()
    page.route_web_socket("**/ws/threads/**", relay.route)
    page.goto(base + url)
    page.evaluate("window.__notReloaded = true")
    return page


def test_a_reply_whose_parent_arrives_later_waits_and_is_placed_under_it_once(chromium, thread, other_member, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    session = client_for(other_member).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    relay = Relay()
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        page = open_page(browser, base, f"/t/{thread.pk}/", relay)
        expect(page.locator("#presence")).to_contain_text("reading now", timeout=5000)
        before = page.evaluate("window.forumLive.lastPostId()")

        # The child's event comes first, its parent's later (as after a worker crash).
        relay.hold = True
        parent = post(base, thread.pk, session, "The parent, delayed")
        child = post(base, thread.pk, session, "The child, early", parent=parent)
        page.wait_for_function(f"document.querySelectorAll('#post-{parent}, #post-{child}').length === 0")
        relay.release(child)
        page.wait_for_function("window.forumLive.waiting() === 1")
        expect(page.locator(f"#post-{child}")).to_have_count(0)
        assert page.evaluate("window.forumLive.lastPostId()") < parent  # never past the waiting reply
        relay.release(parent)
        expect(page.locator(f"ol.children[data-parent='{parent}'] #post-{child}")).to_be_visible(timeout=3000)
        expect(page.locator(f"#post-{parent}")).to_have_count(1)
        expect(page.locator(f"#post-{child}")).to_have_count(1)
        assert page.evaluate("window.forumLive.lastPostId()") >= child > before

        # This parent's event never comes: the page asks the catch-up for it.
        parent2 = post(base, thread.pk, session, "A parent whose event is lost")
        child2 = post(base, thread.pk, session, "Its reply, heard live", parent=parent2)
        page.wait_for_timeout(300)
        relay.release(child2)
        relay.held.clear()  # the parent's event is lost
        expect(page.locator(f"ol.children[data-parent='{parent2}'] #post-{child2}")).to_be_visible(timeout=5000)
        expect(page.locator(f"#post-{parent2}")).to_have_count(1)
        expect(page.locator(f"#post-{child2}")).to_have_count(1)
        assert page.evaluate("window.forumLive.waiting()") == 0
        expect(page.locator("#reply-count")).to_have_text("4 replies")
        assert page.evaluate("window.__notReloaded") is True


def test_a_silent_socket_is_given_up_and_a_resync_catches_up(chromium, thread, other_member, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    session = client_for(other_member).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    relay = Relay()
    server_env = {**ESTABLISHED, "LIVE_HEARTBEAT": "1"}
    with uvicorn_server(database_url, tmp_path / "server.log", **server_env) as base, launched(chromium) as browser:
        page = open_page(browser, base, f"/t/{thread.pk}/", relay)
        expect(page.locator("#presence")).to_contain_text("reading now", timeout=5000)
        page.wait_for_timeout(1500)  # a heartbeat or two: the page knows the interval

        # The socket stays open but nothing comes through (a dead connection the browser
        # has not noticed). A reply is posted meanwhile.
        relay.silenced.add(id(relay.routes[-1]))
        missed = post(base, thread.pk, session, "Posted while the socket was silent")
        # Within three heartbeats the page gives the silent socket up, reconnects (the
        # silenced connection never delivers anything) and catches up, without a reload.
        expect(page.locator(f"#post-{missed}")).to_be_visible(timeout=8000)
        assert len(relay.routes) >= 2
        assert page.evaluate("window.__notReloaded") is True

        # The server lost its group for a while (a Redis restart): an event never came,
        # then the server says "resync". The page catches up from its last heartbeat.
        # (Heartbeats' list of recent replies would find it too: left out here.)
        relay.strip_recent = True
        relay.hold = True
        lost = post(base, thread.pk, session, "Posted while the server was out of its group")
        page.wait_for_timeout(500)
        relay.held.clear()
        relay.hold = False
        expect(page.locator(f"#post-{lost}")).to_have_count(0)
        relay.routes[-1].send(json.dumps({"type": "resync", "interval": 1}))
        expect(page.locator(f"#post-{lost}")).to_be_visible(timeout=3000)
        expect(page.locator(f"#post-{lost}")).to_have_count(1)
        expect(page.locator(f"#post-{missed}")).to_have_count(1)

        # A reply whose broadcast never left (its worker died after the commit): no event,
        # no resync, the socket is fine. The next heartbeats name it; the page catches up.
        relay.strip_recent = False
        relay.hold = True
        unsent = post(base, thread.pk, session, "Committed, but its worker died before the broadcast")
        page.wait_for_timeout(300)
        relay.held.clear()
        relay.hold = False
        expect(page.locator(f"#post-{unsent}")).to_be_visible(timeout=6000)
        expect(page.locator(f"#post-{unsent}")).to_have_count(1)
        assert page.evaluate("window.__notReloaded") is True


def test_a_reply_the_server_could_not_save_stays_in_the_form_and_is_never_sent_twice(chromium, thread, other_member, tmp_path):  # noqa: F811
    """A busy database answers 503 (safety.errors.database_busy); a proxy with no worker
    answers 502 with its own page. Either way the member's text stays where it is, they
    are told nothing was posted, and the page never re-sends it on its own."""
    from django.db import OperationalError
    from django.test import RequestFactory
    from playwright.sync_api import expect

    from safety import errors

    request = RequestFactory().post(f"/t/{thread.pk}/reply/", {"body": "a reply"}, HTTP_ACCEPT="application/json")
    busy = errors.database_busy(request, OperationalError("couldn't get a connection after 10.00 sec"))
    answers = [
        {"status": 503, "headers": {"Content-Type": "application/json", "Retry-After": "5"},
         "body": busy.content.decode()},
        {"status": 502, "headers": {"Content-Type": "text/html"}, "body": "<h1>Bad gateway</h1>"},
    ]
    sent = []

    def answer(route):
        sent.append(route.request.post_data)
        route.fulfill(**answers[len(sent) - 1]) if len(sent) <= len(answers) else route.continue_()

    cookie = client_for(other_member).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        page.route(f"**/t/{thread.pk}/reply/", answer)
        page.goto(f"{base}/t/{thread.pk}/")
        form = page.locator("form.reply-form").first
        text = "Typed on the night bus, and I do not want to type it again"
        form.locator("textarea").fill(text)
        send = form.get_by_role("button", name="Post reply")

        send.click()
        expect(form.locator(".form-status")).to_contain_text("Nothing was posted; your text is still here")
        expect(form.locator("textarea")).to_have_value(text)
        expect(send).to_be_enabled()

        send.click()  # the proxy's own error page this time
        expect(form.locator(".form-status")).to_contain_text("could not save your reply just now")
        expect(form.locator("textarea")).to_have_value(text)
        page.wait_for_timeout(500)
        assert len(sent) == 2  # one request per click: nothing re-sent behind the member's back
        assert page.url == f"{base}/t/{thread.pk}/"

        send.click()  # the server answers again
        expect(page.locator("article.post", has_text="Typed on the night bus")).to_have_count(1, timeout=5000)
        assert len(sent) == 3


def test_a_page_that_missed_nothing_reconnects_without_asking_for_a_catch_up(chromium, thread, other_member, tmp_path):  # noqa: F811
    """The socket's first frame names the thread's version: a page rendered at it, or
    caught up to it since, has nothing to fetch (a reconnect storm then costs the server
    no catch-up requests); a page that missed a reply catches up once and holds it."""
    from playwright.sync_api import expect

    session = client_for(other_member).cookies["sessionid"].value
    relay = Relay()
    with uvicorn_server(shared_database_url(tmp_path), tmp_path / "server.log", **ESTABLISHED) as base, \
            launched(chromium) as browser:
        page = browser.new_context().new_page()
        page.route_web_socket("**/ws/threads/**", relay.route)
        catch_ups = []
        page.on("request", lambda request: "/posts/" in request.url and catch_ups.append(request.url))
        page.goto(f"{base}/t/{thread.pk}/")
        expect(page.locator("#presence")).to_contain_text("reading now", timeout=5000)
        page.wait_for_timeout(500)
        assert catch_ups == []

        # The socket drops while a reply is posted: the next socket's version is newer.
        relay.silenced.add(id(relay.routes[-1]))
        missed = post(base, thread.pk, session, "Posted while the socket was down")
        relay.routes[-1].close(code=4000, reason="dropped")
        expect(page.locator(f"#post-{missed}")).to_be_visible(timeout=8000)
        assert len(catch_ups) == 1

        # Dropped again with nothing new: it reconnects and asks nothing.
        relay.routes[-1].close(code=4000, reason="dropped")
        for _ in range(80):  # the page reconnects within 0.5-1 s (its backoff)
            if len(relay.routes) == 3:
                break
            page.wait_for_timeout(100)
        expect(page.locator("#presence")).to_contain_text("reading now", timeout=8000)
        page.wait_for_timeout(1000)
        assert len(relay.routes) == 3 and len(catch_ups) == 1
        expect(page.locator(f"#post-{missed}")).to_have_count(1)
