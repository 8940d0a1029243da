"""A page's query count must not grow with its rows, and stays within its budget whether
its caches are cold (every cache emptied) or warm: at most 6 queries for a reader and 10
for a member on the thread, category and home pages."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services
from forum.templatetags import forum_tags
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


def test_an_n_plus_one_in_a_post_template_fails_the_budget(thread, member, authors, monkeypatch):
    """The budget counts cold renders: a query per post (here, in the filter that prints
    each author's name) must fail it. Without this test a budget measured only on cache
    hits would stay green whatever the templates did."""
    add_replies(thread, authors, 12)
    plain = forum_tags.member_name

    def member_name_with_a_query(user):
        type(user).objects.filter(pk=getattr(user, "pk", None)).exists()
        return plain(user)

    monkeypatch.setitem(forum_tags.register.filters, "member_name", member_name_with_a_query)
    reparse_templates()
    try:
        with pytest.raises(AssertionError, match="queries"):
            budget_check(thread.get_absolute_url(), member)
    finally:
        monkeypatch.undo()
        reparse_templates()  # later tests get the real filter back


def reparse_templates():
    for loader in engines["django"].engine.template_loaders:
        loader.reset()


def test_an_anonymous_reader_gets_no_cookies_at_all(reader, thread, other_member):
    services.post_create(author=other_member, thread=thread, body="A reply with reactions under it")
    response = reader.get(thread.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
