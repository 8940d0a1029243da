"""Moderators' actions on threads: lock, unlock, pin, unpin, move."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from forum import content
from forum.models import Category, Thread
from forum.validators import clean_title

from .log import log_write, notice_send, reason_checked


def _thread_change(*, actor: User, thread: Thread, action: str, message: str, reason: str, **changes) -> Thread:
    reason = reason_checked(reason)
    with transaction.atomic():
        thread = content.lock_thread(thread)
        if not content.thread_fields_set(thread, **changes):
            return thread
        log_write(actor=actor, action=action, target=thread, target_user=thread.author, reason=reason)
        notice_send(recipient=thread.author, action=action, message=lambda: str(message) % {"title": thread.title},
                    reason=reason, thread=thread)
    return thread


def thread_lock(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_change(actor=actor, thread=thread, action="lock", reason=reason, locked=True,
                          message=gettext_lazy(
                              "A moderator locked your thread “%(title)s”: it takes no new replies for now."))


def thread_unlock(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_change(actor=actor, thread=thread, action="unlock", reason=reason, locked=False,
                          message=gettext_lazy("Your thread “%(title)s” is open for replies again."))


def thread_pin(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_change(actor=actor, thread=thread, action="pin", reason=reason, pinned=True,
                          message=gettext_lazy(
                              "A moderator pinned your thread “%(title)s” to the top of its category."))


def thread_unpin(*, actor: User, thread: Thread, reason: str = "") -> Thread:
    return _thread_change(actor=actor, thread=thread, action="unpin", reason=reason, pinned=False,
                          message=gettext_lazy("Your thread “%(title)s” is no longer pinned."))


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, category: Category, reason: str = "") -> Thread:
    reason = reason_checked(reason)
    thread = content.lock_thread(thread)
    old_category = thread.category
    if not content.thread_fields_set(thread, category=category):
        return thread
    log_write(actor=actor, action="move", target=thread, target_user=thread.author,
              reason=reason or f"Moved from {old_category.name} to {category.name}.")
    # The form's note is for moderators only ("Only moderators see this"): never the member's.
    notice_send(recipient=thread.author, action="move", thread=thread,
                message=lambda: _("A moderator moved your thread “%(title)s” from %(old)s to %(new)s.") % {
                    "title": thread.title, "old": old_category.display_name, "new": category.display_name})
    return thread


@transaction.atomic
def thread_retitle(*, actor: User, thread: Thread, title: str, reason: str = "") -> Thread:
    """A moderator renames a thread (say, a title that itself holds method details).
    Logged with the old title, and the author is told."""
    reason = reason_checked(reason)
    try:
        title = clean_title(title)
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from error
    thread = content.lock_thread(thread)
    old = thread.title
    if not content.thread_fields_set(thread, title=title):
        return thread
    log_write(actor=actor, action="retitle", target=thread, target_user=thread.author,
              reason=reason or f"Renamed from “{old}”.")
    notice_send(recipient=thread.author, action="retitle", thread=thread, reason=reason,
                message=lambda: _("A moderator renamed your thread “%(old)s” to “%(new)s”. You can change it yourself "
                                  "from Edit.") % {"old": old, "new": title})
    return thread
