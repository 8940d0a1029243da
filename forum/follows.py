"""Following threads and categories, and where each member has read up to.

One ThreadFollow row per member and thread holds both the follow level (watching,
tracking, muted, or blank while the member has not chosen) and the newest post they have
read there. A member's own thread starts as watched; replying makes it tracked unless
they already chose. Reading a thread page moves the read position forward: it is the one
write a GET may do, and it is a single upsert.

Read position is a high-water mark over post ids: the newest post shown on the page the
member opened. Posts that are newer than it, published, and not their own are unread.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User

from . import permissions, realtime
from .models import Category, CategoryWatch, FollowLevel, Notification, Post, Thread, ThreadFollow, Visibility
from .prepared import PreparedQuery

NOTIFIED_LEVELS = (FollowLevel.WATCHING, FollowLevel.TRACKING)


# --- Services -----------------------------------------------------------------------------


def thread_follow_set(*, member: User, thread: Thread, level: str) -> ThreadFollow:
    """The member's own choice of level for the thread. Muting also quiets what the
    thread already put in their inbox: "muted" means nothing at all from it."""
    if level not in FollowLevel.values:
        raise ValidationError({"level": ["Choose watching, tracking or muted."]})
    if not permissions.can_follow(member, thread):
        raise PermissionDenied("You can follow threads once you are signed in.")
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
    ThreadFollow.objects.bulk_create(
        [ThreadFollow(member=member, thread=thread, last_read_post_id=post_id)],
        update_conflicts=True,
        unique_fields=["member", "thread"],
        update_fields=["last_read_post_id", "updated_at"],
    )


def category_watch_set(*, member: User, category: Category, watching: bool) -> bool:
    if not permissions.can_follow(member, None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("You can watch categories once you are signed in.")
    if watching:
        CategoryWatch.objects.get_or_create(member=member, category=category)
    else:
        CategoryWatch.objects.filter(member=member, category=category).delete()
    return watching


# --- Selectors ----------------------------------------------------------------------------


def with_reader_state(threads, user):
    """Annotate threads with the reader's follow level (`my_level`, "" if none), read
    position (`my_last_read`), how many published posts by others are newer
    (`my_unread`) and the first of them (`my_first_unread`). Subqueries of the same
    query: no extra query, whatever the rows. Anonymous readers get empty values."""
    if not getattr(user, "is_authenticated", False):
        return threads.annotate(
            my_level=Value("", output_field=ThreadFollow._meta.get_field("level")),
            my_last_read=Value(None, output_field=IntegerField()),
            my_unread=Value(0, output_field=IntegerField()),
            my_first_unread=Value(None, output_field=IntegerField()),
        )
    mine = ThreadFollow.objects.filter(member=user, thread=OuterRef("pk"))
    newer = (
        Post.objects.filter(thread=OuterRef("pk"), status=Visibility.PUBLISHED)
        .filter(pk__gt=Coalesce(OuterRef("my_last_read"), Value(0)))
        .exclude(author=user)
    )
    return threads.annotate(
        my_level=Coalesce(Subquery(mine.values("level")[:1]), Value("")),
        my_last_read=Subquery(mine.values("last_read_post_id")[:1]),
    ).annotate(
        my_unread=Coalesce(
            Subquery(newer.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
        ),
        my_first_unread=Subquery(newer.order_by("pk").values("pk")[:1]),
    )


READER_STATE_FIELDS = ("my_level", "my_last_read", "my_unread", "my_first_unread")


def _reader_state_query(thread_id: int, member_id: int):
    stand_in_member = User(pk=member_id)
    threads = with_reader_state(Thread.objects.filter(pk=thread_id), stand_in_member)
    return threads.values(*READER_STATE_FIELDS)


# Every thread page a member opens asks this: compile its SQL once per process.
READER_STATE = PreparedQuery(_reader_state_query, thread_id=-5_118_220_963, member_id=-6_402_771_385)


def reader_state_attach(thread: Thread, user) -> Thread:
    """Give one thread the attributes with_reader_state annotates, for this reader."""
    state = {"my_level": "", "my_last_read": None, "my_unread": 0, "my_first_unread": None}
    if getattr(user, "is_authenticated", False):
        state.update(READER_STATE.first(thread_id=thread.pk, member_id=user.pk) or {})
    for name, value in state.items():
        setattr(thread, name, value)
    return thread


def has_unread(thread) -> bool:
    """Whether the reader has read this thread before and something is new since."""
    return getattr(thread, "my_last_read", None) is not None and bool(getattr(thread, "my_first_unread", None))


def thread_page_extras(user, thread) -> dict:
    """What a thread page shows of the reader's own relation to it: the follow control
    and a link to the first new reply (both loaded with the thread)."""
    return {
        "can_follow": permissions.can_follow(user, thread),
        "follow_level": thread.my_level,
        "follow_levels": FollowLevel.choices,
        "first_unread_id": thread.my_first_unread if has_unread(thread) else None,
    }


def category_watched(user, category: Category) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CategoryWatch.objects.filter(member=user, category=category).exists()

