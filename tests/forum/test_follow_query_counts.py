"""The inbox and category pages: query counts do not grow with the items."""

from forum import services
from forum.models import ThreadFollow
from tests.conftest import client_for, make_member

from .test_query_counts import queries_for


def test_inbox_queries_do_not_grow_with_notifications(member, other_member, thread):
    client = client_for(member)
    authors = [other_member, make_member("carol"), make_member("dave")]
    for n in range(3):
        services.post_create(author=authors[n % 3], thread=thread, body=f"@alice reply {n}")
    few = queries_for(client, "/inbox/")
    for n in range(27):
        services.post_create(author=authors[n % 3], thread=thread, body=f"@alice reply {n}")
    assert queries_for(client, "/inbox/") == few


def test_category_queries_do_not_grow_with_followed_threads(member, other_member, category):
    client = client_for(member)

    def add_threads(count):
        for n in range(count):
            thread = services.thread_create(author=other_member, category=category, title=f"T{n}", body="b")
            services.post_create(author=member, thread=thread, body="following by replying")
            client.get(thread.get_absolute_url())  # read up to her reply
            services.post_create(author=other_member, thread=thread, body="unread for alice")

    add_threads(3)
    few = queries_for(client, category.get_absolute_url())
    add_threads(20)
    many = queries_for(client, category.get_absolute_url())
    assert few == many
    assert ThreadFollow.objects.filter(member=member, level="tracking").count() == 23
    assert "1 new</a>" in client.get(category.get_absolute_url()).content.decode()
