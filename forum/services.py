"""Every write to threads and posts goes through these functions.

Views, management commands and tests call them; none of them writes a Thread or a
Post by hand. Each raises ValidationError (with the field at fault) for bad input and
PermissionDenied when the actor may not act, and changes nothing in either case.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from moderation import crisis
from moderation import screening as moderation_screening
from moderation import services as moderation_services

from . import follows, notifications, page_cache, permissions, realtime
from .markup import render
from .models import Category, FollowLevel, Post, PostRevision, Thread, Visibility
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
    with transaction.atomic():
        # Rate limits and watched words refuse (ValidationError) or hold the post.
        screening = moderation_screening.post_screen(author=author, title=title, body=body, starts_thread=True)
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
            body_html=render(body),
            content_warning=content_warning,
            status=status,
        )
        if status == Visibility.PUBLISHED:
            User.objects.filter(pk=author.pk).update(post_count=F("post_count") + 1)
        moderation_services.post_screened(post=opening, screening=screening)
        _assess_crisis(opening, f"{title}\n{body}")
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
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_read_thread(author, thread):
            raise PermissionDenied("You cannot reply to this thread.")
        if thread.locked and not permissions.is_moderator(author):
            raise ValidationError({"body": ["This thread is locked, so it takes no new replies."]}, code="locked")
        screening = moderation_screening.post_screen(author=author, body=body)
        status = screening.status
        post = Post.objects.create(
            thread=thread,
            author=author,
            parent=parent,
            root_id=parent.root_id if parent else None,
            depth=parent.depth + 1 if parent else 1,
            body=body,
            body_html=render(body),
            content_warning=content_warning,
            status=status,
        )
        if parent is None:
            post.root = post
            post.save(update_fields=["root"])
        if status == Visibility.PUBLISHED:
            _count_published_reply(thread, author, +1, bump=True)
        page_cache.thread_changed(thread)  # a pending post too: its author sees it
        moderation_services.post_screened(post=post, screening=screening)
        _assess_crisis(post, body)
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
        post = Post.objects.select_for_update().get(pk=post.pk)
        if body == post.body:
            return post
        screening = moderation_screening.post_screen(author=editor, body=body, editing=post)
        post_body_replace(post=post, body=body, editor=editor)
        moderation_services.post_edit_screened(post=post, screening=screening)
        _assess_crisis(post, f"{post.thread.title}\n{body}" if post.is_opening else body)
        realtime.post_updated(post)
    return post


def post_body_replace(*, post: Post, body: str, editor: User, reason: str = "") -> Post:
    """Give a locked post a new body, keeping the earlier version for moderators. Shared
    by the author's edit and a moderator's edit, which check permission and input first."""
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
    return post


def post_delete(*, actor: User, post: Post) -> Post:
    """The author removes their post. It stays in the tree as "removed by its author"
    so the replies under it keep their place; its text is kept for moderators."""
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied("You can only delete your own posts.")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status == Visibility.REMOVED:
            return post
        was_published = post.status == Visibility.PUBLISHED
        post.status = Visibility.REMOVED
        post.changed_at = timezone.now()
        post.save(update_fields=["status", "changed_at"])
        page_cache.thread_changed(post.thread_id)
        if was_published and not post.is_opening:
            _count_published_reply(post.thread, post.author, -1, bump=False)
        elif was_published and post.author_id:
            User.objects.filter(pk=post.author_id).update(post_count=F("post_count") - 1)
        if was_published:
            realtime.post_removed(post)
    return post


def _count_published_reply(thread: Thread, author: User | None, delta: int, *, bump: bool) -> None:
    thread_changes = {"reply_count": F("reply_count") + delta}
    if bump:
        thread_changes["last_activity_at"] = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(**thread_changes)
    if author is not None:
        User.objects.filter(pk=author.pk).update(post_count=F("post_count") + delta)


def _assess_crisis(post: Post, text: str) -> None:
    """Set the post's crisis level; concern and urgent put it at the top of the
    moderators' queue. The post is published as usual either way (SAFETY.md)."""
    assessment = crisis.assess(text)
    if post.crisis_level != assessment.level:
        post.crisis_level = assessment.level
        post.save(update_fields=["crisis_level"])
    moderation_services.crisis_item_open(post=post, assessment=assessment)


def _require_can_post(user: User) -> None:
    suspension = moderation_services.active_suspension(user)
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
