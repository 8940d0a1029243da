"""Account pages in the site's voice: privacy guidance when joining, emails that name the
site by its setting (no "[Forum]", no "Hello from 127.0.0.1:8000"), a short welcome once
the email address is confirmed, and form help and errors that screen readers announce."""

import re

from allauth.account.models import EmailAddress
from django.core import mail

from tests.accounts.test_allauth_flows import signup
from tests.conftest import client_for


def test_signup_explains_privacy_before_anyone_chooses_a_name(reader, db, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    html = reader.get("/accounts/signup/").content.decode()
    assert "<title>Join · Common Ground</title>" in html
    assert "Pick a username that doesn't identify you." in html
    assert "Your email address is never shown" in html
    assert "Your first posts are read by a moderator before they appear." in html


def test_signup_promises_no_review_when_first_posts_are_not_reviewed(reader, db, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    assert "read by a moderator" not in reader.get("/accounts/signup/").content.decode()


def test_login_speaks_in_the_sites_voice(reader, db):
    html = reader.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in html and "Forgotten your password?" in html and "Sign In" not in html


def test_the_confirmation_email_names_the_site_by_its_setting_and_not_the_host(reader, db, settings):
    settings.SITE_URL = "https://forum.example"
    signup(reader)
    email = next(message for message in mail.outbox if "new@example.org" in message.to)
    assert email.subject == "Common Ground: Please confirm your email address"
    assert "[Forum]" not in email.subject and "Hello from" not in email.body
    assert email.body.startswith("Hello,\n") and "Common Ground\nhttps://forum.example/" in email.body
    assert email.from_email == "Common Ground <noreply@localhost>"
    assert "Your email address is never shown to other members." in email.body


def test_password_reset_emails_are_plain_and_generic(reader, member):
    reader.post("/accounts/password/reset/", {"email": member.email})
    email = mail.outbox[-1]
    assert email.subject == "Common Ground: Resetting your password"
    assert "testserver" not in email.body.split("http")[0]


def test_confirming_the_email_address_lands_on_a_short_welcome(reader, db):
    signup(reader)
    email = next(message for message in mail.outbox if "new@example.org" in message.to)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", email.body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    response = reader.post(path)
    assert response.status_code == 302 and response.url == "/welcome/"
    html = reader.get("/welcome/").content.decode()
    assert 'Welcome, <span translate="no">new_member</span>' in html
    assert 'href="/guidelines/"' in html and 'href="/help/"' in html and "Quick exit" in html


def test_the_welcome_lists_what_was_written_while_waiting(unverified_member, thread):
    client = client_for(unverified_member)
    client.post(f"/t/{thread.pk}/reply/", {"body": "Waiting to be sent"})
    EmailAddress.objects.filter(user=unverified_member).update(verified=True)
    html = client_for(unverified_member).get("/welcome/").content.decode()
    assert f'href="/t/{thread.pk}/#reply-heading">A reply to a thread</a>' in html


def test_help_and_errors_are_tied_to_their_inputs_with_the_ids_django_points_at(reader, db):
    html = signup(reader, username="x", email="not-an-email").content.decode()
    for name in ("username", "email"):
        described = re.search(rf'<input [^>]*name="{name}"[^>]*aria-describedby="([^"]+)"', html)
        assert described, name
        for target in described.group(1).split():
            assert f'id="{target}"' in html, (name, target)
        assert f'id="id_{name}_error"' in html
    password = re.search(r'<input [^>]*name="password1"[^>]*aria-describedby="([^"]+)"', html).group(1)
    assert "id_password1_helptext" in password and 'id="id_password1_helptext"' in html


def test_the_composers_help_is_announced_too(member_client, category):
    html = member_client.get(f"/c/{category.slug}/new/").content.decode()
    assert re.search(r'<textarea [^>]*aria-describedby="id_body_helptext"', html)
    assert 'id="id_body_helptext"' in html
