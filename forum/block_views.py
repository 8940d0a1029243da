"""Blocking and unblocking a member: plain form posts from their profile and from the
blocker's settings (forum/blocks.py)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.models import User

from . import blocks


@require_POST
def member_block(request, username):
    if not request.user.is_authenticated:
        return redirect_to_login(f"/members/{username}/")
    other = get_object_or_404(User, username=username, is_former=False)
    try:
        blocks.member_block(member=request.user, blocked=other)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        return redirect("forum:profile", username=username)
    messages.success(
        request,
        gettext(
            "You blocked %(name)s. Their posts are folded away for you, they can't reply to your posts, "
            "and nothing they do will notify you. They are not told."
        )
        % {"name": other.username},
    )
    return redirect("forum:profile", username=username)


@require_POST
def member_unblock(request, username):
    if not request.user.is_authenticated:
        return redirect_to_login(f"/members/{username}/")
    other = get_object_or_404(User, username=username)
    blocks.member_unblock(member=request.user, blocked=other)
    messages.success(request, gettext("You unblocked %(name)s.") % {"name": other.public_name})
    if request.POST.get("next") == "settings":
        return redirect("accounts:settings")
    return redirect("forum:profile", username=username)
