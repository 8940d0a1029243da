"""Every writer locks the thread, then the post (forum/content.py). On PostgreSQL, members
reacting and replying while a moderator hides and unhides the same post, all at once,
must end in no deadlock and in counters equal to a recount."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from accounts.models import User
from forum import reactions, services
from forum.models import Post, Reaction, Thread, Visibility
from moderation import services as moderation
from tests.conftest import make_member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writer at a time, so it cannot deadlock; CI runs this on PostgreSQL.",
    ),
]

ROUNDS = 12


def run_together(jobs):
    errors = []
    start = threading.Barrier(len(jobs))

    def worker(job):
        try:
            start.wait()
            job()
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_reactions_replies_and_hides_on_one_post_never_deadlock(category, moderator):
    author = make_member("post_author")
    thread = services.thread_create(author=author, category=category, title="Busy thread", body="Opening words")
    target = services.post_create(author=author, thread=thread, body="The post everyone is at")
    reactors = [make_member(f"reactor{n}") for n in range(4)]
    repliers = [make_member(f"replier{n}") for n in range(2)]

    def react(member):
        def job():
            for round_ in range(ROUNDS):
                kind = ["support", "me_too", "helped"][round_ % 3]
                post = Post.objects.get(pk=target.pk)
                try:
                    reactions.reaction_toggle(member=member, post=post, kind=kind)
                except PermissionDenied:  # the post is hidden this moment: refused, as it should be
                    pass
        return job

    def reply(member):
        def job():
            for round_ in range(ROUNDS):
                services.post_create(author=member, thread=Thread.objects.get(pk=thread.pk),
                                     parent=Post.objects.get(pk=target.pk), body=f"{member.username} says {round_}")
        return job

    def hide_and_show():
        for _ in range(ROUNDS):
            moderation.post_hide(actor=moderator, post=Post.objects.get(pk=target.pk), reason="Checking it")
            moderation.post_unhide(actor=moderator, post=Post.objects.get(pk=target.pk), reason="Fine")

    jobs = [react(member) for member in reactors] + [reply(member) for member in repliers] + [hide_and_show]
    errors = run_together(jobs)
    assert errors == []

    target.refresh_from_db()
    thread.refresh_from_db()
    for kind, field in reactions.COUNT_FIELDS.items():
        assert getattr(target, field) == Reaction.objects.filter(post=target, kind=kind).count()
    published_replies = Post.objects.filter(thread=thread, is_opening=False, status=Visibility.PUBLISHED)
    assert thread.reply_count == published_replies.count()
    for member in [author, *repliers]:
        assert User.objects.get(pk=member.pk).post_count == Post.objects.filter(
            author=member, status=Visibility.PUBLISHED
        ).count()
