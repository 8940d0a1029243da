"""The pages work under the enforced Content-Security-Policy in a real browser (Debian's
Chromium through Playwright, the app served by uvicorn with CSP_REPORT_ONLY=0): the live
socket connects, the composer's check and reactions fetch, the moderators' queue listens,
the two-factor setup shows its code, and the browser reports no violation anywhere."""

from types import SimpleNamespace

import pytest
from allauth.account.internal.flows.login import record_authentication

from forum import services
from tests.conftest import client_for
from tests.forum.live_server import ESTABLISHED, shared_database_url, uvicorn_server
from tests.forum.live_server import launched_chromium as launched

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.effectiveDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


def recently_confirmed_session(user) -> str:
    """A session whose member confirmed their password a moment ago (two-factor setup asks)."""
    client = client_for(user)
    session = client.session
    record_authentication(SimpleNamespace(session=session), user, "password", reauthenticated=True)
    session.save()
    return client.cookies["sessionid"].value


def test_every_kind_of_page_works_under_the_enforced_policy(
    thread, member, other_member, moderator, admin_user, tmp_path
):
    from playwright.sync_api import expect

    reply = services.post_create(author=other_member, thread=thread, body="Week two went better for me.")
    member_cookie = recently_confirmed_session(member)
    moderator_cookie = client_for(moderator).cookies["sessionid"].value
    admin_cookie = client_for(admin_user).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    server = uvicorn_server(database_url, tmp_path / "server.log", CSP_REPORT_ONLY="0", **ESTABLISHED)
    with server as base, launched() as browser:
        seen: dict[str, list[str]] = {}

        def page_for(cookie):
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            context.add_init_script(COLLECT_VIOLATIONS)
            page = context.new_page()
            page.on("console", lambda message: "Content Security Policy" in message.text
                    and seen.setdefault(page.url, []).append(message.text))
            return page

        def visit(page, path):
            response = page.goto(base + path)
            assert response.status == 200, path
            assert "Content-Security-Policy" in {name.title() for name in response.headers}, path
            return page

        alice = page_for(member_cookie)
        visit(alice, thread.get_absolute_url())
        expect(alice.locator("#presence")).to_have_text("1 reading now", timeout=5000)  # the socket connected
        alice.fill("textarea[name=body]", "I don't want to be here anymore, I can't keep going.")
        expect(alice.locator(".compose-support")).not_to_be_empty(timeout=5000)  # the composer's fetch
        alice.click(f"#post-{reply.pk} .reaction-more")  # "React" shows the reactions not yet given
        alice.click(f"#post-{reply.pk} .reactions button[value=support]")
        expect(alice.locator(f"#post-{reply.pk} .reactions button[value=support]")).to_have_attribute(
            "aria-pressed", "true", timeout=5000
        )
        seen[thread.get_absolute_url()] = alice.evaluate("window.__violations")
        for path in ("/", "/help/?region=GB", "/settings/", "/accounts/email/", "/inbox/",
                     "/accounts/2fa/totp/activate/"):
            visit(alice, path)
            seen[path] = alice.evaluate("window.__violations")
        expect(alice.locator("img[src^='data:image/svg+xml']")).to_be_visible()  # the setup code

        for cookie, paths in ((moderator_cookie, ["/moderation/"]), (admin_cookie, ["/admin/", "/admin/forum/thread/"])):
            page = page_for(cookie)
            for path in paths:
                visit(page, path)
                page.wait_for_timeout(300)  # moderation.js opens its socket
                seen[path] = page.evaluate("window.__violations")

    assert {path: found for path, found in seen.items() if found} == {}
