"""Queue items that volunteers can finish and trolls cannot turn against members:
reports weighted by trust, outcomes that close every item about a post, one item per
post, claims on action (release, hand over, lapse), held posts explained to their
authors, private notes kept private, bulk actions and the moderator's shift count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from forum import services as forum_services
from forum.models import Post, Thread, Visibility
from moderation import services
from moderation.models import LogEntry, Notice, Report, ReviewItem, WatchedWord

from ..conftest import client_for, make_member


def trusted(name: str, *, posts: int = 5, days: int = 60) -> User:
    """A member past the new-member period with some published posts."""
    user = make_member(name)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days), post_count=posts)
    user.refresh_from_db()
    return user


@pytest.fixture
def reply(thread, other_member):
    return forum_services.post_create(author=other_member, thread=thread, body="Tapering slowly worked for me")


def status(post) -> str:
    return Post.objects.get(pk=post.pk).status


def open_items(post):
    return ReviewItem.objects.filter(post=post, status=ReviewItem.Status.OPEN)


def report(reporter, post, reason="spam", **extra):
    return client_for(reporter).post(f"/report/{post.pk}/", {"reason": reason, **extra})


# --- Reports weighted by trust -------------------------------------------------------------


def test_three_throwaway_accounts_cannot_hide_anything(reply, moderator, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    # Brand-new, unverified: each report still reaches the queue.
    for n in range(3):
        assert report(make_member(f"throwaway{n}", verified=False), reply).status_code in (302, 403)
    for n in range(3):
        assert report(make_member(f"fresh{n}"), reply).status_code == 302  # verified, but new with no posts
    assert status(reply) == Visibility.PUBLISHED
    item = open_items(reply).get()
    assert Report.objects.filter(post=reply).count() >= 3
    assert set(Report.objects.filter(post=reply).values_list("weight", flat=True)) == {0.0}
    assert not item.auto_hidden
    queue = client_for(moderator).get("/moderation/").content.decode()
    assert f'id="item-{item.pk}"' in queue
    # The thread still shows it to everyone.
    assert "Tapering slowly worked for me" in client_for(make_member("reader_r")).get(
        reply.thread.get_absolute_url()).content.decode()


def test_three_throwaway_accounts_cannot_hide_a_thread_either(thread, moderator, settings):
    opening = thread.posts.get(is_opening=True)
    for n in range(3):
        report(make_member(f"fresh{n}"), opening)
    assert Thread.objects.get(pk=thread.pk).status == Visibility.PUBLISHED


def test_suspended_members_reports_do_not_count(reply, moderator, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    reporters = [trusted(f"veteran{n}") for n in range(3)]
    services.member_suspend(actor=moderator, member=reporters[0], reason="A pause", duration=timedelta(days=1))
    for reporter in reporters:
        services.report_create(reporter=reporter, post=reply, reason="spam")
    assert status(reply) == Visibility.PUBLISHED
    assert Report.objects.get(reporter=reporters[0]).weight == 0


def test_three_trusted_members_hide_a_post_until_a_moderator_looks(reply, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    for n in range(3):
        report(trusted(f"veteran{n}"), reply)
    assert status(reply) == Visibility.HIDDEN
    assert open_items(reply).get().auto_hidden
    entry = LogEntry.objects.get(action="hide")
    assert entry.actor_name == "automatic" and "3 trusted members" in entry.reason


def test_a_moderators_post_is_never_hidden_by_reports(thread, moderator, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    post = forum_services.post_create(author=moderator, thread=thread, body="Please keep sourcing out of here")
    for n in range(4):
        services.report_create(reporter=trusted(f"veteran{n}", posts=50), post=post, reason="unkind")
    assert status(post) == Visibility.PUBLISHED
    assert open_items(post).count() == 1  # the reports still reach the queue


def test_a_reporters_weight_grows_with_upheld_reports_and_shrinks_with_rejected(thread, other_member, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    reliable, unreliable = trusted("reliable"), trusted("unreliable")
    assert services.reporter_weight(reliable) == 1.0
    earlier = [forum_services.post_create(author=other_member, thread=thread, body=f"earlier {n}") for n in range(8)]
    for post in earlier:
        Report.objects.create(post=post, reporter=reliable, reason="spam", outcome=Report.Outcome.UPHELD)
    for post in earlier[:2]:
        Report.objects.create(post=post, reporter=unreliable, reason="spam", outcome=Report.Outcome.REJECTED)
    assert services.reporter_weight(reliable) == 3.0
    assert services.reporter_weight(unreliable) == 0.0
    target = forum_services.post_create(author=other_member, thread=thread, body="a real problem")
    services.report_create(reporter=unreliable, post=target, reason="spam")
    assert status(target) == Visibility.PUBLISHED
    services.report_create(reporter=reliable, post=target, reason="spam")
    assert status(target) == Visibility.HIDDEN


# --- Outcomes that close every item, logged once ---------------------------------------


@pytest.fixture
def hidden_by_reports(reply, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    for n in range(3):
        services.report_create(reporter=trusted(f"veteran{n}"), post=reply, reason="dangerous_advice")
    assert status(reply) == Visibility.HIDDEN
    return open_items(reply).get()


def test_agreeing_keeps_a_reported_post_hidden_closes_its_item_and_logs_once(hidden_by_reports, moderator):
    client = client_for(moderator)
    response = client.post(f"/moderation/item/{hidden_by_reports.pk}/agree/", {"reason": "Stopping abruptly is risky"})
    assert response.status_code == 302
    client.post(f"/moderation/item/{hidden_by_reports.pk}/agree/", {"reason": "Stopping abruptly is risky"})
    post = hidden_by_reports.post
    assert status(post) == Visibility.HIDDEN and not open_items(post).exists()
    assert LogEntry.objects.filter(action="agree").count() == 1
    assert not LogEntry.objects.filter(action="dismiss").exists()
    assert set(Report.objects.filter(post=post).values_list("outcome", flat=True)) == {"upheld"}
    notice = Notice.objects.filter(recipient=post.author).latest("pk")
    assert "stays hidden" in notice.message and notice.reason == "Stopping abruptly is risky"
    assert f'id="item-{hidden_by_reports.pk}"' not in client.get("/moderation/").content.decode()


def test_disagreeing_restores_the_post_and_counts_against_the_reports(hidden_by_reports, moderator):
    reporter = Report.objects.filter(post=hidden_by_reports.post).first().reporter
    before = services.reporter_weight(reporter)
    client_for(moderator).post(f"/moderation/item/{hidden_by_reports.pk}/disagree/", {"reason": "Sound advice"})
    post = hidden_by_reports.post
    assert status(post) == Visibility.PUBLISHED and not open_items(post).exists()
    assert LogEntry.objects.filter(action="disagree").count() == 1
    assert set(Report.objects.filter(post=post).values_list("outcome", flat=True)) == {"rejected"}
    assert services.reporter_weight(reporter) < before
    notice = Notice.objects.filter(recipient=post.author).latest("pk")
    assert "visible again" in notice.message and "Sound advice" not in notice.reason


def test_ignoring_closes_without_a_verdict_but_not_for_a_post_the_reports_hid(hidden_by_reports, reply, moderator,
                                                                                 thread, other_member, member):
    response = client_for(moderator).post(f"/moderation/item/{hidden_by_reports.pk}/ignore/", {})
    assert response.status_code == 400 and "agree" in response.content.decode()
    assert open_items(reply).exists()
    other = forum_services.post_create(author=other_member, thread=thread, body="fine words")
    item = services.report_create(reporter=member, post=other, reason="spam").item
    client_for(moderator).post(f"/moderation/item/{item.pk}/ignore/", {})
    assert status(other) == Visibility.PUBLISHED and not open_items(other).exists()
    assert Report.objects.get(post=other).outcome == "ignored"
    assert LogEntry.objects.filter(action="ignore").count() == 1


def test_hiding_a_reported_post_from_anywhere_closes_its_item_as_upheld(reply, member, moderator):
    item = services.report_create(reporter=member, post=reply, reason="unkind").item
    client_for(moderator).post(f"/moderation/post/{reply.pk}/hide/", {"reason": "Unkind"})
    item.refresh_from_db()
    assert item.status == "resolved" and item.resolution == "hidden"
    assert Report.objects.get(post=reply).outcome == "upheld"


def test_agreeing_with_a_flag_hides_a_published_post_in_one_log_row(reply, member, moderator):
    item = services.report_create(reporter=member, post=reply, reason="unkind").item
    services.report_agree(actor=moderator, item=item, reason="Unkind to a member")
    assert status(reply) == Visibility.HIDDEN
    assert LogEntry.objects.filter(target_type="post", target_id=reply.pk).count() == 1


# --- One post, one item; deleted posts close themselves ---------------------------------


@pytest.fixture
def newcomer(db, settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    return make_member("new_leaf")


def test_one_post_has_one_item_listing_every_reason(thread, other_member, member, moderator):
    WatchedWord.objects.create(name="Pharmacy talk", pattern="online pharmacy", action=WatchedWord.Action.FLAG)
    post = forum_services.post_create(author=other_member, thread=thread, body="Which online pharmacy is legit?")
    services.report_create(reporter=member, post=post, reason="sourcing")
    item = open_items(post).get()
    assert item.kind == ReviewItem.Kind.REPORT
    assert "Pharmacy talk" in item.reasons and "Sourcing or selling drugs" in item.reasons
    row = client_for(moderator).get("/moderation/").content.decode()
    row = row[row.index(f'id="item-{item.pk}"'):]
    row = row[:row.index("</li>")]
    assert "Which online pharmacy is legit?" in row and "bob" in row and "Pharmacy talk" in row


def test_a_held_reply_deleted_by_its_author_closes_its_item(thread, newcomer, moderator):
    post = forum_services.post_create(author=newcomer, thread=thread, body="my first words here")
    assert status(post) == Visibility.PENDING
    item = open_items(post).get()
    response = client_for(newcomer).post(f"/p/{post.pk}/delete/")
    assert response.status_code in (200, 302)
    item.refresh_from_db()
    assert item.status == "resolved" and item.resolution == "removed_by_author"
    assert f'id="item-{item.pk}"' not in client_for(moderator).get("/moderation/").content.decode()


def test_approving_a_held_post_from_its_row_closes_its_item(thread, newcomer, moderator):
    post = forum_services.post_create(author=newcomer, thread=thread, body="hello everyone")
    item = open_items(post).get()
    queue = client_for(moderator).get("/moderation/").content.decode()
    assert f"/moderation/item/{item.pk}/approve/" in queue
    client_for(moderator).post(f"/moderation/item/{item.pk}/approve/", {"reason": ""})
    assert status(post) == Visibility.PUBLISHED and not open_items(post).exists()


# --- Claims -------------------------------------------------------------------------------


@pytest.fixture
def second_moderator(db):
    return make_member("otto_mod", is_staff=True)


def test_opening_an_item_claims_nothing_and_acting_does(reply, member, moderator, second_moderator):
    item = services.report_create(reporter=member, post=reply, reason="spam").item
    client_for(moderator).get(f"/moderation/items/{item.pk}/")
    item.refresh_from_db()
    assert item.claimed_by is None
    client_for(moderator).post(f"/moderation/item/{item.pk}/claim/")
    item.refresh_from_db()
    assert item.claimed_by == moderator
    assert "Held by mona_keeper" in client_for(second_moderator).get("/moderation/").content.decode()
    assert client_for(second_moderator).post(f"/moderation/item/{item.pk}/claim/").status_code == 400
    item.refresh_from_db()
    assert item.claimed_by == moderator


def test_the_holder_releases_or_hands_over(reply, member, moderator, second_moderator):
    item = services.report_create(reporter=member, post=reply, reason="spam").item
    services.item_claim(actor=moderator, item=item)
    client_for(moderator).post(f"/moderation/item/{item.pk}/hand_over/", {"to": second_moderator.pk})
    item.refresh_from_db()
    assert item.claimed_by == second_moderator
    assert client_for(moderator).post(f"/moderation/item/{item.pk}/release/").status_code == 403
    client_for(second_moderator).post(f"/moderation/item/{item.pk}/release/")
    item.refresh_from_db()
    assert item.claimed_by is None
    assert "Not claimed" in client_for(moderator).get("/moderation/").content.decode()


def test_a_claim_left_idle_for_30_minutes_lapses(reply, member, moderator, second_moderator):
    item = services.report_create(reporter=member, post=reply, reason="spam").item
    services.item_claim(actor=moderator, item=item)
    ReviewItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - timedelta(minutes=31))
    assert "Held by mona_keeper" not in client_for(second_moderator).get("/moderation/").content.decode()
    client_for(second_moderator).post(f"/moderation/item/{item.pk}/claim/")
    item.refresh_from_db()
    assert item.claimed_by == second_moderator


def test_acting_on_the_post_claims_its_item(reply, member, moderator):
    item = services.report_create(reporter=member, post=reply, reason="spam").item
    client_for(moderator).post(f"/moderation/post/{reply.pk}/edit/",
                               {"body": "Tapering slowly, with my prescriber, worked for me", "reason": "Safer"})
    item.refresh_from_db()
    assert item.claimed_by == moderator


# --- Private notes stay private ---------------------------------------------------------


def test_a_note_on_a_thread_move_never_reaches_the_member(thread, member, moderator, other_category):
    page = client_for(moderator).get(f"/moderation/thread/{thread.pk}/move/").content.decode()
    assert "Only moderators see this" in page
    client_for(moderator).post(f"/moderation/thread/{thread.pk}/move/",
                               {"category": other_category.pk, "reason": "Author seems fragile, watch them"})
    assert Thread.objects.get(pk=thread.pk).category == other_category
    notices = client_for(member).get("/notices/").content.decode()
    assert "moved your thread" in notices and "watch them" not in notices
    inbox = client_for(member).get("/inbox/").content.decode()
    assert "watch them" not in inbox
    assert LogEntry.objects.get(action="move").reason == "Author seems fragile, watch them"


def test_a_note_on_making_a_peer_supporter_never_reaches_them(member, moderator):
    client_for(moderator).post(f"/moderation/member/{member.pk}/peer_supporter_add/",
                               {"reason": "Trial month, check in with Ana"})
    assert "Ana" not in client_for(member).get("/notices/").content.decode()


# --- Authors are told why a post is held -------------------------------------------------


def test_the_author_is_told_the_rules_explanation_and_the_usual_wait(thread, other_member, settings):
    settings.MODERATION_TYPICAL_REVIEW = 3 * 60 * 60
    WatchedWord.objects.create(name="Contact handles", pattern="telegram", action=WatchedWord.Action.HOLD,
                               explanation="Private contact details are how sellers find people here.")
    post = forum_services.post_create(author=other_member, thread=thread, body="message me on telegram")
    assert status(post) == Visibility.PENDING
    page = client_for(other_member).get("/notices/").content.decode()
    assert "waiting for a moderator" in page
    assert "Private contact details are how sellers find people here." in page
    assert "within about 3 hours" in page


def test_the_usual_wait_is_measured_from_recent_reviews(thread, newcomer, moderator, settings):
    settings.MODERATION_TYPICAL_REVIEW = 3 * 60 * 60
    for n in range(5):
        post = Post.objects.create(thread=thread, author=moderator, body=f"x{n}", body_html=f"<p>x{n}</p>",
                                   status=Visibility.PENDING)
        item = ReviewItem.objects.create(post=post, kind=ReviewItem.Kind.HELD, reasons=["r"])
        now = timezone.now()
        ReviewItem.objects.filter(pk=item.pk).update(
            created_at=now - timedelta(minutes=40), resolved_at=now, status="resolved", resolution="approved",
            resolved_by=moderator)
    forum_services.post_create(author=newcomer, thread=thread, body="my first words")
    notice = Notice.objects.filter(recipient=newcomer, action="held").get()
    assert "within about 40 minutes" in notice.message
    assert "first posts wait for a moderator" in notice.reason


# --- Signing up ---------------------------------------------------------------------------


def test_one_address_cannot_open_accounts_by_the_dozen(reader, db):
    from ..accounts.test_allauth_flows import signup

    codes = [signup(reader, username=f"throwaway_{n}", email=f"t{n}@example.org").status_code for n in range(5)]
    assert codes[0] == 302 and 429 in codes
    assert User.objects.filter(username__startswith="throwaway_").count() <= 3


# --- Bulk actions -------------------------------------------------------------------------


def test_bulk_approve_and_bulk_hide_with_one_reason(thread, newcomer, other_member, member, moderator):
    held = [forum_services.post_create(author=newcomer, thread=thread, body=f"held {n}") for n in range(2)]
    held_items = [open_items(post).get() for post in held]
    client = client_for(moderator)
    response = client.post("/moderation/items/bulk/", {"items": [i.pk for i in held_items], "action": "approve"})
    assert response.status_code == 302
    assert all(status(post) == Visibility.PUBLISHED for post in held)
    User.objects.filter(pk=other_member.pk).update(post_count=5)  # past first-post review
    reported = [forum_services.post_create(author=other_member, thread=thread, body=f"spam {n}") for n in range(2)]
    items = [services.report_create(reporter=member, post=post, reason="spam").item for post in reported]
    assert "Please give a reason" in client.post(
        "/moderation/items/bulk/", {"items": [i.pk for i in items], "action": "hide"}, follow=True).content.decode()
    assert all(status(post) == Visibility.PUBLISHED for post in reported)
    client.post("/moderation/items/bulk/", {"items": [i.pk for i in items], "action": "hide", "reason": "Spam links"})
    assert all(status(post) == Visibility.HIDDEN for post in reported)
    assert not ReviewItem.objects.filter(pk__in=[i.pk for i in items], status="open").exists()
    assert set(Notice.objects.filter(post__in=reported).values_list("reason", flat=True)) == {"Spam links"}


def test_bulk_approve_refuses_posts_that_are_not_held_and_does_nothing(thread, newcomer, other_member, member,
                                                                          moderator):
    held = forum_services.post_create(author=newcomer, thread=thread, body="held one")
    User.objects.filter(pk=other_member.pk).update(post_count=5)  # past first-post review
    reported = forum_services.post_create(author=other_member, thread=thread, body="reported one")
    items = [open_items(held).get(), services.report_create(reporter=member, post=reported, reason="spam").item]
    page = client_for(moderator).post("/moderation/items/bulk/", {"items": [i.pk for i in items], "action": "approve"},
                                      follow=True).content.decode()
    assert "Nothing was done" in page
    assert status(held) == Visibility.PENDING


# --- Looking after moderators -------------------------------------------------------------


def test_distressing_text_is_folded_and_the_queue_counts_what_was_opened(thread, other_member, member, moderator,
                                                                         settings):
    settings.MODERATION_BREAK_AFTER = 2
    posts = [forum_services.post_create(author=other_member, thread=thread, body=f"painful words {n}")
             for n in range(2)]
    items = [services.report_create(reporter=member, post=post, reason="unkind").item for post in posts]
    client = client_for(moderator)
    queue = client.get("/moderation/").content.decode()
    row = queue[queue.index(f'id="item-{items[0].pk}"'):]
    assert row.index("<details class=\"queue-preview is-distressing\"") < row.index("painful words 0")
    assert "blurred-excerpt" in row
    assert "opened 0 distressing items this shift" in queue and 'id="break-suggestion" hidden' in queue
    client.get(f"/moderation/items/{items[0].pk}/")
    client.get(f"/moderation/items/{items[0].pk}/")  # the same item counts once
    assert "opened 1 distressing item this shift" in client.get("/moderation/").content.decode()
    client.get(f"/moderation/items/{items[1].pk}/")
    queue = client.get("/moderation/").content.decode()
    assert "opened 2 distressing items this shift" in queue and "take a break" in queue
    assert 'id="break-suggestion" hidden' not in queue
    client.post("/moderation/shift/restart/")
    assert "opened 0 distressing items" in client.get("/moderation/").content.decode()


def test_unfolding_a_rows_text_counts_toward_the_shift(thread, other_member, member, moderator, settings):
    settings.MODERATION_BREAK_AFTER = 1
    post = forum_services.post_create(author=other_member, thread=thread, body="painful words")
    item = services.report_create(reporter=member, post=post, reason="unkind").item
    client = client_for(moderator)
    assert f'data-opened-url="/moderation/items/{item.pk}/opened/"' in client.get("/moderation/").content.decode()
    answer = client.post(f"/moderation/items/{item.pk}/opened/").json()
    assert answer == {"opened": 1, "break_after": 1, "suggest_break": True}
    assert 'id="break-suggestion" hidden' not in client.get("/moderation/").content.decode()
