"""Nothing English slips through untranslated (issue 17).

Every page type is rendered, as each persona that may open it, under a pseudo-language:
French, with its catalog replaced by one that returns every message as ⟦message⟧. Any
word of English left outside ⟦⟧ in the visible text or in a user-facing attribute is a
string nobody marked. Skipped: elements with translate="no" (member content: titles,
bodies, usernames), elements with data-localized (text localized from the database, such
as crisis lines), <script> and <style>. The site's name is a proper noun and stays.

So that templates still being marked by other helpers do not hide new mistakes
elsewhere, the test tags what each of those templates renders (EXPECTED_PENDING) and
what comes from a template variable (strings from Python: form labels, messages,
choices; PYTHON_STRINGS) and counts it apart. That set can only shrink: the test fails
when an entry in it comes out clean, so whoever finishes one removes it here.
"""

import re
from gettext import NullTranslations
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.template import base as template_base
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import trans_real

from forum import services
from forum.models import Thread
from safety import errors

from .config import test_every_url as url_walk
from .config.test_every_url import EXPECTED, PERSONAS, path_for, project_patterns
from .conftest import client_for

PSEUDO = "fr"
world = url_walk.world  # the URL walk's world: a thread, a reply, a report, a suspended member...
CONTEXT_SEPARATOR = "\x04"

# What a template variable renders: strings from Python code, member content and data.
PYTHON_STRINGS = "{{ variable }}"

# Templates other helpers own and mark on their branches (issue 14: moderation pages;
# issue 18: the thread's posts), plus the strings from Python, which the other issue-17
# marker (branch i17py) marks. The lead empties this set as those branches are merged:
# the test fails when an entry here renders no English any more.
EXPECTED_PENDING = {
    PYTHON_STRINGS,  # i17py: forms, messages, choices, notifications; then member content needs translate="no"
    "moderation/queue.html",  # issue 14
    "moderation/_item_row.html",  # issue 14
    "moderation/item_detail.html",  # issue 14
    "moderation/member.html",  # issue 14
    "moderation/_member_history.html",  # issue 14
    "moderation/log.html",  # issue 14
    "moderation/_post_mod_actions.html",  # issue 14
    "forum/_post.html",  # issue 18
    "forum/_post_actions.html",  # issue 18
    "forum/_reactions.html",  # issue 18
}

# Attributes a reader sees or hears.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description", "aria-roledescription"}
SHOWN_INPUT_VALUES = {"submit", "button", "reset"}
SKIPPED_ELEMENTS = {"script", "style"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}

# Markers the test puts around what pending templates and variables render (private-use
# characters, which no page uses).
OPEN_TEMPLATE, NAME_END, CLOSE_TEMPLATE = "\ue000", "\ue001", "\ue002"
OPEN_VARIABLE, CLOSE_VARIABLE = "\ue003", "\ue004"
MARKERS = re.compile(f"({OPEN_TEMPLATE}[^{NAME_END}]*{NAME_END}|{CLOSE_TEMPLATE}|{OPEN_VARIABLE}|{CLOSE_VARIABLE})")
PAGE = "this page's own templates"

WORD = re.compile(r"[A-Za-z]{2,}")
ADDRESS = re.compile(r"(https?://|mailto:|tel:)\S+|\S+@\S+\.\w+")
ALLOWED_WORDS = {"UTC"}


class PseudoTranslation(NullTranslations):
    """Every message comes back as ⟦message⟧ (plurals and contexts included)."""

    def gettext(self, message):
        return f"⟦{message.split(CONTEXT_SEPARATOR)[-1]}⟧"

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)

    def to_language(self):
        return PSEUDO

    def language(self):
        return PSEUDO


@pytest.fixture
def pseudo_language(monkeypatch):
    monkeypatch.setitem(trans_real._translations, PSEUDO, PseudoTranslation())
    original_render = template_base.Template._render
    original_variable = template_base.VariableNode.render

    def render(self, context):
        output = original_render(self, context)
        name = getattr(self.origin, "template_name", None)
        return f"{OPEN_TEMPLATE}{name}{NAME_END}{output}{CLOSE_TEMPLATE}" if name in EXPECTED_PENDING else output

    def render_variable(self, context):
        output = original_variable(self, context)
        return f"{OPEN_VARIABLE}{output}{CLOSE_VARIABLE}" if output else output

    monkeypatch.setattr(template_base.Template, "_render", render)
    monkeypatch.setattr(template_base.VariableNode, "render", render_variable)
    yield
    translation.deactivate()


def english_in(text: str) -> str:
    """The English words left once ⟦translated⟧ parts, addresses and the site's name are gone."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    text = ADDRESS.sub(" ", text).replace(settings.SITE_NAME, " ")
    words = [word for word in WORD.findall(text) if word not in ALLOWED_WORDS]
    return " ".join(text.split()) if words else ""


class Reader(HTMLParser):
    """The page as a reader meets it: (whose, text) for every untranslated bit, where
    whose is a pending template's name, PYTHON_STRINGS or PAGE."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.regions: list[str] = []  # open template names and variables, innermost last
        self.skipping: list[str] = []  # open elements whose content is not checked
        self.found: list[tuple[str, str]] = []

    def whose(self, regions) -> str:
        templates = [region for region in regions if region != PYTHON_STRINGS]
        return templates[-1] if templates else (PYTHON_STRINGS if regions else PAGE)

    def read(self, text: str, regions: list[str], check: bool) -> None:
        """Follow the markers through text, collecting untranslated runs by owner."""
        runs: dict[str, list[str]] = {}
        for piece in MARKERS.split(text):
            if piece.startswith(OPEN_TEMPLATE):
                regions.append(piece[1:-1])
            elif piece == OPEN_VARIABLE:
                regions.append(PYTHON_STRINGS)
            elif piece in (CLOSE_TEMPLATE, CLOSE_VARIABLE):
                if regions:
                    regions.pop()
            elif piece.strip():
                runs.setdefault(self.whose(regions), []).append(piece)
        if check:
            for owner, pieces in runs.items():
                # A sentence may hold a variable: judge the owner's text together.
                english = english_in(" ".join(pieces))
                if english:
                    self.found.append((owner, english))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        checking = not self.skipping
        for name, value in attrs:
            if not value:
                continue
            shown = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in SHOWN_INPUT_VALUES
            )
            self.read(value, list(self.regions), checking and shown)
        if tag in VOID_ELEMENTS:
            return
        if self.skipping or tag in SKIPPED_ELEMENTS or attributes.get("translate") == "no" or (
            "data-localized" in attributes
        ):
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping and tag not in VOID_ELEMENTS:
            self.skipping.pop()

    def handle_data(self, data):
        self.read(data, self.regions, not self.skipping)


def untranslated(html: str) -> list[tuple[str, str]]:
    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader.found


def pseudo_client(user):
    client = client_for(user) if user is not None else client_for_anonymous()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = PSEUDO
    return client


def client_for_anonymous():
    from django.test import Client

    return Client()


def pages(w: dict) -> list[tuple[str, str, str]]:
    """(persona, label, path) of every HTML page each persona may open."""
    found = []
    for name, _ in project_patterns():
        for label, path in path_for(name, w):
            statuses = EXPECTED[label][0]
            for persona, status in zip(PERSONAS, statuses, strict=True):
                if status == 200:
                    found.append((persona, label, path))
    return found


def collect(findings: dict, page: str, html: str) -> None:
    for owner, text in untranslated(html):
        findings.setdefault(owner, {}).setdefault(text, page)


@pytest.fixture
def findings(pseudo_language, world, member, other_member, django_capture_on_commit_callbacks):
    """Every page type (and the error pages and emails), read under the pseudo-language:
    {owner: {english text: first page it was seen on}}."""
    found: dict[str, dict[str, str]] = {}
    clients = {persona: pseudo_client(world["clients"][persona]) for persona in PERSONAS}
    for persona, label, path in pages(world):
        response = clients[persona].get(path)
        assert response.status_code == 200, (persona, path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert f'<html lang="{PSEUDO}"' in MARKERS.sub("", html), f"{path} as {persona}: <html lang> does not follow the language"
        collect(found, f"{label} as {persona}", html)

    # Forms sent back with mistakes, and a search with no results.
    anonymous = clients["anonymous"]
    bad_login = anonymous.post("/accounts/login/", {"login": "nobody", "password": "wrong"})
    collect(found, "login with a wrong password", bad_login.content.decode())
    bad_signup = anonymous.post("/accounts/signup/", {"username": "", "email": "no", "password1": "x"})
    collect(found, "signup with mistakes", bad_signup.content.decode())
    collect(found, "search with no results", clients["member"].get("/search/?q=zzzqqq").content.decode())
    collect(found, "empty search", clients["member"].get("/search/").content.decode())
    bad_thread = clients["member"].post(f"/c/{world['slug']}/new/", {"title": "", "body": ""})
    collect(found, "new thread with mistakes", bad_thread.content.decode())

    # The error pages, in the reader's language.
    request = RequestFactory().get("/somewhere/", HTTP_ACCEPT_LANGUAGE=PSEUDO)
    with translation.override(PSEUDO):
        for label, response in (
            ("400 page", errors.bad_request(request)),
            ("403 page", errors.permission_denied(request)),
            ("404 page", errors.page_not_found(request)),
            ("500 page", errors.server_error(request)),
            ("CSRF page", errors.csrf_failure(request)),
        ):
            html = response.content.decode()
            assert f'<html lang="{PSEUDO}"' in MARKERS.sub("", html), f"{label}: <html lang> does not follow the language"
            collect(found, label, html)

    # Emails: a password reset, a sign-up confirmation, a notification.
    mail.outbox = []
    anonymous.post("/accounts/password/reset/", {"email": member.email})
    anonymous.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    pseudo_client(None).post(
        "/accounts/signup/",
        {"username": "new_person", "email": "new_person@example.org",
         "password1": "a-long-test-password-9", "password2": "a-long-test-password-9"},
    )
    member.notification_email, member.language = "each", PSEUDO
    member.save(update_fields=["notification_email", "language"])
    with django_capture_on_commit_callbacks(execute=True):
        thread = Thread.objects.get(pk=world["thread"])
        services.post_create(author=other_member, thread=thread, body="@alice a note")
    assert mail.outbox, "no email was sent"
    member_words = {"alice", "bob", "new_person", "Bob's thread", "Hello all", "a note"}
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        text = MARKERS.sub("", text)
        for words in member_words:
            text = text.replace(words, " ")
        english = english_in(text)
        if english:
            found.setdefault(PAGE, {}).setdefault(english, f"email: {message.subject}")
    return found


def report(entries: dict[str, str]) -> str:
    return "\n".join(f"  {page}: {text[:160]}" for text, page in sorted(entries.items(), key=lambda e: e[1]))


def test_every_page_reads_in_the_pseudo_language(findings):
    """No English outside ⟦⟧ on any page, error page or email, except what the
    EXPECTED_PENDING templates and Python strings still render."""
    own = findings.get(PAGE, {})
    assert not own, f"{len(own)} untranslated strings (mark them, or give member content translate=\"no\"):\n" + report(
        own
    )


def test_the_pending_set_only_shrinks(findings):
    """Each entry in EXPECTED_PENDING still renders English somewhere; one that comes out
    clean must be removed, so the check covers it from then on."""
    clean = sorted(entry for entry in EXPECTED_PENDING if entry not in findings)
    assert clean == [], f"these are translated now (or no longer rendered): remove them from EXPECTED_PENDING: {clean}"


def test_the_pseudo_language_catches_an_unmarked_string(pseudo_language):
    """The check itself: an unmarked sentence is found, a marked one, member content
    with translate="no" and localized data are not."""
    from django.template import Context, Template

    with translation.override(PSEUDO):
        html = Template(
            '{% load i18n %}<p>{% translate "Reply" %}</p><p translate="no">Bob\'s thread</p>'
            '<ul data-localized><li>Samaritans</li></ul><script>var a = "Hello";</script>'
            '<input type="submit" value="Send it"><img alt="{% translate "A picture" %}">'
            "<p>Left in English</p>"
        ).render(Context())
    assert untranslated(html) == [(PAGE, "Send it"), (PAGE, "Left in English")]
