"""Pages that keep members safe: the crisis lines (/help/), the community guidelines,
the reader's choice of region, and the compose-time check of a draft."""

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as account_services

from . import crisis, resources


def help_page(request):
    region = resources.region_for(request)
    return render(
        request,
        "help/help.html",
        {"region": region, "regions": resources.lines_by_region(), "your_lines": resources.lines_for(region)},
    )


def guidelines(request):
    region = resources.region_for(request)
    return render(request, "help/guidelines.html", {"your_lines": resources.lines_for(region)})


@require_http_methods(["GET", "POST"])
def region_choose(request):
    """The banner's region selector: a plain form, so it works without JavaScript."""
    data = request.POST if request.method == "POST" else request.GET
    region = resources.valid_region(data.get("region"))
    next_url = data.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        next_url = "/"
    response = redirect(next_url)
    if region:
        response.set_cookie(
            resources.REGION_COOKIE, region, max_age=resources.REGION_COOKIE_MAX_AGE, samesite="Lax",
            secure=request.is_secure(), httponly=True,
        )
        if request.user.is_authenticated:
            account_services.member_settings_update(member=request.user, region=region)
    return response


@require_http_methods(["GET", "POST"])
def region_guess(request):
    """The banner for the time zone the page sent (static/js/region.js), asked only when
    nothing else tells us where the reader is. GET changes nothing: a reader without an
    account sends it on each page and it is never stored. A member's page POSTs it once
    and it is kept in their session, after their setting, cookie and languages."""
    data = request.POST if request.method == "POST" else request.GET
    current = resources.reader_region(request)
    region = resources.region_for_timezone(data.get("tz"))
    if region is None or not current.is_guess or current.source == resources.LANGUAGE:
        return JsonResponse({"region": current.code, "changed": False})
    if request.method == "POST" and request.user.is_authenticated:
        request.session[resources.SESSION_TIMEZONE_REGION] = region
    html = render_to_string(
        "includes/crisis_banner.html",
        {
            "crisis_banner": resources.banner_for(region),
            "crisis_region": resources.ReaderRegion(region, resources.TIMEZONE),
            "crisis_lines": resources.lines_for(region),
        },
        request=request,
    )
    return JsonResponse({"region": region, "changed": True, "banner_html": html})


@require_POST
def crisis_check(request):
    """The composer's debounced check: a supportive note when a draft suggests the writer
    may be struggling. It only informs; it never stops anyone posting."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("Log in to write a post.")
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
