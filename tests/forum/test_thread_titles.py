"""A title is one line of visible text: control characters (a carriage return, a tab)
are refused with a clear message, and the form keeps the draft (issue 15)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Thread

from ..conftest import client_for


@pytest.mark.parametrize("title", ["Week one\rBcc: someone@example.org", "Week\tone", "Week one\r", "Week\x85one"])
def test_a_title_with_a_control_character_is_refused(member, category, title):
    with pytest.raises(ValidationError) as caught:
        services.thread_create(author=member, category=category, title=title, body="Some words")
    assert "control characters" in " ".join(caught.value.message_dict["title"])
    assert not Thread.objects.exists()


def test_the_new_thread_form_refuses_it_and_keeps_the_draft(member, category):
    response = client_for(member).post(
        f"/c/{category.slug}/new/", {"title": "Week one\rmore", "body": "My whole story so far"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "control characters" in html and "My whole story so far" in html


def test_an_older_title_with_a_carriage_return_still_gets_its_notification_emails(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    Thread.objects.filter(pk=thread.pk).update(title="First week\rof esketamine")
    member.notification_email = "each"
    member.save(update_fields=["notification_email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="Mine went fine.")
    assert len(mail.outbox) == 1
    assert "\r" not in mail.outbox[0].subject and "First week of esketamine" in mail.outbox[0].subject
