import json

# allauth's own flow, so its rate limit on verification emails applies here too.
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User

from . import content_warnings, drafts, follows, markup, page_cache, permissions, privacy, realtime, selectors, services
from .forms import PostEditForm, ReplyForm, ThreadForm, add_service_errors
from .models import Category, Post, Thread, Visibility


def home(request):
    """Latest threads across the forum (or one category), with the categories beside."""
    categories = selectors.category_list(request.user)
    chosen = _chosen_category(request, categories)
    context = {
        "categories": categories,
        "chosen_category": chosen,
        "latest": selectors.thread_list_preview(request.user, "latest", category=chosen),
        "list_counts": selectors.list_counts(request.user),
        "list_kind": "latest",
    }
    privacy.allow_indexing(request)
    return render(request, "forum/home.html", context)


LIST_TITLES = {"latest": _("Latest threads"), "new": _("New threads"), "unread": _("Unread threads")}


def thread_list(request, kind):
    """/latest/, /new/, /unread/: the forum-wide lists, filterable by ?category=<slug>."""
    if kind != "latest" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    categories = selectors.category_list(request.user)
    chosen = _chosen_category(request, categories)
    context = {
        "categories": categories,
        "chosen_category": chosen,
        "page": selectors.thread_list_page(request.user, kind, request.GET.get("page"), category=chosen),
        "list_counts": selectors.list_counts(request.user),
        "list_kind": kind,
        "list_title": LIST_TITLES[kind],
    }
    return render(request, "forum/thread_list.html", context)


def _chosen_category(request, categories):
    slug = request.GET.get("category")
    return next((category for category in categories if category.slug == slug), None) if slug else None


def start_thread(request):
    """"Start a thread" from anywhere: choose where it belongs (straight there when the
    list was filtered to one category)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    categories = selectors.category_list(request.user)
    chosen = _chosen_category(request, categories)
    if chosen is not None:
        return redirect("forum:thread_create", slug=chosen.slug)
    return render(request, "forum/start_thread.html", {"categories": categories})


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    if category.members_only and not permissions.reads_members_only(request.user):
        return render(request, "forum/category.html", {"category": category, "page": None, "members_only_note": True})
    page = selectors.category_threads(request.user, category, request.GET.get("page"))
    watching = selectors.category_watched(request.user, category)
    if not category.members_only:
        privacy.allow_indexing(request)
    return render(request, "forum/category.html", {"category": category, "page": page, "watching": watching})


def member_profile(request, username):
    profile = selectors.member_profile(username, request.user)
    viewer = permissions.viewer_for(request.user)
    context = {
        "profile": profile,
        "member": profile.member,
        "can_block": viewer.is_member and profile.member.pk != viewer.id,
        "blocked": viewer.has_blocked(profile.member.pk) if viewer.is_member else False,
    }
    return render(request, "forum/profile.html", context)


def thread_detail(request, pk):
    rendered_at = timezone.now()  # before reading: the live page catches up on changes since
    thread = selectors.thread_by_id(pk)
    if thread is None:
        raise Http404("No such thread.")
    if thread.category.members_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())  # a members-only category: log in to read
    if not permissions.can_read_thread(request.user, thread):
        raise Http404("No such thread.")
    # The reader's follow level and read position: one prepared query (forum.follows).
    thread = selectors.reader_state_attach(thread, request.user)
    if thread.content_warning and content_warnings.in_comfort_mode(request.user):
        # Comfort mode leaves the whole thread out; the member can turn it off here.
        return render(request, "forum/thread_comfort.html", {"thread": thread, "category": thread.category})
    if "unread" in request.GET:  # from the thread lists: straight to the first new reply
        first_unread = thread.my_first_unread if selectors.has_unread(thread) else None
        return redirect(reverse("forum:post", args=[first_unread]) if first_unread else thread)
    if thread.status == Visibility.PUBLISHED and not thread.category.members_only:
        privacy.allow_indexing(request)
    page_number = request.GET.get("page")
    if not request.user.is_authenticated:
        html = page_cache.anonymous_page(
            request, thread, lambda: _thread_page_html(request, thread, page_number, rendered_at)[0]
        )
        return HttpResponse(html)
    html, tree = _thread_page_html(request, thread, page_number, rendered_at)
    # The one write a GET may do: the member's read position.
    follows.read_position_record(
        member=request.user, thread=thread, post_id=tree.newest_post_id, known=thread.my_last_read
    )
    return HttpResponse(html)


def _thread_page_html(request, thread, page_number, rendered_at) -> tuple[str, page_cache.Tree]:
    tree = page_cache.thread_tree(request, thread, page_number, lambda: _render_tree(request, thread, page_number))
    thread_drafts = drafts.thread_drafts(request.user, thread.pk)  # one query, members only
    main_key = drafts.reply_key(thread.pk)
    context = {
        "tree": tree,
        "rendered_at": rendered_at,
        "reply_form": ReplyForm(initial=drafts.form_initial(thread_drafts.get(main_key))),
        "draft_key": main_key,
        "has_draft": main_key in thread_drafts,
        "reply_drafts": [drafts.parent_of(key) for key in thread_drafts if key != main_key],
        # Whoever answers a person who may be at risk gets a short guide above the box.
        "coach_reply": content_warnings.is_crisis(tree.opening_crisis_level)
        and tree.opening_author_id != request.user.pk,
        "live_stand_ins": f"{LIVE_POST_ID} {LIVE_AUTHOR_ID}",
        "live_post_id": LIVE_POST_ID,
        **selectors.thread_page_extras(request.user, thread),
    }
    context = _thread_context(request, thread, context)
    viewer = permissions.viewer_for(request.user)
    # Everything the reply box shows depends on, for a member with no draft in the thread.
    standing = None if thread_drafts else (
        viewer.is_authenticated, context["can_reply"], context["needs_verification"], viewer.is_suspended,
        thread.locked, context["coach_reply"],
    )
    context["reply_box"] = page_cache.reply_box(
        request, thread, standing,
        lambda: render_to_string(
            "forum/_reply_box.html", {**context, "csrf_token": page_cache.CSRF_PLACEHOLDER}, request=request
        ),
    )
    return render_to_string("forum/thread.html", context, request=request), tree


def _render_tree(request, thread, page_number) -> page_cache.Tree:
    thread_page = selectors.thread_page(request.user, thread, page_number)
    my_reactions = thread_page.my_reactions
    context = _thread_context(
        request,
        thread,
        {"thread_page": thread_page, "my_reactions": my_reactions, "csrf_token": page_cache.CSRF_PLACEHOLDER},
    )
    # Posts already rendered for this kind of reader come from the cache, one at a time.
    fragments = page_cache.PostFragments(
        permissions.viewer_for(request.user), can_reply=context["can_reply"], my_reactions=my_reactions
    )
    fragments.prefetch(page_cache.posts_and_nodes(thread_page))
    context["post_fragments"] = fragments
    html = render_to_string("forum/_thread_tree.html", context, request=request)
    fragments.store()
    opening = thread_page.opening_post
    return page_cache.Tree(
        html=html,
        live_controls_html=_live_controls_html(request, thread),
        newest_post_id=thread_page.newest_published_post_id(),
        is_last_page=not thread_page.page.has_next(),
        opening_crisis_level=opening.crisis_level if opening else "none",
        opening_author_id=opening.author_id if opening else None,
    )


def thread_posts_after(request, pk):
    """Catch-up for a live page that lost its socket: the posts after ?after=<post id>, and
    with ?since=<time from an earlier answer or the page> the posts it held that changed
    since then, as the fragments the socket carries. `now` is the next `since`; `version`
    the thread's version this answer brings the page to (forum/consumers.py's welcome)."""
    now = timezone.now()
    # Only whether the reader may read it: a reconnect storm asks this of every page at
    # once, and the author's columns made the query twice as costly to build.
    thread = _readable_thread(request, pk, related=("category",))
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        return JsonResponse({"error": gettext("Give ?after=<post id>.")}, status=400)
    since = None
    if request.GET.get("since"):
        try:
            since = parse_datetime(request.GET["since"])
        except ValueError:  # well formed but impossible, like 30 February
            since = None
        if since is None:
            return JsonResponse(
                {"error": gettext("Give ?since=<a time from an earlier answer or the page>.")}, status=400
            )

    def answer() -> str:
        posts, more = realtime.posts_after(thread, after)
        changed = realtime.posts_changed(thread, up_to_id=after, since=since) if since else []
        # The version read with the thread, before the posts: the page holds at least
        # what it says, and its socket's welcome tells it whether anything changed since.
        body = {"posts": posts, "more": more, "changed": changed, "now": now.isoformat(), "version": thread.version}
        return json.dumps(body, cls=DjangoJSONEncoder)

    return HttpResponse(page_cache.catch_up(thread, after, since, answer), content_type="application/json")


@require_http_methods(["GET", "POST"])
def thread_create(request, slug):
    category = get_object_or_404(Category, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    key = drafts.new_thread_key(category.pk)
    draft = drafts.draft_get(request.user, key)
    form = ThreadForm(request.POST or None, initial=drafts.form_initial(draft))
    context = {"category": category, "form": form, "draft_key": key, "has_draft": draft is not None}
    if request.method == "POST" and "preview" in request.POST:
        return render(request, "forum/thread_form.html", {**context, "preview_html": _preview(request)})
    if request.method == "POST" and form.is_valid():
        if _must_verify_email(request, form, key):
            return render(request, "forum/thread_form.html", context, status=403)
        try:
            thread = services.thread_create(author=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            drafts.draft_discard(member=request.user, key=key)  # sent: the draft has done its job
            _offer_support(request, thread.posts.filter(is_opening=True).first())
            return redirect(thread)
    if form.errors:
        _keep_draft(request, key)
    status = 400 if form.errors else 200
    return render(request, "forum/thread_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def reply_create(request, pk):
    """GET shows a reply form under one post (the no-JavaScript "reply" action)."""
    thread = _readable_thread(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    parent, parent_refused = _parent_post(request, thread)
    if parent_refused and request.method == "GET":
        raise Http404("No such post in this thread.")
    key = drafts.reply_key(thread.pk, parent.pk if parent else None)
    draft = drafts.draft_get(request.user, key) if request.method == "GET" else None
    form = ReplyForm(request.POST or None, initial=drafts.form_initial(draft, parent=parent.pk if parent else None))
    if parent_refused and form.is_valid():
        form.add_error(
            None, gettext("The post you are replying to is not in this thread any more. Your reply is kept here.")
        )
    if request.method == "POST" and "preview" in request.POST:
        return _render_reply_form(request, thread, parent, form, status=200, preview_html=_preview(request))
    if request.method == "POST" and form.is_valid():
        if _must_verify_email(request, form, key):
            return _render_reply_form(request, thread, parent, form, status=403)
        try:
            post = services.post_create(
                author=request.user,
                thread=thread,
                parent=parent,
                body=form.cleaned_data["body"],
                content_warning=form.cleaned_data["content_warning"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            drafts.draft_discard(member=request.user, key=key)  # sent: the draft has done its job
            if _wants_json(request):
                return _reply_json(request, post)  # the post itself carries its author's note
            _offer_support(request, post)
            return redirect(_post_url(request, post))
    if form.errors:
        _keep_draft(request, key)
    return _render_reply_form(request, thread, parent, form, status=400 if form.errors else 200)


def post_permalink(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not permissions.can_read_thread(request.user, post.thread) or not permissions.can_see_post(request.user, post):
        raise Http404("No such post.")
    return redirect(_post_url(request, post))


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread", "thread__category"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied(gettext("You can only edit your own posts."))
    initial = {"body": post.body, "content_warning": post.content_warning, "title": post.thread.title}
    form = PostEditForm(request.POST or None, initial=initial, with_title=post.is_opening)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the text, the warning and the title change together or not at all
                post = services.post_details_change(
                    editor=request.user, post=post, content_warning=form.cleaned_data["content_warning"],
                    title=form.cleaned_data.get("title"),
                )
                post = services.post_edit(editor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Your post was updated."))
            _offer_support(request, post)
            return redirect(_post_url(request, post))
    return render(request, "forum/post_edit.html", {"post": post, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_delete_post(request.user, post):
        raise PermissionDenied(gettext("You can only delete your own posts."))
    if request.method == "POST":
        post = services.post_delete(actor=request.user, post=post)
        messages.success(request, gettext("Your post was removed. Replies to it stay in place."))
        return redirect(_post_url(request, post))
    return render(request, "forum/post_delete.html", {"post": post})


@require_POST
def post_safe(request, pk):
    """The author of a crisis-flagged post says they are safe for now, or takes it back."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    safe = request.POST.get("safe") != "0"
    post = services.post_safe_mark(author=request.user, post=post, safe=safe)
    if safe:
        messages.success(
            request, gettext("Thank you for letting people know. Your post now says you are safe for now.")
        )
    else:
        messages.info(
            request, gettext("Your post no longer says you are safe. You don't have to go through this alone:"),
            extra_tags="crisis-support",
        )
    return redirect(_post_url(request, post))


def _readable_thread(request, pk, *, related=("category", "author")) -> Thread:
    thread = selectors.thread_by_id(pk, related)
    if thread is None or not permissions.can_read_thread(request.user, thread):
        raise Http404("No such thread.")
    return thread


def _thread_context(request, thread, extra):
    viewer = permissions.viewer_for(request.user)
    return {
        "thread": thread,
        "category": thread.category,
        "can_reply": viewer.can_reply(thread),
        "needs_verification": viewer.needs_email_verification,
        **extra,
    }


# Stand-ins for a live post's id and its author's id in the control templates below.
LIVE_POST_ID = 999_999_991
LIVE_AUTHOR_ID = 999_999_992


def _live_controls_html(request, thread) -> str:
    """The controls this viewer gets under a post, as <template>s rendered once for each
    kind of post a socket can bring (their own or another's; published, hidden or
    removed), with stand-in ids. static/js/thread.js fills in a live post's ids, so it
    shows exactly what a reload would, without deciding anything itself. Empty for
    anonymous readers, whose live posts arrive as they should see them. Kept with the
    reply tree (page_cache.Tree), which is cached for this viewer and this thread's version."""
    viewer = permissions.viewer_for(request.user)
    if not viewer.is_authenticated:
        return ""
    stand_in_author = User(pk=LIVE_AUTHOR_ID, username="")
    kinds = [
        {"own": own, "status": status,
         "post": Post(pk=LIVE_POST_ID, thread=thread, status=status, author=request.user if own else stand_in_author)}
        for own in (True, False)
        for status in (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.REMOVED)
    ]
    context = {
        "kinds": kinds, "thread": thread, "can_reply": viewer.can_reply(thread),
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }
    return render_to_string("forum/_live_control_templates.html", context, request=request)


def _render_reply_form(request, thread, parent, form, *, status, preview_html=None):
    key = drafts.reply_key(thread.pk, parent.pk if parent else None)
    answered = parent or thread.posts.filter(is_opening=True).only("crisis_level", "author_id").first()
    coach = answered is not None and content_warnings.is_crisis(answered.crisis_level)
    coach = coach and answered.author_id != request.user.pk
    show_parent = parent is not None and permissions.viewer_for(request.user).can_read_post_body(parent)
    context = _thread_context(
        request,
        thread,
        {
            "parent": parent, "show_parent_body": show_parent, "form": form, "coach_reply": coach,
            "draft_key": key, "preview_html": preview_html,
        },
    )
    if _wants_json(request) and request.method == "POST":
        # The page's script swaps in this form: its errors, and the draft as it was sent.
        form_html = render_to_string("forum/_reply_form.html", context, request=request)
        return JsonResponse({"errors": form.errors.get_json_data(), "form_html": form_html}, status=status)
    return render(request, "forum/reply_form.html", context, status=status)


def _offer_support(request, post) -> None:
    """A private word for the author of a post that suggests they may be struggling: their
    crisis lines first (base.html puts the reader's own line at the front of a
    "crisis-support" message), then the truth about who can see the post and when. The
    post opened a crisis item for the moderators (moderation.screening); a held one is
    urgent and alerts them at once."""
    if post is None or post.crisis_level == "none":
        return
    if post.status == Visibility.PENDING:
        text = gettext(
            "Thank you for sharing this. We're glad you reached out. Your post is waiting for a moderator, so for "
            "now only you and the moderators can see it. They have been alerted and will look at it soon, and tell "
            "you what happens next."
        )
    else:
        text = gettext(
            "Thank you for sharing this. We're glad you reached out. Your post is up: everyone reading this thread "
            "can see it now, and the moderators have been asked to look in. One of us may write to you privately; "
            "you'll find it in your inbox."
        )
    messages.info(request, text, extra_tags="crisis-support")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _reply_json(request, post):
    """The new reply as its author sees it (with Edit and Delete), for the page to insert."""
    html = realtime.render_post_node(
        post, user=request.user, can_reply=permissions.can_reply(request.user, post.thread), request=request
    )
    return JsonResponse(
        {"post_id": post.pk, "parent_id": post.parent_id, "html": html, "url": _post_url(request, post)}, status=201
    )


def _parent_post(request, thread) -> tuple[Post | None, bool]:
    """The post being answered, and whether the one asked for was refused: a post of
    another thread, or one this reader may not see, is never shown, quoted or named
    (post ids are sequential, so any id can be asked for)."""
    raw = request.POST.get("parent") or request.GET.get("parent")
    if not raw:
        return None, False
    try:
        parent = Post.objects.select_related("author").get(pk=int(raw), thread=thread)
    except (ValueError, OverflowError, Post.DoesNotExist):
        return None, True
    if not permissions.can_see_post(request.user, parent):
        return None, True
    return parent, False


def _post_url(request, post) -> str:
    page = selectors.post_page_number(request.user, post)
    url = reverse("forum:thread", args=[post.thread_id])
    if page > 1:
        url += f"?page={page}"
    return f"{url}#{post.anchor}"


def _must_verify_email(request, form, draft_key) -> bool:
    """An unverified member keeps their draft and gets a fresh verification email."""
    if permissions.can_post(request.user):
        return False
    if not permissions.needs_email_verification(request.user):
        raise PermissionDenied(gettext("Your account cannot post."))
    drafts.draft_save(
        member=request.user,
        key=draft_key,
        title=form.cleaned_data.get("title", ""),
        body=form.cleaned_data.get("body", ""),
        content_warning=form.cleaned_data.get("content_warning", ""),
    )
    send_verification_email_for_user(request, request.user)
    form.add_error(
        None,
        gettext(
            "Please confirm your email address before posting. We have sent a link to %(email)s. "
            "Your draft is kept here and will be waiting when you come back."
        )
        % {"email": request.user.email},
    )
    return True


def _keep_draft(request, key) -> None:
    """A post the server refused keeps its text as a draft, with or without JavaScript."""
    data = request.POST
    try:
        drafts.draft_save(
            member=request.user,
            key=key,
            title=data.get("title", ""),
            body=data.get("body", ""),
            content_warning=content_warnings.stored_value(
                data.get("content_warning_0", ""), data.get("content_warning_1", "")
            ),
        )
    except (ValidationError, PermissionDenied):
        pass  # too long to keep, or not a member: the form still holds the text


def _preview(request) -> str:
    """The sanitized HTML a draft's text will show as (the no-JavaScript Preview button)."""
    return markup.render(request.POST.get("body", "")[: settings.FORUM_BODY_MAX_LENGTH])
