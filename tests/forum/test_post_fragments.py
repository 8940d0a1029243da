"""Each post of the thread page is cached on its own (forum/page_cache.py): a new reply
renders one post, not the page, and a cached post is never stale, never another kind of
reader's, and never in another language."""

import polib
import pytest
from django.test import Client
from django.utils import translation

from forum import page_cache, post_render, reactions, services
from forum.models import Post, Visibility
from moderation import services as moderation
from tests.conftest import client_for, make_member

class RenderCount:
    """How many posts forum.post_render rendered since the last look."""

    def __init__(self):
        self.count = 0

    def since_last_look(self) -> int:
        count, self.count = self.count, 0
        return count


renders = RenderCount()


@pytest.fixture(autouse=True)
def count_post_renders(monkeypatch):
    real = post_render.render_post

    def counting(*args, **kwargs):
        renders.count += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(post_render, "render_post", counting)
    renders.count = 0


def posts_rendered() -> int:
    """Posts rendered fresh by the last request made with load() or catch_up()."""
    return renders.since_last_look()


def load(client, thread, **headers):
    renders.since_last_look()  # count only what this request renders
    response = client.get(thread.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response


def catch_up(url):
    renders.since_last_look()
    return Client().get(url)


@pytest.fixture
def busy_thread(thread, other_member, member):
    """A thread with a dozen replies, some nested."""
    top = [services.post_create(author=other_member, thread=thread, body=f"Top reply {n}") for n in range(6)]
    for n, parent in enumerate(top):
        services.post_create(author=member, thread=thread, body=f"Answer {n}", parent=parent)
    return thread


@pytest.mark.parametrize("who", ["reader", "member"])
def test_a_new_reply_renders_only_itself(who, busy_thread, other_member, member):
    client = Client() if who == "reader" else client_for(member)
    load(client, busy_thread)
    assert posts_rendered() == 13  # cold: the opening post and twelve replies
    load(client, busy_thread)
    assert posts_rendered() == 0  # the whole tree from the cache
    parent = Post.objects.filter(thread=busy_thread, body="Top reply 2").get()
    services.post_create(author=other_member, thread=busy_thread, body="A new reply arrives", parent=parent)
    after = load(client, busy_thread)
    assert posts_rendered() == 1
    html = after.content.decode()
    assert "A new reply arrives" in html
    assert all(f"Top reply {n}" in html and f"Answer {n}" in html for n in range(6))


def test_other_writes_keep_the_other_posts_rendered(busy_thread, moderator):
    reader = Client()
    load(reader, busy_thread)
    hidden = Post.objects.filter(thread=busy_thread, body="Answer 3").get()
    moderation.post_hide(actor=moderator, post=hidden, reason="Off topic")
    after = load(reader, busy_thread)
    assert posts_rendered() == 1  # only the hidden one changed
    assert "Answer 3" not in after.content.decode() and "Hidden by a moderator." in after.content.decode()


def test_a_post_changed_by_any_path_is_never_served_stale(busy_thread):
    """The fragment's key is what the post shows, so even a write that only bumps the
    thread's version (and clears nothing) cannot bring back the old text."""
    reader = Client()
    assert "Answer 4" in load(reader, busy_thread).content.decode()
    post = Post.objects.filter(thread=busy_thread, body="Answer 4").get()
    Post.objects.filter(pk=post.pk).update(body_html="<p>Answer four, reworded</p>")
    page_cache.thread_changed(busy_thread)
    html = load(reader, busy_thread).content.decode()
    assert "Answer four, reworded" in html and "Answer 4<" not in html
    Post.objects.filter(pk=post.pk).update(status=Visibility.HIDDEN)
    page_cache.thread_changed(busy_thread)
    html = load(reader, busy_thread).content.decode()
    assert "Answer four, reworded" not in html and "Hidden by a moderator." in html


def test_an_edit_shows_at_once_to_a_member_who_had_the_page(busy_thread, other_member, member):
    client = client_for(member)
    load(client, busy_thread)
    post = Post.objects.filter(thread=busy_thread, body="Top reply 1").get()
    services.post_edit(editor=other_member, post=post, body="Top reply one, edited")
    html = load(client, busy_thread).content.decode()
    assert "Top reply one, edited" in html and ">edited<" in html


def test_a_moderators_controls_never_reach_a_members_fragment(busy_thread, moderator, member, other_member):
    assert 'class="mod-actions"' in load(client_for(moderator), busy_thread).content.decode()
    for client in (client_for(member), client_for(other_member), Client()):
        html = load(client, busy_thread).content.decode()
        assert 'class="mod-actions"' not in html
    # And the other way round: a member's cached posts do not hide the tools from a moderator.
    assert 'class="mod-actions"' in load(client_for(moderator), busy_thread).content.decode()


def test_members_share_posts_but_never_their_own_controls_or_reactions(busy_thread, member, other_member):
    third = make_member("third-reader")
    post = Post.objects.filter(thread=busy_thread, body="Top reply 0").get()
    with translation.override("en"):
        reactions.reaction_toggle(member=third, post=post, kind="support")
    mine = load(client_for(third), busy_thread).content.decode()
    pressed = 'data-kind="support" aria-pressed="true"'
    assert pressed in mine
    # The author of "Top reply 0" gets Edit on it, the others never do; nobody else's
    # page says they pressed "Sending support".
    assert f'href="/p/{post.pk}/edit/"' in load(client_for(other_member), busy_thread).content.decode()
    html = load(client_for(member), busy_thread).content.decode()
    assert f'href="/p/{post.pk}/edit/"' not in html
    assert pressed not in html


@pytest.fixture
def french_catalog(tmp_path, settings):
    """A small French catalog for the strings checked below (the real one comes with
    the translators), compiled into a temporary LOCALE_PATHS."""
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for english, french in (("Reply", "Répondre"), ("Replies", "Réponses"), ("Report", "Signaler")):
        catalog.append(polib.POEntry(msgid=english, msgstr=french))
    catalog.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path)]  # Django's setting_changed clears its catalogs
    yield
    translation.activate("en")


def test_french_and_english_readers_never_share_a_fragment(busy_thread, member, french_catalog):
    french = client_for(member)
    french.cookies["django_language"] = "fr"
    english = client_for(make_member("english-reader"))
    french_html = load(french, busy_thread, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Répondre</a>" in french_html and ">Signaler</a>" in french_html
    english_html = load(english, busy_thread, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Reply</a>" in english_html and "Répondre" not in english_html and "Signaler" not in english_html
    # And back: the English fragments now cached never reach the French reader.
    french_html = load(french, busy_thread, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Report</a>" not in french_html and ">Signaler</a>" in french_html


def test_anonymous_readers_get_their_language_too(busy_thread, french_catalog):
    assert ">Réponses<" in load(Client(), busy_thread, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    html = load(Client(), busy_thread, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Replies<" in html and "Réponses" not in html


def test_a_catch_up_takes_posts_from_the_fragments_and_matches_a_fresh_render(busy_thread, moderator):
    """A thousand pages catching up after a restart must not render each post a thousand
    times: the second catch-up renders none, and what it sends is what a fresh render gives."""
    from forum import realtime

    opening = busy_thread.posts.get(is_opening=True)
    url = f"/t/{busy_thread.pk}/posts/?after={opening.pk}"
    first = catch_up(url)
    assert posts_rendered() == 12
    second = catch_up(url)
    assert posts_rendered() == 0
    assert second.json()["posts"] == first.json()["posts"]
    fresh = [realtime.render_post_node(post) for post in busy_thread.posts.filter(is_opening=False).order_by("pk")]
    assert [post["html"] for post in second.json()["posts"]] == fresh

    # A change to one post is a new fragment: only that one is rendered again.
    changed = busy_thread.posts.filter(is_opening=False).order_by("pk").first()
    moderation.post_hide(actor=moderator, post=changed, reason="Off topic")
    third = catch_up(url)
    assert posts_rendered() == 1
    assert "Hidden by a moderator." in third.json()["posts"][0]["html"]


@pytest.mark.parametrize("username", ["river_stone", "a.b+c@d", "Zoë-Ana", "tilde~colon:100%"])
def test_a_posts_link_to_its_author_is_the_address_django_would_give(username, db, thread, settings):
    """The author's link is built without the URL resolver for each post: it must be the
    very address reverse() gives, quoted the same, under a script prefix too."""
    from django.urls import reverse, set_script_prefix

    assert post_render.name_url("forum:profile", username) == reverse("forum:profile", args=[username])
    set_script_prefix("/forum/")
    try:
        assert post_render.name_url("forum:profile", username) == reverse("forum:profile", args=[username])
        assert post_render.name_url("forum:profile", username).startswith("/forum/members/")
    finally:
        set_script_prefix("/")
    author = make_member(username)
    post = services.post_create(author=author, thread=thread, body="A reply with a linked author")
    page = Client().get(thread.get_absolute_url()).content.decode()
    assert f'href="{reverse("forum:profile", args=[username])}"' in page
    assert post.anchor in page


def test_the_headers_links_are_the_addresses_django_would_give_under_any_script_prefix(db):
    """The header's links come from {% route %} (reversed once per script prefix), not {% url %}."""
    from django.urls import reverse

    page = Client().get("/").content.decode()
    for name in ("forum:search", "safety:help", "safety:guidelines", "account_signup", "accounts:language"):
        assert f'href="{reverse(name)}"' in page or f'action="{reverse(name)}"' in page, name
    assert post_render.route_url("forum:search") == reverse("forum:search")
    from django.urls import set_script_prefix

    set_script_prefix("/forum/")
    try:
        assert post_render.route_url("forum:search") == reverse("forum:search")
        assert post_render.route_url("forum:search").startswith("/forum/")
    finally:
        set_script_prefix("/")


def test_a_thread_page_works_out_its_readers_crisis_lines_once(db, thread, monkeypatch):
    """The tree, the reply box and the page are three templates rendered with the request:
    the crisis lines' context processor answers all three from one reading, and the banner
    still shows them."""
    from safety import resources

    banners = []
    real = resources.banner_for
    monkeypatch.setattr(resources, "banner_for", lambda *args: banners.append(real(*args)) or banners[-1])
    page = Client().get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert page.status_code == 200
    assert len(banners) == 1
    assert banners[0].region == "GB"
    assert banners[0].primary.name in page.content.decode()
