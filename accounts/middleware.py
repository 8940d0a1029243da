"""Middleware about the member: their language; the second factor moderators and staff
pass before the moderation pages and the admin (accounts/two_factor.py; the moderators'
socket asks the same question on connect); and allauth's account pages (email, password,
two-factor sign-in and its recovery codes) kept out of every cache, as the forum's own
member pages are (their views say so)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from . import two_factor

# URL namespaces that only moderators and staff use.
GUARDED_NAMESPACES = {"moderation", "admin"}
# Signing out always works.
OPEN_VIEWS = {"admin:logout"}

SET_UP_MESSAGE = _(
    "Moderators and staff sign in with two factors, so a stolen password alone cannot open what members "
    "shared with the moderators. Please set up an authenticator app below; then open the page again."
)


class TwoFactorForModeratorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The Viewer (forum.permissions) asks about this sign-in before moderator powers.
        two_factor.attach_session(request.user, request.session)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace not in GUARDED_NAMESPACES or match.view_name in OPEN_VIEWS:
            return None
        step = two_factor.required_step(request)
        if step is None:
            return None
        if not two_factor.has_authenticator_app(request.user):
            messages.info(request, SET_UP_MESSAGE)
        return redirect(step)


class AccountPagesNeverCachedMiddleware:
    """`Cache-Control: private, no-store` (with Django's never-cache set) on every allauth
    page: an address, recovery codes or a sign-in form must not wait in a shared
    computer's cache or a proxy for the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and (match.url_name or "").startswith(("account_", "mfa_")):
            add_never_cache_headers(response)
        return response


class MemberLanguageMiddleware:
    """A member's own language setting wins over the footer's cookie and the browser's
    Accept-Language (which django.middleware.locale.LocaleMiddleware reads first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
