"""Atom feeds for categories and threads carry published content only."""

from xml.etree import ElementTree

from forum import services
from moderation import services as moderation_services
from tests.conftest import make_member

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "content": entry.findtext(f"{ATOM}content") or "",
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_thread_feed_has_published_posts_only(reader, member, other_member, moderator, thread, settings):
    services.post_create(author=other_member, thread=thread, body="Published **reply** about week two.")
    hidden = services.post_create(author=other_member, thread=thread, body="Hidden reply text.")
    moderation_services.post_hide(actor=moderator, post=hidden, reason="Dosing instructions")
    removed = services.post_create(author=member, thread=thread, body="Removed reply text.")
    services.post_delete(actor=member, post=removed)
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    services.post_create(author=make_member("newcomer_fern"), thread=thread, body="Pending reply text.")

    items = entries(reader, f"/t/{thread.pk}/feed/")
    text = " ".join(item["content"] for item in items)
    assert len(items) == 2
    assert "<strong>reply</strong>" in text and "How did your first week go?" in text
    for secret in ("Hidden reply", "Removed reply", "Pending reply"):
        assert secret not in text
    assert {item["author"] for item in items} == {"alice", "bob"}


def test_a_hidden_or_pending_thread_has_no_feed(reader, member, moderator, thread):
    moderation_services.post_hide(actor=moderator, post=thread.posts.get(is_opening=True), reason="Sourcing talk")
    assert reader.get(f"/t/{thread.pk}/feed/").status_code == 404


def test_the_category_feed_lists_published_threads_with_their_opening_posts(
    reader, member, other_member, moderator, category, settings
):
    services.thread_create(author=member, category=category, title="Nasal spray day", body="It went *fine*.")
    hidden = services.thread_create(author=other_member, category=category, title="Hidden thread", body="Hidden.")
    moderation_services.post_hide(actor=moderator, post=hidden.posts.get(is_opening=True), reason="Sourcing talk")
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    services.thread_create(author=make_member("newcomer_fern"), category=category, title="Pending thread", body="P.")

    items = entries(reader, f"/c/{category.slug}/feed/")
    assert [item["title"] for item in items] == ["Nasal spray day"]
    assert "<em>fine</em>" in items[0]["content"]


def test_feed_content_is_the_sanitized_html(reader, member, category):
    thread = services.thread_create(
        author=member, category=category, title="Links", body='<script>alert(1)</script> [x](javascript:alert(2))'
    )
    content = entries(reader, f"/t/{thread.pk}/feed/")[0]["content"]
    assert "<script" not in content and "href=\"javascript" not in content
    assert "&lt;script&gt;" in content  # shown as the text it was


def test_a_post_behind_a_content_warning_gives_the_warning_and_a_link_not_the_text(reader, member, category):
    thread = services.thread_create(
        author=member, category=category, title="Hard night", body="The details of a hard night.",
        content_warning="withdrawal symptoms",
    )
    content = entries(reader, f"/t/{thread.pk}/feed/")[0]["content"]
    assert "Content warning: withdrawal symptoms" in content
    assert "The details" not in content and f"/p/{thread.posts.get().pk}/" in content


def test_category_and_thread_pages_point_feed_readers_at_their_feeds(reader, thread, category):
    category_html = reader.get(category.get_absolute_url()).content.decode()
    assert f'rel="alternate" type="application/atom+xml" title="New threads in {category.name}"'.replace(
        "&", "&amp;"
    ) in category_html
    assert f'href="/c/{category.slug}/feed/"' in category_html
    thread_html = reader.get(thread.get_absolute_url()).content.decode()
    assert 'type="application/atom+xml"' in thread_html and f'href="/t/{thread.pk}/feed/"' in thread_html
