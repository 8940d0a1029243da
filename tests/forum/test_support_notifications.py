"""Support you can see: reactions to a member's post arrive as one notification, "3 people
sent support", gathered while it is unread; counts only, never who; off in settings."""

from django.core import mail

from accounts import services as account_services
from forum import notifications, reactions, services
from forum.models import Notification
from tests.conftest import client_for, make_member


def support_notes(member):
    return list(Notification.objects.filter(recipient=member, kind="support"))


def test_reactions_gather_into_one_notification_counting_people(member, other_member, thread):
    post = thread.posts.get(is_opening=True)
    dana = make_member("dana")
    reactions.reaction_toggle(member=other_member, post=post, kind="support")
    reactions.reaction_toggle(member=other_member, post=post, kind="me_too")  # the same person, twice
    reactions.reaction_toggle(member=dana, post=post, kind="helped")
    notes = support_notes(member)
    assert len(notes) == 1 and notes[0].count == 2 and notes[0].actor is None  # never who
    html = client_for(member).get("/inbox/").content.decode()
    assert "2 people sent support for your post in “First week of esketamine”" in html
    assert "bob" not in notifications.describe(notes[0]) and "dana" not in notifications.describe(notes[0])


def test_once_read_a_new_reaction_starts_a_new_count(member, other_member, thread):
    post = thread.posts.get(is_opening=True)
    reactions.reaction_toggle(member=other_member, post=post, kind="support")
    notifications.notifications_mark_read(member=member)
    reactions.reaction_toggle(member=make_member("dana"), post=post, kind="support")
    unread = Notification.objects.get(recipient=member, kind="support", read_at__isnull=True)
    assert unread.count == 1
    assert notifications.describe(unread).startswith("1 person sent support")


def test_taking_a_reaction_back_takes_it_out_of_the_count(member, other_member, thread):
    post = thread.posts.get(is_opening=True)
    reactions.reaction_toggle(member=other_member, post=post, kind="support")
    reactions.reaction_toggle(member=other_member, post=post, kind="support")  # taken back
    assert support_notes(member) == []


def test_support_notifications_are_off_when_the_member_says_so(member, other_member, thread):
    client = client_for(member)
    client.post("/settings/", {"region": "", "notification_email": "off"})  # the box left unticked
    member.refresh_from_db()
    assert member.notify_reactions is False
    reactions.reaction_toggle(member=other_member, post=thread.posts.get(is_opening=True), kind="support")
    assert support_notes(member) == []


def test_the_count_reaches_the_header_live(member, other_member, thread, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reactions.reaction_toggle(member=other_member, post=thread.posts.get(is_opening=True), kind="support")
    assert callbacks  # inbox_changed is scheduled for the author's own socket
    assert '<span class="menu-count" id="menu-count"><span id="menu-count-n">1</span>' in client_for(member).get(
        "/"
    ).content.decode()


def test_support_is_never_emailed_one_by_one_but_joins_the_daily_digest(member, other_member, thread):
    account_services.member_settings_update(member=member, notification_email="each")
    reactions.reaction_toggle(member=other_member, post=thread.posts.get(is_opening=True), kind="support")
    assert mail.outbox == []
    account_services.member_settings_update(member=member, notification_email="daily")
    reactions.reaction_toggle(member=make_member("dana"), post=services.post_create(
        author=member, thread=thread, body="Another of mine."), kind="support")
    from django.core.management import call_command

    call_command("send_digests")
    assert len(mail.outbox) == 1 and "1 person sent support for one of your posts." in mail.outbox[0].body
