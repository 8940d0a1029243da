"""Pages that keep members safe: the crisis lines (/help/), the community guidelines,
the reader's choice of region, and the compose-time check of a draft."""

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import services as account_services
from forum import ratelimits

from . import crisis, resources


def help_page(request):
    """Every region's lines. With ?region= (the banner's selector, a plain read), that
    region's lines come first, with a form to keep them at the top of every page."""
    region = resources.region_for(request)
    chosen = resources.valid_region(request.GET.get("region"))
    return render(
        request,
        "help/help.html",
        {
            "region": region,
            "regions": resources.lines_by_region(),
            "your_lines": resources.lines_for(region),
            "chosen_region": chosen,
            "chosen_name": dict(resources.region_choices()).get(chosen, chosen),
            "chosen_lines": resources.lines_for(chosen) if chosen else [],
            "next": _safe_next(request, request.GET.get("next"), default="/help/"),
        },
    )


def guidelines(request):
    region = resources.region_for(request)
    return render(request, "help/guidelines.html", {"your_lines": resources.lines_for(region)})


@require_POST
def region_choose(request):
    """Keep a region's lines at the top of every page: the reader's cookie, or the
    member's setting. A POST with the form's token, never a link (no GET writes)."""
    region = resources.valid_region(request.POST.get("region"))
    response = redirect(_safe_next(request, request.POST.get("next"), default="/"))
    if region:
        response.set_cookie(
            resources.REGION_COOKIE, region, max_age=resources.REGION_COOKIE_MAX_AGE, samesite="Lax",
            secure=request.is_secure(), httponly=True,
        )
        if request.user.is_authenticated:
            account_services.member_settings_update(member=request.user, region=region)
    return response


def _safe_next(request, next_url: str | None, *, default: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


@require_POST
def crisis_check(request):
    """The composer's debounced check: a supportive note when a draft suggests the writer
    may be struggling. It only informs; it never stops anyone posting."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("Log in to write a post.")
    if not ratelimits.consume(action="crisis_check", member_id=request.user.pk):
        # The composer shows nothing new; the banner's lines are on the page all along.
        return JsonResponse({"error": "Checking drafts too often; the next check comes shortly."}, status=429)
    text = request.POST.get("text", "")[: settings.FORUM_BODY_MAX_LENGTH]
    assessment = crisis.assess(text)
    if not assessment.is_crisis:
        return JsonResponse({"level": "none", "note_html": ""})
    region = resources.region_for(request)
    note_html = render_to_string(
        "help/_support_note.html",
        {"lines": resources.lines_for(region), "asks_for_method": assessment.asks_for_method, "note_kind": "compose"},
        request=request,
    )
    return JsonResponse({"level": assessment.level, "note_html": note_html})
