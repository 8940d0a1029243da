"""A page's query count must not grow with its rows."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services
from tests.conftest import client_for, make_member


def queries_for(client, url) -> int:
    client.get(url)  # warm the cache (the crisis lines are read once, then served from it)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_replies(thread, authors, count):
    parent = None
    for index in range(count):
        # A mix of top-level replies and chains three and four deep.
        parent = None if index % 4 == 0 else parent
        parent = services.post_create(author=authors[index % len(authors)], thread=thread, body=f"reply {index}", parent=parent)


def test_thread_page_queries_do_not_grow_with_replies(reader, thread, member, other_member, settings):
    settings.FORUM_REPLIES_PER_PAGE = 1000  # every reply on one page, the hardest case
    authors = [member, other_member] + [make_member(f"reader{n}") for n in range(8)]
    add_replies(thread, authors, 5)
    few = queries_for(reader, thread.get_absolute_url())
    add_replies(thread, authors, 195)
    many = queries_for(reader, thread.get_absolute_url())
    assert few == many
    logged_in = client_for(member)
    assert queries_for(logged_in, thread.get_absolute_url()) <= 10


def test_category_page_queries_do_not_grow_with_threads(reader, member, other_member, category):
    def add_threads(count):
        for index in range(count):
            author = member if index % 2 else other_member
            services.thread_create(author=author, category=category, title=f"Thread {index}", body="body")

    add_threads(5)
    few = queries_for(reader, category.get_absolute_url())
    add_threads(95)
    many = queries_for(reader, category.get_absolute_url())
    assert few == many


def test_home_page_queries_do_not_grow_with_threads(reader, member, category, other_category):
    services.thread_create(author=member, category=category, title="One", body="body")
    few = queries_for(reader, "/")
    for index in range(30):
        services.thread_create(author=member, category=other_category, title=f"T{index}", body="body")
    assert queries_for(reader, "/") == few


def test_thread_pages_stay_within_the_query_budget_cold_and_cached(thread, member, other_member, settings):
    """Issue 7: at most 6 queries for a reader and 10 for a member, on any page, whether
    the page's tree comes from the cache or is rendered."""
    from django.core.cache import cache

    settings.FORUM_REPLIES_PER_PAGE = 5
    add_replies(thread, [member, other_member], 60)
    member_client = client_for(member)
    last_page = f"{thread.get_absolute_url()}?page=3"
    for url in (thread.get_absolute_url(), last_page):
        cache.clear()
        for _ in range(2):  # rendered, then from the cache
            assert queries_for(Client(), url) <= 6
            assert queries_for(member_client, url) <= 10


def test_an_anonymous_reader_gets_no_cookies_at_all(reader, thread, other_member):
    services.post_create(author=other_member, thread=thread, body="A reply with reactions under it")
    response = reader.get(thread.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
