"""Prepared queries answer exactly as the ORM query they were compiled from."""

from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import follows, permissions, selectors, services
from forum.models import Post, Thread
from forum.prepared import PreparedQuery
from moderation import services as moderation
from moderation.models import Suspension, WatchedWord


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


def test_a_prepared_instance_is_the_post_the_orm_builds_with_its_related_rows(thread, member, other_member):
    parent = services.post_create(author=member, thread=thread, body="First, from member")
    reply = services.post_create(author=other_member, thread=thread, parent=parent, body="An answer")
    query = PreparedQuery(
        lambda post_id: Post.objects.select_related("author", "parent__author").filter(pk=post_id), post_id=-11
    )
    expected = Post.objects.select_related("author", "parent__author").get(pk=reply.pk)
    with CaptureQueriesContext(connection) as queries:
        got = query.instance(post_id=reply.pk)
        names = (got.author.username, got.parent.author.username, got.parent.body)
    assert len(queries) == 1  # the related rows came with it, as select_related brings them
    assert names == (other_member.username, member.username, "First, from member")
    assert {f.attname: getattr(got, f.attname) for f in Post._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in Post._meta.concrete_fields
    }
    assert got._state.adding is False and got._state.db == "default"  # saved as the ORM's own instance saves
    assert query.instance(post_id=reply.pk + 1000) is None


def test_an_id_beyond_any_column_finds_nothing_rather_than_failing(thread):
    query = PreparedQuery(lambda thread_id: Thread.objects.filter(pk=thread_id), thread_id=-11)
    assert query.instance(thread_id=2**70) is None
    assert query.first(thread_id=-(2**70)) is None
    assert Client().get(f"/t/{2**70}/").status_code == 404


def test_prepared_instances_read_every_row_afresh(moderator):
    query = PreparedQuery(lambda: WatchedWord.objects.filter(enabled=True))

    def rules(found):
        return [(rule.pk, rule.name, rule.action, rule.pattern) for rule in found]

    assert rules(query.instances()) == rules(WatchedWord.objects.filter(enabled=True))
    added = WatchedWord.objects.create(name="Aaa first by name", pattern="two", match_type="phrase", action="hold")
    WatchedWord.objects.create(name="Off", pattern="off", match_type="phrase", action="flag", enabled=False)
    found = rules(query.instances())
    assert found == rules(WatchedWord.objects.filter(enabled=True))  # the model's order, by name
    assert found[0] == (added.pk, "Aaa first by name", "hold", "two")


def test_a_readers_page_shows_the_posts_the_orm_query_finds(thread, member, other_member, settings):
    """The anonymous reader's page of a thread (forum.selectors.thread_page, prepared once
    per page size) holds the same posts, authors and order as the ORM query it was built
    from: pending replies left out, removed ones kept as placeholders, whole subtrees,
    and a last page with fewer top-level replies than the page holds."""
    from django.contrib.auth.models import AnonymousUser

    settings.FORUM_REPLIES_PER_PAGE = 3
    tops = [services.post_create(author=other_member, thread=thread, body=f"top {n}") for n in range(5)]
    child = services.post_create(author=member, thread=thread, parent=tops[0], body="a child")
    services.post_create(author=other_member, thread=thread, parent=child, body="a grandchild")
    services.post_create(author=member, thread=thread, parent=tops[4], body="under the last")
    Post.objects.filter(pk=tops[1].pk).update(status="pending")
    services.post_delete(actor=other_member, post=Post.objects.get(pk=tops[2].pk))
    reader = AnonymousUser()
    for page_number in (1, 2):
        page = selectors.thread_page(reader, thread, page_number)
        roots = list(page.page.object_list)
        expected = list(
            selectors.visible_posts(reader).filter(thread=thread)
            .filter(Q(is_opening=True) | Q(root_id__in=roots)).select_related("author").order_by("pk")
        )
        shown = selectors._posts_shown_to_readers(thread.pk, roots)
        assert [post.pk for post in shown] == [post.pk for post in expected]
        assert [(post.status, post.author.username) for post in shown] == [
            (post.status, post.author.username) for post in expected
        ]
    assert tops[1].pk not in [post.pk for post in selectors._posts_shown_to_readers(thread.pk, [tops[1].pk])]
    assert len(selectors.thread_page(reader, thread, 2).page.object_list) < settings.FORUM_REPLIES_PER_PAGE
