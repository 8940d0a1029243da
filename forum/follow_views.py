"""Pages and actions for following: the inbox, the follow and watch controls, and
supportive reactions. Plain form POSTs that work without JavaScript; the page scripts
send the same forms with fetch and ask for JSON."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import follows, notifications, permissions, post_render, ratelimits, reactions
from .models import Category, FollowLevel, Post
from .views import _post_url, _readable_thread, _wants_json

INBOX_PAGE_SIZE = 30

FOLLOW_MESSAGES = {
    FollowLevel.WATCHING: _("You're watching this thread. We'll let you know about every new reply."),
    FollowLevel.TRACKING: _(
        "You're tracking this thread. You'll see how many replies are new, without notifications."
    ),
    FollowLevel.MUTED: _("You've muted this thread. It won't send you anything."),
}


@never_cache
def inbox(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = Paginator(notifications.inbox_for(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "forum/inbox.html", {"page": page})


@require_POST
def inbox_open(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login("/inbox/")
    notification = notifications.notification_open(member=request.user, notification_id=pk)
    if notification is None:
        raise Http404("No such notification.")
    return redirect(notifications.target_url(notification))


@require_POST
def inbox_mark_read(request):
    if not request.user.is_authenticated:
        return redirect_to_login("/inbox/")
    notifications.notifications_mark_read(member=request.user)
    messages.success(request, gettext("All caught up: everything is marked as read."))
    return redirect("forum:inbox")


@require_POST
def thread_follow(request, pk):
    thread = _readable_thread(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(thread.get_absolute_url())
    try:
        level = follows.thread_follow_set(member=request.user, thread=thread, level=request.POST.get("level", ""))
    except ValidationError as error:
        return _refuse(request, thread.get_absolute_url(), " ".join(error.messages), status=400)
    if _wants_json(request):
        return JsonResponse({"level": level.level, "message": FOLLOW_MESSAGES[level.level]})
    messages.success(request, FOLLOW_MESSAGES[level.level])
    return redirect(thread)


@require_POST
def category_watch(request, slug):
    category = get_object_or_404(Category, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(category.get_absolute_url())
    wanted = request.POST.get("watch") == "1"
    watching = follows.category_watch_set(member=request.user, category=category, watching=wanted)
    names = {"category": category.display_name}
    if watching:
        messages.success(request, gettext("We'll let you know when someone starts a thread in %(category)s.") % names)
    else:
        messages.success(request, gettext("You've stopped watching %(category)s.") % names)
    return redirect(category)


@require_http_methods(["GET", "POST"])
def post_react(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    if not permissions.can_read_thread(request.user, post.thread) or not permissions.can_see_post(request.user, post):
        raise Http404("No such post.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path() if request.method == "GET" else post.get_absolute_url())
    if request.method == "GET":
        return _reaction_page(request, post)
    try:
        given = reactions.reaction_toggle(member=request.user, post=post, kind=request.POST.get("kind", ""))
    except ratelimits.RateLimited as error:
        return _refuse(request, _post_url(request, post), str(error), status=429)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _refuse(request, _post_url(request, post), text, status=status)
    if _wants_json(request):
        post.refresh_from_db(fields=list(reactions.COUNT_FIELDS.values()))
        return JsonResponse(
            {"post_id": post.pk, "kind": request.POST["kind"], "given": given, "counts": reactions.counts(post)}
        )
    return redirect(_post_url(request, post))


def _reaction_page(request, post):
    """The reactions of one post as a page: where "React" leads without JavaScript (the
    thread page carries only the reactions given, to stay light)."""
    reactions.ensure_may_react(request.user, post)
    buttons = post_render.reaction_buttons(post, reactions.given_by(request.user, post))
    return render(request, "forum/react.html", {"post": post, "buttons": buttons})


def _refuse(request, back_url, text, *, status):
    if _wants_json(request):
        return JsonResponse({"error": text}, status=status)
    messages.error(request, text)
    return redirect(back_url)

