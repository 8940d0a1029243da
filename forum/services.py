"""Every write to threads and posts goes through these functions.

Views, management commands and tests call them; none of them writes a Thread or a
Post by hand. Each raises ValidationError (with the field at fault) for bad input and
PermissionDenied when the actor may not act, and changes nothing in either case.

What moderation and safety decide about a post (refuse, hold, flag, crisis level) comes
through the one seam in forum.screening; changes of status and text go through
forum.content, which keeps the lock order and the counters.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User, running_suspension

from . import blocks, content, follows, notifications, page_cache, permissions, realtime
from .markup import render
from .models import Category, FollowLevel, Post, Thread, Visibility
from .screening import screener
from .validators import clean_body, clean_content_warning, clean_title


def thread_create(*, author: User, category: Category, title: str, body: str, content_warning: str = "") -> Thread:
    """Start a thread: the thread and its opening post, in one transaction."""
    _require_can_post(author)
    errors = {}
    title = _collect(errors, "title", clean_title, title)
    body = _collect(errors, "body", clean_body, body)
    content_warning = _collect(errors, "content_warning", clean_content_warning, content_warning)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    body_html = render(body)
    with transaction.atomic():
        # Rate limits and watched words refuse (ValidationError) or hold the post.
        screening = screener().screen(
            author=author, title=title, body=body, body_html=body_html, starts_thread=True, editing=None
        )
        status = screening.status
        thread = Thread.objects.create(
            category=category,
            title=title,
            author=author,
            last_activity_at=now,
            status=status,
            content_warning=content_warning,
        )
        opening = Post.objects.create(
            thread=thread,
            author=author,
            is_opening=True,
            depth=0,
            body=body,
            body_html=body_html,
            content_warning=content_warning,
            status=status,
            crisis_level=screening.crisis_level,
        )
        if status == Visibility.PUBLISHED:
            content.published_count_change(opening, +1)
        screener().screened(post=opening, screening=screening, editing=False)
        follows.thread_follow_default(member=author, thread=thread, level=FollowLevel.WATCHING)
        if opening.status == Visibility.PUBLISHED:
            notifications.post_published(opening)
    return thread


def post_create(
    *, author: User, thread: Thread, body: str, parent: Post | None = None, content_warning: str = ""
) -> Post:
    """Reply to a thread (parent=None, or its opening post) or to any reply in it."""
    _require_can_post(author)
    errors = {}
    body = _collect(errors, "body", clean_body, body)
    content_warning = _collect(errors, "content_warning", clean_content_warning, content_warning)
    if parent is not None and parent.is_opening:
        parent = None
    if parent is not None and (parent.thread_id != thread.pk or not permissions.can_see_post(author, parent)):
        errors["parent"] = ["The post you are replying to is not in this thread."]
    elif parent is not None and blocks.has_blocked(parent.author_id, author.pk):
        errors["parent"] = [
            "You can't reply directly to this member's posts. You can still reply to the thread itself."
        ]
    if errors:
        raise ValidationError(errors)

    body_html = render(body)
    with transaction.atomic():
        thread = content.lock_thread(thread)
        if not permissions.can_read_thread(author, thread):
            raise PermissionDenied("You cannot reply to this thread.")
        if thread.locked and not permissions.is_moderator(author):
            raise ValidationError({"body": ["This thread is locked, so it takes no new replies."]}, code="locked")
        screening = screener().screen(
            author=author, title="", body=body, body_html=body_html, starts_thread=False, editing=None
        )
        status = screening.status
        post = Post.objects.create(
            thread=thread,
            author=author,
            parent=parent,
            root_id=parent.root_id if parent else None,
            depth=parent.depth + 1 if parent else 1,
            body=body,
            body_html=body_html,
            content_warning=content_warning,
            status=status,
            crisis_level=screening.crisis_level,
        )
        if parent is None:
            post.root = post
            post.save(update_fields=["root"])
        if status == Visibility.PUBLISHED:
            content.published_count_change(post, +1)
        page_cache.thread_changed(thread)  # a pending post too: its author sees it
        screener().screened(post=post, screening=screening, editing=False)
        follows.thread_follow_default(member=author, thread=thread, level=FollowLevel.TRACKING)
        if post.status == Visibility.PUBLISHED:
            notifications.post_published(post)  # moderation's approval calls it for held posts
        realtime.post_created(post)  # after commit, and never for a pending post
    return post


def post_edit(*, editor: User, post: Post, body: str) -> Post:
    """The author edits their own post; the earlier version is kept for moderators."""
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied("You can only edit your own posts.")
    body = _collect_or_raise("body", clean_body, body)
    with transaction.atomic():
        post = content.lock_post(post)
        if body == post.body:
            return post
        title = post.thread.title if post.is_opening else ""
        screening = screener().screen(
            author=editor, title=title, body=body, body_html=render(body), starts_thread=False, editing=post
        )
        content.post_body_replace(post=post, body=body, editor=editor)
        if post.crisis_level != screening.crisis_level:
            post.crisis_level = screening.crisis_level
            post.save(update_fields=["crisis_level"])
        screener().screened(post=post, screening=screening, editing=True)
    return post


def post_delete(*, actor: User, post: Post) -> Post:
    """The author removes their post. It stays in the tree as "removed by its author"
    so the replies under it keep their place; its text is kept for moderators."""
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied("You can only delete your own posts.")
    with transaction.atomic():
        post = content.lock_post(post)
        if post.status in (Visibility.REMOVED, Visibility.HIDDEN):
            return post  # removed already, or hidden by a moderator: their decision stands
        content.post_status_set(post, Visibility.REMOVED)
    return post


def _require_can_post(user: User) -> None:
    suspension = running_suspension(user)  # read afresh: a suspension may be seconds old
    if suspension is not None:
        raise PermissionDenied(permissions.suspension_message(suspension))
    if not permissions.can_post(user):
        raise PermissionDenied("Confirm your email address before posting.")


def _collect(errors: dict, field: str, cleaner, value):
    try:
        return cleaner(value)
    except ValidationError as error:
        errors[field] = error.messages
        return value


def _collect_or_raise(field: str, cleaner, value):
    try:
        return cleaner(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
