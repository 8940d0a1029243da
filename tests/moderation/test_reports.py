"""Member reports: one per member per post, a clear form, and enough reports from
different members hide the post until a moderator has looked."""

import pytest

from forum import services as forum_services
from forum.models import Thread, Visibility
from moderation import services
from moderation.models import LogEntry, Report, ReviewItem

from ..conftest import client_for, make_member


@pytest.fixture
def reply(thread, other_member):
    return forum_services.post_create(author=other_member, thread=thread, body="Just stop your meds, it's fine")


def reporters(count):
    """Members whose reports count toward hiding: past the new-member period, with posts."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User

    members = [make_member(f"reporter{n}") for n in range(count)]
    User.objects.filter(pk__in=[m.pk for m in members]).update(
        date_joined=timezone.now() - timedelta(days=60), post_count=5)
    return list(User.objects.filter(pk__in=[m.pk for m in members]).order_by("pk"))


def test_a_member_reports_a_post_through_the_form(reply, member):
    client = client_for(member)
    page = client.get(f"/report/{reply.pk}/").content.decode()
    assert "Dangerous medical advice" in page and "Someone may be at risk" in page
    response = client.post(f"/report/{reply.pk}/", {"reason": "dangerous_advice"})
    assert response.status_code == 302
    item = ReviewItem.objects.get(post=reply, kind=ReviewItem.Kind.REPORT)
    assert item.reasons == ["Dangerous medical advice (for example, stopping a medication abruptly)"]


def test_other_needs_a_note(reply, member):
    response = client_for(member).post(f"/report/{reply.pk}/", {"reason": "other", "note": ""})
    assert response.status_code == 400 and "tell the moderators" in response.content.decode()
    assert not Report.objects.exists()


def test_one_report_per_member_per_post(reply, member):
    services.report_create(reporter=member, post=reply, reason="spam")
    services.report_create(reporter=member, post=reply, reason="unkind")
    assert Report.objects.filter(post=reply).count() == 1


def test_anonymous_readers_are_asked_to_log_in_to_report(reply, reader):
    assert reader.get(f"/report/{reply.pk}/").status_code == 302


def test_the_author_cannot_report_their_own_post(reply, other_member):
    assert client_for(other_member).get(f"/report/{reply.pk}/").status_code == 403


def test_two_reports_leave_the_post_up_and_the_third_hides_it(reply, settings, member):
    settings.MODERATION_REPORT_THRESHOLD = 3
    first, second, third = reporters(3)
    services.report_create(reporter=first, post=reply, reason="dangerous_advice")
    services.report_create(reporter=second, post=reply, reason="dangerous_advice")
    reply.refresh_from_db()
    assert reply.status == Visibility.PUBLISHED
    services.report_create(reporter=third, post=reply, reason="unkind")
    reply.refresh_from_db()
    assert reply.status == Visibility.HIDDEN
    entry = LogEntry.objects.get(action="hide")
    assert entry.actor_name == "automatic" and "Reported by 3 trusted members" in entry.reason
    page = client_for(member).get(reply.thread.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in page and "Just stop your meds" not in page


def test_an_at_risk_report_is_a_priority_item(reply, member):
    services.report_create(reporter=member, post=reply, reason="at_risk")
    assert ReviewItem.objects.get(post=reply).priority == ReviewItem.PRIORITY_AT_RISK


def test_dismissing_restores_a_post_the_reports_hid_and_logs_once(reply, moderator):
    for reporter in reporters(3):
        services.report_create(reporter=reporter, post=reply, reason="spam")
    item = ReviewItem.objects.get(post=reply)
    services.report_dismiss(actor=moderator, item=item, reason="Not spam")
    services.report_dismiss(actor=moderator, item=item, reason="Not spam")
    reply.refresh_from_db()
    item.refresh_from_db()
    assert reply.status == Visibility.PUBLISHED and item.status == "resolved"
    assert Thread.objects.get(pk=reply.thread_id).reply_count == 1
    assert LogEntry.objects.filter(action="disagree").count() == 1
