"""Response headers that keep a page from being turned against its reader (issue 15):
a Content-Security-Policy (scripts and styles from the site only, no inline script or
style, never inside a frame), a Permissions-Policy, member pages kept out of every cache,
and a CSRF cookie that scripts cannot read."""

import re
from pathlib import Path

import pytest

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy") or response.get("Content-Security-Policy-Report-Only")
    assert header, "no Content-Security-Policy header"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/help/", "/accounts/login/", "/search/?q=taper"])
def test_every_page_carries_a_strict_content_security_policy(reader, db, url):
    policy = policy_of(reader.get(url))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_the_policy_is_reported_only_in_development_and_tests(reader, db):
    response = reader.get("/")
    assert response.has_header("Content-Security-Policy-Report-Only")
    assert not response.has_header("Content-Security-Policy")


def test_the_thread_page_of_a_member_carries_it_too(member, thread):
    assert policy_of(client_for(member).get(thread.get_absolute_url()))["script-src"] == ["'self'"]


def test_every_page_says_which_browser_features_it_never_uses(reader, db):
    policy = reader.get("/").get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


@pytest.mark.parametrize(
    "url", ["/inbox/", "/notices/", "/settings/", "/settings/my-data/", "/settings/delete-account/", "/accounts/email/",
            "/accounts/2fa/"]
)
def test_member_pages_are_kept_out_of_every_cache(member, url):
    response = client_for(member).get(url)
    assert response.status_code == 200, url
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, url


def test_public_pages_may_still_be_cached_by_the_browser(reader, thread):
    assert "no-store" not in reader.get(thread.get_absolute_url()).get("Cache-Control", "")


def test_the_csrf_cookie_is_out_of_reach_of_scripts(member):
    response = client_for(member).get("/settings/")
    assert response.cookies["csrftoken"]["httponly"] is True


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_template_holds_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{template.name} has {', '.join(found)}: move it to static/"


def test_no_script_sets_an_inline_style_attribute():
    for script in (ROOT / "static" / "js").glob("*.js"):
        assert 'setAttribute("style"' not in script.read_text() and "cssText" not in script.read_text(), script.name
