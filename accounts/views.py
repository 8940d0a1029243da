from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import SettingsForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    member = request.user
    initial = {
        "region": member.region,
        "always_expand_warnings": member.always_expand_warnings,
        "hidden_warnings": member.hidden_warnings,
        "notification_email": member.notification_email,
        "email_post_text": member.email_post_text,
        "language": member.language,
        "comfort_mode": member.comfort_mode,
        "show_activity": member.show_activity,
        "notify_reactions": member.notify_reactions,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.member_settings_update(member=member, **form.cleaned_data)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if form.errors else 200)


@csrf_exempt
@require_POST
def language_choose(request):
    """The footer's language switch: a plain form, remembered in a cookie; for a member
    it is also their setting, which otherwise would win over the cookie.

    An anonymous reader's pages carry no CSRF token (so they set no cookie and can be
    cached), and choosing a language changes nothing but their own cookie; a member's
    setting does change, so for members the token is checked as usual."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = ""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if code:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            secure=request.is_secure(),
        )
        if request.user.is_authenticated:
            services.member_settings_update(member=request.user, language=code)
    return response


@login_required
@require_POST
def comfort_mode_switch(request):
    """The header's comfort mode switch: on or off, then back to the page."""
    on = request.POST.get("on") == "1"
    services.member_settings_update(member=request.user, comfort_mode=on)
    if on:
        messages.success(request, _("Comfort mode is on: threads and posts with a content warning are out of sight."))
    else:
        messages.success(request, _("Comfort mode is off."))
    next_url = request.POST.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return redirect(next_url if safe else "/")


def welcome(request):
    """Where a new member lands once their email address is confirmed: the guidelines,
    how review works, where help is, and any draft waiting for them."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    return render(
        request,
        "accounts/welcome.html",
        {"reviewed_posts": settings.MODERATION_PREMODERATE_FIRST_POSTS},
    )
