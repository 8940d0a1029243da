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

The cache is a speed-up, never a dependency: when it fails, pages are rendered fresh
and the outage is logged once (forum.outages).
"""

import logging
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import F
from django.middleware.csrf import get_token

from . import permissions
from .models import Thread
from .outages import Outage

logger = logging.getLogger(__name__)
outage = Outage(logger, "The cache", "thread pages are rendered fresh on every request until it returns.")

TREE_TIMEOUT = 300
CSRF_PLACEHOLDER = "__forum_csrf_token__"


@dataclass(frozen=True)
class Tree:
    html: str
    newest_post_id: int | None  # the newest published post shown: the reader's read position
    is_last_page: bool
    # The opening post's crisis level and author, so the page can coach whoever replies to it.
    opening_crisis_level: str = "none"
    opening_author_id: int | None = None


def thread_changed(thread: Thread | int) -> None:
    """Call after any write that changes what the thread page shows."""
    threads_changed([thread if isinstance(thread, int) else thread.pk])


def threads_changed(thread_ids) -> None:
    """The same for many threads at once (a list, or a queryset of ids)."""
    Thread.objects.filter(pk__in=thread_ids).update(version=F("version") + 1)


def thread_tree(request, thread: Thread, page_number, render) -> Tree:
    """The rendered tree for this reader, from the cache or from `render()`."""
    key = _key(request.user, thread, page_number)
    tree = _get(key) if key else None
    if tree is None:
        tree = render()
        if key:
            _set(key, tree)
    if CSRF_PLACEHOLDER not in tree.html:
        return tree
    return replace(tree, html=tree.html.replace(CSRF_PLACEHOLDER, get_token(request)))


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
    return f"thread-tree:{thread.pk}:{thread.version}:{page}:{viewer}"
