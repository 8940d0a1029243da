"""Following threads and categories, and where each member has read up to: the writes.
The reads (each reader's follow level and unread count beside a thread) are in
forum/selectors.py.

One ThreadFollow row per member and thread holds both the follow level (watching,
tracking, muted, or blank while the member has not chosen) and the newest post they have
read there. A member's own thread starts as watched; replying makes it tracked unless
they already chose. Reading a thread page moves the read position forward: it is the one
write a GET may do, and it is a single upsert that never moves the position back.

Read position is a high-water mark over post ids: the newest post shown on the page the
member opened. Posts that are newer than it, published, and not their own are unread.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

from . import permissions, realtime
from .models import Category, CategoryWatch, FollowLevel, Notification, Thread, ThreadFollow

NOTIFIED_LEVELS = (FollowLevel.WATCHING, FollowLevel.TRACKING)

# One upsert that only ever raises the read position: two page loads of one member may finish
# out of order, and the one that read less must not undo the other. Django's bulk_create
# cannot put a condition on the update; SQLite and PostgreSQL share this syntax.
_MOVE_FORWARD = """
    INSERT INTO "forum_threadfollow" ("member_id", "thread_id", "level", "last_read_post_id", "updated_at")
    VALUES (%s, %s, '', %s, %s)
    ON CONFLICT ("member_id", "thread_id") DO UPDATE
    SET "last_read_post_id" = excluded."last_read_post_id", "updated_at" = excluded."updated_at"
    WHERE "forum_threadfollow"."last_read_post_id" IS NULL
       OR "forum_threadfollow"."last_read_post_id" < excluded."last_read_post_id"
"""


# --- Services -----------------------------------------------------------------------------


def thread_follow_set(*, member: User, thread: Thread, level: str) -> ThreadFollow:
    """The member's own choice of level for the thread. Muting also quiets what the
    thread already put in their inbox: "muted" means nothing at all from it."""
    if level not in FollowLevel.values:
        raise ValidationError({"level": [gettext("Choose watching, tracking or muted.")]})
    if not permissions.can_follow(member, thread):
        raise PermissionDenied(gettext("You can follow threads once you are signed in."))
    follow, created = ThreadFollow.objects.get_or_create(member=member, thread=thread, defaults={"level": level})
    if not created and follow.level != level:
        follow.level = level
        follow.save(update_fields=["level", "updated_at"])
    if level == FollowLevel.MUTED:
        quieted = Notification.objects.filter(recipient=member, thread=thread, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if quieted:
            realtime.inbox_changed([member.pk])
    return follow


def thread_follow_default(*, member: User, thread: Thread, level: str) -> None:
    """Start following at `level` unless the member already has a level for the thread
    (called when they start it: watching, and when they reply: tracking)."""
    ThreadFollow.objects.bulk_create([ThreadFollow(member=member, thread=thread, level=level)], ignore_conflicts=True)
    ThreadFollow.objects.filter(member=member, thread=thread, level="").update(level=level, updated_at=timezone.now())


def read_position_record(*, member: User, thread: Thread, post_id: int | None, known: int | None = None) -> None:
    """Move the member's read position in the thread forward to `post_id`, in one upsert.
    `known` is the position already read with the thread (None: not read yet); nothing is
    written when the position would not move."""
    if post_id is None or not getattr(member, "is_authenticated", False):
        return
    if known is not None and known >= post_id:
        return
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_MOVE_FORWARD, [member.pk, thread.pk, post_id, now])


def category_watch_set(*, member: User, category: Category, watching: bool) -> bool:
    if not permissions.can_follow(member, None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(gettext("You can watch categories once you are signed in."))
    if watching:
        CategoryWatch.objects.get_or_create(member=member, category=category)
    else:
        CategoryWatch.objects.filter(member=member, category=category).delete()
    return watching
