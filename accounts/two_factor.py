"""Two-factor sign-in (allauth.mfa: an authenticator app's codes, and recovery codes).

Any member may turn it on from their settings. Moderators and staff must: they read what
members in crisis wrote and who reported whom, so a guessed or reused password alone must
not open /moderation/, /admin/ or the moderators' socket. `required_step` says where such
a member goes first: to set up an authenticator app, or to enter a code for this sign-in.

"Passed" means this session's sign-in included a second factor: allauth records each way
a session authenticated (allauth.account.authentication); a code at login, a code asked
again (reauthentication), or the code that proved a new authenticator app works
(`record_activation`) all count.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.http import urlencode

from . import roles

MFA_METHOD = "mfa"


def must_use_two_factor(user) -> bool:
    """Moderators and staff (accounts.roles), asked afresh: a promotion counts at once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_former", False):
        return False
    return user.is_staff or user.is_superuser or roles.moderators().filter(pk=user.pk).exists()


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_passed(request_or_scope, user) -> bool:
    """Whether this session's sign-in included a second factor."""
    holder = request_or_scope if hasattr(request_or_scope, "session") else _SessionHolder(request_or_scope)
    return any(record.get("method") == MFA_METHOD for record in get_authentication_records(holder, user))


# The browser session a member object came with (set by accounts.middleware for every
# request, and by the sockets for theirs), so the Viewer can ask about the sign-in.
SESSION_ATTRIBUTE = "_signed_in_session"


def attach_session(user, session) -> None:
    if getattr(user, "is_authenticated", False):
        setattr(user, SESSION_ATTRIBUTE, session)


def sign_in_complete(user) -> bool:
    """Whether this member's browser signed in with every factor their role needs.
    forum.permissions asks it before granting a moderator's powers, so a password alone
    shows a moderator nothing a member could not see. A member object that came with no
    browser session (services, management commands) is taken as it is."""
    session = getattr(user, SESSION_ATTRIBUTE, None)
    if session is None:
        return True
    holder = _SessionHolder({"session": session})
    return any(record.get("method") == MFA_METHOD for record in get_authentication_records(holder, user))


def required_step(request) -> str | None:
    """None when the member may go on; otherwise the page to go to first."""
    user = request.user
    if not must_use_two_factor(user) or session_passed(request, user):
        return None
    query = urlencode({"next": request.get_full_path()})
    if has_authenticator_app(user):
        return f"{reverse('mfa_reauthenticate')}?{query}"
    return reverse("mfa_activate_totp")


def record_activation(request, user) -> None:
    """A member who just proved a new authenticator app with one of its codes has passed
    the second factor for this session too (allauth's authenticator_added signal)."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, MFA_METHOD, type=Authenticator.Type.TOTP, activated=True)


class _SessionHolder:
    """A socket's scope, shaped like the request allauth's records are read from."""

    def __init__(self, scope):
        self.session = scope.get("session") or {}
