"""What the composer asks the server while a member writes: keep the draft, show a
preview, suggest names after "@". JSON for the page's scripts; the draft actions also
work as plain form posts (Discard draft) without JavaScript."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User

from . import content_warnings, drafts, markup, permissions
from .models import Block

SUGGESTIONS = 8


def _member_or_403(request):
    if not permissions.viewer_for(request.user).is_member:
        return JsonResponse({"error": gettext("Log in to write.")}, status=403)
    return None


@require_POST
def draft_save(request):
    refused = _member_or_403(request)
    if refused:
        return refused
    data = request.POST
    warning = data.get("content_warning", "")
    if "content_warning_0" in data:  # the form's two parts: a choice, or the author's own words
        warning = content_warnings.stored_value(data.get("content_warning_0", ""), data.get("content_warning_1", ""))
    try:
        draft = drafts.draft_save(
            member=request.user,
            key=data.get("key", ""),
            title=data.get("title", ""),
            body=data.get("body", ""),
            content_warning=warning,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"saved": draft is not None, "updated_at": draft.updated_at.isoformat() if draft else None})


@require_GET
def draft_show(request):
    refused = _member_or_403(request)
    if refused:
        return refused
    key = request.GET.get("key", "")
    if not drafts.valid_key(key):
        return JsonResponse({"error": gettext("Unknown place for a draft.")}, status=400)
    response = JsonResponse(drafts.as_json(drafts.draft_get(request.user, key)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def draft_discard(request):
    """Throw a draft away, on purpose. The scripts ask first; without them the button
    says what it does."""
    if not request.user.is_authenticated:
        return redirect_to_login("/")
    discarded = drafts.draft_discard(member=request.user, key=request.POST.get("key", ""))
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"discarded": discarded})
    messages.success(
        request, gettext("Your draft was discarded.") if discarded else gettext("There was no draft to discard.")
    )
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)


@require_POST
def preview(request):
    """The text as readers will see it: the same Markdown and sanitizing as a post."""
    refused = _member_or_403(request)
    if refused:
        return refused
    body = request.POST.get("body", "")[: settings.FORUM_BODY_MAX_LENGTH]
    return JsonResponse({"html": markup.render(body) if body.strip() else ""})


@require_GET
def mention_suggestions(request):
    """Members whose name starts with what follows "@" (any case): for the composer's
    list. Signed-in members only; never a former or deactivated member, nor one the
    asker blocked."""
    refused = _member_or_403(request)
    if refused:
        return refused
    prefix = request.GET.get("q", "").lstrip("@").strip()[:150]
    if not prefix:
        return JsonResponse({"members": []})
    blocked = Block.objects.filter(member=request.user).values("blocked_id")
    names = (
        User.objects.filter(username__istartswith=prefix, is_active=True, is_former=False)
        .exclude(pk=request.user.pk)
        .exclude(pk__in=blocked)
        .order_by("username")
        .values_list("username", flat=True)[:SUGGESTIONS]
    )
    response = JsonResponse({"members": list(names)})
    response["Cache-Control"] = "private, max-age=60"
    return response
