"""Prepared queries answer exactly as the ORM query they were compiled from."""

from datetime import timedelta

from django.utils import timezone

from forum import follows, permissions, selectors, services
from forum.models import Thread
from moderation import services as moderation
from moderation.models import Suspension


def fresh(user):
    for name in [name for name in vars(user) if name.startswith("_forum")]:
        delattr(user, name)
    return user


def test_standing_is_each_members_own(member, moderator, unverified_member):
    assert permissions.is_moderator(fresh(moderator)) is True
    assert permissions.is_moderator(fresh(member)) is False
    assert permissions.has_verified_email(fresh(member)) is True
    assert permissions.has_verified_email(fresh(unverified_member)) is False


def test_a_suspension_counts_until_it_ends(member, moderator):
    moderation.member_suspend(actor=moderator, member=member, reason="Cooling off", duration=timedelta(days=1))
    assert permissions.is_suspended(fresh(member)) is True
    Suspension.objects.filter(member=member).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert permissions.is_suspended(fresh(member)) is False


def test_reader_state_matches_the_annotated_query(thread, member, other_member):
    services.post_create(author=other_member, thread=thread, body="one")
    reply = services.post_create(author=other_member, thread=thread, body="two")
    follows.read_position_record(member=member, thread=thread, post_id=reply.pk - 1, known=None)
    for reader in (member, other_member):
        expected = selectors.with_reader_state(Thread.objects.filter(pk=thread.pk), reader).values(
            *selectors.READER_STATE_FIELDS
        ).get()
        attached = selectors.reader_state_attach(Thread.objects.get(pk=thread.pk), reader)
        assert {name: getattr(attached, name) for name in selectors.READER_STATE_FIELDS} == expected
    assert selectors.reader_state_attach(Thread.objects.get(pk=thread.pk), member).my_unread == 1
