from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

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
        "show_activity": member.show_activity,
        "notify_reactions": member.notify_reactions,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.member_settings_update(member=member, **form.cleaned_data)
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if form.errors else 200)


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
