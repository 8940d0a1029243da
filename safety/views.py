"""Pages that keep members safe: the crisis lines (/help/), the community guidelines,
the reader's choice of region, and the compose-time check of a draft."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as account_services
from forum import ratelimits

from . import crisis, reply_check, resources, safety_plan, services
from .forms import SafetyPlanForm


def help_page(request):
    """Every region's lines. With ?region= (the banner's selector, a plain read), that
    region's lines come first, with a form to keep them at the top of every page."""
    region = resources.region_for(request)
    plan = safety_plan.plan_for(request.user)
    regions = resources.lines_by_region()
    chosen = resources.valid_region(request.GET.get("region"))
    context = {
        "region": region,
        # The reader's own lines first, then every other region's.
        "regions": sorted(regions, key=lambda entry: entry[0] != region),
        "your_lines": resources.lines_for(region),
        "plan_steps": safety_plan.filled_steps(plan),
        # ?region= (the banner's selector, a plain read): that region's lines first, with a
        # form to keep them at the top of every page.
        "chosen_region": chosen,
        "chosen_name": dict(resources.region_choices()).get(chosen, chosen),
        "chosen_lines": resources.lines_for(chosen) if chosen else [],
        "next": _safe_next(request, request.GET.get("next"), default="/help/"),
    }
    response = render(request, "help/help.html", context)
    if request.user.is_authenticated:
        _private(response)  # it may show the member's safety plan
    return response


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
    page = data.get("next") or "/"  # the page the banner goes back on: its selector returns there
    if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        page = "/"
    html = render_to_string(
        "includes/crisis_banner.html",
        {
            "crisis_banner": resources.banner_for(region),
            "crisis_region": resources.ReaderRegion(region, resources.TIMEZONE),
            "crisis_lines": resources.lines_for(region),
            "crisis_next": page,
        },
        request=request,
    )
    return JsonResponse({"region": region, "changed": True, "banner_html": html})


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
        return HttpResponseForbidden(gettext("Log in to write a post."))
    if not ratelimits.consume(action="crisis_check", member_id=request.user.pk):
        # The composer shows nothing new; the banner's lines are on the page all along.
        return JsonResponse(
            {"error": gettext("Checking drafts too often; the next check comes shortly.")}, status=429
        )
    text = request.POST.get("text", "")[: settings.FORUM_BODY_MAX_LENGTH]
    assessment = crisis.assess(text)
    answered = _answered_post(request)
    concerns = reply_check.kinds_of(text) if answered is not None else ()
    if concerns:
        # A reply to someone who may be at risk that would wait for a moderator: say why now.
        note_html = render_to_string("help/_reply_check_note.html", {"concerns": concerns}, request=request)
        return _private(JsonResponse({"level": assessment.level, "note_html": note_html}))
    if not assessment.is_crisis:
        return JsonResponse({"level": "none", "note_html": ""})
    region = resources.region_for(request)
    note_html = render_to_string(
        "help/_support_note.html",
        {
            "lines": resources.lines_for(region),
            "asks_for_method": assessment.asks_for_method,
            "note_kind": "compose",
            # The member's own plan comes first, when they have one.
            "plan_steps": safety_plan.filled_steps(safety_plan.plan_for(request.user)),
        },
        request=request,
    )
    return _private(JsonResponse({"level": assessment.level, "note_html": note_html}))


def _answered_post(request):
    """The crisis-flagged post a draft reply answers (its parent, or the thread's opening
    post), if the writer may read it and did not write it; else None."""
    from forum.models import Post
    from forum.permissions import viewer_for

    try:
        thread_id = int(request.POST.get("thread") or 0)
        parent_id = int(request.POST.get("parent") or 0)
    except ValueError:
        return None
    if not thread_id:
        return None
    posts = Post.objects.select_related("thread").filter(thread_id=thread_id)
    post = (posts.filter(pk=parent_id) if parent_id else posts.filter(is_opening=True)).first()
    viewer = viewer_for(request.user)
    if post is None or post.crisis_level not in ("concern", "urgent") or viewer.is_author(post):
        return None
    if not viewer.can_read_thread(post.thread) or not viewer.can_read_post_body(post):
        return None
    return post


# --- The member's own safety plan -------------------------------------------------------


@login_required
def plan_detail(request):
    plan = safety_plan.plan_for(request.user)
    if plan is None or safety_plan.is_empty(plan):
        return redirect("safety:plan_edit")
    context = {"plan": plan, "plan_steps": safety_plan.filled_steps(plan), "plan_text": safety_plan.as_text(plan)}
    return _private(render(request, "help/plan.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request):
    plan = safety_plan.plan_for(request.user)
    initial = {field: getattr(plan, field) for field in safety_plan.FIELDS} if plan else {}
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_plan_save(member=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Your safety plan is saved. Only you can see it."))
            return redirect("safety:plan")
    context = {"form": form, "plan": plan, "steps": safety_plan.STEPS}
    return _private(render(request, "help/plan_edit.html", context, status=400 if form.errors else 200))


@login_required
def plan_print(request):
    plan = safety_plan.plan_for(request.user)
    if plan is None:
        return redirect("safety:plan_edit")
    region = resources.region_for(request)
    context = {"plan": plan, "plan_steps": safety_plan.filled_steps(plan), "your_lines": resources.lines_for(region)}
    return _private(render(request, "help/plan_print.html", context))


@login_required
def plan_text(request):
    """The plan as a plain-text file, to keep or to share where the member chooses."""
    plan = safety_plan.plan_for(request.user)
    if plan is None:
        return redirect("safety:plan_edit")
    response = HttpResponse(safety_plan.as_text(plan), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-safety-plan.txt"'
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request):
    if request.method == "POST":
        services.safety_plan_delete(member=request.user)
        messages.success(request, gettext("Your safety plan is deleted."))
        return redirect("safety:help")
    return _private(render(request, "help/plan_delete.html", {}))


def _private(response):
    """Pages and answers that carry a member's own plan are never cached by anyone else."""
    patch_cache_control(response, private=True, no_store=True)
    return response
