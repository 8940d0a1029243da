import pytest
from django.core.exceptions import PermissionDenied

from forum import services
from forum.models import Post, PostRevision, Visibility


@pytest.fixture
def reply(thread, other_member):
    return services.post_create(author=other_member, thread=thread, body="Original words")


def test_editing_keeps_the_earlier_version_and_marks_the_post_edited(reply, other_member):
    edited = services.post_edit(editor=other_member, post=reply, body="Better words")
    assert edited.body == "Better words" and edited.body_html == "<p>Better words</p>"
    assert edited.edited_at is not None
    revision = PostRevision.objects.get(post=reply)
    assert revision.body == "Original words" and revision.editor_name == "bob"


def test_an_edit_that_changes_nothing_makes_no_revision(reply, other_member):
    services.post_edit(editor=other_member, post=reply, body="Original words")
    assert not PostRevision.objects.exists()


def test_nobody_edits_someone_elses_post(reply, member):
    with pytest.raises(PermissionDenied):
        services.post_edit(editor=member, post=reply, body="hijack")


def test_deleting_leaves_a_placeholder_and_uncounts_the_reply(reply, other_member, thread):
    child = services.post_create(author=thread.author, thread=thread, body="answer", parent=reply)
    services.post_delete(actor=other_member, post=reply)
    reply.refresh_from_db()
    thread.refresh_from_db()
    other_member.refresh_from_db()
    assert reply.status == Visibility.REMOVED
    assert reply.body == "Original words"  # kept for moderators
    assert thread.reply_count == 1  # only the child remains counted
    assert other_member.post_count == 0
    child.refresh_from_db()
    assert child.parent_id == reply.pk


def test_deleting_twice_changes_nothing_more(reply, other_member, thread):
    services.post_delete(actor=other_member, post=reply)
    services.post_delete(actor=other_member, post=reply)
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_nobody_deletes_someone_elses_post(reply, member):
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=member, post=reply)


def test_an_author_cannot_turn_a_moderators_hide_into_a_removal(reply, other_member, moderator):
    from moderation import services as moderation_services
    from moderation.models import LogEntry

    from ..conftest import client_for

    seen_before = Post.objects.get(pk=reply.pk)  # the author's page, loaded before the hide
    moderation_services.post_hide(actor=moderator, post=reply, reason="Names a clinic's staff")
    services.post_delete(actor=other_member, post=seen_before)  # a race: the hide is found under the lock
    reply.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=other_member, post=reply)
    author = client_for(other_member)
    assert author.post(f"/p/{reply.pk}/delete/").status_code == 403
    page = author.get(reply.thread.get_absolute_url()).content.decode()
    assert f"/p/{reply.pk}/delete/" not in page
    reply.refresh_from_db()
    assert reply.status == Visibility.HIDDEN
    assert list(LogEntry.objects.filter(target_id=reply.pk).values_list("action", flat=True)) == ["hide"]
