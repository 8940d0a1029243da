"""Writes to a member's own account: guideline acceptance and reading settings."""

from django.utils import timezone

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
) -> User:
    """Change the given settings and leave the others as they are."""
    changed = []
    if region is not None:
        member.region = region
        changed.append("region")
    if always_expand_warnings is not None:
        member.always_expand_warnings = always_expand_warnings
        changed.append("always_expand_warnings")
    if hidden_warnings is not None:
        member.hidden_warnings = sorted(set(hidden_warnings))
        changed.append("hidden_warnings")
    if changed:
        member.save(update_fields=changed)
    return member
