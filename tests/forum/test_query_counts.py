"""A page's query count must not grow with its rows, and stays within its budget whether
its caches are cold (every cache emptied) or warm: at most 6 queries for a reader and 10
for a member on the thread, category and home pages, and on the forum-wide lists
(/latest/, /new/, /unread/)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import post_render, services
from tests.conftest import client_for, make_member

BUDGET = {"reader": 6, "member": 10}


def empty_every_cache():
    for cache in caches.all():
        cache.clear()


def queries_for(client, url, *, cold: bool = False) -> int:
    if cold:
        empty_every_cache()
    else:
        client.get(url)  # warm: the page, the crisis lines and the tree are cached now
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_replies(thread, authors, count):
    parent = None
    for index in range(count):
        # A mix of top-level replies and chains three and four deep.
        parent = None if index % 4 == 0 else parent
        parent = services.post_create(
            author=authors[index % len(authors)], thread=thread, body=f"reply {index}", parent=parent
        )


def add_threads(category, authors, count):
    for index in range(count):
        services.thread_create(author=authors[index % len(authors)], category=category, title=f"T{index}", body="b")


@pytest.fixture
def authors(member, other_member):
    return [member, other_member] + [make_member(f"reader{n}") for n in range(6)]


def budget_check(url, member):
    """Assert the page keeps its budget for a reader and a member, cold and warm."""
    for who, client in (("reader", Client()), ("member", client_for(member))):
        for cold in (True, False):
            count = queries_for(client, url, cold=cold)
            assert count <= BUDGET[who], f"{url} for a {who}, {'cold' if cold else 'warm'}: {count} queries"


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_thread_page_queries_do_not_grow_with_replies(thread, member, authors, settings, cold):
    settings.FORUM_REPLIES_PER_PAGE = 1000  # every reply on one page, the hardest case
    add_replies(thread, authors, 5)
    few = queries_for(Client(), thread.get_absolute_url(), cold=cold)
    member_few = queries_for(client_for(member), thread.get_absolute_url(), cold=cold)
    add_replies(thread, authors, 145)
    assert queries_for(Client(), thread.get_absolute_url(), cold=cold) == few
    assert queries_for(client_for(member), thread.get_absolute_url(), cold=cold) == member_few


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_category_page_queries_do_not_grow_with_threads(member, authors, category, cold):
    add_threads(category, authors, 5)
    few = queries_for(Client(), category.get_absolute_url(), cold=cold)
    member_few = queries_for(client_for(member), category.get_absolute_url(), cold=cold)
    add_threads(category, authors, 45)
    assert queries_for(Client(), category.get_absolute_url(), cold=cold) == few
    assert queries_for(client_for(member), category.get_absolute_url(), cold=cold) == member_few


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_home_page_queries_do_not_grow_with_threads(member, authors, category, other_category, cold):
    add_threads(category, authors, 1)
    few = queries_for(Client(), "/", cold=cold)
    add_threads(other_category, authors, 30)
    assert queries_for(Client(), "/", cold=cold) == few


def test_the_thread_category_and_home_pages_keep_their_budgets(thread, member, authors, category, settings):
    settings.FORUM_REPLIES_PER_PAGE = 5
    add_replies(thread, authors, 40)
    add_threads(category, authors, 10)
    for url in (thread.get_absolute_url(), f"{thread.get_absolute_url()}?page=3", category.get_absolute_url(), "/"):
        budget_check(url, member)


def test_an_n_plus_one_in_a_post_fails_the_budget(thread, member, authors, monkeypatch):
    """The budget counts cold renders: a query per post (here, in the function that prints
    each author's name) must fail it. Without this test a budget measured only on cache
    hits would stay green whatever a post's markup did."""
    add_replies(thread, authors, 12)
    plain = post_render.member_name

    def member_name_with_a_query(user):
        type(user).objects.filter(pk=getattr(user, "pk", None)).exists()
        return plain(user)

    monkeypatch.setattr(post_render, "member_name", member_name_with_a_query)
    with pytest.raises(AssertionError, match="queries"):
        budget_check(thread.get_absolute_url(), member)


def test_an_anonymous_reader_gets_no_cookies_at_all(reader, thread, other_member):
    services.post_create(author=other_member, thread=thread, body="A reply with reactions under it")
    response = reader.get(thread.get_absolute_url())
    assert response.status_code == 200 and not response.cookies


LIST_PAGES = ("/", "/latest/", "/new/", "/unread/")


def make_unread_and_new(member, other_member, category, authors):
    """Threads the member follows with unread replies, and new ones they have not opened."""
    client = client_for(member)
    for index in range(3):
        thread = services.thread_create(author=member, category=category, title=f"Mine {index}", body="b")
        client.get(thread.get_absolute_url())
        services.post_create(author=other_member, thread=thread, body="news")
    add_threads(category, authors[1:], 3)


def test_the_forum_wide_lists_keep_their_budgets(member, other_member, authors, category):
    make_unread_and_new(member, other_member, category, authors)
    for url in LIST_PAGES:
        if url in ("/new/", "/unread/"):
            for cold in (True, False):
                count = queries_for(client_for(member), url, cold=cold)
                assert count <= BUDGET["member"], f"{url} for a member, {'cold' if cold else 'warm'}: {count} queries"
        else:
            budget_check(url, member)


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_the_forum_wide_lists_do_not_grow_with_threads(member, other_member, authors, category, other_category, cold):
    make_unread_and_new(member, other_member, category, authors)
    few = {url: queries_for(client_for(member), url, cold=cold) for url in LIST_PAGES}
    make_unread_and_new(member, other_member, other_category, authors)
    add_threads(other_category, authors[1:], 20)
    for url in LIST_PAGES:
        assert queries_for(client_for(member), url, cold=cold) == few[url], url
