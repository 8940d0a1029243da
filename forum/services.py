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
from django.utils.translation import gettext

from accounts.models import RUNNING_FIRST, Suspension, User, running_suspension, unlifted_runs

from . import blocks, content, content_warnings, follows, notifications, page_cache, permissions, ratelimits, realtime
from .markup import render
from .models import Category, FollowLevel, Post, Thread, Visibility
from .prepared import PreparedQuery
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
        # A post that suggests its author may be at risk is folded for readers (they can change it).
        content_warning = content_warnings.for_crisis(screening.crisis_level, content_warning)
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
        errors["parent"] = [gettext("The post you are replying to is not in this thread.")]
    elif parent is not None and blocks.has_blocked(parent.author_id, author.pk):
        errors["parent"] = [
            gettext("You can't reply directly to this member's posts. You can still reply to the thread itself.")
        ]
    if errors:
        raise ValidationError(errors)

    body_html = render(body)
    with transaction.atomic():
        thread = content.lock_thread(thread)
        if not permissions.can_read_thread(author, thread):
            raise PermissionDenied(gettext("You cannot reply to this thread."))
        if thread.locked and not permissions.is_moderator(author):
            raise ValidationError(
                {"body": [gettext("This thread is locked, so it takes no new replies.")]}, code="locked"
            )
        screening = screener().screen(
            author=author, title="", body=body, body_html=body_html, starts_thread=False, editing=None,
            replying_to=parent or _opening_post(thread),
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
            content_warning=content_warnings.for_crisis(screening.crisis_level, content_warning),
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
        raise PermissionDenied(gettext("You can only edit your own posts."))
    body = _collect_or_raise("body", clean_body, body)
    if not ratelimits.consume(action="edit", member_id=editor.pk):
        raise ValidationError(
            {"body": [gettext("You've edited this often in the last few minutes. Please wait a little before saving "
                              "again; your text is kept here.")]},
            code="rate_limited",
        )
    with transaction.atomic():
        post = content.lock_post(post)
        if body == post.body:
            return post
        title = post.thread.title if post.is_opening else ""
        screening = screener().screen(
            author=editor, title=title, body=body, body_html=render(body), starts_thread=False, editing=post,
            replying_to=_replied_to(post),
        )
        content.post_body_replace(post=post, body=body, editor=editor)
        _crisis_level_set(post, screening.crisis_level)
        screener().screened(post=post, screening=screening, editing=True)
    return post


def post_details_change(
    *, editor: User, post: Post, content_warning: str | None = None, title: str | None = None
) -> Post:
    """The author changes their post's content warning (None: leave it) and, on the
    opening post, the thread's title (None: leave it). A new title is screened as an
    edit of the opening post is. Moderators change these through moderation.services
    (post_warning_set, thread_retitle), which log the change and tell the author."""
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied(gettext("You can only change your own posts."))
    errors = {}
    if content_warning is not None:
        content_warning = _collect(errors, "content_warning", clean_content_warning, content_warning)
    if title is not None:
        if not post.is_opening:
            errors["title"] = [gettext("Only the opening post of a thread carries its title.")]
        else:
            title = _collect(errors, "title", clean_title, title)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        post = content.lock_post(post)
        if title is not None and title != post.thread.title:
            screening = screener().screen(
                author=editor, title=title, body=post.body, body_html=post.body_html, starts_thread=False,
                editing=post,
            )
            content.thread_fields_set(post.thread, title=title)
            _crisis_level_set(post, screening.crisis_level)
            screener().screened(post=post, screening=screening, editing=True)
        if content_warning is not None:
            content.post_warning_set(post, content_warning)
    return post


def post_safe_mark(*, author: User, post: Post, safe: bool = True) -> Post:
    """The author of a crisis-flagged post says they are safe for now (safe=False takes
    it back). Shown on the post; the first time, the members who replied to it or
    reacted to it are told."""
    if not permissions.viewer_for(author).is_author(post) or not content_warnings.is_crisis(post.crisis_level):
        raise PermissionDenied(gettext("Only the author of this post can say this."))
    with transaction.atomic():
        post = content.lock_post(post)
        if safe == (post.safe_for_now_at is not None):
            return post
        content.post_safe_set(post, timezone.now() if safe else None)
        if safe and post.status == Visibility.PUBLISHED:
            notifications.author_safe_for_now(post)  # once per post, however often it is said
    return post


def _crisis_level_set(post: Post, level: str) -> None:
    """A new assessment after an edit. A post newly flagged gets the crisis warning if it
    carries none; once flagged, the warning stays the author's to change."""
    if post.crisis_level == level:
        return
    newly_flagged = content_warnings.is_crisis(level) and not content_warnings.is_crisis(post.crisis_level)
    post.crisis_level = level
    post.save(update_fields=["crisis_level"])
    if newly_flagged and not post.content_warning:
        content.post_warning_set(post, content_warnings.CRISIS_WARNING)


# What the screener reads of the post a reply answers: whose it is, and its crisis level.
_ANSWERED_FIELDS = ("pk", "thread_id", "author_id", "crisis_level")


def _opening_post(thread: Thread) -> Post | None:
    return _OPENING_POST.instance(thread_id=thread.pk)


# Asked by every top-level reply: compiled once per process.
_OPENING_POST = PreparedQuery(
    lambda thread_id: Post.objects.filter(thread_id=thread_id, is_opening=True).only(*_ANSWERED_FIELDS).order_by("pk"),
    thread_id=-5_502_884_716,
)


def _replied_to(post: Post) -> Post | None:
    """The post a reply answers: its parent, or for a top-level reply the opening post."""
    if post.is_opening:
        return None
    if post.parent_id:
        return Post.objects.filter(pk=post.parent_id).only(*_ANSWERED_FIELDS).first()
    return _opening_post(post.thread)


def post_delete(*, actor: User, post: Post) -> Post:
    """The author removes their post. It stays in the tree as "removed by its author"
    so the replies under it keep their place; its text is kept for moderators."""
    if not permissions.can_delete_post(actor, post):
        raise PermissionDenied(gettext("You can only delete your own posts."))
    with transaction.atomic():
        post = content.lock_post(post)
        if post.status in (Visibility.REMOVED, Visibility.HIDDEN):
            return post  # removed already, or hidden by a moderator: their decision stands
        content.post_status_set(post, Visibility.REMOVED)
        screener().removed(post=post)
    return post


def _require_can_post(user: User) -> None:
    # Read afresh: a suspension may be seconds old. The cheap check first; the sanction
    # itself, for its message, only when one runs (None if it ended in between).
    suspension = running_suspension(user) if _suspension_runs(user) else None
    if suspension is not None:
        raise PermissionDenied(permissions.suspension_message(suspension))
    if not permissions.can_post(user):
        raise PermissionDenied(gettext("Confirm your email address before posting."))


# The member's unlifted sanction that ends last (a ban first), asked before every post:
# compiled once per process. Whether it still runs is decided in Python, so the SQL
# holds no time (as forum.permissions.STANDING does).
_LATEST_SANCTION = PreparedQuery(
    lambda member_id: Suspension.objects.filter(member_id=member_id, lifted_at__isnull=True)
    .order_by(*RUNNING_FIRST)
    .values("ends_at"),
    member_id=-2_640_517_093,
)


def _suspension_runs(user: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    row = _LATEST_SANCTION.first(member_id=user.pk)
    return row is not None and unlifted_runs(row["ends_at"])


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
