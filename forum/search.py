"""Search over thread titles and post bodies: the selector behind /search/.

Only what the searcher may read is ever matched: published posts in published threads,
plus the searcher's own posts and threads that wait for a moderator. Hidden and removed
text is never searched, for anyone; moderators find it through the review queue and
the moderation log, not here, so a search can never put it in front of the wrong eyes.

Members write in English and in French, and often without accents on a phone: a word
matches whatever accents either side carries ("eveil" finds "éveil", "sevrage" finds
"SÉVRAGE"); forum/folding.py folds them.

On PostgreSQL: full-text search, with GIN indexes for each of two ways a post can match
(forum/migrations/0005_search_index.py and 0014_search_in_french.py): the `simple`
configuration over accent-folded text (`forum_unaccent`), which treats both languages
alike, and the `english` configuration, which keeps English stemming ("taper" finds
"tapering"). Ranked with ts_rank; ts_headline snippets, or one cut in Python around a
folded match the English headline cannot see. On other databases (SQLite in development
and tests): every word of the query must appear, accents folded, in the title or the
body, newest first, snippet cut in Python.

Snippets come from the Markdown source, so they are plain text: it is escaped here and
only our own <mark> tags are marked safe. Nothing a member wrote becomes markup.
"""

import re
import secrets
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import content_warnings, permissions
from .folding import SQL_FUNCTION, fold
from .models import Post, Thread, Visibility

SEARCH_CONFIG = "english"
# Both languages alike: no stemming, no stop words, accents folded.
FOLDED_CONFIG = "simple"
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


def _folded(expression):
    """The database's accent folding (forum/folding.py) of a column or a value."""
    return Func(expression, function=SQL_FUNCTION, output_field=TextField())


# --- PostgreSQL ------------------------------------------------------------------------


def _postgres(posts, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    folded_query = SearchQuery(_folded(Value(query)), config=FOLDED_CONFIG, search_type="websearch")
    body_vector = SearchVector("body", config=SEARCH_CONFIG)
    title_vector = SearchVector("title", config=SEARCH_CONFIG)
    folded_body = SearchVector(_folded(F("body")), config=FOLDED_CONFIG)
    folded_title = SearchVector(_folded(F("title")), config=FOLDED_CONFIG)
    # Each subquery reads its own GIN index; the expressions match the indexes exactly.
    body_matches = Post.objects.annotate(v=body_vector).filter(v=search_query).values("pk")
    title_matches = Thread.objects.annotate(v=title_vector).filter(v=search_query).values("pk")
    folded_body_matches = Post.objects.annotate(v=folded_body).filter(v=folded_query).values("pk")
    folded_title_matches = Thread.objects.annotate(v=folded_title).filter(v=folded_query).values("pk")
    # Sentinels no member can guess, so that only our own highlights become <mark>.
    start, stop = f"[[{secrets.token_hex(6)}[", f"]{secrets.token_hex(6)}]]"
    options = {"start_sel": start, "stop_sel": stop, "max_words": 35, "min_words": 15}
    posts = (
        posts.filter(
            Q(pk__in=body_matches)
            | Q(pk__in=folded_body_matches)
            | Q(is_opening=True, thread_id__in=title_matches)
            | Q(is_opening=True, thread_id__in=folded_title_matches)
        )
        .annotate(
            rank=SearchRank(body_vector, search_query)
            + SearchRank(folded_body, folded_query)
            + Case(
                When(is_opening=True, then=(
                    SearchRank(SearchVector("thread__title", config=SEARCH_CONFIG), search_query)
                    + SearchRank(SearchVector(_folded(F("thread__title")), config=FOLDED_CONFIG), folded_query)
                ) * Value(2.0)),
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
        if start in (post.headline or ""):
            snippet = _highlighted(post.headline, start, stop)
        else:  # found through the folded text ("eveil" in "éveil"): the English headline marks nothing
            snippet = _cut_snippet(post.body, words)
        return _hit(post, snippet=snippet, title_html=_mark_matches(post.thread.title, words))

    return posts, snippet_of


def _word_pattern(terms: list[str]) -> re.Pattern:
    """Words starting with a query word, accents folded (matched against folded text)."""
    alternatives = "|".join(re.escape(fold(term)) for term in sorted(terms, key=len, reverse=True))
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
    posts = posts.annotate(body_folded=_folded(F("body")), title_folded=_folded(F("thread__title")))
    for term in terms:
        folded = fold(term)
        posts = posts.filter(Q(body_folded__icontains=folded) | Q(is_opening=True, title_folded__icontains=folded))
    posts = posts.order_by("-created_at", "-pk")
    pattern = re.compile(
        "|".join(re.escape(fold(term)) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )

    def snippet_of(post: Post) -> SearchHit:
        return _hit(post, snippet=_cut_snippet(post.body, pattern),
                    title_html=_mark_matches(post.thread.title, pattern))

    return posts, snippet_of


def _cut_snippet(text: str, pattern: re.Pattern) -> SafeString:
    text = " ".join((text or "").split())
    found = pattern.search(fold(text))
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
    """Mark what the (folded) pattern finds in the folded text, on the text as written:
    folding keeps every character's place."""
    parts, last = [], 0
    for found in pattern.finditer(fold(text)):
        parts.append(escape(text[last:found.start()]))
        parts.append(f"<mark>{escape(text[found.start():found.end()])}</mark>")
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
        # In the reader's language when it is one of the listed warnings.
        content_warning=content_warnings.display(post.content_warning or post.thread.content_warning or (
            content_warnings.CRISIS_WARNING if crisis else "")),
        is_crisis=crisis,
    )
