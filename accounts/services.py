"""Writes to a member's own account: guideline acceptance, reading settings, and
deleting the account."""

from django.db import transaction
from django.utils import timezone

from . import data_rights, scrub
from .models import User


def guidelines_accept(*, member: User) -> User:
    """Record when the member accepted the community guidelines (at signup)."""
    member.guidelines_accepted_at = timezone.now()
    member.save(update_fields=["guidelines_accepted_at"])
    return member


def member_settings_update(
    *,
    member: User,
    region: str | None = None,
    always_expand_warnings: bool | None = None,
    hidden_warnings: list[str] | None = None,
    notification_email: str | None = None,
    email_post_text: bool | None = None,
    language: str | None = None,
    comfort_mode: bool | None = None,
) -> User:
    """Change the given settings and leave the others as they are."""
    given = {
        "region": region,
        "always_expand_warnings": always_expand_warnings,
        "hidden_warnings": sorted(set(hidden_warnings)) if hidden_warnings is not None else None,
        "notification_email": notification_email,
        "email_post_text": email_post_text,
        "language": language,
        "comfort_mode": comfort_mode,
    }
    changed = [name for name, value in given.items() if value is not None]
    for name in changed:
        setattr(member, name, given[name])
    if changed:
        member.save(update_fields=changed)
    return member


# --- Deleting an account ---------------------------------------------------------------


def member_delete(*, member: User, remove_posts: bool) -> User:
    """Erase the member's personal data in every app (accounts/data_rights.py); with
    remove_posts, their posts' text too. Calling it again for a former member changes
    nothing."""
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.is_former:
            return member
        data_rights.erase_all(member, remove_posts=remove_posts, names=scrub.identifying_strings(member))
    return member
