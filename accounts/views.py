from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import SettingsForm


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
        "comfort_mode": member.comfort_mode,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.member_settings_update(member=member, **form.cleaned_data)
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def comfort_mode_switch(request):
    """The header's comfort mode switch: on or off, then back to the page."""
    on = request.POST.get("on") == "1"
    services.member_settings_update(member=request.user, comfort_mode=on)
    if on:
        messages.success(request, "Comfort mode is on: threads and posts with a content warning are out of sight.")
    else:
        messages.success(request, "Comfort mode is off.")
    next_url = request.POST.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return redirect(next_url if safe else "/")
