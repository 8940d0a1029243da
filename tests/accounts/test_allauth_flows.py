"""Sign-up, login and the account pages, through allauth and our adapter."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.names import username_is_reserved
from accounts.models import User
from tests.conftest import PASSWORD, client_for


@pytest.mark.parametrize(
    "name", ["admin", "Admin", "moderator", "mod", "Mod_Jo", "staff", "support", "support.team", "crisis",
             "crisis-line", "988", "988help", "the_admin", "administrator2", "crisisline", "Samaritans"]
)
def test_names_that_impersonate_staff_or_services_are_reserved(name):
    assert username_is_reserved(name)


@pytest.mark.parametrize("name", ["modern_life", "supportive_sam", "river_stone", "staffie_lover", "jo1988x"])
def test_ordinary_pseudonyms_are_allowed(name):
    assert not username_is_reserved(name)


def signup(client, **overrides):
    data = {
        "username": "new_member", "email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD,
        "guidelines": "on",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_refuses_a_staff_like_name_with_a_clear_message_and_keeps_the_rest(reader, db):
    response = signup(reader, username="Moderator_Kim")
    html = response.content.decode()
    assert response.status_code == 200
    assert "could be mistaken for the forum&#x27;s staff" in html
    assert "new@example.org" in html
    assert not User.objects.filter(username__iexact="moderator_kim").exists()


def test_signup_sends_a_verification_email(reader, db):
    response = signup(reader)
    assert response.status_code == 302
    user = User.objects.get(username="new_member")
    assert not EmailAddress.objects.get(user=user).verified
    assert any("new@example.org" in message.to for message in mail.outbox)


def test_login_works_with_username_or_email(reader, member):
    assert reader.post("/accounts/login/", {"login": "alice", "password": PASSWORD}).status_code == 302
    reader.logout()
    assert reader.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD}).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(reader, member):
    response = reader.post("/accounts/login/", {"login": "alice", "password": "nope"})
    assert response.status_code == 200 and "not correct" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_allauth_pages_use_the_sites_layout(reader, db, url):
    html = reader.get(url).content.decode()
    assert 'aria-label="Crisis support"' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html


@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/password/change/"])
def test_account_management_pages_use_the_sites_layout(member, url):
    html = client_for(member).get(url).content.decode()
    assert 'aria-label="Crisis support"' in html and 'class="site-header"' in html


def test_password_reset_sends_an_email(reader, member):
    reader.post("/accounts/password/reset/", {"email": member.email})
    assert any(member.email in message.to for message in mail.outbox)


def test_logout_signs_the_member_out(member):
    client = client_for(member)
    client.post("/accounts/logout/")
    assert "Log in" in client.get("/").content.decode()
