"""The crisis loop closes: a crisis post from a new member reaches moderators and peers at
once; an urgent item escalates, to whoever is on call first, until it has an outcome; and
crisis care is kept apart from disciplinary history."""

from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from forum import services as forum_services
from forum.models import Post, Thread, Visibility
from moderation import oncall, services
from moderation.models import LogEntry, OnCallShift, ReviewItem, WatchedWord

from ..conftest import client_for, make_member

FIRST_POST = "Six weeks off venlafaxine and I don't want to be alive anymore"


def urgent():
    return SimpleNamespace(level="urgent", reasons=["urgent: plan for tonight"])


@pytest.fixture
def newcomer(db):
    return make_member("new_wren", region="CA")


@pytest.fixture
def premoderation_on(settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2


# --- Crisis outranks first-post review ------------------------------------------------------


def test_a_crisis_first_post_is_seen_by_a_moderator_and_by_peers_without_waiting_for_review(
    premoderation_on, newcomer, category, moderator, other_member, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(newcomer).post(
            f"/c/{category.slug}/new/", {"title": "Can't do this", "body": FIRST_POST}, follow=True
        )
    thread = Thread.objects.get(author=newcomer)
    post = thread.posts.get(is_opening=True)
    assert post.status == Visibility.PUBLISHED and post.crisis_level != "none"
    # Peers read it and can answer it now.
    for client in (client_for(other_member), reader):
        assert FIRST_POST in client.get(thread.get_absolute_url()).content.decode().replace("&#x27;", "'")
    forum_services.post_create(author=other_member, thread=thread, body="I'm here. You're not alone tonight.")
    # The moderators have an urgent item, first in their queue, which says why.
    item = ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.CRISIS, status="open")
    assert item.crisis_level == "urgent" and item.priority == ReviewItem.PRIORITY_URGENT
    assert any("crisis outranks first-post review" in reason for reason in item.reasons)
    assert not ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.HELD).exists()
    assert f'id="item-{item.pk}"' in client_for(moderator).get("/moderation/").content.decode()
    # The author is told the truth at once: their line first, then who can see it.
    html = response.content.decode()
    line, truth = "Call or text 9-8-8, any time.", "everyone reading this thread can see it now"
    assert line in html and truth in html and html.index(line) < html.index(truth)


def test_a_crisis_first_post_that_a_sourcing_rule_holds_stays_held_but_alerts_at_once(
    thread, premoderation_on, newcomer, django_capture_on_commit_callbacks
):
    WatchedWord.objects.create(name="Selling", pattern="for sale", action=WatchedWord.Action.HOLD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(newcomer).post(
            f"/t/{thread.pk}/reply/", {"body": f"{FIRST_POST}. My pills for sale if anyone wants them."}, follow=True
        )
    post = Post.objects.get(author=newcomer)
    assert post.status == Visibility.PENDING
    crisis = ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.CRISIS)
    assert crisis.crisis_level == "urgent"
    assert any("only the moderators can see it" in reason and "Selling" in reason for reason in crisis.reasons)
    assert ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.HELD, status="open").exists()
    html = response.content.decode()
    assert "only you and the moderators can see it" in html and "They have been alerted" in html


def test_a_method_detail_first_post_stays_held(thread, premoderation_on, newcomer):
    body = "What is the lethal dose of my lorazepam? How many would it take to die?"
    client_for(newcomer).post(f"/t/{thread.pk}/reply/", {"body": body})
    post = Post.objects.get(author=newcomer)
    assert post.status == Visibility.PENDING
    assert ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.CRISIS).crisis_level == "urgent"


def test_an_ordinary_first_post_still_waits_for_review(thread, premoderation_on, newcomer):
    client_for(newcomer).post(f"/t/{thread.pk}/reply/", {"body": "Hello, I start esketamine next week."})
    post = Post.objects.get(author=newcomer)
    assert post.status == Visibility.PENDING
    assert not ReviewItem.objects.filter(kind=ReviewItem.Kind.CRISIS).exists()


# --- Acknowledged, then resolved with an outcome ------------------------------------------------


@pytest.fixture
def crisis_item(thread, other_member):
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply")
    return services.crisis_item_open(post=reply, assessment=urgent())


def test_acknowledging_and_resolving_are_separate_and_each_logged(crisis_item, moderator):
    services.crisis_acknowledge(actor=moderator, item=crisis_item)
    services.crisis_acknowledge(actor=moderator, item=crisis_item)
    crisis_item.refresh_from_db()
    assert crisis_item.is_open and crisis_item.acknowledged_by_name == "mona_keeper"
    services.crisis_resolve(actor=moderator, item=crisis_item, outcome="reached_out", note="Wrote to them")
    crisis_item.refresh_from_db()
    assert not crisis_item.is_open and crisis_item.resolution == "reached_out"
    actions = list(LogEntry.objects.filter(target_id=crisis_item.pk).values_list("action", flat=True))
    assert sorted(actions) == ["crisis_acknowledge", "crisis_reached_out"]


def test_passing_to_emergency_services_needs_a_note_for_the_next_person(crisis_item, moderator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.crisis_resolve(actor=moderator, item=crisis_item, outcome="emergency_services")
    client = client_for(moderator)
    response = client.post(f"/moderation/item/{crisis_item.pk}/resolve/", {"outcome": "emergency_services"})
    assert response.status_code == 400 and "Say which service" in response.content.decode()
    client.post(f"/moderation/item/{crisis_item.pk}/resolve/",
                {"outcome": "emergency_services", "reason": "Called 911 at 22:10 with the address they gave"})
    crisis_item.refresh_from_db()
    assert crisis_item.resolution == "emergency_services"


def test_the_item_page_offers_im_on_it_reach_out_the_outcomes_and_the_guide(crisis_item, moderator):
    html = client_for(moderator).get(f"/moderation/items/{crisis_item.pk}/").content.decode()
    assert ">I'm on it</button>" in html and "Reach out to <span translate=\"no\">bob</span>" in html
    assert f'href="/moderation/messages/reach-out/?item={crisis_item.pk}"' in html
    assert 'href="/moderation/guide/"' in html
    for label in ("We reached out", "Passed to emergency services", "No risk"):
        assert label in html


def test_the_guide_covers_each_step_and_cites_its_sources(moderator):
    html = client_for(moderator).get("/moderation/guide/").content.decode()
    for words in ("Say you are on it", "Immediate danger", "What not to promise", "Hand over",
                  "Look after yourself", "911", "999 or 112", "000", "Samaritans", "#chatsafe", "WHO and IASP"):
        assert words in html, words


# --- Escalation, on call first --------------------------------------------------------------------


def shift_now(member, *, hours_before=1, hours_after=1, zone="America/Toronto"):
    local = timezone.now().astimezone(oncall.zone(zone))
    starts = (local - timedelta(hours=hours_before)).time().replace(second=0, microsecond=0)
    ends = (local + timedelta(hours=hours_after)).time().replace(second=0, microsecond=0)
    return OnCallShift.objects.create(member=member, weekday=(local - timedelta(hours=hours_before)).weekday(),
                                      starts=starts, ends=ends, time_zone=zone)


def test_escalation_emails_whoever_is_on_call_first_then_every_moderator(
    crisis_item, moderator, django_capture_on_commit_callbacks
):
    night_owl = make_member("night_owl", is_staff=True)
    shift_now(night_owl)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=14)) == 0
        assert services.crisis_items_escalate(now=now + timedelta(minutes=16)) == 1
    assert [message.to for message in mail.outbox] == [["night_owl@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=25)) == 0
        assert services.crisis_items_escalate(now=now + timedelta(minutes=32)) == 1
    assert sorted(mail.outbox[1].to) == ["mona_keeper@example.org", "night_owl@example.org"]
    email = mail.outbox[0]
    assert "Urgent" in email.subject and "First week" not in email.subject + email.body
    assert f"http://127.0.0.1:8000/moderation/items/{crisis_item.pk}/" in email.body
    assert "http://127.0.0.1:8000/moderation/guide/" in email.body
    assert "a reply" not in email.body  # nothing of what the member wrote


def test_an_acknowledged_item_without_an_outcome_escalates_after_the_longer_wait(
    crisis_item, moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_CRISIS_REESCALATE_AFTER = 2 * 60 * 60
    services.crisis_acknowledge(actor=moderator, item=crisis_item)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(minutes=100)) == 0
        assert services.crisis_items_escalate(now=now + timedelta(minutes=121)) == 1
    assert mail.outbox[0].to == ["mona_keeper@example.org"]  # the one who said they were on it
    assert "said they were on it" in mail.outbox[0].body
    services.crisis_no_risk(actor=moderator, item=crisis_item)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=now + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1
    assert LogEntry.objects.filter(action="crisis_escalate", target_id=crisis_item.pk).count() == 1


def test_an_item_with_an_outcome_never_escalates(crisis_item, moderator, django_capture_on_commit_callbacks):
    services.crisis_reached_out(actor=moderator, item=crisis_item)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.crisis_items_escalate(now=timezone.now() + timedelta(days=3)) == 0
    assert mail.outbox == []


# --- The rota ---------------------------------------------------------------------------------------


def test_a_shift_in_a_time_zone_covers_the_right_utc_hours_and_past_midnight(moderator):
    # Monday 22:00-02:00 in Toronto (UTC-4 in June) is Tuesday 02:00-06:00 UTC.
    shift = OnCallShift.objects.create(member=moderator, weekday=0, starts=time(22), ends=time(2),
                                       time_zone="America/Toronto")
    window = datetime(2026, 6, 1, tzinfo=dt_timezone.utc), datetime(2026, 6, 8, tzinfo=dt_timezone.utc)
    assert oncall.shift_intervals(shift, *window) == [
        (datetime(2026, 6, 2, 2, tzinfo=dt_timezone.utc), datetime(2026, 6, 2, 6, tzinfo=dt_timezone.utc))
    ]
    assert oncall.on_call_now(datetime(2026, 6, 2, 3, tzinfo=dt_timezone.utc)) == [moderator]
    assert oncall.on_call_now(datetime(2026, 6, 2, 7, tzinfo=dt_timezone.utc)) == []


def test_the_rota_page_shows_who_covers_the_next_24_hours_and_the_gaps(moderator):
    client = client_for(moderator)
    # The day twelve hours from now: its whole-day shift overlaps the next 24 hours and leaves
    # a gap at any time of day (today's shift alone would be over by 23:59).
    day = (timezone.now() + timedelta(hours=12)).weekday()
    response = client.post("/moderation/on-call/", {
        "weekdays": [day], "starts": "00:00", "ends": "23:59", "time_zone": "UTC",
    })
    assert response.status_code == 302
    html = client.get("/moderation/on-call/").content.decode()
    assert "mona_keeper" in html and "Nobody on call" in html
    spans = oncall.coverage()
    assert any(span.members == [moderator] for span in spans) and any(span.is_gap for span in spans)
    assert sum((span.ends - span.starts for span in spans), timedelta()) == timedelta(hours=24)


def test_a_member_who_is_not_a_responder_cannot_take_shifts(member_client):
    assert member_client.get("/moderation/on-call/").status_code == 403


# --- Crisis care apart from discipline ------------------------------------------------------------------


def test_crisis_outcomes_are_shown_apart_from_disciplinary_history(crisis_item, moderator, other_member):
    services.crisis_acknowledge(actor=moderator, item=crisis_item)
    services.crisis_reached_out(actor=moderator, item=crisis_item, note="Sent a message")
    services.member_warn(actor=moderator, member=other_member, reason="Be gentle")
    html = client_for(moderator).get(f"/moderation/members/{other_member.pk}/").content.decode()
    earlier = html[html.index("Earlier actions"):html.index('<section class="crisis-care"')]
    assert "warn" in earlier and "crisis" not in earlier and "reached" not in earlier
    care = html[html.index("Care when they may have been at risk"):]
    assert "outcome: we reached out" in care and "said they were on it" in care
    reply = forum_services.post_create(author=other_member, thread=crisis_item.post.thread, body="again")
    services.report_create(reporter=moderator, post=reply, reason="spam")
    queue = client_for(moderator).get("/moderation/").content.decode()
    assert "1 earlier action (warn)" in queue
