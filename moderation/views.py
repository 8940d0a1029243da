from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from forum import notifications as forum_notifications
from forum import permissions as forum_permissions
from forum.models import Post, Thread

from . import forms, oncall, selectors, services, wellbeing
from .models import OnCallShift, ReviewItem
from .permissions import crisis_responder_required, moderator_required


@dataclass
class Action:
    label: str  # the button, and the page title with the target
    form: type
    run: Callable  # (actor, target, form) -> None
    done: str  # the confirmation message
    danger: bool = False


def _reason(form):
    return form.cleaned_data.get("reason", "")


POST_ACTIONS = {
    "approve": Action(_("Approve and publish"), forms.ReasonForm,
                      lambda a, p, f: services.post_approve(actor=a, post=p, reason=_reason(f)), _("Post approved.")),
    "reject": Action(_("Turn down"), forms.RequiredReasonForm,
                     lambda a, p, f: services.post_reject(actor=a, post=p, reason=_reason(f)),
                     _("Post turned down; its author has been told why."), danger=True),
    "hide": Action(_("Hide"), forms.RequiredReasonForm,
                   lambda a, p, f: services.post_hide(actor=a, post=p, reason=_reason(f)),
                   _("Post hidden; its author has been told why."), danger=True),
    "unhide": Action(_("Show again"), forms.ReasonForm,
                     lambda a, p, f: services.post_unhide(actor=a, post=p, reason=_reason(f)),
                     _("Post visible again.")),
    "edit": Action(_("Save the edit"), forms.ReviseForm,
                   lambda a, p, f: services.post_revise(actor=a, post=p, body=f.cleaned_data["body"],
                                                        reason=_reason(f)),
                   _("Post edited; the earlier version is kept.")),
    "warning": Action(_("Save the content warning"), forms.WarningForm,
                      lambda a, p, f: services.post_warning_set(
                          actor=a, post=p, content_warning=f.cleaned_data["content_warning"], reason=_reason(f)),
                      _("Content warning saved; the author has been told.")),
}
THREAD_ACTIONS = {
    "lock": Action(_("Lock"), forms.ReasonForm,
                   lambda a, t, f: services.thread_lock(actor=a, thread=t, reason=_reason(f)), _("Thread locked.")),
    "unlock": Action(_("Unlock"), forms.ReasonForm,
                     lambda a, t, f: services.thread_unlock(actor=a, thread=t, reason=_reason(f)),
                     _("Thread unlocked.")),
    "pin": Action(_("Pin"), forms.ReasonForm,
                  lambda a, t, f: services.thread_pin(actor=a, thread=t, reason=_reason(f)), _("Thread pinned.")),
    "unpin": Action(_("Unpin"), forms.ReasonForm,
                    lambda a, t, f: services.thread_unpin(actor=a, thread=t, reason=_reason(f)), _("Thread unpinned.")),
    "move": Action(_("Move"), forms.MoveForm,
                   lambda a, t, f: services.thread_move(actor=a, thread=t, category=f.cleaned_data["category"],
                                                        reason=_reason(f)), _("Thread moved.")),
    "retitle": Action(_("Rename the thread"), forms.RetitleForm,
                      lambda a, t, f: services.thread_retitle(actor=a, thread=t, title=f.cleaned_data["title"],
                                                              reason=_reason(f)),
                      _("Thread renamed; its author has been told.")),
}
MEMBER_ACTIONS = {
    "warn": Action(_("Send a warning"), forms.RequiredReasonForm,
                   lambda a, m, f: services.member_warn(actor=a, member=m, reason=_reason(f)), _("Warning sent.")),
    "suspend": Action(_("Suspend"), forms.SuspendForm,
                      lambda a, m, f: services.member_suspend(actor=a, member=m, reason=_reason(f),
                                                              duration=f.duration),
                      _("Member suspended; they have been told until when and why."), danger=True),
    "unsuspend": Action(_("Lift the suspension"), forms.ReasonForm,
                        lambda a, m, f: services.member_unsuspend(actor=a, member=m, reason=_reason(f)),
                        _("Suspension lifted.")),
    "peer_supporter_add": Action(_("Make them a peer supporter"), forms.NoteForm,
                                 lambda a, m, f: services.peer_supporter_appoint(actor=a, member=m,
                                                                                 reason=_reason(f)),
                                 _("They are a peer supporter now, and have been told.")),
    "peer_supporter_remove": Action(_("Remove the peer supporter role"), forms.NoteForm,
                                    lambda a, m, f: services.peer_supporter_remove(actor=a, member=m,
                                                                                   reason=_reason(f)),
                                    _("They are no longer a peer supporter, and have been told."), danger=True),
}
ITEM_ACTIONS = {
    # Outcomes for a post's item: each closes every item about the post, logged once.
    "agree": Action(_("Agree and hide"), forms.RequiredReasonForm,
                    lambda a, i, f: services.report_agree(actor=a, item=i, reason=_reason(f)),
                    _("Agreed: the post is hidden, every item about it is closed, and its author has been told why."),
                    danger=True),
    "disagree": Action(_("Disagree and keep it up"), forms.NoteForm,
                       lambda a, i, f: services.report_disagree(actor=a, item=i, reason=_reason(f)),
                       _("Disagreed: the post is visible, every item about it is closed, and the reports count "
                         "against their authors' next ones.")),
    "ignore": Action(_("Ignore"), forms.NoteForm,
                     lambda a, i, f: services.report_ignore(actor=a, item=i, reason=_reason(f)),
                     _("Ignored: every item about the post is closed; the post stays as it is.")),
    "approve": Action(_("Approve and publish"), forms.ReasonForm,
                      lambda a, i, f: services.post_approve(actor=a, post=_item_post(i), reason=_reason(f)),
                      _("Post approved; every item about it is closed.")),
    "reject": Action(_("Turn down"), forms.RequiredReasonForm,
                     lambda a, i, f: services.post_reject(actor=a, post=_item_post(i), reason=_reason(f)),
                     _("Post turned down; every item about it is closed and its author has been told why."),
                     danger=True),
    "dismiss": Action(_("Disagree and keep it up"), forms.NoteForm,
                      lambda a, i, f: services.report_disagree(actor=a, item=i, reason=_reason(f)),
                      _("Disagreed: the post is visible and every item about it is closed.")),
    "claim": Action(_("Claim this item"), forms.ConfirmForm,
                    lambda a, i, f: services.item_claim(actor=a, item=i),
                    _("You hold this item now; other moderators see your name on it.")),
    "release": Action(_("Release this item"), forms.ConfirmForm,
                      lambda a, i, f: services.item_release(actor=a, item=i),
                      _("Released: the item is back with everyone.")),
    "hand_over": Action(_("Hand over"), forms.HandOverForm,
                        lambda a, i, f: services.item_hand_over(actor=a, item=i, to=f.cleaned_data["to"]),
                        _("Handed over: they see their name on it in the queue.")),
    "acknowledge": Action(_("I'm on it"), forms.NoteForm,
                          lambda a, i, f: services.crisis_acknowledge(actor=a, item=i, note=_reason(f)),
                          _("Thank you: the others can see you are on it. Record the outcome when you are done.")),
    "resolve": Action(_("Record the outcome"), forms.OutcomeForm,
                      lambda a, i, f: services.crisis_resolve(actor=a, item=i, outcome=f.cleaned_data["outcome"],
                                                              note=_reason(f)),
                      _("Outcome recorded. Thank you for looking after them; look after yourself too.")),
    "reached_out": Action(_("We reached out"), forms.NoteForm,
                          lambda a, i, f: services.crisis_reached_out(actor=a, item=i, note=_reason(f)),
                          _("Marked as reached out. Thank you.")),
    "no_risk": Action(_("No risk"), forms.NoteForm,
                      lambda a, i, f: services.crisis_no_risk(actor=a, item=i, note=_reason(f)),
                      _("Marked as no risk.")),
}
# Item actions that close nothing, so acting does not claim first.
CLAIM_ACTIONS = {"claim", "release", "hand_over"}


def _item_post(item: ReviewItem) -> Post:
    if item.post_id is None:
        raise ValidationError(_("This item is not about a post."))
    return item.post


# What peer supporters may do: crisis items only, and never hide, edit, approve or suspend.
CRISIS_ITEM_ACTIONS = {"acknowledge", "resolve", "reached_out", "no_risk", "claim", "release", "hand_over"}
TARGETS = {
    "post": (POST_ACTIONS, Post.objects.select_related("thread", "author")),
    "thread": (THREAD_ACTIONS, Thread.objects.select_related("category", "author")),
    "member": (MEMBER_ACTIONS, User.objects.all()),
    "item": (ITEM_ACTIONS, ReviewItem.objects.select_related("post__thread", "post__author", "member")),
}


@crisis_responder_required
def queue(request):
    moderates = forum_permissions.is_moderator(request.user)
    items = list(selectors.review_queue(crisis_only=not moderates))
    if moderates:  # peer supporters never see disciplinary history
        histories = selectors.author_histories(items)
        for item in items:
            item.history = histories.get(item.member_id)
    context = {"items": items, "crisis_only": not moderates, "shift": wellbeing.shift_state(request.session),
               "claim_minutes": settings.MODERATION_CLAIM_IDLE // 60,
               "bulk_form": forms.BulkForm() if moderates else None}
    return render(request, "moderation/queue.html", context)


@moderator_required
@require_http_methods(["POST"])
def bulk(request):
    """Approve or hide the ticked items, with one reason."""
    form = forms.BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("moderation:queue")
    try:
        done = services.items_bulk(actor=request.user, items=list(form.cleaned_data["items"]),
                                   action=form.cleaned_data["action"], reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("moderation:queue")
    messages.success(request, ngettext("%(count)d item closed.", "%(count)d items closed.", done) % {"count": done})
    return redirect("moderation:queue")


@crisis_responder_required
@require_http_methods(["POST"])
def item_opened(request, pk):
    """The moderator unfolded an item's text in the queue: it counts toward their shift."""
    item = get_object_or_404(ReviewItem, pk=pk)
    if not forum_permissions.is_moderator(request.user) and not item.is_crisis:
        raise PermissionDenied(_("Peer supporters see crisis items only."))
    wellbeing.item_opened(request.session, item)
    return JsonResponse(wellbeing.shift_state(request.session))


@crisis_responder_required
@require_http_methods(["POST"])
def shift_restart(request):
    """The moderator took a break: the shift's count starts again."""
    wellbeing.shift_restart(request.session)
    messages.success(request, _("Welcome back. The count starts again."))
    return redirect("moderation:queue")


@crisis_responder_required
def item_detail(request, pk):
    item = get_object_or_404(ReviewItem, pk=pk)
    moderates = forum_permissions.is_moderator(request.user)
    if not moderates and not item.is_crisis:
        raise PermissionDenied(_("Peer supporters see crisis items only."))
    # Opening an item claims nothing: acting on it does ("Claim" too).
    item = selectors.queue_item(item.pk)
    wellbeing.item_opened(request.session, item)
    context = {
        "item": item,
        "post": item.post,
        "moderates": moderates,
        "history": selectors.member_history(item.member) if moderates else None,
        "care": selectors.crisis_care(item.member),
        "timeline": selectors.item_timeline(item) if item.is_crisis else [],
        "escalation_due": services.escalation_due(item),
        "held_by_other": item.claim_is_live() and item.claimed_by_id != request.user.pk,
        "held_by_me": item.claim_is_live() and item.claimed_by_id == request.user.pk,
        "hand_over_form": forms.HandOverForm(item=item),
        "claim_minutes": settings.MODERATION_CLAIM_IDLE // 60,
        "other_items": selectors.other_open_items(item),
        "categories": forms.MoveForm().fields["category"].queryset,
        "outcome_form": forms.OutcomeForm(),
    }
    return render(request, "moderation/item_detail.html", context)


@crisis_responder_required
@require_http_methods(["GET", "POST"])
def action(request, target, pk, name):
    actions, queryset = TARGETS[target]
    if name not in actions:
        raise Http404("No such action.")
    chosen = actions[name]
    obj = get_object_or_404(queryset, pk=pk)
    if not forum_permissions.is_moderator(request.user) and not (
        target == "item" and name in CRISIS_ITEM_ACTIONS and obj.is_crisis
    ):
        raise PermissionDenied(_("Peer supporters can acknowledge crisis items and record their outcome only."))
    # The forms that change a field start from its current value.
    field = {"edit": "body", "warning": "content_warning", "retitle": "title"}.get(name)
    initial = {field: getattr(obj, field)} if field else {}
    extra = {"item": obj} if chosen.form is forms.HandOverForm else {}
    form = chosen.form(request.POST if request.method == "POST" else None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            if not (target == "item" and name in CLAIM_ACTIONS):
                _claim_on_action(request.user, target, obj)
            chosen.run(request.user, obj, form)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, errors in found.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, chosen.done)
            return redirect(_next_url(request))
    context = {"target": target, "obj": obj, "action": chosen, "name": name, "form": form,
               "next": _next_url(request)}
    return render(request, "moderation/action_form.html", context, status=400 if form.errors else 200)


@crisis_responder_required
def guide(request):
    """The moderators' guide: what to do for an urgent item, step by step."""
    return render(request, "moderation/guide.html", {
        "escalate_minutes": settings.MODERATION_CRISIS_ESCALATE_AFTER // 60,
        "reescalate_minutes": settings.MODERATION_CRISIS_REESCALATE_AFTER // 60,
        "claim_minutes": settings.MODERATION_CLAIM_IDLE // 60,
    })


@crisis_responder_required
@require_http_methods(["GET", "POST"])
def on_call(request):
    """Who covers the next 24 hours, the gaps, and the hours this responder covers."""
    mine = OnCallShift.objects.filter(member=request.user)
    zone_name = request.GET.get("tz") or next((shift.time_zone for shift in mine), "UTC")
    if zone_name not in oncall.time_zone_names():
        zone_name = "UTC"
    form = forms.ShiftForm(request.POST or None, initial={"time_zone": zone_name})
    if request.method == "POST" and "remove" in request.POST:
        if services.on_call_shift_remove(member=request.user, shift_id=_int(request.POST.get("remove"))):
            messages.success(request, _("Shift removed."))
        return redirect("moderation:on_call")
    if request.method == "POST" and form.is_valid():
        try:
            services.on_call_shift_add(member=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you: your hours are on the rota."))
            return redirect("moderation:on_call")
    context = {
        "spans": oncall.coverage(),
        "zone": oncall.zone(zone_name),
        "zone_name": zone_name,
        "mine": mine,
        "form": form,
    }
    return render(request, "moderation/on_call.html", context, status=400 if form.errors else 200)


def _claim_on_action(actor, target, obj) -> None:
    """Acting on an item, or on the post it is about, claims the item (unless another
    moderator holds it now)."""
    if target == "item":
        services.item_touch(actor=actor, items=[obj])
    elif target == "post":
        services.item_touch(actor=actor, items=list(ReviewItem.objects.filter(
            post=obj, status=ReviewItem.Status.OPEN)))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- For members --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not forum_permissions.can_read_thread(request.user, post.thread) or not forum_permissions.can_see_post(
        request.user, post
    ):
        raise Http404("No such post.")
    if not forum_permissions.can_report(request.user, post):
        raise PermissionDenied(_("You can't report this post."))
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you for telling us. A moderator will look at it soon."))
            return redirect(post.get_absolute_url())
    return render(request, "moderation/report_form.html", {"post": post, "form": form},
                  status=400 if form.errors else 200)


@never_cache
def notices(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = Paginator(selectors.notices_for(request.user), 30).get_page(request.GET.get("page"))
    unread = [notice for notice in page.object_list if notice.notification and notice.notification.read_at is None]
    response = render(request, "moderation/notices.html", {"page": page, "unread": {notice.pk for notice in unread}})
    # Read here is read in the inbox too: the notice's inbox item is the one record of it.
    forum_notifications.notifications_read(member=request.user, ids=[notice.notification_id for notice in unread])
    return response


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "/moderation/"
