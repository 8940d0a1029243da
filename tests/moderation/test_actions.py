"""Each moderation action: what changes, the one log row it writes, the author's notice,
and that doing it twice changes nothing more."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from forum import services as forum_services
from forum.models import Post, PostRevision, Thread, Visibility
from moderation import services
from moderation.models import LogEntry, Notice, Suspension

from ..conftest import client_for


def reload(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def reply(thread, other_member):
    return forum_services.post_create(author=other_member, thread=thread, body="A reply worth moderating")


def only_log(action):
    entries = list(LogEntry.objects.filter(action=action))
    assert len(entries) == 1, entries
    return entries[0]


def test_hiding_a_reply_hides_it_uncounts_it_logs_it_and_tells_the_author(reply, moderator, other_member):
    thread = reply.thread
    services.post_hide(actor=moderator, post=reply, reason="Names a seller")
    services.post_hide(actor=moderator, post=reply, reason="Names a seller")
    assert reload(reply).status == Visibility.HIDDEN
    assert reload(thread).reply_count == 0
    assert reload(other_member).post_count == 0
    entry = only_log("hide")
    assert (entry.actor_name, entry.target_type, entry.target_id, entry.reason) == (
        "mona_keeper", "post", reply.pk, "Names a seller"
    )
    assert entry.target_user == other_member
    notice = Notice.objects.get(recipient=other_member, action="hide")
    assert notice.reason == "Names a seller"


def test_the_log_keeps_the_actors_name_after_their_account_is_deleted(reply, moderator):
    services.post_hide(actor=moderator, post=reply, reason="x")
    moderator.delete()
    assert only_log("hide").actor_name == "mona_keeper"


def test_unhide_restores_the_post_and_its_counts_once(reply, moderator, other_member):
    services.post_hide(actor=moderator, post=reply, reason="Checking")
    services.post_unhide(actor=moderator, post=reply)
    services.post_unhide(actor=moderator, post=reply)
    assert reload(reply).status == Visibility.PUBLISHED
    assert reload(reply.thread).reply_count == 1
    assert reload(other_member).post_count == 1
    only_log("unhide")


def test_hiding_needs_a_reason_the_author_will_read(reply, moderator):
    with pytest.raises(ValidationError):
        services.post_hide(actor=moderator, post=reply, reason="  ")
    assert reload(reply).status == Visibility.PUBLISHED
    assert not LogEntry.objects.exists()


def test_hidden_posts_show_members_a_placeholder_and_moderators_the_text(reply, moderator, member):
    services.post_hide(actor=moderator, post=reply, reason="Checking")
    member_page = client_for(member).get(reply.thread.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in member_page and "A reply worth moderating" not in member_page
    moderator_page = client_for(moderator).get(reply.thread.get_absolute_url()).content.decode()
    assert "A reply worth moderating" in moderator_page


def test_approve_publishes_a_pending_post_counts_it_and_tells_the_author(
    thread, other_member, moderator, premoderation_on
):
    pending = forum_services.post_create(author=other_member, thread=thread, body="My first reply")
    assert pending.status == Visibility.PENDING
    services.post_approve(actor=moderator, post=pending)
    services.post_approve(actor=moderator, post=pending)
    assert reload(pending).status == Visibility.PUBLISHED
    assert reload(thread).reply_count == 1
    assert reload(other_member).post_count == 1
    only_log("approve")
    assert Notice.objects.filter(recipient=other_member, action="approve").count() == 1


def test_approving_a_new_members_thread_publishes_the_thread(other_member, category, moderator, premoderation_on):
    thread = forum_services.thread_create(author=other_member, category=category, title="Hello", body="New here")
    assert thread.status == Visibility.PENDING
    services.post_approve(actor=moderator, post=Post.objects.get(thread=thread, is_opening=True))
    assert reload(thread).status == Visibility.PUBLISHED


def test_reject_keeps_the_post_from_readers_and_tells_the_author_why(
    thread, other_member, moderator, premoderation_on
):
    pending = forum_services.post_create(author=other_member, thread=thread, body="Selling spare pills")
    with pytest.raises(ValidationError):
        services.post_reject(actor=moderator, post=pending, reason="")
    services.post_reject(actor=moderator, post=pending, reason="No selling here")
    services.post_reject(actor=moderator, post=pending, reason="No selling here")
    assert reload(pending).status == Visibility.HIDDEN
    assert reload(thread).reply_count == 0
    only_log("reject")
    notices = client_for(other_member).get("/notices/").content.decode()
    assert "No selling here" in notices


def test_a_moderator_edit_keeps_the_earlier_version_with_the_reason(reply, moderator, other_member):
    services.post_revise(actor=moderator, post=reply, body="[method details removed]", reason="Method details")
    services.post_revise(actor=moderator, post=reply, body="[method details removed]", reason="Method details")
    reply = reload(reply)
    assert reply.body == "[method details removed]" and reply.edited_at
    revision = PostRevision.objects.get(post=reply)
    assert revision.body == "A reply worth moderating" and revision.reason == "Method details"
    assert revision.editor_name == "mona_keeper"
    only_log("edit")
    assert Notice.objects.get(recipient=other_member, action="edit").reason == "Method details"


@pytest.mark.parametrize(
    "action, undo, field, value",
    [("thread_lock", "thread_unlock", "locked", True), ("thread_pin", "thread_unpin", "pinned", True)],
)
def test_lock_and_pin_and_their_undo_are_idempotent_and_logged(thread, moderator, action, undo, field, value):
    getattr(services, action)(actor=moderator, thread=thread)
    getattr(services, action)(actor=moderator, thread=thread)
    assert getattr(reload(thread), field) is value
    only_log(action.removeprefix("thread_"))
    getattr(services, undo)(actor=moderator, thread=thread)
    getattr(services, undo)(actor=moderator, thread=thread)
    assert getattr(reload(thread), field) is not value
    only_log(undo.removeprefix("thread_"))


def test_a_locked_thread_refuses_member_replies(thread, moderator, other_member):
    services.thread_lock(actor=moderator, thread=thread, reason="Cooling off")
    with pytest.raises(ValidationError, match="locked"):
        forum_services.post_create(author=other_member, thread=thread, body="one more")


def test_pinned_threads_come_first_in_their_category(thread, member, moderator, category):
    newer = forum_services.thread_create(author=member, category=category, title="Newer thread", body="x")
    services.thread_pin(actor=moderator, thread=thread)
    page = client_for(member).get(category.get_absolute_url()).content.decode()
    assert page.index("First week of esketamine") < page.index("Newer thread")
    assert newer.pk


def test_move_puts_the_thread_in_another_category_once(thread, moderator, other_category):
    services.thread_move(actor=moderator, thread=thread, category=other_category, reason="Better fit")
    services.thread_move(actor=moderator, thread=thread, category=other_category, reason="Better fit")
    assert reload(thread).category == other_category
    only_log("move")


def test_warn_sends_one_private_warning(member, moderator):
    services.member_warn(actor=moderator, member=member, reason="Please keep it kind")
    services.member_warn(actor=moderator, member=member, reason="Please keep it kind")
    assert Notice.objects.filter(recipient=member, action="warn").count() == 1
    only_log("warn")
    page = client_for(member).get("/notices/").content.decode()
    assert "Please keep it kind" in page


def test_a_suspended_member_reads_but_cannot_post_and_sees_until_when_and_why(member, moderator, thread):
    services.member_suspend(actor=moderator, member=member, reason="Heated replies", duration=timedelta(days=3))
    services.member_suspend(actor=moderator, member=member, reason="Heated replies", duration=timedelta(days=3))
    assert Suspension.objects.filter(member=member).count() == 1
    only_log("suspend")
    member = User.objects.get(pk=member.pk)
    with pytest.raises(PermissionDenied, match="Heated replies"):
        forum_services.post_create(author=member, thread=thread, body="can I?")
    client = client_for(member)
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your posting is paused until" in text and "Heated replies" in text
    assert 'action="/t/%d/reply/"' % thread.pk not in text
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "still here"})
    assert response.status_code == 403
    assert not Post.objects.filter(body="still here").exists()


def test_lifting_a_suspension_lets_the_member_post_again(member, moderator, thread):
    services.member_suspend(actor=moderator, member=member, reason="Heated", duration=timedelta(days=1))
    services.member_unsuspend(actor=moderator, member=member, reason="Talked it over")
    services.member_unsuspend(actor=moderator, member=member, reason="Talked it over")
    only_log("unsuspend")
    member = User.objects.get(pk=member.pk)
    assert forum_services.post_create(author=member, thread=thread, body="Thanks for hearing me out").pk


def test_a_suspension_ends_by_itself(member, moderator, thread):
    suspension = services.member_suspend(actor=moderator, member=member, reason="x", duration=timedelta(days=1))
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=suspension.starts_at)
    member = User.objects.get(pk=member.pk)
    assert forum_services.post_create(author=member, thread=thread, body="back").pk


def test_actions_through_the_pages_write_the_log(reply, moderator):
    client = client_for(moderator)
    form = client.get(f"/moderation/post/{reply.pk}/hide/")
    assert form.status_code == 200 and "Reason (required)" in form.content.decode()
    empty = client.post(f"/moderation/post/{reply.pk}/hide/", {"reason": ""})
    assert empty.status_code == 400 and "Please give a reason" in empty.content.decode()
    response = client.post(f"/moderation/post/{reply.pk}/hide/", {"reason": "Off topic", "next": "/moderation/"})
    assert response.status_code == 302
    assert reload(reply).status == Visibility.HIDDEN
    log_page = client.get("/moderation/log/").content.decode()
    assert "Off topic" in log_page and "mona_keeper" in log_page
    assert Thread.objects.get(pk=reply.thread_id).reply_count == 0
