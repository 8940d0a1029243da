"""Search over thread titles and post bodies: the selector behind /search/.

Only what the searcher may read is ever matched: published posts in published threads,
plus the searcher's own posts and threads that wait for a moderator. Hidden and removed
text is never searched, for anyone; moderators find it through the review queue and
the moderation log, not here, so a search can never put it in front of the wrong eyes.

On PostgreSQL: full-text search on `to_tsvector('english', ...)` with GIN indexes
(forum/migrations/0005_search_index.py), ranked with ts_rank and with ts_headline
snippets. On other databases (SQLite in development and tests): every word of the query
must appear in the title or the body, newest first, snippet cut in Python.

Snippets come from the Markdown source, so they are plain text: it is escaped here and
only our own <mark> tags are marked safe. Nothing a member wrote becomes markup.
"""

import re
import secrets
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, FloatField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import content_warnings, permissions
from .models import Post, Thread, Visibility

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 220
RESULTS_PER_PAGE = 20


@dataclass
class SearchHit:
    post: Post
    thread: Thread
    snippet: SafeString
    title_html: SafeString
    # The warning the reader must pass before the matched text shows (post's or thread's).
    content_warning: str
    # From someone who may be at risk: found, but shown by its warning only, never its text.
    is_crisis: bool = False


@dataclass
class SearchResults:
    query: str
    page: Page | None
    hits: list[SearchHit]

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def searchable_posts(user):
    """Posts whose text the searcher may read, in threads they may read."""
    post_ok = Q(status=Visibility.PUBLISHED)
    thread_ok = Q(thread__status=Visibility.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        post_ok |= Q(status=Visibility.PENDING, author=user)
        thread_ok |= Q(thread__status=Visibility.PENDING, thread__author=user)
    if not permissions.reads_members_only(user):  # members-only categories: signed in, not banned
        thread_ok &= Q(thread__category__members_only=False)
    return Post.objects.filter(post_ok & thread_ok)


def search(user, raw_query: str | None, page_number) -> SearchResults:
    """One page of posts matching the query: two queries (count and page), whatever the hits."""
    query = clean_query(raw_query)
    terms = _terms(query)
    if not terms:
        return SearchResults(query=query, page=None, hits=[])
    posts = content_warnings.comfort_posts(searchable_posts(user), user)
    posts = posts.select_related("thread", "thread__category", "author")
    if connection.vendor == "postgresql":
        posts, snippet_of = _postgres(posts, query)
    else:
        posts, snippet_of = _fallback(posts, terms)
    page = Paginator(posts, RESULTS_PER_PAGE).get_page(page_number)
    hits = [snippet_of(post) for post in page.object_list]
    return SearchResults(query=query, page=page, hits=hits)


def _terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w[\w'-]*", query) if term][:10]


# --- PostgreSQL ------------------------------------------------------------------------


def _postgres(posts, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    body_vector = SearchVector("body", config=SEARCH_CONFIG)
    title_vector = SearchVector("title", config=SEARCH_CONFIG)
    # Each subquery reads its own GIN index; the expressions match the indexes exactly.
    body_matches = Post.objects.annotate(v=body_vector).filter(v=search_query).values("pk")
    title_matches = Thread.objects.annotate(v=title_vector).filter(v=search_query).values("pk")
    # Sentinels no member can guess, so that only our own highlights become <mark>.
    start, stop = f"[[{secrets.token_hex(6)}[", f"]{secrets.token_hex(6)}]]"
    options = {"start_sel": start, "stop_sel": stop, "max_words": 35, "min_words": 15}
    posts = (
        posts.filter(Q(pk__in=body_matches) | Q(is_opening=True, thread_id__in=title_matches))
        .annotate(
            rank=SearchRank(body_vector, search_query)
            + Case(
                When(is_opening=True, then=SearchRank(SearchVector("thread__title", config=SEARCH_CONFIG),
                                                      search_query) * Value(2.0)),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            headline=SearchHeadline("body", search_query, config=SEARCH_CONFIG, **options),
        )
        .order_by("-rank", "-created_at", "-pk")
    )

    # Titles are shown whole, as everywhere else; words starting with a query word are marked.
    words = _word_pattern(_terms(query))

    def snippet_of(post: Post) -> SearchHit:
        return _hit(
            post,
            snippet=_highlighted(post.headline, start, stop),
            title_html=_mark_matches(post.thread.title, words),
        )

    return posts, snippet_of


def _word_pattern(terms: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def _highlighted(text: str, start: str, stop: str) -> SafeString:
    """Escape everything, then turn only our sentinels into <mark>."""
    parts = []
    for chunk in re.split(f"({re.escape(start)}|{re.escape(stop)})", text or ""):
        if chunk == start:
            parts.append("<mark>")
        elif chunk == stop:
            parts.append("</mark>")
        else:
            parts.append(escape(chunk))
    return mark_safe(_balanced("".join(parts)))  # noqa: S308 - escaped; only our <mark> tags


def _balanced(html: str) -> str:
    opened = html.count("<mark>") - html.count("</mark>")
    return html + "</mark>" * max(opened, 0)


# --- Other databases ------------------------------------------------------------------


def _fallback(posts, terms: list[str]):
    for term in terms:
        posts = posts.filter(Q(body__icontains=term) | Q(is_opening=True, thread__title__icontains=term))
    posts = posts.order_by("-created_at", "-pk")
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)

    def snippet_of(post: Post) -> SearchHit:
        return _hit(post, snippet=_cut_snippet(post.body, pattern),
                    title_html=_mark_matches(post.thread.title, pattern))

    return posts, snippet_of


def _cut_snippet(text: str, pattern: re.Pattern) -> SafeString:
    text = " ".join((text or "").split())
    found = pattern.search(text)
    start = max(0, (found.start() if found else 0) - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    window = text[start:start + SNIPPET_CHARS]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
    marked = escape(prefix) + _mark_matches(window, pattern) + escape(suffix)
    return mark_safe(marked)  # noqa: S308 - escaped; only our <mark> tags


def _mark_matches(text: str, pattern: re.Pattern) -> SafeString:
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last:found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - escaped; only our <mark> tags


def _hit(post: Post, *, snippet: SafeString, title_html: SafeString) -> SearchHit:
    crisis = content_warnings.is_crisis(post.crisis_level)
    return SearchHit(
        post=post,
        thread=post.thread,
        snippet=mark_safe("") if crisis else snippet,  # noqa: S308 - empty
        title_html=title_html,
        content_warning=post.content_warning or post.thread.content_warning or (
            content_warnings.CRISIS_WARNING if crisis else ""),
        is_crisis=crisis,
    )
