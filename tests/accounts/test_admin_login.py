"""The admin signs in through allauth's login, with its limit on failed attempts (issue 15)."""

from django.test import Client

from tests.conftest import PASSWORD


def test_the_admins_own_login_form_signs_nobody_in(admin_user):
    client = Client()
    response = client.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_visitors_to_the_forums_login(reader, db):
    response = reader.get("/admin/")
    assert response.status_code == 302
    followed = reader.get(response["Location"])
    assert followed.status_code == 302 and followed["Location"].startswith("/accounts/login/?next=")


def test_twelve_wrong_passwords_lock_the_staff_account_out_even_with_the_right_one(admin_user):
    client = Client()
    for _ in range(12):
        client.post("/accounts/login/?next=/admin/", {"login": admin_user.username, "password": "guess"})
    response = client.post("/accounts/login/?next=/admin/", {"login": admin_user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    admin_form = Client()
    admin_form.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    assert "_auth_user_id" not in admin_form.session
