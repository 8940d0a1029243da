"""Whether an email address belongs to a member is health information here: signup,
login, password reset and adding an address answer the same whether it does or not
(issue 15). The owner of a registered address hears about a signup attempt by email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD, client_for


def signup(email, username):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, "guidelines": "on"},
        follow=True,
    )
    return response, client


def visible(response, typed: str = "") -> tuple:
    """What a visitor can see: the status, where they were sent, and the page's words
    (each form's one-time security token, and what the visitor typed, aside)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    html = html.replace(typed, "TYPED") if typed else html
    main = html[html.index("<main"):html.index("</main>")]
    return response.status_code, [url for url, _ in getattr(response, "redirect_chain", [])], main


def test_signup_answers_the_same_for_a_registered_email_and_a_new_one(member):
    taken, taken_client = signup(member.email, "newcomer_one")
    fresh, fresh_client = signup("someone.new@example.org", "newcomer_two")
    # Each page repeats the address its visitor typed; past that, they are the same page.
    assert visible(taken, typed=member.email) == visible(fresh, typed="someone.new@example.org")
    assert "already" not in taken.content.decode()
    assert not taken_client.session.get("_auth_user_id") and not fresh_client.session.get("_auth_user_id")
    assert not User.objects.filter(username="newcomer_one").exists()
    assert User.objects.filter(username="newcomer_two").exists()


def test_the_owner_of_a_registered_email_is_told_that_someone_tried(member):
    signup(member.email, "newcomer_one")
    to_owner = [message for message in mail.outbox if member.email in message.to]
    assert len(to_owner) == 1 and "already" in to_owner[0].body.lower()


def test_a_new_member_signs_in_by_confirming_their_address(db):
    _, client = signup("someone.new@example.org", "newcomer_two")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/confirm-email/" in line)
    path = link[link.index("/accounts/confirm-email/"):].strip()
    client.post(path)
    user = User.objects.get(username="newcomer_two")
    assert EmailAddress.objects.get(user=user).verified
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.parametrize("login", ["alice", "alice@example.org"])
def test_login_says_the_same_for_a_wrong_password_and_an_unknown_account(member, login):
    known = Client().post("/accounts/login/", {"login": login, "password": "not-the-password"})
    unknown_login = "nobody_here" if "@" not in login else "nobody@example.org"
    unknown = Client().post("/accounts/login/", {"login": unknown_login, "password": "not-the-password"})
    assert known.status_code == unknown.status_code == 200
    assert errors(known) == errors(unknown) and errors(known)


def errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.DOTALL)


def test_password_reset_answers_the_same_for_a_registered_email_and_an_unknown_one(member):
    known = Client().post("/accounts/password/reset/", {"email": member.email}, follow=True)
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert visible(known) == visible(unknown)


def test_adding_an_address_another_member_uses_answers_as_for_a_new_one(member, other_member):
    taken = client_for(member).post("/accounts/email/", {"action_add": "", "email": other_member.email}, follow=True)
    fresh = client_for(member).post("/accounts/email/", {"action_add": "", "email": "fresh@example.org"}, follow=True)
    assert taken.status_code == fresh.status_code == 200
    assert "already" not in taken.content.decode()
