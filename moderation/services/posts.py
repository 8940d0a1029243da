"""Moderators' actions on posts: approve, reject, hide, unhide, edit with a reason.

Each is idempotent (a second call finds the work done and writes nothing), locks through
forum.content (thread, then post), writes one log row and tells the author why.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum import content, content_warnings, notifications
from forum.models import Post, Visibility
from forum.validators import clean_body, clean_content_warning

from .. import held
from ..models import Report, ReviewItem
from .log import log_write, notice_send, reason_checked, reason_required
from .queue import post_items_resolve, reports_settle


@transaction.atomic
def post_approve(*, actor: User, post: Post, reason: str = "") -> Post:
    reason = reason_checked(reason)
    post = content.lock_post(post)
    if post.status != Visibility.PENDING:
        post_items_resolve(post, actor=actor, resolution="approved", kinds=[ReviewItem.Kind.HELD])
        return post
    content.post_status_set(post, Visibility.PUBLISHED)
    post_items_resolve(post, actor=actor, resolution="approved")
    log_write(actor=actor, action="approve", target=post, target_user=post.author, reason=reason)
    notice_send(
        recipient=post.author, action="approve", reason=reason, post=post, thread=post.thread,
        message=lambda: _("Your post in “%(title)s” was approved and is now published.") % {"title": post.thread.title},
    )
    notifications.post_published(post)  # replies, mentions and watchers hear of it now
    return post


@transaction.atomic
def post_reject(*, actor: User, post: Post, reason: str) -> Post:
    reason = reason_required(reason, _("turn a post down"))
    post = content.lock_post(post)
    if post.status != Visibility.PENDING:
        return post
    content.post_status_set(post, Visibility.HIDDEN)
    post_items_resolve(post, actor=actor, resolution="rejected")
    log_write(actor=actor, action="reject", target=post, target_user=post.author, reason=reason)
    notice_send(
        recipient=post.author, action="reject", reason=reason, post=post, thread=post.thread,
        message=lambda: _("A moderator did not publish your post in “%(title)s”. Its text is kept here for you, so "
                          "nothing you wrote is lost.") % {"title": post.thread.title},
    )
    return post


@transaction.atomic
def post_hide(*, actor: User | None, post: Post, reason: str, automatic: bool = False) -> Post:
    """Hide a published post. A moderator's hide is their verdict on the post: its open
    items close as "hidden" and its waiting reports are upheld. Reports hiding it
    automatically leave its item open for a moderator."""
    reason = reason_required(reason, _("hide a post"))
    post = content.lock_post(post)
    if post.status != Visibility.PUBLISHED:
        return post
    content.post_status_set(post, Visibility.HIDDEN)
    if not automatic:
        reports_settle(post, outcome=Report.Outcome.UPHELD)
        post_items_resolve(post, actor=actor, resolution="hidden")
    log_write(actor=actor, action="hide", target=post, target_user=post.author, reason=reason)
    notice_send(
        recipient=post.author, action="hide", reason=reason, post=post, thread=post.thread,
        message=lambda: (
            _("Your post in “%(title)s” is hidden while a moderator looks at it.")
            if automatic
            else _("A moderator hid your post in “%(title)s”. You can still read it; others see a note.")
        ) % {"title": post.thread.title},
    )
    return post


@transaction.atomic
def post_unhide(*, actor: User, post: Post, reason: str = "") -> Post:
    reason = reason_checked(reason)
    post = content.lock_post(post)
    if post.status != Visibility.HIDDEN:
        return post
    content.post_status_set(post, Visibility.PUBLISHED)
    if ReviewItem.objects.filter(post=post, auto_hidden=True, status=ReviewItem.Status.OPEN).exists():
        # Showing again a post the reports hid is disagreeing with them.
        reports_settle(post, outcome=Report.Outcome.REJECTED)
        post_items_resolve(post, actor=actor, resolution="restored")
    ReviewItem.objects.filter(post=post, auto_hidden=True).update(auto_hidden=False)
    log_write(actor=actor, action="unhide", target=post, target_user=post.author, reason=reason)
    notice_send(
        recipient=post.author, action="unhide", reason=reason, post=post, thread=post.thread,
        message=lambda: _("Your post in “%(title)s” is visible again.") % {"title": post.thread.title},
    )
    return post


@transaction.atomic
def post_revise(*, actor: User, post: Post, body: str, reason: str) -> Post:
    """A moderator edits a post (say, to take out method details). The earlier version
    is kept as a PostRevision, and the author is told why."""
    reason = reason_required(reason, _("edit a post"))
    try:
        body = clean_body(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error
    post = content.lock_post(post)
    if body == post.body:
        return post
    content.post_body_replace(post=post, body=body, editor=actor, reason=reason)
    log_write(actor=actor, action="edit", target=post, target_user=post.author, reason=reason)
    notice_send(
        recipient=post.author, action="edit", reason=reason, post=post, thread=post.thread,
        message=lambda: _("A moderator edited your post in “%(title)s”.") % {"title": post.thread.title},
    )
    return post


@transaction.atomic
def post_warning_set(*, actor: User, post: Post, content_warning: str, reason: str = "") -> Post:
    """A moderator adds, changes or removes a post's content warning (an opening post's
    is its thread's too). Logged, and the author is told."""
    reason = reason_checked(reason)
    try:
        content_warning = clean_content_warning(content_warning)
    except ValidationError as error:
        raise ValidationError({"content_warning": error.messages}) from error
    post = content.lock_post(post)
    old = post.content_warning
    if not content.post_warning_set(post, content_warning):
        return post
    log_write(actor=actor, action="content_warning", target=post, target_user=post.author,
              reason=reason or f"Content warning “{old or 'none'}” → “{content_warning or 'none'}”.")

    def message() -> str:
        if content_warning:
            return _("A moderator put a content warning on your post in “%(title)s”: “%(warning)s”. Readers now "
                     "choose when to open it. You can change it yourself from Edit.") % {
                "title": post.thread.title, "warning": content_warnings.display(content_warning)}
        return _("A moderator took the content warning off your post in “%(title)s”. You can change it yourself "
                 "from Edit.") % {"title": post.thread.title}

    notice_send(recipient=post.author, action="content_warning", reason=reason, post=post, thread=post.thread,
                message=message)
    return post


def post_held_notice(*, post: Post, reasons: list[str]) -> None:
    """Tell the author why their post waits for a moderator (each rule's explanation)
    and how long review usually takes. Not a moderation action: no log row."""
    if not reasons:
        return
    lines = []
    for reason, explanation in held.explanations(reasons):
        lines.append(f"{reason}: {explanation}" if explanation else reason)

    def message() -> str:
        return _("Your post in “%(title)s” is waiting for a moderator before others can see it. %(when)s "
                 "You can still read and edit it; you'll hear here when it is published.") % {
            "title": post.thread.title, "when": held.review_time_sentence()}

    notice_send(recipient=post.author, action="held", post=post, thread=post.thread, message=message,
                reason="\n".join(lines))
