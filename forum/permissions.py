"""Who may do what. Views, templates and consumers all ask these, so HTTP and
WebSocket can never disagree."""

from .models import Visibility

MODERATE_PERMISSION = "moderation.moderate"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_forum_is_moderator", None)
    if cached is None:
        cached = user.is_superuser or user.is_staff or user.has_perm(MODERATE_PERMISSION)
        user._forum_is_moderator = cached
    return cached


def has_verified_email(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_forum_verified_email", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._forum_verified_email = cached
    return cached


def can_post(user) -> bool:
    """A member may write once signed in with a verified email address."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.is_former
        and has_verified_email(user)
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
