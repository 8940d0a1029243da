"""Comfort mode, for bad days: one switch in the header and in settings, and every thread
and post with a content warning, and every crisis-flagged post, stays out of sight."""

import pytest

from forum import services
from tests.conftest import client_for, make_member

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."


@pytest.fixture
def threads(member, other_member, category):
    calm = services.thread_create(author=member, category=category, title="Clinic parking tips", body="Park at the back.")
    warned = services.thread_create(author=other_member, category=category, title="Hospital memories",
                                    body="What happened on the ward.", content_warning="trauma")
    crisis = services.thread_create(author=other_member, category=category, title="Tonight", body=URGENT)
    # The author took the warning off: the crisis flag still keeps it out of comfort mode.
    services.post_details_change(editor=other_member, post=crisis.posts.get(is_opening=True), content_warning="")
    return calm, warned, crisis


@pytest.fixture
def comforted(member):
    member.comfort_mode = True
    member.save(update_fields=["comfort_mode"])
    return client_for(member)


def test_the_header_switch_turns_it_on_and_off_and_comes_back_to_the_page(member, thread):
    client = client_for(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'action="/settings/comfort-mode/"' in page and 'aria-pressed="false">Comfort mode</button>' in page
    response = client.post("/settings/comfort-mode/", {"on": "1", "next": thread.get_absolute_url()})
    assert response["Location"] == thread.get_absolute_url()
    member.refresh_from_db()
    assert member.comfort_mode is True
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<body class="comfort-on">' in page and 'aria-pressed="true">Comfort mode: on</button>' in page
    client.post("/settings/comfort-mode/", {"on": "0", "next": "https://elsewhere.example/"})
    member.refresh_from_db()
    assert member.comfort_mode is False


def test_the_switch_is_a_post_for_members_only(member, reader, db):
    assert client_for(member).get("/settings/comfort-mode/").status_code == 405
    assert reader.post("/settings/comfort-mode/", {"on": "1"}).status_code == 302
    assert "comfort-mode" not in reader.get("/").content.decode()


def test_the_settings_page_has_the_same_switch(member):
    client = client_for(member)
    assert "Comfort mode" in client.get("/settings/").content.decode()
    client.post("/settings/", {"comfort_mode": "on"})
    member.refresh_from_db()
    assert member.comfort_mode is True


def test_thread_lists_leave_out_threads_with_a_warning_or_a_crisis_opening(threads, comforted, member, category):
    html = comforted.get(category.get_absolute_url()).content.decode()
    assert "Clinic parking tips" in html
    assert "Hospital memories" not in html and "Tonight" not in html
    # Without comfort mode, the member sees all three.
    member.comfort_mode = False
    member.save(update_fields=["comfort_mode"])
    html = client_for(member).get(category.get_absolute_url()).content.decode()
    assert "Hospital memories" in html and "Tonight" in html


def test_the_home_page_names_the_latest_thread_without_a_warning(threads, comforted):
    html = comforted.get("/").content.decode()
    assert "Clinic parking tips" in html and "Tonight" not in html and "Hospital memories" not in html


def test_search_and_profiles_leave_them_out(threads, comforted, other_member):
    services.post_create(author=other_member, thread=threads[0], body="Parking is free after six, with a warning.",
                         content_warning="substance use")
    html = comforted.get("/search/", {"q": "ward"}).content.decode()
    assert "Nothing matched" in html
    assert "free after six" not in comforted.get("/members/bob/").content.decode()


def test_a_thread_with_a_warning_opened_from_a_link_is_hidden_whole(threads, comforted):
    response = comforted.get(threads[1].get_absolute_url())
    html = response.content.decode()
    assert "Comfort mode is hiding this thread" in html and "content warning: trauma" in html
    assert "What happened on the ward" not in html


def test_posts_with_a_warning_or_a_crisis_flag_are_folded_away_in_an_ordinary_thread(threads, comforted, other_member):
    calm = threads[0]
    services.post_create(author=other_member, thread=calm, body="My taper hurt.", content_warning="withdrawal symptoms")
    crisis_reply = services.post_create(author=make_member("iris"), thread=calm, body=URGENT)
    services.post_details_change(editor=crisis_reply.author, post=crisis_reply, content_warning="")
    html = comforted.get(calm.get_absolute_url()).content.decode()
    assert html.count("is-sensitive") == 2  # both replies, and not the opening post
    assert html.count('<p class="comfort-note" hidden>Comfort mode is hiding this post') == 2

