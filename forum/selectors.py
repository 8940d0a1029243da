"""Reads that pages share: the home page's categories, a category's threads, a thread
page's reply tree and a member's public profile. Each runs a fixed number of queries,
whatever the rows."""

import functools
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User

from . import content_warnings, permissions
from .models import (
    Category,
    CategoryWatch,
    FollowLevel,
    Notification,
    Post,
    Reaction,
    Thread,
    ThreadFollow,
    Visibility,
)
from .prepared import PreparedQuery


def thread_by_id(thread_id: int, related: tuple[str, ...] = ("category", "author")) -> Thread | None:
    """One thread with its `related` rows, or None: every thread page, catch-up and
    reply asks for it, so its SQL is compiled once per process."""
    return _thread_by_id(tuple(related)).instance(thread_id=thread_id)


@functools.cache
def _thread_by_id(related: tuple[str, ...]) -> PreparedQuery:
    return PreparedQuery(
        lambda thread_id: Thread.objects.select_related(*related).filter(pk=thread_id), thread_id=-4_771_093_552
    )


def visible_threads(user):
    threads = Thread.objects.all()
    if permissions.is_moderator(user):
        return threads
    visible = Q(status=Visibility.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(status=Visibility.PENDING, author=user)
    return threads.filter(visible)


def readable_threads(user):
    """Threads the reader may open: visible ones, less members-only categories for
    readers who are not signed in (or are banned)."""
    threads = visible_threads(user)
    if not permissions.reads_members_only(user):
        threads = threads.filter(category__members_only=False)
    return threads


def visible_posts(user):
    """Posts that appear in the thread at all: with their text, or as a placeholder."""
    posts = Post.objects.all()
    if permissions.is_moderator(user):
        return posts
    visible = ~Q(status=Visibility.PENDING)
    if getattr(user, "is_authenticated", False):
        visible |= Q(status=Visibility.PENDING, author=user)
    return posts.filter(visible)


def category_list(user) -> list[Category]:
    """Categories with their thread count and latest published thread (in comfort mode,
    the latest without a warning), in 1 query."""
    published = Thread.objects.filter(category=OuterRef("pk"), status=Visibility.PUBLISHED)
    latest = content_warnings.comfort_threads(published, user).order_by("-last_activity_at")
    return list(
        Category.objects.annotate(
            thread_count=Count("threads", filter=Q(threads__status=Visibility.PUBLISHED)),
            latest_thread_id=Subquery(latest.values("pk")[:1]),
            latest_thread_title=Subquery(latest.values("title")[:1]),
            latest_activity_at=Subquery(latest.values("last_activity_at")[:1]),
        ).order_by("position", "name")
    )


# --- Forum-wide thread lists: Latest, New, Unread (the home page and /latest/ and friends) ---

LIST_KINDS = ("latest", "new", "unread")
# A thread is "new" to a member for this long after it starts, until they open it.
NEW_FOR = timedelta(days=7)


def _new_threads(threads, user):
    opened = ThreadFollow.objects.filter(member=user, thread=OuterRef("pk"), last_read_post_id__isnull=False)
    since = max(timezone.now() - NEW_FOR, user.date_joined - timedelta(days=1))
    return threads.filter(created_at__gte=since).exclude(author=user).exclude(Exists(opened))


def _unread_threads(threads, user):
    """Threads the member follows (watching or tracking), has read before, and where
    someone else has written since: the same rule as the count beside a thread."""
    following = ThreadFollow.objects.filter(
        member=user,
        level__in=(FollowLevel.WATCHING, FollowLevel.TRACKING),
        last_read_post_id__isnull=False,
    )
    return threads.filter(pk__in=following.values("thread_id")).filter(my_unread__gt=0)


def thread_list(user, kind: str, *, category: Category | None = None):
    """Threads across the forum (or one category) for a list: each with its category, its
    author and the reader's state, leaving out what the member hides by content warning.
    New and Unread are for members; readers who are not signed in get an empty list."""
    threads = with_reader_state(content_warnings.hide_from_lists(readable_threads(user), user), user)
    if category is not None:
        threads = threads.filter(category=category)
    member = getattr(user, "is_authenticated", False)
    if kind == "new":
        threads = _new_threads(threads, user) if member else threads.none()
    elif kind == "unread":
        threads = _unread_threads(threads, user) if member else threads.none()
    return threads.select_related("author", "category").order_by("-last_activity_at", "-pk")


def thread_list_page(user, kind: str, page_number, *, category: Category | None = None) -> Page:
    return Paginator(thread_list(user, kind, category=category), settings.FORUM_THREADS_PER_PAGE).get_page(page_number)


@dataclass
class ThreadListPreview:
    threads: list[Thread]
    has_more: bool


def thread_list_preview(user, kind: str, *, category: Category | None = None, size: int = 15) -> ThreadListPreview:
    """The first few threads of a list, for the home page: one query, no count."""
    threads = list(thread_list(user, kind, category=category)[: size + 1])
    return ThreadListPreview(threads=threads[:size], has_more=len(threads) > size)


def list_counts(user) -> dict[str, int]:
    """How many threads are New and Unread for a member (the tabs' numbers): one query."""
    if not getattr(user, "is_authenticated", False):
        return {"new": 0, "unread": 0}
    base = with_reader_state(content_warnings.hide_from_lists(readable_threads(user), user), user)
    new = _new_threads(base, user).values("pk")
    unread = _unread_threads(base, user).values("pk")
    row = Thread.objects.aggregate(
        new=Count("pk", filter=Q(pk__in=new)), unread=Count("pk", filter=Q(pk__in=unread))
    )
    return {"new": row["new"] or 0, "unread": row["unread"] or 0}


def category_threads(user, category: Category, page_number) -> Page:
    """A page of the category's threads, each with the reader's follow level and unread
    count (with_reader_state), in the same query."""
    threads = (
        with_reader_state(content_warnings.hide_from_lists(visible_threads(user), user), user)
        .filter(category=category)
        .select_related("author")
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    return Paginator(threads, settings.FORUM_THREADS_PER_PAGE).get_page(page_number)


@dataclass
class PostNode:
    post: Post
    display_depth: int
    children: list["PostNode"] = field(default_factory=list)
    # Set when the post sits deeper than the display allows: whom it answers.
    in_reply_to: Post | None = None


@dataclass
class ThreadPage:
    thread: Thread
    opening_post: Post | None
    page: Page
    nodes: list[PostNode]
    my_reactions: dict[int, set[str]] = field(default_factory=dict)

    def posts(self) -> list[Post]:
        """Every post on the page, the opening post first."""
        posts = [self.opening_post] if self.opening_post else []
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            posts.append(node.post)
            stack.extend(reversed(node.children))
        return posts

    def newest_published_post_id(self) -> int | None:
        published = [post.pk for post in self.posts() if post.status == Visibility.PUBLISHED]
        return max(published, default=None)


def thread_page(user, thread: Thread, page_number) -> ThreadPage:
    """The opening post, one page of top-level replies, and each one's whole subtree, with
    the viewer's own reactions: two queries whatever the replies (the page's top-level
    ids, then every post shown), and a third for a member when a post shown has reactions."""
    visible = visible_posts(user).filter(thread=thread)
    top_level_ids = list(visible.filter(is_opening=False, depth=1).order_by("pk").values_list("pk", flat=True))
    page = Paginator(top_level_ids, settings.FORUM_REPLIES_PER_PAGE).get_page(page_number)
    if getattr(user, "is_authenticated", False):
        posts = list(_shown_on_page(visible, list(page.object_list)))
    else:
        posts = _posts_shown_to_readers(thread.pk, list(page.object_list))
    opening_post = next((post for post in posts if post.is_opening), None)
    replies = [post for post in posts if not post.is_opening]
    return ThreadPage(
        thread=thread, opening_post=opening_post, page=page, nodes=build_tree(replies),
        my_reactions=my_reactions(user, posts),
    )


def _shown_on_page(visible, root_ids):
    """Of a thread's visible posts: the opening post and these top-level replies' whole
    subtrees, with their authors, oldest first."""
    return visible.filter(Q(is_opening=True) | Q(root_id__in=root_ids)).select_related("author").order_by("pk")


def _posts_shown_to_readers(thread_id: int, root_ids: list[int]) -> list[Post]:
    """What thread_page shows a reader who is not signed in: the opening post and these
    top-level replies' whole subtrees, with their authors, oldest first. The same query
    as a member's, compiled once per process and page size (a cold page built it again
    for every reader): the page's ids fill the query's slots, and the slots left over
    hold 0, which no post has."""
    per_page = settings.FORUM_REPLIES_PER_PAGE
    if len(root_ids) > per_page:
        raise ValueError("More top-level replies than a page holds.")
    slots = {f"root_{index}": root_id for index, root_id in enumerate(root_ids)}
    slots.update({f"root_{index}": 0 for index in range(len(root_ids), per_page)})
    return _readers_page_query(per_page).instances(thread_id=thread_id, **slots)


@functools.cache
def _readers_page_query(per_page: int) -> PreparedQuery:
    stand_ins = {f"root_{index}": -7_300_000_000 - index for index in range(per_page)}

    def build(thread_id, **roots):
        return _shown_on_page(visible_posts(AnonymousUser()).filter(thread_id=thread_id), list(roots.values()))

    return PreparedQuery(build, thread_id=-7_200_000_001, **stand_ins)


def my_reactions(user, posts) -> dict[int, set[str]]:
    """{post_id: {kind, ...}}: the viewer's own reactions to these posts. One query, and
    none for anonymous readers or when no post has a reaction (the counts are on the post)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    reacted = [post.pk for post in posts if post.support_count or post.me_too_count or post.helped_count]
    if not reacted:
        return {}
    mine: dict[int, set[str]] = {}
    for post_id, kind in Reaction.objects.filter(member=user, post_id__in=reacted).values_list("post_id", "kind"):
        mine.setdefault(post_id, set()).add(kind)
    return mine


def build_tree(posts: list[Post]) -> list[PostNode]:
    """Nest posts (ordered oldest first) under their parents. Display nesting stops at
    FORUM_MAX_DISPLAY_DEPTH: deeper replies join their deepest displayed ancestor's
    list, in order, each marked with the post it answers."""
    max_depth = settings.FORUM_MAX_DISPLAY_DEPTH
    by_id = {post.pk: post for post in posts}
    nodes: dict[int, PostNode] = {}
    roots: list[PostNode] = []
    for post in posts:
        parent_node = nodes.get(post.parent_id) if post.parent_id else None
        if post.depth <= 1 or parent_node is None:
            node = PostNode(post=post, display_depth=1)
            roots.append(node)
        elif parent_node.display_depth < max_depth:
            node = PostNode(post=post, display_depth=parent_node.display_depth + 1)
            parent_node.children.append(node)
        else:
            node = PostNode(post=post, display_depth=max_depth, in_reply_to=by_id.get(post.parent_id))
            _flattening_parent(nodes, parent_node).children.append(node)
        nodes[post.pk] = node
    return roots


def _flattening_parent(nodes: dict[int, PostNode], node: PostNode) -> PostNode:
    """The displayed ancestor one level above the cap, whose list takes deep replies."""
    max_depth = settings.FORUM_MAX_DISPLAY_DEPTH
    # A node at the cap hangs in its parent's list; climb until that parent is found.
    while node.display_depth >= max_depth:
        parent = nodes.get(node.post.parent_id)
        if parent is None or parent.display_depth < max_depth:
            return parent if parent is not None else node
        node = parent
    return node


def post_page_number(user, post: Post) -> int:
    """Which page of its thread a post is on."""
    if post.is_opening or post.root_id is None:
        return 1
    earlier = (
        visible_posts(user).filter(thread_id=post.thread_id, is_opening=False, depth=1, pk__lt=post.root_id).count()
    )
    return earlier // settings.FORUM_REPLIES_PER_PAGE + 1


RECENT_POSTS = 10


@dataclass
class Profile:
    member: User
    recent_posts: list[Post]


def member_profile(username: str, viewer_user=None) -> Profile:
    """A current member's profile: two queries. Former members have none. Recent posts
    only if the member chose to show them (their settings); never posts from a moment of
    crisis; none from members-only categories for a reader who is not signed in; and in
    the viewer's comfort mode none with a warning."""
    # No name holds a NUL, and PostgreSQL refuses to compare one.
    member = None if "\x00" in username else User.objects.filter(
        username=username, is_former=False, is_active=True
    ).first()
    if member is None:
        raise Http404("No member by that name.")
    if not member.show_activity:
        return Profile(member=member, recent_posts=[])
    posts = Post.objects.filter(author=member, status=Visibility.PUBLISHED, thread__status=Visibility.PUBLISHED)
    if not permissions.reads_members_only(viewer_user):
        posts = posts.filter(thread__category__members_only=False)
    posts = content_warnings.comfort_posts(posts.exclude(crisis_level__in=content_warnings.CRISIS_LEVELS), viewer_user)
    recent = list(posts.select_related("thread", "thread__category").order_by("-created_at", "-pk")[:RECENT_POSTS])
    return Profile(member=member, recent_posts=recent)


def unread_counts(member_ids) -> dict[int, int]:
    """Unread, visible notifications per member, in one query."""
    rows = (
        Notification.objects.filter(Notification.visible_q(), recipient_id__in=member_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
    )
    counts = {member_id: 0 for member_id in member_ids}
    counts.update({row["recipient_id"]: row["n"] for row in rows})
    return counts


# --- The reader's own state beside a thread ---------------------------------------------


def with_reader_state(threads, user):
    """Annotate threads with the reader's follow level (`my_level`, "" if none), read
    position (`my_last_read`), how many published posts by others are newer
    (`my_unread`) and the first of them (`my_first_unread`). Subqueries of the same
    query: no extra query, whatever the rows. Anonymous readers get empty values."""
    if not getattr(user, "is_authenticated", False):
        return threads.annotate(
            my_level=Value("", output_field=ThreadFollow._meta.get_field("level")),
            my_last_read=Value(None, output_field=IntegerField()),
            my_unread=Value(0, output_field=IntegerField()),
            my_first_unread=Value(None, output_field=IntegerField()),
        )
    mine = ThreadFollow.objects.filter(member=user, thread=OuterRef("pk"))
    newer = (
        Post.objects.filter(thread=OuterRef("pk"), status=Visibility.PUBLISHED)
        .filter(pk__gt=Coalesce(OuterRef("my_last_read"), Value(0)))
        .exclude(author=user)
    )
    return threads.annotate(
        my_level=Coalesce(Subquery(mine.values("level")[:1]), Value("")),
        my_last_read=Subquery(mine.values("last_read_post_id")[:1]),
    ).annotate(
        my_unread=Coalesce(
            Subquery(newer.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
        ),
        my_first_unread=Subquery(newer.order_by("pk").values("pk")[:1]),
    )


READER_STATE_FIELDS = ("my_level", "my_last_read", "my_unread", "my_first_unread")


def _reader_state_query(thread_id: int, member_id: int):
    stand_in_member = User(pk=member_id)
    threads = with_reader_state(Thread.objects.filter(pk=thread_id), stand_in_member)
    return threads.values(*READER_STATE_FIELDS)


# Every thread page a member opens asks this: compile its SQL once per process.
READER_STATE = PreparedQuery(_reader_state_query, thread_id=-5_118_220_963, member_id=-6_402_771_385)


def reader_state_attach(thread: Thread, user) -> Thread:
    """Give one thread the attributes with_reader_state annotates, for this reader."""
    state = {"my_level": "", "my_last_read": None, "my_unread": 0, "my_first_unread": None}
    if getattr(user, "is_authenticated", False):
        state.update(READER_STATE.first(thread_id=thread.pk, member_id=user.pk) or {})
    for name, value in state.items():
        setattr(thread, name, value)
    return thread


def has_unread(thread) -> bool:
    """Whether the reader has read this thread before and something is new since."""
    return getattr(thread, "my_last_read", None) is not None and bool(getattr(thread, "my_first_unread", None))


def thread_page_extras(user, thread) -> dict:
    """What a thread page shows of the reader's own relation to it: the follow control
    and a link to the first new reply (both loaded with the thread)."""
    return {
        "can_follow": permissions.can_follow(user, thread),
        "follow_level": thread.my_level,
        "follow_levels": FollowLevel.choices,
        "first_unread_id": thread.my_first_unread if has_unread(thread) else None,
    }


def category_watched(user, category: Category) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CategoryWatch.objects.filter(member=user, category=category).exists()

