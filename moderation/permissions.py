"""Who may moderate: the rule is accounts.roles (one definition), asked through the
request's Viewer (forum.permissions) so pages, templates and sockets agree."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from forum.permissions import is_crisis_responder, is_moderator


def moderator_required(view):
    """Anonymous readers are sent to log in; members get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied(gettext("This page is for the forum's moderators."))
        return view(request, *args, **kwargs)

    return wrapper


def crisis_responder_required(view):
    """Moderators and peer supporters. Anonymous readers are sent to log in; others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_crisis_responder(request.user):
            raise PermissionDenied(gettext("This page is for the forum's moderators and peer supporters."))
        return view(request, *args, **kwargs)

    return wrapper
