"""What the forum keeps about a member: their threads and posts (with the earlier
versions of each), reactions, follows, watches and the notifications they received.
See accounts/data_rights.py.

The export holds the member's own writing whatever its status; other people's content
(the titles of threads they follow, what a notification was about) only where the member
may still read it.
"""

from django.utils import timezone

from accounts.data_rights import iso
from accounts.models import FORMER_MEMBER_NAME
from accounts.scrub import scrub_names, scrub_text

from . import content, notifications, page_cache
from .models import CategoryWatch, Notification, Post, PostRevision, Reaction, Thread, ThreadFollow, Visibility

MODELS = [
    "forum.Thread",
    "forum.Post",
    "forum.PostRevision",
    "forum.Reaction",
    "forum.ThreadFollow",
    "forum.CategoryWatch",
    "forum.Notification",
]
REMOVED_TITLE = "Title removed by its author"


def quoted_titles(member) -> list[str]:
    """The member's thread titles as messages quote them (“title”): the needles for
    erasing them from what other members were told about those threads."""
    return [f"“{title}”" for title in Thread.objects.filter(author=member).values_list("title", flat=True)]


def export(member) -> dict:
    return {
        "threads": [
            {
                "id": thread.pk,
                "title": thread.title,
                "category": thread.category.name,
                "status": thread.status,
                "created_at": iso(thread.created_at),
                "content_warning": thread.content_warning,
            }
            for thread in Thread.objects.filter(author=member).select_related("category").order_by("created_at", "pk")
        ],
        "posts": [_post(post, member) for post in _own_posts(member)],
        "reactions": [
            {"post_id": reaction.post_id, "kind": reaction.kind, "created_at": iso(reaction.created_at)}
            for reaction in Reaction.objects.filter(member=member).order_by("created_at", "pk")
        ],
        "thread_follows": [
            {"thread_id": follow.thread_id, "thread_title": _readable_title(follow.thread, member),
             "level": follow.level or "reading"}
            for follow in ThreadFollow.objects.filter(member=member).select_related("thread").order_by("thread_id")
        ],
        "category_watches": [
            watch.category.name
            for watch in CategoryWatch.objects.filter(member=member).select_related("category").order_by("category_id")
        ],
        "notifications_received": [
            {"created_at": iso(n.created_at), "read_at": iso(n.read_at), "kind": n.kind,
             "text": notifications.describe(n), "reason": n.reason}
            for n in Notification.objects.filter(notifications.visible_filter(), recipient=member)
            .select_related("actor", "thread")
            .order_by("created_at", "pk")
        ],
    }


def _own_posts(member):
    return (
        Post.objects.filter(author=member)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )


def _post(post: Post, member) -> dict:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "thread_title": _readable_title(post.thread, member),
        "is_opening_post": post.is_opening,
        "in_reply_to_post_id": post.parent_id,
        "status": post.status,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "content_warning": post.content_warning,
        "said_safe_for_now_at": iso(post.safe_for_now_at),
        "body": post.body,
        # Every earlier version, the author's own edits and moderators' alike.
        "earlier_versions": [
            {"body": revision.body, "written_at": iso(revision.written_at), "replaced_at": iso(revision.replaced_at),
             "edited_by": "you" if revision.editor_id == member.pk else "a moderator", "reason": revision.reason}
            for revision in sorted(post.revisions.all(), key=lambda revision: revision.replaced_at)
        ],
    }


def _readable_title(thread: Thread, member) -> str | None:
    """A thread's title, unless someone else wrote it and the member may no longer read it."""
    if thread.author_id == member.pk or thread.status == Visibility.PUBLISHED:
        return thread.title
    return None


def erase(member, *, remove_posts: bool, names: list[str]) -> None:
    if remove_posts:
        # Messages to other members ("A moderator hid your post in “…”") quote the titles.
        scrub_text(Notification, ["message"], quoted_titles(member), f"“{REMOVED_TITLE}”")
        _posts_erase(member)
    PostRevision.objects.filter(editor=member).update(editor_name=FORMER_MEMBER_NAME)
    scrub_names(PostRevision, ["reason"], names)
    Notification.objects.filter(recipient=member).delete()
    ThreadFollow.objects.filter(member=member).delete()
    CategoryWatch.objects.filter(member=member).delete()
    # Reactions stay, so counts stay true: only counts are ever shown.
    # Cached thread pages show the member's name: let them go stale at once.
    page_cache.threads_changed(Post.objects.filter(author=member).values("thread_id"))


def _posts_erase(member) -> None:
    """Every post of the member becomes a "removed by its author" placeholder, with no
    text left anywhere: not in the post, not in its earlier versions."""
    for post in Post.objects.filter(author=member).exclude(status=Visibility.REMOVED):
        content.post_status_set(content.lock_post(post), Visibility.REMOVED)
    posts = Post.objects.filter(author=member)
    PostRevision.objects.filter(post__in=posts).delete()
    posts.update(body="", body_html="", content_warning="", status=Visibility.REMOVED, safe_for_now_at=None,
                 changed_at=timezone.now())
    Thread.objects.filter(author=member).update(title=REMOVED_TITLE, content_warning="")
