"""A reader in French, end to end: with no cookie and no setting, a browser that asks for
Canadian French (Accept-Language: fr-CA) gets French pages, French crisis lines first and,
as a member, French messages and emails; an email is in its recipient's language, never in
the language of whoever caused it.

Strings from the code's catalog are checked against the small test catalog
(tests/french.py); text localized from the database (category names, crisis lines) is
checked as the database holds it."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import dateformat, translation

from forum import services
from modmail import services as modmail_services
from tests.accounts.test_allauth_flows import signup
from tests.conftest import client_for
from tests.french import french_catalog_fixture  # noqa: F401 - the fixture every test here uses

pytestmark = pytest.mark.usefixtures("french_catalog")

FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-CA,en;q=0.9"}


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str, tag: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S).group(1)).strip()


# --- Pages --------------------------------------------------------------------------------


def test_a_french_browser_with_no_cookie_gets_a_french_page(db):
    client = Client(**FRENCH_BROWSER)
    response = client.get("/latest/")
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert text_of(html, "h1") == "Derniers fils"
    assert "Kétamine et eskétamine" in html  # the categories, from the database
    assert not client.cookies  # nothing remembered: the browser's languages decided


def test_an_english_browser_gets_the_same_page_in_english(db):
    html = page(Client(**ENGLISH_BROWSER), "/latest/")
    assert '<html lang="en"' in html and text_of(html, "h1") == "Latest threads"


def test_a_french_reader_gets_french_crisis_lines_first(db):
    html = page(Client(**FRENCH_BROWSER), "/").replace("&#x27;", "'")
    banner = html[html.index('class="crisis-banner"'):]
    banner = banner[: banner.index("</aside>")]
    assert "Vous pensez au suicide ou vous êtes en crise?" in banner
    assert "Ligne d'aide en cas de crise de suicide 9-8-8" in banner  # fr-CA: Canada's line, in French
    help_page = page(Client(**FRENCH_BROWSER), "/help/").replace("&#x27;", "'")
    assert help_page.index("Ligne d'écoute d'espoir pour le mieux-être") < help_page.index(
        "Service national d'intervention en cas de surdose"  # answers in English only
    )


def test_a_french_member_gets_french_form_errors_and_messages(member, category):
    member.language = "fr"
    member.save(update_fields=["language"])
    client = client_for(member)
    client.defaults.update(ENGLISH_BROWSER)  # their setting wins over the browser's languages
    response = client.post(f"/c/{category.slug}/new/", {"title": "   ", "body": "Une première semaine difficile."})
    html = response.content.decode().replace("&#x27;", "'").replace("&rsquo;", "’")
    assert response.status_code == 400
    assert "Donnez un titre à votre fil, s’il vous plaît." in html
    assert "Une première semaine difficile." in html  # what they wrote is kept
    settings_page = client.post("/settings/", {"language": "fr"}, follow=True).content.decode()
    assert "Vos paramètres sont enregistrés." in settings_page and ">Langue<" in settings_page


def test_each_language_has_its_own_cached_thread_tree(thread):
    english = page(Client(**ENGLISH_BROWSER), f"/t/{thread.pk}/")  # fills the anonymous readers' cache
    french = page(Client(**FRENCH_BROWSER), f"/t/{thread.pk}/")
    opening = thread.posts.get(is_opening=True)
    with translation.override("fr"):
        french_date = dateformat.format(opening.created_at, "j F Y")
    with translation.override("en"):
        english_date = dateformat.format(opening.created_at, "j F Y")
    assert french_date != english_date
    assert french_date in french and english_date not in french
    assert english_date in english


# --- Emails ---------------------------------------------------------------------------------


def test_a_french_members_notification_email_is_in_french(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    member.language, member.notification_email = "fr", "each"
    member.save(update_fields=["language", "notification_email"])
    replier = client_for(other_member)
    replier.defaults.update(ENGLISH_BROWSER)  # the replier reads in English
    with django_capture_on_commit_callbacks(execute=True):
        response = replier.post(f"/t/{thread.pk}/reply/", {"body": "Mine went fine, hang in there."})
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.subject == "Common Ground\u00a0: Nouvelle réponse à votre message"
    assert email.body.startswith("bob a répondu à l’un de vos messages.")  # sensitive category: no title
    assert "est un lieu de soutien entre pairs, pas un service de crise" in email.body
    assert "You are getting this" not in email.body


def test_an_english_member_is_written_to_in_english_when_a_french_reader_replies(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    member.notification_email = "each"
    member.save(update_fields=["notification_email"])
    replier = client_for(other_member)
    replier.defaults.update(FRENCH_BROWSER)
    with django_capture_on_commit_callbacks(execute=True):
        replier.post(f"/t/{thread.pk}/reply/", {"body": "Courage, ça va aller."})
    (email,) = mail.outbox
    assert email.subject == "Common Ground: New reply to your post"
    assert "You are getting this because you asked for notification emails." in email.body


def test_a_french_members_daily_digest_is_in_french(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    member.language, member.notification_email = "fr", "daily"
    member.save(update_fields=["language", "notification_email"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="Thinking of you.")
        services.post_create(author=other_member, thread=thread, body="And again.")
    call_command("send_digests", stdout=open("/dev/null", "w"))
    (email,) = mail.outbox
    assert email.subject == "Common Ground\u00a0: 2 nouvelles notifications"
    assert email.body.startswith("Voici ce qui est nouveau depuis votre dernier résumé.")


def test_a_message_from_the_team_is_announced_in_the_members_language(
    member, moderator, django_capture_on_commit_callbacks
):
    member.language = "fr"
    member.save(update_fields=["language"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        conversation = modmail_services.conversation_reach_out(actor=moderator, member=member, body="Checking in.")
    (email,) = mail.outbox
    assert email.subject == "[Common Ground] Un nouveau message pour vous"
    assert conversation.subject == "Un message de l'équipe"
    # The inbox line is stored in English and read in the reader's language.
    inbox = page(client_for(member), "/inbox/")
    assert "L’équipe vous a envoyé un message privé." in inbox


def test_a_french_reader_who_signs_up_gets_the_confirmation_email_in_french(db):
    signup(Client(**FRENCH_BROWSER))
    email = next(message for message in mail.outbox if "new@example.org" in message.to)
    assert email.subject == "Common Ground\u00a0: Veuillez confirmer votre adresse courriel"
    assert email.body.startswith("Bonjour,\n")


def test_a_password_reset_is_in_the_members_language_whatever_the_browser(member):
    member.language = "fr"
    member.save(update_fields=["language"])
    Client(**ENGLISH_BROWSER).post("/accounts/password/reset/", {"email": member.email})
    email = mail.outbox[-1]
    assert email.subject == "Common Ground\u00a0: Réinitialisation de votre mot de passe"
    assert email.body.startswith("Bonjour,\n")
