"""What accounts keeps about a member: their row, email addresses, sessions, and the
admin's history of changes to them. See accounts/data_rights.py."""

import uuid
from datetime import UTC, datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

from .data_rights import iso
from .models import FORMER_MEMBER_NAME, Suspension, User
from .scrub import scrub_names

# Stands in for a former member's join date (the column takes no empty value).
ERASED_DATE = datetime(1970, 1, 1, tzinfo=UTC)

MODELS = ["accounts.User", "accounts.Suspension", "account.EmailAddress", "admin.LogEntry", "mfa.Authenticator"]


def export(member: User) -> dict:
    return {
        "profile": {
            "username": member.username,
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "joined_at": iso(member.date_joined),
            "last_login_at": iso(member.last_login),
            "post_count": member.post_count,
            "guidelines_accepted_at": iso(member.guidelines_accepted_at),
        },
        "settings": {
            "region": member.region,
            "always_expand_warnings": member.always_expand_warnings,
            "hidden_warnings": list(member.hidden_warnings or []),
            "notification_email": member.notification_email,
            "email_post_text": member.email_post_text,
            "language": member.language,
            "comfort_mode": member.comfort_mode,
            "show_activity": member.show_activity,
            "notify_reactions": member.notify_reactions,
        },
        "suspensions": [
            {"kind": suspension.kind, "reason": suspension.reason, "started_at": iso(suspension.starts_at),
             "ends_at": iso(suspension.ends_at), "lifted_at": iso(suspension.lifted_at)}
            for suspension in Suspension.objects.filter(member=member).order_by("starts_at", "pk")
        ],
        # Which second factors are on, never their secrets or codes.
        "two_factor_sign_in": [
            {"kind": authenticator.get_type_display(), "added_at": iso(authenticator.created_at),
             "last_used_at": iso(authenticator.last_used_at)}
            for authenticator in Authenticator.objects.filter(user=member).order_by("created_at", "pk")
        ],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("-primary", "email")
        ],
    }


def erase(member: User, *, remove_posts: bool, names: list[str]) -> None:
    """The row stays (posts keep their place as "former member"); everything on it that
    could identify the member goes, with their email addresses and sessions."""
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    _sessions_delete(member)
    AdminLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(member.pk)
    ).update(object_repr=FORMER_MEMBER_NAME)
    scrub_names(AdminLogEntry, ["object_repr", "change_message"], names)
    scrub_names(Suspension, ["reason"], names)

    member.username = f"former-{uuid.uuid4().hex[:16]}"
    # Nothing is shown for a former member, and nothing of when they came or how much
    # they wrote is kept (forum.content counts no posts for a former member).
    member.post_count = 0
    member.date_joined = ERASED_DATE
    member.email = ""
    member.first_name = ""
    member.last_name = ""
    member.set_unusable_password()
    member.region = ""
    member.guidelines_accepted_at = None
    member.always_expand_warnings = False
    member.hidden_warnings = []
    member.notification_email = User.EMAIL_OFF
    member.email_post_text = False
    member.language = ""
    member.comfort_mode = False
    member.show_activity = False
    member.notify_reactions = False
    member.last_login = None
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.is_former = True
    member.save()
    member.groups.clear()
    member.user_permissions.clear()


def _sessions_delete(member: User) -> None:
    """Django keeps the user id inside each session's encoded data: decode them all."""
    stale = [
        session.pk
        for session in Session.objects.iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(member.pk)
    ]
    Session.objects.filter(pk__in=stale).delete()
