"""The two data pages in a member's settings: download my data and delete my account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import AccountDeleteForm


@never_cache
@login_required
@require_GET
def data_download(request):
    data = selectors.member_data_export(request.user)
    filename = f"my-forum-data-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        services.member_delete(member=request.user, remove_posts=form.cleaned_data["remove_posts"])
        logout(request)
        messages.success(
            request, _("Your account is deleted. Thank you for being part of this community. Take care.")
        )
        return redirect("forum:home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)
