"""The reader's language: the member's setting, else the footer's switch (a POST,
remembered in a cookie), else the browser's Accept-Language. URLs stay the same."""

from django.test import Client

from accounts.models import User
from tests.conftest import client_for


def page_language(response) -> str:
    html = response.content.decode()
    return html[html.index('<html lang="') + 12 :].split('"', 1)[0]


def test_a_french_browser_gets_french_pages_at_the_same_urls(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5").get("/")
    assert response.status_code == 200
    assert page_language(response) == "fr" and response["Content-Language"] == "fr"
    assert page_language(Client(HTTP_ACCEPT_LANGUAGE="en-GB").get("/")) == "en"


def test_the_footer_switch_is_a_post_remembered_in_a_cookie_and_beats_the_browser(db):
    reader = Client(HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert reader.get("/language/?language=en").status_code == 405  # a GET never switches
    response = reader.post("/language/", {"language": "en", "next": "/help/"})
    assert response.status_code == 302 and response["Location"] == "/help/"
    assert response.cookies["forum_language"].value == "en"
    assert page_language(reader.get("/")) == "en"


def test_an_anonymous_readers_pages_still_set_no_cookie(db, thread):
    assert not Client(HTTP_ACCEPT_LANGUAGE="fr").get(thread.get_absolute_url()).cookies


def test_a_members_setting_beats_the_cookie_and_the_browser(member):
    member.language = "fr"
    member.save(update_fields=["language"])
    client = client_for(member)
    client.cookies["forum_language"] = "en"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_a_member_using_the_switch_changes_their_setting_too(member):
    client = client_for(member)
    client.get("/")  # the page gives the member their CSRF token
    token = client.cookies["csrftoken"].value
    client.post("/language/", {"language": "fr", "next": "/"}, HTTP_X_CSRFTOKEN=token)
    assert User.objects.get(pk=member.pk).language == "fr"


def test_a_members_switch_without_the_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/language/", {"language": "fr"}).status_code == 403
    assert User.objects.get(pk=member.pk).language == ""
