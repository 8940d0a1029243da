"""Who may do what. Views, templates and consumers all ask these, so HTTP and
WebSocket can never disagree."""

from .models import Visibility
from .prepared import PreparedQuery

MODERATE_PERMISSION = "moderation.moderate"


def is_moderator(user) -> bool:
    """Staff, superusers, and members holding moderation.moderate (the Moderators group)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return _standing(user)["moderates"]


def has_verified_email(user) -> bool:
    return getattr(user, "is_authenticated", False) and _standing(user)["verified"]


def _standing(user) -> dict:
    """The member's standing, read once per request object in one query: whether they
    moderate, whether their email is verified, their running suspension and their unread
    inbox items. It runs on every page a member opens, so its SQL is compiled once per
    process (STANDING)."""
    if not hasattr(user, "_forum_standing"):
        from django.utils import timezone

        row = STANDING.first(member_id=user.pk) or {}
        running = row.get("suspension_ends_at") is not None and row["suspension_ends_at"] > timezone.now()
        user._forum_standing = {
            "moderates": bool(row.get("moderates")),
            "verified": bool(row.get("verified")),
            "suspension_id": row["suspension_id"] if running else None,
            "unread_notifications": row.get("unread_notifications") or 0,
        }
    return user._forum_standing


def _standing_query(member_id: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Count, Exists, OuterRef, Q

    from moderation.models import Suspension

    from .models import Notification
    from .notifications import visible_filter

    app_label, codename = MODERATE_PERMISSION.split(".")
    moderate = Permission.objects.filter(codename=codename, content_type__app_label=app_label).filter(
        Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))
    )
    # The latest-ending suspension not lifted; whether it is still running is decided in
    # Python, so the SQL holds no timestamp and can be reused.
    suspension = Suspension.objects.filter(member=OuterRef("pk"), lifted_at__isnull=True).order_by("-ends_at")
    return (
        get_user_model()
        .objects.filter(pk=member_id)
        .annotate(
            moderates=Exists(moderate),
            verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            suspension_id=suspension.values("pk")[:1],
            suspension_ends_at=suspension.values("ends_at")[:1],
            unread_notifications=Notification.objects.filter(
                visible_filter(), recipient=OuterRef("pk"), read_at__isnull=True
            )
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")[:1],
        )
        .values(
            "moderates", "verified", "suspension_id", "suspension_ends_at", "unread_notifications"
        )
    )


STANDING = PreparedQuery(_standing_query, member_id=-7_301_904_117)


def unread_notification_count(user) -> int:
    """Unread items in the member's inbox (the header shows the count)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _standing(user)["unread_notifications"]


def can_post(user) -> bool:
    """A member may write once signed in with a verified email address, unless a
    moderator has suspended them for a while."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.is_former
        and has_verified_email(user)
        and not is_suspended(user)  # suspended members read but do not post or react
    )


def is_suspended(user) -> bool:
    return getattr(user, "is_authenticated", False) and _standing(user)["suspension_id"] is not None


def current_suspension(user):
    """The member's active suspension (until when and why), or None."""
    if not is_suspended(user):
        return None
    if getattr(user, "_forum_suspension", None) is None:
        from moderation.models import Suspension

        user._forum_suspension = Suspension.objects.filter(pk=_standing(user)["suspension_id"]).first()
    return user._forum_suspension


def suspension_message(suspension) -> str:
    reason = suspension.reason.rstrip(".")
    return (
        f"A moderator has paused your posting until {suspension.ends_at:%-d %B %Y, %H:%M} UTC, because: {reason}. "
        "You can still read everything. Your text is kept here."
    )


def needs_email_verification(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and not has_verified_email(user)


def can_read_thread(user, thread) -> bool:
    if thread.status == Visibility.PUBLISHED:
        return True
    if is_moderator(user):
        return True
    return (
        thread.status == Visibility.PENDING
        and getattr(user, "is_authenticated", False)
        and thread.author_id == user.pk
    )


def can_reply(user, thread) -> bool:
    if not can_read_thread(user, thread) or not can_post(user):
        return False
    return not thread.locked or is_moderator(user)


def can_see_post(user, post) -> bool:
    """Whether the post appears at all (as its text or as a placeholder)."""
    if post.status != Visibility.PENDING:
        return True
    return is_moderator(user) or (getattr(user, "is_authenticated", False) and post.author_id == user.pk)


def can_read_post_body(user, post) -> bool:
    """Whether the post's text is shown, rather than a placeholder."""
    if post.status in (Visibility.PUBLISHED, Visibility.PENDING):
        return can_see_post(user, post)
    return is_moderator(user)


def can_edit_post(user, post) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and post.author_id == user.pk
        and post.status in (Visibility.PUBLISHED, Visibility.PENDING)
        and can_post(user)
    )


def can_delete_post(user, post) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and post.author_id == user.pk
        and post.status != Visibility.REMOVED
    )


def can_follow(user, thread=None) -> bool:
    """Follow a thread or watch a category: any signed-in member who can read it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_former:
        return False
    return thread is None or can_read_thread(user, thread)


def can_react(user, post) -> bool:
    """Supportive reactions: members who may post (so not while suspended), on a
    published post in a thread they can read, and not on their own posts."""
    return (
        can_post(user)
        and post.status == Visibility.PUBLISHED
        and post.author_id != user.pk
        and can_read_thread(user, post.thread)
    )
