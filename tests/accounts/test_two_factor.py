"""Two-factor sign-in (issue 15): any member may turn it on; moderators and staff must use
it before the moderation pages or the admin open (the socket is in
tests/moderation/test_socket_standing.py)."""

import time
from types import SimpleNamespace

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client

from forum import services
from tests.conftest import PASSWORD, client_for, give_authenticator_app, make_member


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def just_signed_in_with_password(user, *, two_factor=False) -> Client:
    """A browser whose member confirmed their password a moment ago (as changing two-factor
    sign-in asks)."""
    client = client_for(user, two_factor=two_factor)
    session = client.session
    record_authentication(SimpleNamespace(session=session), user, "password", reauthenticated=True)
    session.save()
    return client


def password_login(client, user):
    return client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})


@pytest.mark.parametrize("persona, url", [("moderator", "/moderation/"), ("admin_user", "/admin/")])
def test_moderators_and_staff_without_an_app_are_asked_to_set_one_up_first(db, request, persona, url):
    client = client_for(request.getfixturevalue(persona), two_factor=False)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Moderators and staff sign in with two factors" in page


def test_a_moderator_whose_sign_in_had_no_second_factor_is_asked_for_a_code(moderator):
    give_authenticator_app(moderator)
    response = client_for(moderator, two_factor=False).get("/moderation/log/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fmoderation%2Flog%2F"


def test_a_moderator_signs_in_with_password_and_code_then_opens_the_queue(moderator):
    secret = give_authenticator_app(moderator)
    client = Client()
    response = password_login(client, moderator)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert client.session["_auth_user_id"] == str(moderator.pk)
    assert client.get("/moderation/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth announces a new app after its commit, inside the request
def test_setting_up_the_app_is_itself_the_second_factor(moderator):
    client = just_signed_in_with_password(moderator)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=moderator, type="totp").exists()
    assert client.get("/moderation/").status_code == 200


def test_a_moderator_cannot_remove_their_app(moderator):
    client = just_signed_in_with_password(moderator, two_factor=True)
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=moderator, type="totp").exists()


def test_a_member_may_turn_it_on_from_their_settings_and_then_signs_in_with_a_code(member):
    settings_page = client_for(member).get("/settings/").content.decode()
    assert 'href="/accounts/2fa/"' in settings_page
    client = just_signed_in_with_password(member)
    client.get("/accounts/2fa/totp/activate/")
    client.post("/accounts/2fa/totp/activate/", {"code": code_for(client.session[SECRET_SESSION_KEY])})
    browser = Client()
    assert password_login(browser, member)["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in browser.session


def test_a_recovery_code_signs_in_when_the_phone_is_lost(member):
    give_authenticator_app(member)
    codes = RecoveryCodes.activate(member).generate_codes()
    client = Client()
    password_login(client, member)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_members_without_it_go_everywhere_as_before(member):
    client = client_for(member)
    assert client.get("/settings/").status_code == 200
    assert client.get("/inbox/").status_code == 200


def test_a_moderator_without_the_second_factor_reads_the_forum_as_a_member_does(moderator, member, other_member,
                                                                              thread, settings):
    """Until the second factor, a moderator's password alone shows nothing a member could
    not see: hidden text stays a placeholder, a pending thread is not there. The header
    still offers the queue, which asks for the code."""
    from moderation import services as moderation_services

    reply = services.post_create(author=other_member, thread=thread, body="Words a moderator hid")
    moderation_services.post_hide(actor=moderator, post=reply, reason="Unkind")
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    waiting = services.thread_create(author=make_member("new_face"), category=thread.category, title="Waiting",
                                     body="My first post")

    half_signed_in = client_for(moderator, two_factor=False)
    page = half_signed_in.get(thread.get_absolute_url()).content.decode()
    assert "Words a moderator hid" not in page and "Hidden by a moderator" in page
    assert 'href="/moderation/"' in page
    assert half_signed_in.get(waiting.get_absolute_url()).status_code == 404

    signed_in = client_for(moderator)
    assert "Words a moderator hid" in signed_in.get(thread.get_absolute_url()).content.decode()
    assert signed_in.get(waiting.get_absolute_url()).status_code == 200
