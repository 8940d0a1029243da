"""Reaction counts, live over the thread's socket: counts only, never who reacted."""

import pytest
from channels.db import database_sync_to_async

from forum import reactions
from moderation import services as moderation_services

from ..conftest import make_member
from .test_realtime_consumer import assert_no_content_event, next_event, open_socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def test_reaction_counts_reach_thread_readers_live_without_names(thread, other_member):
    post = await database_sync_to_async(lambda: thread.posts.get(is_opening=True))()
    reader = await open_socket(thread.pk)
    await database_sync_to_async(reactions.reaction_toggle)(member=other_member, post=post, kind="support")
    event = await next_event(reader, "reaction.updated")
    assert event == {"type": "reaction.updated", "post_id": post.pk, "counts": {"support": 1, "me_too": 0, "helped": 0}}
    assert "bob" not in str(event)
    await database_sync_to_async(reactions.reaction_toggle)(member=other_member, post=post, kind="support")
    event = await next_event(reader, "reaction.updated")
    assert event["counts"]["support"] == 0
    await reader.disconnect()


async def test_a_refused_reaction_sends_nothing(thread, moderator):
    from datetime import timedelta

    from django.core.exceptions import PermissionDenied

    paused = await database_sync_to_async(make_member)("dana_paused")
    await database_sync_to_async(moderation_services.member_suspend)(
        actor=moderator, member=paused, reason="Unkind replies", duration=timedelta(days=3)
    )
    post = await database_sync_to_async(lambda: thread.posts.get(is_opening=True))()
    reader = await open_socket(thread.pk)
    with pytest.raises(PermissionDenied):
        await database_sync_to_async(reactions.reaction_toggle)(member=paused, post=post, kind="support")
    await assert_no_content_event(reader)
    await reader.disconnect()
