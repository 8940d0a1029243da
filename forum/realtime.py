"""What the thread's readers and each member's own sockets are told, and when.

Payloads are built here; they leave through forum.broadcast, the one door to the channel
layer. Services call the functions at the top (post_created, post_updated, post_removed,
thread_updated) from inside their transaction. Each schedules its group_send with
transaction.on_commit, so a rollback never shows readers a post that does not exist.

Recipients: the group `thread-<id>` holds every socket reading that thread, members and
anonymous readers alike, so only what an anonymous reader may see goes to it. Pending
posts (waiting for a moderator) never go there; a hidden or removed post goes out as its
placeholder. Fragments are rendered as an anonymous reader sees them and carry their own
facts (author, status); the page's script adds the controls this reader would get on a
reload, by the rule in forum.permissions.Viewer.post_controls.

For the moderation functions (hide, unhide, approve, lock, rename):
- hide a post            -> post_removed(post)   (after its status is set to hidden)
- unhide a post          -> post_updated(post)
- approve a pending post -> post_created(post)   (after its status is set to published)
- lock, unlock, rename   -> thread_updated(thread)

Events, each sent as one JSON text frame {"type": ..., ...}:
- post.created  {post_id, parent_id, html}  html: the <li> of the reply tree
- post.updated  {post_id, html}             html: the <article> of the post
- post.removed  {post_id, html}             html: the placeholder <article>
- thread.updated {thread_id, title, locked, status}
- presence      {count}                     how many sockets read the thread now
- reaction.updated {post_id, counts}        counts per kind, never who reacted

Catch-up (/t/<id>/posts/?after=<id>&since=<time>) returns what a reconnecting page
missed: the posts after the newest it holds, and the posts it holds that changed (edited,
removed, hidden, unhidden, approved: Post.changed_at) since its last look.

The group `user-<id>` holds one member's own sockets (/ws/me/):
- inbox.unread  {count}                     unread notifications in their inbox
"""

import functools

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.template import Context
from django.template.loader import render_to_string

from . import broadcast, page_cache, post_render, selectors
from .broadcast import standing_group, thread_group, user_group  # noqa: F401 - the group names, for callers
from .models import Post, Thread, Visibility
from .permissions import viewer_for
from .prepared import PreparedQuery

CATCH_UP_LIMIT = 100


# --- Called by the services -------------------------------------------------------------


# Each event is built after the commit from the post as committed: if the same
# transaction held the post for a moderator after creating it, nothing goes out.


def post_created(post: Post) -> None:
    """A reply became visible to readers. Pending posts are never sent."""
    if post.status != Visibility.PUBLISHED or post.is_opening:
        return

    def build():
        post_now = _committed(post.pk, {Visibility.PUBLISHED})
        return post_now and {"type": "post.created", **post_payload(post_now)}

    _send_on_commit(post.thread_id, build)


def post_updated(post: Post) -> None:
    """A visible post was edited (or unhidden by a moderator)."""
    if post.status == Visibility.PENDING:
        return

    def build():
        post_now = _committed(post.pk, {Visibility.PUBLISHED, Visibility.REMOVED, Visibility.HIDDEN})
        return post_now and {"type": "post.updated", "post_id": post_now.pk, "html": render_post_article(post_now)}

    _send_on_commit(post.thread_id, build)


def post_removed(post: Post) -> None:
    """Removed by its author or hidden by a moderator: readers get the placeholder."""
    if post.status not in (Visibility.REMOVED, Visibility.HIDDEN):
        return

    def build():
        post_now = _committed(post.pk, {Visibility.REMOVED, Visibility.HIDDEN})
        return post_now and {"type": "post.removed", "post_id": post_now.pk, "html": render_post_article(post_now)}

    _send_on_commit(post.thread_id, build)


def thread_updated(thread: Thread) -> None:
    """Locked, unlocked or renamed. Sockets of readers who may no longer read the thread
    (hidden, removed) are closed by the consumer when this arrives."""

    def build():
        thread_now = Thread.objects.filter(pk=thread.pk).first()
        return thread_now and {
            "type": "thread.updated",
            "thread_id": thread_now.pk,
            "title": thread_now.title,
            "locked": thread_now.locked,
            "status": thread_now.status,
        }

    _send_on_commit(thread.pk, build)


# --- Fragments, shared by the events and the catch-up endpoint -------------------------


def post_payload(post: Post, html: str | None = None) -> dict:
    """A post.created event's fields; `html` when the <li> is already rendered."""
    return {"post_id": post.pk, "parent_id": post.parent_id, "html": render_post_node(post) if html is None else html}


def _node(post: Post) -> selectors.PostNode:
    """The post as a node of the reply tree, nested as the thread page nests it: display
    depth stops at FORUM_MAX_DISPLAY_DEPTH and deeper replies say whom they answer."""
    max_depth = settings.FORUM_MAX_DISPLAY_DEPTH
    return selectors.PostNode(
        post=post,
        display_depth=max(1, min(post.depth, max_depth)),
        in_reply_to=post.parent if post.depth > max_depth else None,
    )


def render_post_node(post: Post, *, user=None, can_reply: bool = False, request=None) -> str:
    """The post as one <li> of the reply tree."""
    user = user or AnonymousUser()
    context = {"node": _node(post), "user": user, "viewer": viewer_for(user), "can_reply": can_reply}
    # With the author's request (a reply sent by fetch), the author's private support note
    # lists their own region's crisis lines, as it does on the page.
    return render_to_string("forum/_node.html", context, request=request)


def render_post_nodes_for_readers(posts: list[Post]) -> list[str]:
    """Several posts as anonymous readers see them (a catch-up), each <li> taken from the
    per-post fragment cache the thread page fills (forum/page_cache.py) when it holds it:
    a thousand pages catching up after a restart render each post once, not a thousand
    times."""
    anonymous = AnonymousUser()
    viewer = viewer_for(anonymous)
    fragments = page_cache.PostFragments(viewer, can_reply=False)
    nodes = [_node(post) for post in posts]
    fragments.prefetch((node.post, node) for node in nodes)
    context = {"user": anonymous, "viewer": viewer, "can_reply": False, "post_fragments": fragments}
    html = [render_to_string("forum/_node.html", {**context, "node": node}) for node in nodes]
    fragments.store()
    return html


def render_post_article(post: Post) -> str:
    anonymous = AnonymousUser()
    return post_render.render_post(Context({"user": anonymous, "viewer": viewer_for(anonymous)}), post)


def posts_after(thread: Thread, after_id: int) -> tuple[list[dict], bool]:
    """What a reconnecting client missed: posts of the thread after `after_id`, as the
    fragments the socket would have carried, oldest first. Pending posts are left out;
    removed and hidden ones come as placeholders, so the replies under them keep their
    place. Returns (payloads, whether more remain). One narrow query when nothing is new
    (the usual answer to a reconnecting page), two when something is, whatever the rows."""
    ids = list(_reply_ids_as_readers_see(thread).filter(pk__gt=after_id)[: CATCH_UP_LIMIT + 1])
    more, ids = len(ids) > CATCH_UP_LIMIT, ids[:CATCH_UP_LIMIT]
    posts = _replies_as_readers_see(thread, ids)
    html = render_post_nodes_for_readers(posts)
    return [post_payload(post, fragment) for post, fragment in zip(posts, html, strict=True)], more


def _reply_ids_as_readers_see(thread: Thread):
    """The ids of the thread's replies that the socket's readers may see, oldest first.
    A catch-up asks for these first: the query with the posts, their authors and the
    authors they answer has about 80 columns, and Django takes 2-3 ms to build it, which
    a reconnect storm paid once per page even when nothing was new."""
    return (
        selectors.visible_posts(AnonymousUser())
        .filter(thread=thread, is_opening=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _replies_as_readers_see(thread: Thread, ids: list[int]) -> list[Post]:
    """These replies, ready to render, oldest first (none asked: no query)."""
    if not ids:
        return []
    posts = (
        selectors.visible_posts(AnonymousUser())
        .filter(thread=thread, is_opening=False, pk__in=ids)
        .select_related("author", "parent__author")
        .only(*_READERS_COLUMNS)
        .order_by()
    )
    return sorted(posts, key=lambda post: post.pk)


# What a reader's rendering of a post reads: the post but its Markdown source, its
# author's name, and whom it answers. Fewer columns make the query cheaper to build.
_NAME = ("id", "username", "is_former")
_READERS_COLUMNS = (
    *(field.name for field in Post._meta.concrete_fields if field.name != "body"),
    *(f"author__{name}" for name in _NAME),
    "parent__id", "parent__author",
    *(f"parent__author__{name}" for name in _NAME),
)


def posts_changed(thread: Thread, *, up_to_id: int, since) -> list[dict]:
    """Posts the client already held (ids up to `up_to_id`) whose text or status changed
    after `since`: edits, removals, hides, unhides, approvals it missed while away. Each
    comes as the article a reader sees now, and, for a published post, also as the <li>
    to insert when the client never had it (a post approved while it was away)."""
    ids = list(_reply_ids_as_readers_see(thread).filter(pk__lte=up_to_id, changed_at__gt=since)[:CATCH_UP_LIMIT])
    changes = []
    for post in _replies_as_readers_see(thread, ids):
        change = {"post_id": post.pk, "removed": post.status != Visibility.PUBLISHED, "html": render_post_article(post)}
        if not change["removed"]:
            change["node"] = post_payload(post)
        changes.append(change)
    return changes


# --- Reactions and the member's own inbox (issue 6) -------------------------------------


def reaction_updated(post: Post) -> None:
    """A reaction was given or taken back: the thread's readers get the post's counts
    (never who reacted). Built after the commit from the counts as committed."""

    def build():
        row = (
            Post.objects.filter(pk=post.pk, status=Visibility.PUBLISHED)
            .values("support_count", "me_too_count", "helped_count")
            .first()
        )
        return row and {
            "type": "reaction.updated",
            "post_id": post.pk,
            "counts": {"support": row["support_count"], "me_too": row["me_too_count"], "helped": row["helped_count"]},
        }

    _send_on_commit(post.thread_id, build)


def inbox_changed(member_ids) -> None:
    """These members' unread notification counts changed: after the commit, each gets
    their own count on `user-<id>` (one query for all of them)."""
    member_ids = {member_id for member_id in member_ids if member_id}
    if not member_ids:
        return

    def send():
        for member_id, count in selectors.unread_counts(member_ids).items():
            broadcast.send_now(user_group(member_id), broadcast.envelope({"type": "inbox.unread", "count": count}))

    transaction.on_commit(send, robust=True)


def standing_changed(member_id: int) -> None:
    """The member's standing changed (a sanction set or lifted): after the commit, each of
    their open sockets asks again whether it may stay (forum.consumers)."""
    broadcast.send_on_commit(standing_group(member_id), lambda: {"type": "standing.changed"})


# --- Presence: "N reading now" -----------------------------------------------------------


async def presence_send(thread_id: int, count: int) -> None:
    from channels.layers import get_channel_layer

    event = broadcast.envelope({"type": "presence", "count": count})
    await get_channel_layer().group_send(thread_group(thread_id), event)


# --- Sending ----------------------------------------------------------------------------


def _send_on_commit(thread_id: int, build) -> None:
    """After the commit, build the payload (None: send nothing) and send it to the thread.
    A broadcast that fails (Redis away) is logged; the write itself is saved and
    reconnecting clients fetch it through the catch-up endpoint."""
    broadcast.send_on_commit(thread_group(thread_id), build)


def _committed(pk: int, statuses: set) -> Post | None:
    """The post as committed, with its author and its parent's, if its status is one of
    `statuses`. Every event a reader gets reads it, a thousand readers' frames waiting
    on it: its SQL is compiled once per process and status set."""
    return _as_committed(frozenset(statuses)).instance(post_id=pk)


@functools.cache
def _as_committed(statuses: frozenset) -> PreparedQuery:
    def build(post_id: int):
        return Post.objects.select_related("author", "parent__author").filter(pk=post_id, status__in=sorted(statuses))

    return PreparedQuery(build, post_id=-8_402_117_935)
