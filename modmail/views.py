"""Private messages: the member's side (/messages/) and the team's (/moderation/messages/)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from forum import notifications
from forum.forms import add_service_errors
from moderation.models import ReviewItem
from moderation.permissions import crisis_responder_required
from safety import resources

from . import forms, permissions, selectors, services
from .models import Conversation

URGENT_NOTE = _(
    "Thank you for telling us. Your message is with the team now, and because it sounds like you may be in danger, "
    "whoever is on call has been alerted. We are volunteers, so please don't wait for us:"
)


# --- The member's side ------------------------------------------------------------------------


def _member_or_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_write_to_team(request.user):
        raise PermissionDenied(gettext("This account cannot send messages."))
    return None


@require_http_methods(["GET", "POST"])
def inbox(request):
    if (refusal := _member_or_login(request)) is not None:
        return refusal
    # An unticked box sends nothing, so a POST is bound even when it looks empty.
    form = forms.PreferenceForm(request.POST if request.method == "POST" else None,
                                initial={"email": services.wants_email(request.user)})
    if request.method == "POST" and form.is_valid():
        services.preference_set(member=request.user, email=form.cleaned_data["email"])
        saved = gettext("Saved.") if form.cleaned_data["email"] else gettext("Saved: no more emails about messages.")
        messages.success(request, saved)
        return redirect("modmail:inbox")
    page = Paginator(selectors.member_conversations(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "modmail/inbox.html", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
def new(request):
    if (refusal := _member_or_login(request)) is not None:
        return refusal
    form = forms.NewConversationForm(request.POST or None, initial={"subject": request.GET.get("subject", "")[:120]})
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_start(member=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _after_member_wrote(request, conversation)
            return redirect(conversation)
    return render(request, "modmail/new.html", {"form": form, **_lines(request)}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def conversation(request, pk):
    if (refusal := _member_or_login(request)) is not None:
        return refusal
    found = get_object_or_404(Conversation, pk=pk)
    if not permissions.member_can_see(request.user, found):
        raise Http404("No such conversation.")
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(author=request.user, conversation=found, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _after_member_wrote(request, found)
            return redirect(f"{found.get_absolute_url()}#reply")
    services.conversation_read(member=request.user, conversation=found)
    context = {"conversation": found, "thread_messages": selectors.messages_of(found), "form": form,
               **_lines(request)}
    return render(request, "modmail/conversation.html", context, status=400 if form.errors else 200)


def _after_member_wrote(request, conversation) -> None:
    latest = selectors.messages_of(conversation).filter(from_team=False).last()
    if latest is not None and latest.crisis_level == "urgent":
        messages.info(request, URGENT_NOTE, extra_tags="crisis-support")
    else:
        messages.success(
            request, gettext("Sent. The team will read it; you'll see their answer here and in your inbox.")
        )


def _lines(request) -> dict:
    return {"lines": resources.lines_for(resources.region_for(request))}


# --- The team's side ----------------------------------------------------------------------------


@crisis_responder_required
def team(request):
    waiting = request.GET.get("show") != "all"
    conversations = selectors.team_conversations(request.user, waiting_only=waiting)
    page = Paginator(conversations, 30).get_page(request.GET.get("page"))
    return render(request, "modmail/team.html", {"page": page, "waiting": waiting})


@crisis_responder_required
@require_http_methods(["GET", "POST"])
def team_conversation(request, pk):
    found = get_object_or_404(Conversation.objects.select_related("member", "item"), pk=pk)
    if not permissions.team_can_see(request.user, found):
        raise PermissionDenied(gettext("Peer supporters see the team's conversations about a crisis."))
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(author=request.user, conversation=found, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Sent. They are told in their inbox, live, and by a discreet email."))
            return redirect(f"{found.get_team_url()}#reply")
    context = {
        "conversation": found,
        "thread_messages": selectors.messages_of(found),
        "team_authors": selectors.team_authors(found),
        "form": form,
        "member_lines": resources.lines_for(resources.valid_region(found.member.region) or resources.UNKNOWN),
    }
    return render(request, "modmail/team_conversation.html", context, status=400 if form.errors else 200)


@crisis_responder_required
@require_http_methods(["GET", "POST"])
def reach_out(request):
    """Reach out to a member: from a crisis item (?item=) or a member's page (?member=)."""
    source = request.POST if request.method == "POST" else request.GET
    item = None
    if source.get("item"):
        item = get_object_or_404(ReviewItem.objects.select_related("member", "post__thread"), pk=_int(source["item"]))
        member = item.member
    else:
        if not permissions.viewer_for(request.user).is_moderator:
            raise PermissionDenied(gettext("Peer supporters reach out from a crisis item."))
        member = get_object_or_404(User, pk=_int(source.get("member")))
    if member is None or member.is_former:
        raise Http404("This member's account is closed.")
    form = forms.ReachOutForm(request.POST or None, initial={"subject": _subject_for(item, member)})
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_reach_out(actor=request.user, member=member, item=item,
                                                           **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Sent to %(name)s. They see it live, in their inbox, and by email.")
                % {"name": member.username},
            )
            return redirect(conversation.get_team_url())
    existing = Conversation.objects.filter(item=item, member=member).first() if item else None
    context = {
        "form": form, "member": member, "item": item, "existing": existing,
        # The member's own region's lines; with none chosen, the international directory.
        "member_lines": resources.lines_for(resources.valid_region(member.region) or resources.UNKNOWN),
    }
    return render(request, "modmail/reach_out.html", context, status=400 if form.errors else 200)


def _subject_for(item, member) -> str:
    """The subject offered for a note about a crisis item, in the member's language: they
    read it, not the team member who sends it."""
    if item is None:
        return ""
    with translation.override(notifications.recipient_language(member)):
        return gettext("Checking in with you")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Nothing to reach out about.") from None
