"""Sanctions (issue 14): silence, suspend for a chosen length, ban, and "remove spammer",
each done from the moderation member page, logged once, told to the member in plain
words (what, why, until when, how to appeal), and enforced by the Viewer for pages and
sockets alike."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Suspension, User
from forum import services as forum_services
from forum.models import Category, Post, Thread, Visibility
from moderation import services
from moderation.models import LogEntry, Notice, ReviewItem
from modmail.models import Conversation

from ..conftest import client_for, make_member


def fresh(user):
    return User.objects.get(pk=user.pk)


def log_rows(member, action=None):
    rows = LogEntry.objects.filter(target_user=member)
    return rows.filter(action=action) if action else rows


@pytest.fixture
def bobs_reply(thread, other_member):
    return forum_services.post_create(author=other_member, thread=thread, body="Bob's reply")


@pytest.fixture
def mod(moderator):
    return client_for(moderator)


# --- Silence ------------------------------------------------------------------------------


def test_a_silenced_member_reads_and_writes_to_the_moderators_but_cannot_post_react_or_report(
    mod, member, thread, bobs_reply, moderator
):
    response = mod.post(f"/moderation/members/{member.pk}/silence/", {"reason": "Baiting other members", "amount": ""})
    assert response.status_code == 302
    assert log_rows(member, "silence").count() == 1

    client = client_for(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "You are silenced until a moderator lifts it" in page and "Baiting other members" in page
    assert f"/report/{bobs_reply.pk}/" not in page  # no Report link under Bob's post
    assert f'action="/t/{thread.pk}/reply/"' not in page
    assert "You can't reply for now" in page

    assert client.post(f"/t/{thread.pk}/reply/", {"body": "let me speak"}).status_code == 403
    refused = client.post(f"/p/{bobs_reply.pk}/react/", {"kind": "support"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403 and "paused" in refused.json()["error"]
    assert not bobs_reply.reactions.exists()
    assert client.get(f"/report/{bobs_reply.pk}/").status_code == 403
    assert client.post(f"/report/{bobs_reply.pk}/", {"reason": "spam"}).status_code == 403
    assert not Post.objects.filter(body="let me speak").exists()
    assert not bobs_reply.reports.exists()

    # Writing to the moderators (to appeal) still works.
    assert client.post("/messages/new/", {"subject": "Appeal", "body": "I think this was a mistake."}).status_code == 302
    assert Conversation.objects.filter(member=member).exists()

    notice = Notice.objects.get(recipient=member, action="silence")
    assert "silenced you until a moderator lifts it" in notice.message
    assert "cannot post, reply, react or report" in notice.message
    assert "appeal" in notice.message and "Message the moderators" in notice.message
    assert notice.reason == "Baiting other members"
    assert "Baiting other members" in client.get("/notices/").content.decode()


def test_a_silence_for_a_chosen_length_says_until_when_and_ends_by_itself(mod, member, thread):
    mod.post(f"/moderation/members/{member.pk}/silence/", {"reason": "Cool off", "amount": "6", "unit": "hours"})
    silence = Suspension.objects.get(member=member)
    assert silence.kind == "silence"
    assert timedelta(hours=5, minutes=59) < silence.ends_at - timezone.now() <= timedelta(hours=6)
    notice = Notice.objects.get(recipient=member, action="silence")
    assert f"{silence.ends_at:%H:%M} UTC" in notice.message
    with pytest.raises(Exception, match="silenced you until"):
        forum_services.post_create(author=fresh(member), thread=thread, body="too soon")
    Suspension.objects.filter(pk=silence.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert forum_services.post_create(author=fresh(member), thread=thread, body="back again").pk



def test_a_silenced_or_banned_member_cannot_report_through_the_service_either(moderator, member, bobs_reply):
    from django.core.exceptions import ValidationError

    from moderation.models import Report

    services.member_silence(actor=moderator, member=member, reason="Baiting other members")
    with pytest.raises(ValidationError):
        services.report_create(reporter=fresh(member), post=bobs_reply, reason="spam")
    services.member_ban(actor=moderator, member=member, reason="Harassment")
    with pytest.raises(ValidationError):
        services.report_create(reporter=fresh(member), post=bobs_reply, reason="spam")
    assert not Report.objects.filter(post=bobs_reply).exists()

# --- Suspend ------------------------------------------------------------------------------


def test_a_suspension_runs_for_the_length_the_moderator_chose(mod, member, thread):
    form = mod.get(f"/moderation/members/{member.pk}/suspend/").content.decode()
    assert 'name="amount"' in form and 'name="unit"' in form
    response = mod.post(f"/moderation/members/{member.pk}/suspend/", {"reason": "Heated", "amount": "10",
                                                                      "unit": "days"})
    assert response.status_code == 302
    suspension = Suspension.objects.get(member=member)
    assert suspension.kind == "suspend"
    assert timedelta(days=9, hours=23) < suspension.ends_at - timezone.now() <= timedelta(days=10)
    entry = log_rows(member).get()
    assert entry.action == "suspend" and "until" in entry.reason
    notice = Notice.objects.get(recipient=member, action="suspend")
    assert "paused your posting until" in notice.message and "appeal" in notice.message


def test_a_suspension_without_a_length_is_refused_and_keeps_the_reason(mod, member):
    response = mod.post(f"/moderation/members/{member.pk}/suspend/", {"reason": "Kept words", "amount": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose how long it lasts." in page and "Kept words" in page
    assert not Suspension.objects.exists()


# --- Ban ----------------------------------------------------------------------------------


def test_a_banned_member_loses_members_only_reading_following_and_reporting_but_can_appeal_and_take_their_data(
    mod, member, thread, category, bobs_reply
):
    Category.objects.filter(pk=category.pk).update(members_only=True)
    public = forum_services.thread_create(
        author=make_member("erin"), category=Category.objects.exclude(pk=category.pk).first(),
        title="Open to everyone", body="Public words",
    )
    assert mod.post(f"/moderation/members/{member.pk}/ban/", {"reason": "Selling pills"}).status_code == 302
    ban = Suspension.objects.get(member=member)
    assert ban.kind == "ban" and ban.ends_at is None
    assert log_rows(member, "ban").count() == 1

    client = client_for(member)
    assert client.get(thread.get_absolute_url()).status_code == 404  # their own thread, now members-only
    category_page = client.get(f"/c/{category.slug}/").content.decode()
    assert "closed to you while you are banned" in category_page and "First week of esketamine" not in category_page
    assert "First week of esketamine" not in client.get("/search/?q=esketamine").content.decode()
    public_page = client.get(public.get_absolute_url())
    assert public_page.status_code == 200 and "You are banned from posting here." in public_page.content.decode()
    assert client.post(f"/t/{public.pk}/reply/", {"body": "hello?"}).status_code == 403
    assert client.post(f"/t/{public.pk}/follow/", {"level": "watching"}).status_code == 403
    opening = Post.objects.get(thread=public, is_opening=True)
    assert client.get(f"/report/{opening.pk}/").status_code == 403

    # Appeal, notices and their data stay theirs.
    assert client.post("/messages/new/", {"body": "Please look again."}).status_code == 302
    notices = client.get("/notices/").content.decode()
    assert "banned you" in notices and "Selling pills" in notices and "appeal" in notices
    data = json.loads(client.get("/settings/my-data/").content)
    assert [(row["kind"], row["reason"], row["ends_at"]) for row in data["suspensions"]] == [
        ("ban", "Selling pills", None)]


def test_lifting_a_ban_lets_the_member_back_and_is_logged_as_unban(mod, member, thread):
    services.member_ban(actor=User.objects.get(username="mona_keeper"), member=member, reason="x")
    assert mod.post(f"/moderation/members/{member.pk}/lift/", {"reason": "Talked it over"}).status_code == 302
    assert log_rows(member, "unban").count() == 1
    assert "ban has been lifted" in Notice.objects.get(recipient=member, action="unban").message
    assert forum_services.post_create(author=fresh(member), thread=thread, body="Thank you").pk


def test_a_new_kind_of_sanction_replaces_the_running_one(moderator, member):
    silence = services.member_silence(actor=moderator, member=member, reason="First")
    services.member_silence(actor=moderator, member=member, reason="First")  # a double submit
    ban = services.member_ban(actor=moderator, member=member, reason="Then worse")
    silence.refresh_from_db()
    assert silence.lifted_at is not None and silence.lifted_by_name == "mona_keeper"
    assert list(Suspension.objects.running().filter(member=member)) == [ban]
    assert [entry.action for entry in log_rows(member).order_by("pk")] == ["silence", "ban"]
    viewer_page = client_for(member).get("/").content.decode()
    assert "You are banned from posting here." in viewer_page


def test_moderators_are_not_sanctioned_from_the_member_page(mod, admin_user):
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    other_moderator = make_member("second_mod")
    other_moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    response = mod.post(f"/moderation/members/{other_moderator.pk}/ban/", {"reason": "x"})
    assert response.status_code == 400 and "take the moderator role away first" in response.content.decode()
    assert not Suspension.objects.exists()


# --- Remove spammer -----------------------------------------------------------------------


def test_remove_spammer_hides_everything_they_wrote_bans_them_and_is_one_logged_action(
    mod, moderator, member, category, thread, premoderation_on
):
    spammer = make_member("cheap_pills_4u")
    User.objects.filter(pk=spammer.pk).update(post_count=5)  # past first-post review
    spam_thread = forum_services.thread_create(author=fresh(spammer), category=category, title="Buy now",
                                               body="cheap pills")
    spam_reply = forum_services.post_create(author=fresh(spammer), thread=thread, body="more pills")
    report = services.report_create(reporter=member, post=spam_reply, reason="spam")
    from moderation.services import crisis_item_open
    from tests.moderation.test_crisis_loop import urgent

    crisis = crisis_item_open(post=spam_reply, assessment=urgent())
    before = LogEntry.objects.count()

    form = mod.get(f"/moderation/members/{spammer.pk}/remove-spammer/").content.decode()
    assert "This hides the 2 posts" in form
    unconfirmed = mod.post(f"/moderation/members/{spammer.pk}/remove-spammer/", {"reason": "Spam"})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    assert mod.post(f"/moderation/members/{spammer.pk}/remove-spammer/",
                    {"reason": "Spam", "confirm": "on"}).status_code == 302

    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.action == "remove_spammer" and entry.target_user_id == spammer.pk and "2 posts hidden" in entry.reason
    assert set(Post.objects.filter(author=spammer).values_list("status", flat=True)) == {Visibility.HIDDEN}
    assert Thread.objects.get(pk=spam_thread.pk).status == Visibility.HIDDEN
    assert client_for(member).get(spam_thread.get_absolute_url()).status_code == 404
    assert "more pills" not in client_for(member).get(thread.get_absolute_url()).content.decode()
    assert ReviewItem.objects.get(pk=report.item_id).status == "resolved"
    assert ReviewItem.objects.get(pk=crisis.pk).status == "open"  # someone may be at risk: never settled as spam
    assert Suspension.objects.running().get(member=spammer).kind == "ban"
    assert Notice.objects.filter(recipient=spammer).count() == 1
    assert "Everything you posted here is hidden" in Notice.objects.get(recipient=spammer).message

    # A second click finds the work done.
    mod.post(f"/moderation/members/{spammer.pk}/remove-spammer/", {"reason": "Spam", "confirm": "on"})
    assert LogEntry.objects.count() == before + 1


# --- History --------------------------------------------------------------------------------


def test_sanctions_are_earlier_actions_and_crisis_outcomes_and_notes_never_are(mod, moderator, member, thread):
    from tests.moderation.test_crisis_loop import urgent

    reply = forum_services.post_create(author=member, thread=thread, body="a hard night")
    item = services.crisis_item_open(post=reply, assessment=urgent())
    services.crisis_reached_out(actor=moderator, item=item, note="Sent a message")
    services.member_note_add(actor=moderator, member=member, text="Keep an eye out, gently")
    services.member_silence(actor=moderator, member=member, reason="Too many posts at once",
                            duration=timedelta(hours=2))
    html = mod.get(f"/moderation/members/{member.pk}/").content.decode()
    earlier = html[html.index("Earlier actions"):html.index('<section class="crisis-care"')]
    assert "silenced by mona_keeper" in earlier
    assert "crisis" not in earlier and "reached" not in earlier and "note" not in earlier
    assert "Silenced until" in html


# --- Sockets follow the same Viewer -------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_banned_members_sockets_refuse_members_only_threads_and_their_own_feed(member, moderator, thread,
                                                                                       category):
    from channels.db import database_sync_to_async

    from .test_socket_standing import socket

    await database_sync_to_async(lambda: Category.objects.filter(pk=category.pk).update(members_only=True))()
    before = await socket(f"/ws/threads/{thread.pk}/", member)
    connected, _ = await before.connect(timeout=3)
    assert connected  # a member in good standing reads members-only threads live
    await before.disconnect()

    await database_sync_to_async(lambda: services.member_ban(actor=moderator, member=member, reason="x"))()
    after = await socket(f"/ws/threads/{thread.pk}/", member)
    await after.connect(timeout=3)
    assert await after.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
    own = await socket("/ws/me/", member)
    await own.connect(timeout=3)
    assert await own.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_silenced_member_still_follows_a_thread_live(member, moderator, thread, category):
    from channels.db import database_sync_to_async

    from .test_socket_standing import socket

    await database_sync_to_async(lambda: Category.objects.filter(pk=category.pk).update(members_only=True))()
    await database_sync_to_async(lambda: services.member_silence(actor=moderator, member=member, reason="x"))()
    communicator = await socket(f"/ws/threads/{thread.pk}/", member)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    await communicator.disconnect()


def test_the_live_controls_a_silenced_member_gets_have_no_report_or_reaction_buttons(
    member, other_member, moderator, thread, bobs_reply
):
    """Live posts take their controls from <template class="live-controls">, rendered by the
    server through the same Viewer: a silenced member's have no Report link."""
    before = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert 'class="report-link"' in before
    services.member_silence(actor=moderator, member=member, reason="x")
    after = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert 'class="live-controls"' in after and 'class="report-link"' not in after


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_ban_closes_the_members_open_sockets_on_members_only_threads_and_their_own(member, moderator, thread,
                                                                                            category):
    from channels.db import database_sync_to_async

    from .test_socket_standing import socket

    await database_sync_to_async(lambda: Category.objects.filter(pk=category.pk).update(members_only=True))()
    reading = await socket(f"/ws/threads/{thread.pk}/", member)
    own = await socket("/ws/me/", member)
    assert (await reading.connect(timeout=3))[0] and (await own.connect(timeout=3))[0]

    await database_sync_to_async(lambda: services.member_ban(actor=moderator, member=member, reason="x"))()
    assert await past_presence(reading) == {"type": "websocket.close", "code": 4403}
    assert await own.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def past_presence(communicator, timeout=3):
    """The next output that is not the socket's welcome or a "N reading now" count."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if not any(kind in output.get("text", "") for kind in ('"presence"', '"welcome"')):
            return output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_silence_leaves_the_members_open_thread_socket_reading(member, other_member, moderator, thread):
    from channels.db import database_sync_to_async

    from .test_socket_standing import socket

    reading = await socket(f"/ws/threads/{thread.pk}/", member)
    assert (await reading.connect(timeout=3))[0]
    await database_sync_to_async(lambda: services.member_silence(actor=moderator, member=member, reason="x"))()
    await database_sync_to_async(
        lambda: forum_services.post_create(author=other_member, thread=thread, body="still here for you"))()
    event = await past_presence(reading)  # the socket stayed open: the next reply arrives
    assert "still here for you" in event["text"]
    await reading.disconnect()


def test_a_suspension_written_without_an_end_in_the_admin_reads_as_until_lifted(member, moderator, thread):
    Suspension.objects.create(member=member, kind="suspend", reason="Set by staff", ends_at=None,
                              created_by=moderator, created_by_name="mona_keeper")
    page = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert "Your posting is paused until a moderator lifts it." in page and "None" not in page.split("Reason:")[0][-300:]
    with pytest.raises(Exception, match="paused your posting until a moderator lifts it"):
        forum_services.post_create(author=fresh(member), thread=thread, body="x")


# --- In the member's language ---------------------------------------------------------------


@pytest.fixture
def french_sanction_words(tmp_path, settings):
    """A few of the sanction's strings in French, compiled as tests/french.py does, so the
    test shows the notice follows the member's language, not the moderator's."""
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr",
                   "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    for msgid, msgstr in {
        "A moderator has silenced you until %(until)s UTC: you cannot post, reply, react or report.":
            "Une personne de la modération vous a mis en sourdine jusqu’au %(until)s UTC : vous ne pouvez "
            "ni publier, ni répondre, ni réagir, ni signaler.",
        "j F Y, H:i": "j F Y, H:i",
    }.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    directory = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    po.save_as_mofile(str(directory / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]


def test_the_notice_is_in_the_members_language_whatever_the_moderators(french_sanction_words, moderator, member):
    from django.utils import translation

    User.objects.filter(pk=member.pk).update(language="fr")
    with translation.override("en"):  # the moderator reads English
        services.member_silence(actor=moderator, member=fresh(member), reason="Trop de messages",
                                duration=timedelta(days=2))
    message = Notice.objects.get(recipient=member, action="silence").message
    ends_at = Suspension.objects.get(member=member).ends_at
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    assert message.startswith("Une personne de la modération vous a mis en sourdine jusqu’au")
    assert f"{ends_at.day} {months[ends_at.month - 1]} {ends_at.year}" in message
