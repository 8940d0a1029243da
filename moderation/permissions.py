"""Who may moderate. The one question lives in forum.permissions.is_moderator (staff,
superusers and the Moderators group), so HTTP pages, templates and the moderators'
WebSocket ask the same thing."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from forum.permissions import can_post, is_moderator  # noqa: F401


def moderator_required(view):
    """Anonymous readers are sent to log in; members get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("This page is for the forum's moderators.")
        return view(request, *args, **kwargs)

    return wrapper


def can_report(user, post) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.is_former
        and post.author_id != user.pk
        and post.status == "published"
    )
