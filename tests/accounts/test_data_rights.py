"""Every app answers for its own member data (accounts/data_rights.py): a model that
points at the member is covered by some app's member_data, and the download holds
everything the member is owed and nothing they may no longer read."""

import json
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models

from accounts import data_rights
from forum import services
from moderation import services as moderation_services
from tests.conftest import client_for


def models_pointing_at_the_member() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.related_model is user_model:
                found.add(model._meta.label)
    found.add(user_model._meta.label)
    return found


# Django's own tables that hold no personal data of their own, or are erased by accounts
# through other means (sessions are found by decoding them).
NOT_MEMBER_DATA = {"auth.Permission", "auth.Group", "contenttypes.ContentType"}


def test_every_model_that_points_at_a_member_is_covered_by_an_apps_member_data():
    uncovered = models_pointing_at_the_member() - data_rights.covered_models() - NOT_MEMBER_DATA
    assert uncovered == set()


def test_every_app_with_member_data_exports_and_erases():
    for provider in data_rights.providers():
        assert callable(provider.export) and callable(provider.erase) and provider.MODELS, provider.__name__


def test_the_download_holds_reports_notices_notifications_suspensions_and_earlier_versions(
    member, other_member, thread, moderator
):
    mine = services.post_create(author=member, thread=thread, body="My words before the moderator's edit.")
    moderation_services.post_revise(actor=moderator, post=mine, body="My words, edited.", reason="A dose detail")
    theirs = services.post_create(author=other_member, thread=thread, body="Bob's reply to alice")
    moderation_services.report_create(reporter=member, post=theirs, reason="unkind", note="Felt harsh")
    moderation_services.member_warn(actor=moderator, member=member, reason="Please be gentle")
    moderation_services.member_suspend(actor=moderator, member=member, reason="A short pause", duration=timedelta(days=1))

    data = json.loads(client_for(member).get("/settings/my-data/").content)

    post = next(post for post in data["posts"] if post["id"] == mine.pk)
    assert post["body"] == "My words, edited."
    assert post["earlier_versions"][0]["body"] == "My words before the moderator's edit."
    assert post["earlier_versions"][0]["edited_by"] == "a moderator"
    assert data["reports_made"] == [
        {"post_id": theirs.pk, "reason": "Unkind or harassment", "note": "Felt harsh", "created_at": data["reports_made"][0]["created_at"]}
    ]
    assert {notice["action"] for notice in data["notices_received"]} >= {"edit", "warn", "suspend"}
    assert data["suspensions"][0]["reason"] == "A short pause"
    texts = [notification["text"] for notification in data["notifications_received"]]
    assert any("edited your post" in text for text in texts)


def test_the_download_leaves_out_titles_of_threads_others_wrote_that_were_later_hidden(
    member, other_member, category, moderator
):
    others = services.thread_create(author=other_member, category=category, title="Bob's private struggle", body="x")
    services.post_create(author=member, thread=others, body="Sending you strength")
    moderation_services.post_hide(actor=moderator, post=others.posts.get(is_opening=True), reason="Sourcing")

    body = client_for(member).get("/settings/my-data/").content.decode()

    assert "Sending you strength" in body  # the member's own words stay theirs
    assert "Bob's private struggle" not in body
