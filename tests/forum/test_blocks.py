"""Blocking a member: their posts fold away for you, nothing they do notifies you, and they
cannot reply to your posts. Private: they are not told, nobody else sees it."""

import pytest
from django.core.exceptions import ValidationError

from accounts import data_rights
from forum import blocks, reactions, services
from forum.models import Block, Notification
from tests.conftest import client_for


@pytest.fixture
def blocked(member, other_member):
    """alice blocked bob."""
    response = client_for(member).post(f"/members/{other_member.username}/block/")
    assert response.status_code == 302
    return other_member


def test_a_blocked_members_posts_fold_away_for_the_blocker_only(member, blocked, thread, reader):
    services.post_create(author=blocked, thread=thread, body="Words alice chose not to see.")
    html = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert '<details class="blocked-post"><summary>You blocked <span translate="no">bob</span>. Show this post</summary>' in html
    assert "Words alice chose not to see." in html  # one click away, never deleted
    assert "blocked-post" not in reader.get(thread.get_absolute_url()).content.decode()


def test_blocking_changes_a_cached_thread_page_at_once(member, other_member, thread):
    services.post_create(author=other_member, thread=thread, body="Cached before the block.")
    client = client_for(member)
    assert "blocked-post" not in client.get(thread.get_absolute_url()).content.decode()
    client.post(f"/members/{other_member.username}/block/")
    assert "blocked-post" in client.get(thread.get_absolute_url()).content.decode()
    client.post(f"/members/{other_member.username}/unblock/")
    assert "blocked-post" not in client.get(thread.get_absolute_url()).content.decode()


def test_nothing_a_blocked_member_does_notifies_the_blocker(member, blocked, thread):
    post = services.post_create(author=blocked, thread=thread, body="A reply to your thread, @alice.")
    services.post_create(author=blocked, thread=thread, body="And to your post.", parent=post)
    mine = services.post_create(author=member, thread=thread, body="My reply.")
    reactions.reaction_toggle(member=blocked, post=mine, kind="support")
    assert not Notification.objects.filter(recipient=member).exists()


def test_a_blocked_member_cannot_reply_to_the_blockers_posts_but_can_to_the_thread(member, blocked, thread, other_member):
    mine = services.post_create(author=member, thread=thread, body="My reply.")
    with pytest.raises(ValidationError, match="can't reply directly"):
        services.post_create(author=blocked, thread=thread, body="Reply to alice", parent=mine)
    response = client_for(blocked).post(f"/t/{thread.pk}/reply/", {"body": "Reply to alice", "parent": mine.pk})
    assert response.status_code == 400 and "You can&#x27;t reply directly" in response.content.decode()
    assert services.post_create(author=blocked, thread=thread, body="To the thread itself.").pk


def test_the_blocked_member_gets_no_reply_link_under_the_blockers_posts(member, blocked, thread):
    from tests.conftest import make_member

    mine = services.post_create(author=member, thread=thread, body="My reply.")
    someone_elses = services.post_create(author=make_member("dana"), thread=thread, body="Dana's reply.")
    html = client_for(blocked).get(thread.get_absolute_url()).content.decode()
    assert f'data-reply-to="{mine.pk}"' not in html
    assert f'data-reply-to="{someone_elses.pk}"' in html


def test_blocks_are_listed_in_settings_and_can_be_lifted_there(member, blocked):
    client = client_for(member)
    html = client.get("/settings/").content.decode()
    assert 'href="/members/bob/" translate="no">bob</a>' in html and "Unblock" in html
    client.post("/members/bob/unblock/", {"next": "settings"})
    assert not Block.objects.exists()


def test_a_member_cannot_block_themselves(member):
    with pytest.raises(ValidationError):
        blocks.member_block(member=member, blocked=member)


def test_blocks_are_the_blockers_data_never_the_blocked_members(member, blocked):
    assert data_rights.export_all(member)["members_you_blocked"][0]["member"] == "bob"
    assert data_rights.export_all(blocked)["members_you_blocked"] == []
    from accounts import services as account_services

    account_services.member_delete(member=blocked, remove_posts=False)
    assert not Block.objects.exists()
