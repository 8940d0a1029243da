"""The moderators' pages about members: the member page (history, sanctions, private
notes), the sanction forms, and the filtered moderation log."""

from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from forum import permissions as forum_permissions
from forum.forms import add_service_errors
from forum.models import Post, Visibility

from . import forms, member_forms, selectors, services
from .permissions import moderator_required

LOG_PAGE_SIZE = 50


@dataclass
class Sanction:
    title: str  # the page title and the button
    form: type
    run: Callable  # (actor, member, form) -> None
    done: str  # the confirmation message
    danger: bool = True


def _reason(form) -> str:
    return form.cleaned_data.get("reason", "")


SANCTIONS = {
    "silence": Sanction(
        _("Silence"), member_forms.SilenceForm,
        lambda a, m, f: services.member_silence(actor=a, member=m, reason=_reason(f), duration=f.duration),
        _("Member silenced; they have been told why, until when, and how to appeal."),
    ),
    "suspend": Sanction(
        _("Suspend"), forms.SuspendForm,
        lambda a, m, f: services.member_suspend(actor=a, member=m, reason=_reason(f), duration=f.duration),
        _("Member suspended; they have been told why, until when, and how to appeal."),
    ),
    "ban": Sanction(
        _("Ban"), member_forms.BanForm,
        lambda a, m, f: services.member_ban(actor=a, member=m, reason=_reason(f)),
        _("Member banned; they have been told why and how to appeal."),
    ),
    "remove_spammer": Sanction(
        _("Remove spammer"), member_forms.RemoveSpammerForm,
        lambda a, m, f: services.member_remove_spammer(actor=a, member=m, reason=_reason(f)),
        _("Everything they wrote is hidden and they are banned."),
    ),
    "lift": Sanction(
        _("Lift the sanction"), forms.ReasonForm,
        lambda a, m, f: services.member_sanction_lift(actor=a, member=m, reason=_reason(f)),
        _("Lifted; they have been told."), danger=False,
    ),
}


@moderator_required
def member_detail(request, pk):
    member = get_object_or_404(User, pk=pk)
    return _member_page(request, member, member_forms.MemberNoteForm())


def _member_page(request, member, note_form, status=200):
    history = selectors.member_history(member, limit=50)
    context = {
        "member": member,
        "history": history,
        "care": history.care,
        "posts": selectors.member_posts(member),
        "is_peer_supporter": forum_permissions.is_peer_supporter(member),
        "notes": selectors.member_notes(member),
        "note_form": note_form,
    }
    return render(request, "moderation/member.html", context, status=status)


@moderator_required
@require_POST
def member_note_add(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = member_forms.MemberNoteForm(request.POST)
    if form.is_valid():
        try:
            services.member_note_add(actor=request.user, member=member, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Note saved. Only moderators see it."))
            return redirect("moderation:member", pk=member.pk)
    return _member_page(request, member, form, status=400)


def _sanction_view(kind: str):
    sanction = SANCTIONS[kind]

    @moderator_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        member = get_object_or_404(User, pk=pk)
        form = sanction.form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                sanction.run(request.user, member, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, sanction.done)
                return redirect("moderation:member", pk=member.pk)
        context = {
            "member": member, "sanction": sanction, "kind": kind, "form": form,
            "running": selectors.active_suspension(member),
            "post_count": Post.objects.filter(author=member, status__in=[Visibility.PUBLISHED, Visibility.PENDING])
            .count() if kind == "remove_spammer" else None,
        }
        return render(request, "moderation/sanction_form.html", context, status=400 if form.errors else 200)

    view.__name__ = f"member_{kind}"
    return view


member_silence = _sanction_view("silence")
member_suspend = _sanction_view("suspend")
member_ban = _sanction_view("ban")
member_remove_spammer = _sanction_view("remove_spammer")
member_lift = _sanction_view("lift")


@moderator_required
def log(request):
    form = member_forms.LogFilterForm(request.GET or None)
    form.is_valid()
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.moderation_log(**filters), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form, "filtered": bool(filters), "query": query.urlencode(),
               "actor_names": selectors.log_actor_names()}
    return render(request, "moderation/log.html", context, status=400 if form.errors else 200)
