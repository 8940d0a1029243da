"""Changing a post's status or text, or a thread's own fields: the one place every writer
uses (authors' edits and deletes, reactions, moderators' actions, the admin, account
deletion), so the same rules hold whoever writes:

- One lock order, everywhere: the thread row, then the post row (`lock_post`). Two
  writers on one post (a member's reaction, a moderator's hide) queue on the thread
  instead of each holding the lock the other waits for.
- Counters count published posts only: a thread's reply_count and a member's
  post_count change with F() when a post enters or leaves "published"; an opening post
  carries its thread's status with it.
- Every change bumps the thread's version (its cached pages go stale in every process)
  and tells the thread's readers after the commit (forum.realtime).

Callers check permission and input first; these functions only change rows, inside the
caller's transaction.
"""

from django.db.models import F
from django.utils import timezone

from accounts.models import User

from . import page_cache, realtime
from .markup import render
from .models import Post, PostRevision, Thread, Visibility
from .prepared import PreparedQuery


def lock_thread(thread: Thread | int) -> Thread:
    thread_id = thread if isinstance(thread, int) else thread.pk
    locked = _LOCKED_THREAD.instance(thread_id=thread_id)
    if locked is None:
        raise Thread.DoesNotExist(f"No thread {thread_id}.")
    return locked


# Every reply locks its thread: the SQL is compiled once per process (inside a
# transaction, as select_for_update requires).
_LOCKED_THREAD = PreparedQuery(
    lambda thread_id: Thread.objects.select_for_update(of=("self",)).select_related("category", "author").filter(
        pk=thread_id
    ),
    thread_id=-6_118_045_291,
)


def lock_post(post: Post | int) -> Post:
    """Lock the post's thread, then the post; return the post as committed, with its
    thread and author loaded."""
    if isinstance(post, Post):
        post_id, thread_id = post.pk, post.thread_id
    else:
        post_id, thread_id = post, Post.objects.values_list("thread_id", flat=True).get(pk=post)
    Thread.objects.select_for_update().filter(pk=thread_id).first()
    return Post.objects.select_for_update(of=("self",)).select_related("thread", "author").get(pk=post_id)


def post_status_set(post: Post, status: str) -> bool:
    """Move a post locked with lock_post to `status`. Returns whether anything changed."""
    old = post.status
    if old == status:
        return False
    post.status = status
    post.changed_at = timezone.now()
    post.save(update_fields=["status", "changed_at"])
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=status)
        post.thread.status = status
    was_published, now_published = old == Visibility.PUBLISHED, status == Visibility.PUBLISHED
    if was_published != now_published:
        published_count_change(post, +1 if now_published else -1)
    page_cache.thread_changed(post.thread_id)
    _tell_readers(post, old)
    return True


def published_count_change(post: Post, delta: int) -> None:
    """A post entered (+1) or left (-1) "published": its author's post count, and for a
    reply its thread's reply count (and, entering, the thread's last activity)."""
    if not post.is_opening:
        changes = {"reply_count": F("reply_count") + delta}
        if delta > 0:
            changes["last_activity_at"] = timezone.now()
        Thread.objects.filter(pk=post.thread_id).update(**changes)
    if post.author_id:
        # A former member's count was erased with their account and stays at nothing.
        User.objects.filter(pk=post.author_id, is_former=False).update(post_count=F("post_count") + delta)


def _tell_readers(post: Post, old_status: str) -> None:
    if post.is_opening:
        realtime.thread_updated(post.thread)  # the opening post carries the whole thread
    elif post.status == Visibility.PUBLISHED:
        (realtime.post_created if old_status == Visibility.PENDING else realtime.post_updated)(post)
    elif old_status == Visibility.PUBLISHED:
        realtime.post_removed(post)  # readers get the placeholder (or, held again, nothing)


def post_body_replace(*, post: Post, body: str, editor: User, reason: str = "") -> Post:
    """Give a locked post a new body, keeping the earlier version for moderators and for
    the author's data export."""
    PostRevision.objects.create(
        post=post,
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited_at or post.created_at,
        editor=editor,
        editor_name=editor.username,
        reason=reason,
    )
    post.body = body
    post.body_html = render(body)
    post.edited_at = post.changed_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at", "changed_at"])
    page_cache.thread_changed(post.thread_id)
    realtime.post_updated(post)
    return post


def post_warning_set(post: Post, warning: str) -> bool:
    """Give a post locked with lock_post a content warning (or none). An opening post's
    warning is its thread's too. Returns whether anything changed."""
    thread_changes = post.is_opening and post.thread.content_warning != warning
    if post.content_warning == warning and not thread_changes:
        return False
    post.content_warning = warning
    post.changed_at = timezone.now()
    post.save(update_fields=["content_warning", "changed_at"])
    if thread_changes:
        thread_fields_set(post.thread, content_warning=warning)
    page_cache.thread_changed(post.thread_id)
    realtime.post_updated(post)
    return True


def post_safe_set(post: Post, when) -> None:
    """Mark a locked post "safe for now" (a time) or take it back (None)."""
    post.safe_for_now_at = when
    post.changed_at = timezone.now()
    post.save(update_fields=["safe_for_now_at", "changed_at"])
    page_cache.thread_changed(post.thread_id)
    realtime.post_updated(post)


def thread_fields_set(thread: Thread, **changes) -> bool:
    """Change a locked thread's own fields (locked, pinned, category, title, content
    warning). Returns whether anything changed."""
    changed = [name for name, value in changes.items() if getattr(thread, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(thread, name, changes[name])
    thread.save(update_fields=changed)
    page_cache.thread_changed(thread)
    realtime.thread_updated(thread)
    return True
