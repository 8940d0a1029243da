"""Download my data, and delete my account (issue 6)."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from accounts.models import User
from forum import follows, reactions, services
from forum.models import CategoryWatch, Notification, Post, PostRevision, Reaction, Thread, ThreadFollow
from moderation import services as moderation_services
from moderation.models import LogEntry
from tests.conftest import PASSWORD, client_for, make_member

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


# --- Download my data ----------------------------------------------------------------


def test_download_my_data_is_a_json_file_of_my_posts_threads_and_settings(member, other_member, thread):
    reply = services.post_create(author=member, thread=thread, body="Second week, steadier.")
    services.post_delete(actor=member, post=services.post_create(author=member, thread=thread, body="Oops."))
    bobs = services.post_create(author=other_member, thread=thread, body="Bob's own words.")
    reactions.reaction_toggle(member=member, post=bobs, kind="me_too")
    member.region = "GB"
    member.save(update_fields=["region"])

    response = client_for(member).get("/settings/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-forum-data-')
    data = json.loads(response.content)
    posts = {post["id"]: post for post in data["posts"]}
    assert posts[reply.pk]["body"] == "Second week, steadier."
    assert posts[reply.pk]["thread_title"] == "First week of esketamine"
    assert posts[reply.pk]["status"] == "published" and posts[reply.pk]["created_at"]
    assert [post["status"] for post in data["posts"]].count("removed") == 1
    assert "Bob's own words." not in response.content.decode()
    assert [t["title"] for t in data["threads"]] == ["First week of esketamine"]
    assert data["profile"]["username"] == "alice" and data["profile"]["email"] == "alice@example.org"
    assert data["settings"]["region"] == "GB"
    assert data["email_addresses"] == [{"email": "alice@example.org", "verified": True, "primary": True}]
    assert [(r["post_id"], r["kind"]) for r in data["reactions"]] == [(bobs.pk, "me_too")]
    assert data["settings"]["notification_email"] == "off"
    assert {"thread_id": thread.pk, "thread_title": thread.title, "level": "watching"} in data["thread_follows"]


def test_download_my_data_needs_a_signed_in_member(reader):
    response = reader.get("/settings/my-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_offers_download_and_delete(member_client):
    html = member_client.get("/settings/").content.decode()
    assert 'href="/settings/my-data/"' in html and 'href="/settings/delete-account/"' in html


# --- Delete my account ---------------------------------------------------------------


def test_deleting_asks_for_the_password_and_a_wrong_one_changes_nothing(member, member_client):
    page = member_client.get("/settings/delete-account/")
    assert page.status_code == 200 and "can't be undone" in page.content.decode()
    response = member_client.post("/settings/delete-account/", {"password": "not-my-password"})
    assert response.status_code == 400
    assert "That password doesn&#x27;t match" in response.content.decode()
    member.refresh_from_db()
    assert not member.is_former and member.email == "alice@example.org"


@pytest.fixture
def quiet_willow(db, moderator, other_member, category, admin_user):
    """A member with a footprint everywhere personal data could hide."""
    willow = make_member("quietwillow", first_name="Willow", last_name="Quietly", region="GB")
    thread = services.thread_create(
        author=willow, category=category, title="Starting esketamine next month", body="Nervous but hopeful."
    )
    reply = services.post_create(author=willow, thread=thread, body="My private taper notes, week one.")
    services.post_edit(editor=willow, post=reply, body="My private taper notes, week one and two.")
    other_thread = services.thread_create(author=other_member, category=category, title="Bob asks", body="Hello?")
    answer = services.post_create(author=willow, thread=other_thread, body="Welcome, bob!")
    services.post_create(author=other_member, thread=other_thread, parent=answer, body="Thanks for the welcome.")
    hidden = services.post_create(author=willow, thread=other_thread, body="A dose detail I shouldn't share.")
    moderation_services.post_hide(actor=moderator, post=hidden, reason="quietwillow shared dosing details")
    reactions.reaction_toggle(member=willow, post=other_thread.posts.get(is_opening=True), kind="support")
    moderation_services.member_warn(actor=moderator, member=willow, reason="Please take care, QuietWillow.")
    moderation_services.member_suspend(
        actor=moderator, member=willow, reason="quietwillow@example.org asked for a break", duration=timedelta(days=1)
    )
    moderation_services.report_create(
        reporter=willow, post=other_thread.posts.get(is_opening=True), reason="other", note="I'm quietwillow, FYI"
    )
    AdminLogEntry.objects.create(
        user=admin_user, content_type=ContentType.objects.get_for_model(User), object_id=str(willow.pk),
        object_repr=willow.username, action_flag=CHANGE, change_message='[{"changed": {"fields": ["Region"]}}]',
    )
    follows.category_watch_set(member=willow, category=category, watching=True)
    services.post_create(author=other_member, thread=thread, body="Good luck next month!")  # notifies willow
    sessions = [client_for(willow) for _ in range(2)]
    for client in sessions:
        client.get("/")
    return {"member": willow, "clients": sessions, "thread": thread, "reply": reply, "answer": answer}


def test_the_fixture_really_has_notifications_follows_and_watches(quiet_willow):
    willow = quiet_willow["member"]
    assert Notification.objects.filter(recipient=willow).exists()
    assert ThreadFollow.objects.filter(member=willow).exists() and CategoryWatch.objects.filter(member=willow).exists()


def personal_data_left(needles: list[str], member_pk: int) -> list[str]:
    """Every text column of every model, and every session, searched for the needles."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for needle in needles:
                rows = model._default_manager.filter(**{f"{field.name}__icontains": needle})
                for value in rows.values_list(field.name, flat=True):
                    found.append(f"{model._meta.label}.{field.name}: {value!r} contains {needle!r}")
    for session in Session.objects.all():
        decoded = session.get_decoded()
        if str(decoded.get("_auth_user_id")) == str(member_pk) or any(n in str(decoded) for n in needles):
            found.append(f"session {session.session_key}: {decoded!r}")
    return found


@pytest.mark.parametrize("remove_posts", [False, True])
def test_after_deletion_no_personal_data_of_the_member_remains(quiet_willow, remove_posts):
    willow = quiet_willow["member"]
    client = quiet_willow["clients"][0]
    needles = ["quietwillow", "quietwillow@example.org", "Quietly"]
    assert personal_data_left(needles, willow.pk)  # the check finds what is there

    response = client.post(
        "/settings/delete-account/", {"password": PASSWORD, **({"remove_posts": "on"} if remove_posts else {})}
    )
    assert response.status_code == 302
    assert "Your account is deleted" in client.get(response["Location"]).content.decode()

    assert personal_data_left(needles, willow.pk) == []
    former = User.objects.get(pk=willow.pk)
    assert former.is_former and not former.is_active and not former.has_usable_password()
    assert (former.email, former.first_name, former.last_name, former.region) == ("", "", "", "")
    assert former.guidelines_accepted_at is None
    assert not EmailAddress.objects.filter(user=former).exists()
    assert former.username.startswith("former-")
    assert not Notification.objects.filter(recipient=former).exists()
    assert not ThreadFollow.objects.filter(member=former).exists()
    assert not CategoryWatch.objects.filter(member=former).exists()
    assert Reaction.objects.filter(member=former).count() == 1  # counts stay; only counts are ever shown
    # The moderator's name stays in the log by design; the member's name does not.
    assert LogEntry.objects.filter(actor_name="mona_keeper").count() >= 3


def test_both_signed_in_browsers_are_signed_out(quiet_willow):
    first, second = quiet_willow["clients"]
    first.post("/settings/delete-account/", {"password": PASSWORD})
    assert not second.get("/settings/").wsgi_request.user.is_authenticated
    assert Client().login(username="quietwillow", password=PASSWORD) is False


def test_kept_posts_stay_in_place_and_show_former_member(quiet_willow, reader):
    quiet_willow["clients"][0].post("/settings/delete-account/", {"password": PASSWORD})
    html = reader.get(quiet_willow["thread"].get_absolute_url()).content.decode()
    assert "My private taper notes, week one and two." in html
    assert "former member" in html and "quietwillow" not in html


def test_removed_posts_become_placeholders_and_their_text_is_erased(quiet_willow, reader, other_member):
    quiet_willow["clients"][0].post("/settings/delete-account/", {"password": PASSWORD, "remove_posts": "on"})
    willow_posts = Post.objects.filter(author_id=quiet_willow["member"].pk)
    assert set(willow_posts.values_list("status", flat=True)) == {"removed"}
    assert set(willow_posts.values_list("body", flat=True)) == {""}
    assert not PostRevision.objects.filter(post__in=willow_posts).exists()
    needles = ["private taper notes", "Nervous but hopeful", "Welcome, bob", "dose detail", "Starting esketamine"]
    assert personal_data_left(needles, -1) == []

    answer = quiet_willow["answer"]
    html = reader.get(answer.thread.get_absolute_url()).content.decode()
    assert "Removed by its author" in html or "removed by its author" in html
    assert "Thanks for the welcome." in html  # the reply under it keeps its place
    assert Thread.objects.get(pk=answer.thread_id).reply_count == 1
    other_member.refresh_from_db()
    assert other_member.post_count == 3  # his posts all count still


def test_deleting_twice_changes_nothing_more(quiet_willow):
    from accounts import services as account_services

    willow = quiet_willow["member"]
    first = account_services.member_delete(member=willow, remove_posts=False)
    again = account_services.member_delete(member=first, remove_posts=True)
    assert again.username == first.username
    assert Post.objects.filter(author=willow, status="published").exists()


def test_remove_everything_leaves_no_trace_of_the_members_words_or_dates(quiet_willow, other_member, moderator):
    """Issue 15: after "remove everything I wrote", the crisis item's reasons, the notices
    other members got about posts in the member's thread (which quote its title), the
    post count and the join date are gone too."""
    from moderation.models import Notice, ReviewItem

    willow = quiet_willow["member"]
    thread = quiet_willow["thread"]
    moderation_services.member_unsuspend(actor=moderator, member=willow)
    services.post_create(author=willow, thread=thread, body="Some nights I want to end my life tonight.")
    assert ReviewItem.objects.filter(post__author=willow, kind="crisis").exists()
    bobs = services.post_create(author=other_member, thread=thread, body="Unkind words")
    moderation_services.post_hide(actor=moderator, post=bobs, reason="Unkind")
    assert Notice.objects.filter(recipient=other_member, message__contains="Starting esketamine").exists()
    joined = User.objects.get(pk=willow.pk).date_joined

    quiet_willow["clients"][0].post("/settings/delete-account/", {"password": PASSWORD, "remove_posts": "on"})

    assert personal_data_left(["end my life", "Starting esketamine", "esketamine next month"], -1) == []
    former = User.objects.get(pk=willow.pk)
    assert former.post_count == 0
    assert former.date_joined != joined and former.date_joined.year == 1970


def test_a_moderator_can_still_hide_a_former_members_kept_post(quiet_willow, moderator):
    quiet_willow["clients"][0].post("/settings/delete-account/", {"password": PASSWORD})
    reply = Post.objects.get(pk=quiet_willow["reply"].pk)
    moderation_services.post_hide(actor=moderator, post=reply, reason="Outdated advice")
    reply.refresh_from_db()
    assert reply.status == "hidden"
    assert User.objects.get(pk=quiet_willow["member"].pk).post_count == 0


def test_every_model_that_points_at_a_member_is_covered_by_some_apps_member_data():
    """A new model holding a member's data cannot be forgotten by download and delete."""
    from django.conf import settings

    from accounts.data_rights import covered_models

    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
    }
    assert pointing - covered_models() == set()


def test_two_factor_sign_in_is_listed_in_the_download_and_erased_with_the_account(member):
    from allauth.mfa.models import Authenticator

    from tests.conftest import give_authenticator_app

    secret = give_authenticator_app(member)
    response = client_for(member).get("/settings/my-data/")
    data = json.loads(response.content)
    assert [entry["kind"] for entry in data["two_factor_sign_in"]] == ["TOTP Authenticator"]
    assert secret not in response.content.decode()
    client_for(member).post("/settings/delete-account/", {"password": PASSWORD})
    assert not Authenticator.objects.filter(user_id=member.pk).exists()


def test_the_download_leaves_out_the_title_of_someone_elses_thread_a_moderator_hid_later(member, other_member, category,
                                                                                         moderator):
    bobs = services.thread_create(author=other_member, category=category, title="Bob's private worries", body="Hi")
    services.post_create(author=member, thread=bobs, body="Sending you strength.")
    opening = bobs.posts.get(is_opening=True)
    moderation_services.post_hide(actor=moderator, post=opening, reason="Identifying details")
    response = client_for(member).get("/settings/my-data/")
    assert "Bob's private worries" not in response.content.decode()
    assert "Sending you strength." in response.content.decode()  # the member's own words stay
