"""Supportive reactions: one of each per member and post, toggled; counts, never who."""

import re
from datetime import timedelta

from forum import services
from forum.models import Reaction
from moderation import services as moderation_services

from ..conftest import client_for, make_member, post_markup


def test_a_member_gives_and_takes_back_a_reaction_without_javascript(thread, other_member):
    post = thread.posts.get(is_opening=True)
    client = client_for(other_member)
    # "React" under the post is a link to its reaction page; its buttons post there.
    page = client.get(f"/p/{post.pk}/react/").content.decode()
    assert re.findall(r'<button form="reaction-form" formaction="/p/\d+/react/" name="kind" value="(\w+)"', page) == ["support", "me_too", "helped"]
    page = client.post(f"/p/{post.pk}/react/", {"kind": "support"}, follow=True).content.decode()
    assert 'data-kind="support" aria-pressed="true">Sending support <span class="reaction-count">1</span>' in (
        post_markup(page, post)
    )

    page = client.post(f"/p/{post.pk}/react/", {"kind": "support"}, follow=True).content.decode()
    assert "Sending support" not in post_markup(page, post)
    assert Reaction.objects.count() == 0
    page = client.get(f"/p/{post.pk}/react/").content.decode()
    assert 'aria-pressed="false">Sending support <span class="reaction-count" hidden>0</span>' in page


def test_the_reaction_page_shows_what_the_member_gave_and_refuses_the_author(thread, member, other_member):
    post = thread.posts.get(is_opening=True)
    client_for(other_member).post(f"/p/{post.pk}/react/", {"kind": "helped"})
    page = client_for(other_member).get(f"/p/{post.pk}/react/").content.decode()
    assert 'value="helped" class="reaction" data-kind="helped" aria-pressed="true">This helped' in page
    assert "without your name" in page
    response = client_for(member).get(f"/p/{post.pk}/react/")  # the post's own author
    assert response.status_code == 403
    assert "You can&#x27;t react to your own post." in response.content.decode()


def test_one_of_each_kind_per_member_and_counts_add_up_across_members(thread, other_member):
    post = thread.posts.get(is_opening=True)
    carol = make_member("carol")
    for member in (other_member, carol):
        for kind in ("support", "me_too", "helped"):
            client_for(member).post(f"/p/{post.pk}/react/", {"kind": kind})
    post.refresh_from_db()
    assert (post.support_count, post.me_too_count, post.helped_count) == (2, 2, 2)


def test_the_page_shows_counts_but_never_who_reacted(reader, thread, other_member):
    post = thread.posts.get(is_opening=True)
    client_for(other_member).post(f"/p/{post.pk}/react/", {"kind": "me_too"})
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert 'Me too <span class="reaction-count">1</span>' in page
    reactions_html = page[page.index('class="reactions"'):]
    reactions_html = reactions_html[: reactions_html.index("</div>")]
    assert "bob" not in reactions_html


def test_the_json_answer_carries_counts_for_the_page_script(thread, other_member):
    post = thread.posts.get(is_opening=True)
    response = client_for(other_member).post(
        f"/p/{post.pk}/react/", {"kind": "helped"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {
        "post_id": post.pk, "kind": "helped", "given": True, "counts": {"support": 0, "me_too": 0, "helped": 1}
    }


def test_there_is_no_downvote(thread, other_member):
    post = thread.posts.get(is_opening=True)
    response = client_for(other_member).post(f"/p/{post.pk}/react/", {"kind": "downvote"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert Reaction.objects.count() == 0


def test_a_suspended_member_cannot_react(thread, moderator):
    paused = make_member("dana_paused")
    moderation_services.member_suspend(actor=moderator, member=paused, reason="Unkind replies", duration=timedelta(days=3))
    post = thread.posts.get(is_opening=True)
    response = client_for(paused).post(f"/p/{post.pk}/react/", {"kind": "support"}, follow=True)
    assert "reactions are paused" in response.content.decode()
    assert Reaction.objects.count() == 0


def test_authors_do_not_react_to_their_own_posts_and_readers_must_sign_in(reader, thread, member):
    post = thread.posts.get(is_opening=True)
    client_for(member).post(f"/p/{post.pk}/react/", {"kind": "support"})
    response = reader.post(f"/p/{post.pk}/react/", {"kind": "support"})
    assert "/accounts/login/" in response["Location"]
    assert Reaction.objects.count() == 0


def test_hidden_and_pending_posts_take_no_reactions(thread, other_member, moderator, settings):
    hidden = services.post_create(author=make_member("carol"), thread=thread, body="Will be hidden.")
    moderation_services.post_hide(actor=moderator, post=hidden, reason="Sourcing")
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2
    pending = services.post_create(author=make_member("newcomer"), thread=thread, body="Waiting.")
    client = client_for(other_member)
    assert client.post(f"/p/{hidden.pk}/react/", {"kind": "support"}, HTTP_ACCEPT="application/json").status_code == 403
    assert client.post(f"/p/{pending.pk}/react/", {"kind": "support"}).status_code == 404
    assert Reaction.objects.count() == 0


def test_a_reaction_changes_the_thread_version_so_cached_pages_refresh(thread, other_member):
    post = thread.posts.get(is_opening=True)
    before = type(thread).objects.get(pk=thread.pk).version
    client_for(other_member).post(f"/p/{post.pk}/react/", {"kind": "support"})
    assert type(thread).objects.get(pk=thread.pk).version > before


def test_reactions_on_a_page_cost_one_query_whatever_the_posts(thread, other_member, settings):
    from .test_query_counts import queries_for

    settings.FORUM_REPLIES_PER_PAGE = 1000
    client = client_for(other_member)
    for n in range(3):
        post = services.post_create(author=thread.author, thread=thread, body=f"r{n}")
        client.post(f"/p/{post.pk}/react/", {"kind": "support"})
    few = queries_for(client, thread.get_absolute_url())
    for n in range(30):
        post = services.post_create(author=thread.author, thread=thread, body=f"r{n}")
        client.post(f"/p/{post.pk}/react/", {"kind": "me_too"})
    client.get(thread.get_absolute_url())  # move the read position
    assert queries_for(client, thread.get_absolute_url()) == few
    assert few <= 10
