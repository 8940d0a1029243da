"""The thread page's reply tree, cached.

Rendering the opening post and a page of replies with their subtrees is most of the
cost of a thread page. The rendered tree is kept in Django's cache (local memory by
default, Redis when REDIS_URL is set) under a key made of:

- the thread's `version`, bumped in the database by every write that changes what the
  page shows (`thread_changed`), so a new, edited, hidden or approved post shows on the
  next load, in every process at once;
- the page number;
- the viewer: anonymous readers share one entry; each member has their own (their edit
  links, reactions, pending posts and private notes); moderators are never cached, since
  they see hidden text and tools. One member's view is never served to anyone else.

Entries also expire after TREE_TIMEOUT, which bounds how stale the post counts beside
authors' names can get. CSRF tokens are not cached: the fragment is stored with a
placeholder that each response fills with the reader's own token.

Inside it, every post is cached on its own (`PostFragments`), so a live thread does not
run cold: a new reply bumps the thread's version and the next load assembles the page
from the posts already rendered, rendering only the new one. A post's fragment is keyed by

- the post's id and a fingerprint of everything its markup shows (status, text, warning,
  crisis level and "safe for now", reaction counts, edits, its author's name, whom it
  answers): any change is a new key, so a hidden or edited post is never served stale,
  whichever code path changed it, and nothing has to remember to clear it;
- the viewer's class for that post (`post_viewer_class`): anonymous readers share one;
  members share by what the controls under someone else's post depend on (may reply,
  post, report; whether they reacted, blocked or are blocked by its author; expanded
  warnings); a member's own posts are theirs alone; moderators and a member's own
  pending or crisis-flagged posts are never cached;
- the language of the page, so French and English readers never share a fragment.

The tree keeps the thread's version, the page, the viewer's cache key and the language.

Readers who are not logged in all see the same page, so for them the whole page is kept
too (`anonymous_page`), keyed by the thread's version, every column of the thread and of
its category (a title or a lock shows at once, whatever changed it), the path (the page
number, the links back), the language, and what registered seams add (`page_varies_on`:
safety adds the reader's crisis region and that region's lines). A reader with a message
waiting, or whose page used a CSRF token, gets a page rendered for them alone.

A live page's catch-up answer is the same for every reader (`catch_up`): it is kept by
thread version, language and the question (`after`, `since`), so the pages of a
reconnect storm, which were loaded from one shared page and ask the same question, are
answered from the posts once.

The cache is a speed-up, never a dependency: when it fails, pages are rendered fresh
and the outage is logged once (forum.outages).
"""

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.contrib import messages
from django.core.cache import cache
from django.db.models import F
from django.middleware.csrf import get_token
from django.utils import translation

from . import content_warnings, permissions
from .models import Category, Thread, Visibility
from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage(logger, "The cache", "thread pages are rendered fresh on every request until it returns.")

TREE_TIMEOUT = 300
# A post's fragment is keyed by what it shows, so it can live long; the bound is memory.
POST_TIMEOUT = 3600
# Raise when forum/post_render.py (or a template it includes) changes its markup, so a
# deploy never serves fragments rendered by the old code.
FRAGMENT_FORMAT = 4
CSRF_PLACEHOLDER = "__forum_csrf_token__"


@dataclass(frozen=True)
class Tree:
    html: str
    newest_post_id: int | None  # the newest published post shown: the reader's read position
    is_last_page: bool
    # The opening post's crisis level and author, so the page can coach whoever replies to it.
    opening_crisis_level: str = "none"
    opening_author_id: int | None = None
    # The <template>s of the controls live posts get (forum.views._live_controls_html).
    live_controls_html: str = ""


def thread_changed(thread: Thread | int) -> None:
    """Call after any write that changes what the thread page shows."""
    threads_changed([thread if isinstance(thread, int) else thread.pk])


def threads_changed(thread_ids) -> None:
    """The same for many threads at once (a list, or a queryset of ids)."""
    Thread.objects.filter(pk__in=thread_ids).update(version=F("version") + 1)


def thread_tree(request, thread: Thread, page_number, render) -> Tree:
    """The rendered tree for this reader, from the cache or from `render()`."""
    key = _key(request.user, thread, page_number)
    tree = render() if key is None else (_get(key) or _render_once(key, render))
    if CSRF_PLACEHOLDER not in tree.html and CSRF_PLACEHOLDER not in tree.live_controls_html:
        return tree
    return replace(
        tree, html=_with_token(request, tree.html), live_controls_html=_with_token(request, tree.live_controls_html)
    )


class _Flight:
    """A tree (or an anonymous reader's page) being rendered in this process. After a
    reply every request of a reader misses the cache at once; they wait for the first
    one's render instead of each rendering the same tree, which on a busy page
    multiplied the work by the requests in flight."""

    def __init__(self):
        self.done = threading.Event()
        self.tree = None

    def wait(self):
        self.done.wait(FLIGHT_WAIT)
        return self.tree


# A waiter renders on its own after this long, or at once when the first render failed.
FLIGHT_WAIT = 5.0
_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def _render_once(key: str, render):
    with _flights_lock:
        flight = _flights.get(key)
        leading = flight is None
        if leading:
            flight = _flights[key] = _Flight()
    if not leading:
        tree = flight.wait()
        return tree if tree is not None else render()
    try:
        flight.tree = render()
        _set(key, flight.tree)
        return flight.tree
    finally:
        with _flights_lock:
            del _flights[key]
        flight.done.set()


def _get(key: str):
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - whatever the backend raises, the page renders without it
        outage.failed()
        return None
    outage.recovered()
    return value


def _set(key: str, value) -> None:
    try:
        cache.set(key, value, TREE_TIMEOUT)
    except Exception:  # noqa: BLE001 - as above
        outage.failed()


def _key(user, thread: Thread, page_number) -> str | None:
    viewer = permissions.viewer_for(user).cache_key(thread)
    if viewer is None:
        return None
    try:
        page = max(int(page_number or 1), 1)
    except (TypeError, ValueError):
        page = 1
    language = translation.get_language() or "-"
    return f"thread-tree:{FRAGMENT_FORMAT}:{thread.pk}:{thread.version}:{page}:{language}:{viewer}"


# --- One post at a time ---------------------------------------------------------------


def post_viewer_class(viewer, post, *, can_reply: bool, mine=()) -> str | None:
    """Which viewers see this post's fragment exactly alike (None: render it fresh).
    `mine` is the reactions this viewer gave the post."""
    if not viewer.is_authenticated:
        return "anon"
    if viewer.is_moderator:
        return None  # hidden text and moderators' tools: never stored
    expand = int(bool(getattr(viewer.user, "always_expand_warnings", False)))
    if viewer.is_author(post):
        if post.status == Visibility.PENDING or content_warnings.is_crisis(post.crisis_level):
            # Its private notes ask the database (why it waits, the reader's crisis lines).
            return None
        return f"own{viewer.id}:{int(viewer.can_post)}{int(can_reply)}{expand}"
    flags = (
        can_reply, viewer.can_post, viewer.can_report, expand,
        viewer.has_blocked(post.author_id), viewer.is_blocked_by(post.author_id),
    )
    reacted = ",".join(sorted(mine))
    return "m" + "".join(str(int(bool(flag))) for flag in flags) + (f":{reacted}" if reacted else "")


def post_fingerprint(post, node=None) -> str:
    """Everything of the post (and of its node) that its markup shows, hashed short."""
    author = post.author
    answers = getattr(node, "in_reply_to", None)
    parts = (
        post.pk, post.thread_id, post.parent_id, post.is_opening, post.status, post.crisis_level,
        post.content_warning, post.created_at, post.edited_at, post.changed_at, post.safe_for_now_at,
        post.support_count, post.me_too_count, post.helped_count, post.body_html,
        author.pk if author else None, author.public_name if author else None,
        author.username if author else None, author.is_former if author else None,
        answers.pk if answers else None,
        (answers.author.public_name if answers.author else None) if answers else None,
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=9).hexdigest()


def posts_and_nodes(thread_page) -> list[tuple]:
    """(post, node) for every post of a forum.selectors.ThreadPage, as the page shows them."""
    pairs = [(thread_page.opening_post, None)] if thread_page.opening_post else []
    stack = list(reversed(thread_page.nodes))
    while stack:
        node = stack.pop()
        pairs.append((node.post, node))
        stack.extend(reversed(node.children))
    return pairs


class PostFragments:
    """The rendered posts of one page for one viewer. `prefetch` asks the cache for all
    of them in one round trip; the page's template (`{% post_html %}`) takes each one
    found, renders the rest and hands them back (`put`); `store` saves the new ones in
    one round trip. `rendered` counts the posts actually rendered."""

    def __init__(self, viewer, *, can_reply: bool, my_reactions: dict | None = None):
        self.viewer = viewer
        self.can_reply = can_reply
        self.my_reactions = my_reactions or {}
        self.language = translation.get_language() or "-"
        self.found: dict[str, str] = {}
        self.fresh: dict[str, str] = {}
        self.rendered = 0
        self._keys: dict[int, str | None] = {}

    def key(self, post, node=None) -> str | None:
        if post.pk is None:
            return None
        if post.pk not in self._keys:
            self._keys[post.pk] = self._key(post, node)
        return self._keys[post.pk]

    def _key(self, post, node) -> str | None:
        viewer_class = post_viewer_class(
            self.viewer, post, can_reply=self.can_reply, mine=self.my_reactions.get(post.pk, ())
        )
        if viewer_class is None:
            return None
        return f"post:{FRAGMENT_FORMAT}:{post.pk}:{post_fingerprint(post, node)}:{self.language}:{viewer_class}"

    def prefetch(self, pairs) -> None:
        """`pairs`: (post, node) for every post the page shows."""
        keys = [key for key in (self.key(post, node) for post, node in pairs) if key]
        if not keys:
            return
        try:
            self.found = cache.get_many(keys)
        except Exception:  # noqa: BLE001 - whatever the backend raises, the page renders without it
            outage.failed()
            self.found = {}
            return
        outage.recovered()

    def get(self, post, node=None) -> str | None:
        key = self.key(post, node)
        return self.found.get(key) if key else None

    def put(self, post, node, html: str) -> None:
        self.rendered += 1
        key = self.key(post, node)
        if key:
            self.fresh[key] = html

    def store(self) -> None:
        if not self.fresh:
            return
        try:
            cache.set_many(self.fresh, POST_TIMEOUT)
        except Exception:  # noqa: BLE001 - as above
            outage.failed()
        self.fresh = {}


# --- The reply box ---------------------------------------------------------------------


def reply_box(request, thread: Thread, standing: tuple | None, render) -> str:
    """The reply box under a thread. It names nobody, so every reader in the same
    `standing` (everything it shows depends on; None for a member with a draft here, whose
    box holds their words) shares one rendering per thread, path and language, with this
    reader's CSRF token filled in."""
    if standing is None:
        return _with_token(request, render())
    digest = hashlib.blake2b(repr((request.get_full_path(), standing)).encode(), digest_size=9).hexdigest()
    language = translation.get_language() or "-"
    key = f"reply-box:{FRAGMENT_FORMAT}:{thread.pk}:{language}:{digest}"
    return _with_token(request, _get(key) or _render_once(key, render))


def _with_token(request, html: str) -> str:
    """Fill the stand-in CSRF token of a kept rendering with this reader's own."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in html else html


# --- Whole pages for anonymous readers -------------------------------------------------

# What else a page shows that depends on the request, beyond its path and language: each
# registered function answers a short string for the request (safety registers the
# reader's region and its crisis lines, safety/apps.py).
_page_variants: list[Callable] = []


def page_varies_on(variant: Callable) -> None:
    """Register `variant(request) -> str`: anonymous pages differ when it differs."""
    _page_variants.append(variant)


class _PersonalPage(Exception):  # noqa: N818 - an outcome, not an error
    """The page used something of this one reader's (a CSRF token): it is never shared."""

    def __init__(self, html: str):
        self.html = html


def anonymous_page(request, thread: Thread, render) -> str:
    """The whole thread page for a reader who is not logged in, from the cache or from
    `render()`. Every anonymous reader of a page sees the same HTML, so it is rendered
    once per thread version, path, language and crisis region, and shared. Never for a
    member, nor for a request carrying a message to show (it is one reader's) or that
    already holds a CSRF token; a render that asks for a token is sent but not kept.
    The page's data-rendered-at is the time of its render, so a page that reconnects asks
    its catch-up for a little more than it needs, never less."""
    key = _page_key(request, thread)
    if key is None:
        return render()

    def shareable():
        html = render()
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            raise _PersonalPage(html)
        return html

    try:
        return _get(key) or _render_once(key, shareable)
    except _PersonalPage as personal:
        return personal.html


def _page_key(request, thread: Thread) -> str | None:
    if getattr(request.user, "is_authenticated", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    if len(messages.get_messages(request)):
        return None
    parts = (
        request.get_full_path(),
        _row(thread),
        _row(thread.category),
        *(variant(request) for variant in _page_variants),
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    language = translation.get_language() or "-"
    return f"thread-page:{FRAGMENT_FORMAT}:{thread.pk}:{thread.version}:{language}:{digest}"


def catch_up(thread: Thread, after: int, since, render) -> str:
    """A catch-up's JSON answer (forum.views.thread_posts_after), from the cache or from
    `render()`. Every reader gets the same answer to the same question (the posts as
    readers see them), so it is kept per thread version, language, `after` and `since`
    and shared: a reconnect storm of pages loaded from the same shared page asks the same
    question a thousand times, and it is rendered once. Whoever asks was already allowed
    to read the thread. The answer's `now` may then be older than the request; that is
    fine, since nothing changed in between (the version would have moved), and a page
    asks from an older `since` next time for a little more than it needs, never less."""
    language = translation.get_language() or "-"
    asked = since.isoformat() if since else "-"
    key = f"catch-up:{FRAGMENT_FORMAT}:{thread.pk}:{thread.version}:{language}:{after}:{asked}"
    return _get(key) or _render_once(key, render)


def _row(instance: Thread | Category) -> tuple:
    """Every column of a row: the page shows a thread's title, state and counts and its
    category's name, and any change to them must show at once, whoever changed them."""
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)
