"""Search at /search/?q=: only what the searcher may read, safe snippets, crisis lines.

Every test here runs on SQLite and on PostgreSQL (CI runs both); the few that check
what only full-text search does say so and skip on SQLite."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import search, services
from safety import search_help
from forum.models import Post
from moderation import services as moderation_services
from tests.conftest import client_for, make_member

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only (stemming, ranking, GIN index)"
)


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def plain(html) -> str:
    """The page without our highlight tags, to read matched text as the eye does."""
    return html.replace("<mark>", "").replace("</mark>", "")


def hit_count(html) -> int:
    return html.count('class="search-hit"')


def test_it_finds_published_posts_and_thread_titles(reader, member, other_member, category):
    started = services.thread_create(author=member, category=category, title="Lamotrigine and sleep", body="Week one.")
    services.post_create(author=other_member, thread=started, body="My lamotrigine taper went slowly but well.")
    html = results(reader, "lamotrigine")
    assert hit_count(html) == 2
    assert "2 results for" in html
    assert "My lamotrigine taper went slowly but well" in plain(html)
    assert f'href="/p/{started.posts.get(is_opening=True).pk}/"' in html


def test_every_word_of_the_query_must_match(reader, member, category):
    services.thread_create(author=member, category=category, title="Clinic visit", body="Esketamine at the clinic.")
    services.thread_create(author=member, category=category, title="Another visit", body="Esketamine at home.")
    html = results(reader, "esketamine clinic")
    assert hit_count(html) == 1
    assert "Clinic visit" in plain(html) and "at home" not in html


@pytest.fixture
def hidden_things(member, other_member, moderator, category, settings):
    """One post of each kind nobody but its author (or a moderator) should find, all
    carrying the word "quetiapine"."""
    thread = services.thread_create(author=member, category=category, title="Evenings", body="Evenings are hard.")
    hidden = services.post_create(author=other_member, thread=thread, body="Hidden quetiapine story.")
    moderation_services.post_hide(actor=moderator, post=hidden, reason="Dosing instructions")
    removed = services.post_create(author=other_member, thread=thread, body="Removed quetiapine story.")
    services.post_delete(actor=other_member, post=removed)
    hidden_thread = services.thread_create(
        author=other_member, category=category, title="Quetiapine thread", body="Opening of a hidden thread."
    )
    reply_in_hidden_thread = services.post_create(author=member, thread=hidden_thread, body="Quetiapine reply.")
    moderation_services.post_hide(
        actor=moderator, post=hidden_thread.posts.get(is_opening=True), reason="Sourcing talk"
    )
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    newcomer = make_member("newcomer_fern")
    pending = services.post_create(author=newcomer, thread=thread, body="Pending quetiapine question.")
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    assert Post.objects.get(pk=pending.pk).status == "pending"
    assert Post.objects.get(pk=reply_in_hidden_thread.pk).status == "published"
    return {"newcomer": newcomer, "pending": pending}


@pytest.mark.parametrize("who", ["reader", "member", "other_member", "moderator"])
def test_it_never_shows_pending_hidden_or_removed_text(request, who, hidden_things):
    client = request.getfixturevalue("reader") if who == "reader" else client_for(request.getfixturevalue(who))
    html = results(client, "quetiapine")
    assert hit_count(html) == 0
    for secret in ("Hidden quetiapine", "Removed quetiapine", "Quetiapine reply", "Quetiapine thread", "Pending quetiapine"):
        assert secret not in html
    assert "Nothing matched" in html


def test_a_member_finds_their_own_pending_post_marked_as_waiting(hidden_things):
    html = results(client_for(hidden_things["newcomer"]), "quetiapine")
    assert hit_count(html) == 1
    assert "Pending quetiapine question" in plain(html)
    assert "Waiting for a moderator" in html


def test_snippets_and_titles_show_html_and_markdown_tricks_as_harmless_text(reader, member, category):
    services.thread_create(
        author=member,
        category=category,
        title="<b>Bold</b> venlafaxine title",
        body='Venlafaxine <script>alert("x")</script> and [a link](javascript:alert(1)) '
        '<img src=x onerror=alert(2)>',
    )
    html = results(reader, "venlafaxine")
    main = html[html.index('<ol class="search-results">'):]
    assert "<script>alert" not in main and "<img" not in main and "<b>Bold" not in main
    assert 'href="javascript' not in main
    assert "alert(&quot;x&quot;)" in main  # shown as text (PostgreSQL's snippet also drops tag-like words)
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>venlafaxine</mark> title" in main
    assert re.search(r"<mark>venlafaxine</mark>", main, re.IGNORECASE)


def test_the_query_itself_is_escaped_on_the_page(db, reader):
    html = results(reader, '<script>alert("q")</script>')
    assert '<script>alert("q")' not in html
    assert "&lt;script&gt;" in html


def test_a_post_behind_a_content_warning_shows_its_match_only_when_opened(reader, member, category):
    services.thread_create(
        author=member, category=category, title="Hard night", body="Sertraline withdrawal was rough.",
        content_warning="withdrawal symptoms",
    )
    html = results(reader, "sertraline")
    assert "<details" in html and "Content warning: withdrawal symptoms" in html
    assert html.index("<summary>") < html.index("withdrawal was rough")


def test_a_crisis_query_shows_the_searchers_crisis_lines_above_the_results(member, category):
    from django.test import Client

    services.thread_create(author=member, category=category, title="Where to call", body="A suicide hotline list.")
    html = results(Client(HTTP_ACCEPT_LANGUAGE="en-CA"), "suicide hotline")
    assert "search-crisis" in html
    # The banner on every page names only the main line; this section lists them all.
    assert "Kids Help Phone" in html and "1-800-668-6868" in html
    assert html.index("search-crisis") < html.index('class="search-results"')


def test_a_member_sees_the_crisis_lines_of_their_region(member):
    member.region = "GB"
    member.save(update_fields=["region"])
    html = results(client_for(member), "I want to die")
    assert "search-crisis" in html and "Samaritans" in html and "116 123" in html


@pytest.mark.parametrize("query", ["ketamine dose", "tapering cold turkey", "overdose prevention", "suicide"])
def test_ordinary_queries_do_not_show_the_crisis_section(db, reader, query):
    assert "search-crisis" not in results(reader, query)


@pytest.mark.parametrize(
    "query", ["suicide hotline", "crisis line", "i want to die", "how to kill myself", "feeling suicidal"]
)
def test_crisis_queries_are_recognised(query):
    assert search_help.is_crisis_query(query)


def add_posts(thread, author, count, start=0):
    for index in range(start, start + count):
        services.post_create(author=author, thread=thread, body=f"Bupropion note number {index}.")


def queries_for(client, query) -> int:
    client.get("/search/", {"q": query})  # warm the crisis-lines cache
    with CaptureQueriesContext(connection) as context:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_search_page_queries_do_not_grow_with_results(member, other_member, thread):
    client = client_for(member)
    add_posts(thread, other_member, 2)
    few = queries_for(client, "bupropion")
    add_posts(thread, other_member, 40, start=2)
    many = queries_for(client, "bupropion")
    assert few == many


def test_results_are_paginated_and_the_next_page_keeps_the_query(reader, member, thread, monkeypatch):
    monkeypatch.setattr(search, "RESULTS_PER_PAGE", 10)
    add_posts(thread, member, 13)
    first = results(reader, "bupropion")
    assert hit_count(first) == 10 and "Page 1 of 2" in first
    assert 'href="?q=bupropion&amp;page=2"' in first
    second = results(reader, "bupropion", page=2)
    assert hit_count(second) == 3


def test_every_page_has_a_search_box_in_the_header(db, reader):
    html = reader.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html


def test_an_empty_search_shows_a_hint_and_no_results(db, reader):
    html = results(reader, "   ")
    assert hit_count(html) == 0 and "Search thread titles and posts" in html


@on_postgres
def test_postgres_finds_other_forms_of_a_word(reader, member, category):
    services.thread_create(author=member, category=category, title="Slowly", body="I am tapering off paroxetine.")
    html = results(reader, "taper")
    assert hit_count(html) == 1
    assert "<mark>tapering</mark>" in html


@on_postgres
def test_postgres_ranks_the_closer_match_first(reader, member, category):
    services.thread_create(author=member, category=category, title="Mirtazapine", body="Mirtazapine mirtazapine sleep.")
    services.thread_create(author=member, category=category, title="Other things", body="Once: mirtazapine.")
    html = results(reader, "mirtazapine")
    html = plain(html)
    assert html.index("Mirtazapine mirtazapine") < html.index("Once:")


@on_postgres
def test_postgres_search_reads_the_gin_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'forum_%_search'")
        indexes = dict(cursor.fetchall())
    assert "gin" in indexes["forum_post_body_search"].lower()
    assert "gin" in indexes["forum_thread_title_search"].lower()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM forum_post WHERE to_tsvector('english'::regconfig, COALESCE(body, ''))"
            " @@ websearch_to_tsquery('english'::regconfig, 'ketamine')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "forum_post_body_search" in plan
