"""Moderators and staff pass a second factor before the moderation pages and the admin
(accounts/two_factor.py). The moderators' socket asks the same question on connect."""

from django.contrib import messages
from django.shortcuts import redirect

from . import two_factor

# URL namespaces that only moderators and staff use.
GUARDED_NAMESPACES = {"moderation", "admin"}
# Signing out always works.
OPEN_VIEWS = {"admin:logout"}

SET_UP_MESSAGE = (
    "Moderators and staff sign in with two factors, so a stolen password alone cannot open what members "
    "shared with the moderators. Please set up an authenticator app below; then open the page again."
)


class TwoFactorForModeratorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
