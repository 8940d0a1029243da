"""Content warnings: chosen from a list (or in the author's words), opened on purpose."""

import re

from forum import services
from forum.models import Post, Thread
from tests.conftest import client_for, make_member


def start_thread(client, category, **fields):
    data = {"title": "After the infusion", "body": "It was a heavy week."}
    data.update({"content_warning_0": "", "content_warning_1": ""})
    data.update(fields)
    return client.post(f"/c/{category.slug}/new/", data)


def test_the_thread_and_reply_forms_offer_the_list_of_warnings(member_client, thread):
    for url in (f"/c/{thread.category.slug}/new/", thread.get_absolute_url()):
        html = member_client.get(url).content.decode()
        select = re.search(r'<select name="content_warning_0".*?</select>', html, re.S).group(0)
        for label in ("Suicide or self-harm", "Substance use", "Trauma", "Withdrawal symptoms", "Other…"):
            assert label in select
        assert 'name="content_warning_1"' in html


def test_a_warning_chosen_from_the_list_is_stored_on_the_thread_and_its_opening_post(member_client, category):
    response = start_thread(member_client, category, content_warning_0="suicide-self-harm")
    assert response.status_code == 302
    thread = Thread.objects.get(title="After the infusion")
    assert thread.content_warning == "suicide or self-harm"
    assert Post.objects.get(thread=thread, is_opening=True).content_warning == "suicide or self-harm"


def test_other_takes_the_authors_own_words(member_client, category):
    start_thread(member_client, category, content_warning_0="other", content_warning_1="pregnancy loss")
    assert Thread.objects.get(title="After the infusion").content_warning == "pregnancy loss"


def test_other_without_words_is_refused_and_the_draft_is_kept(member_client, category):
    response = start_thread(member_client, category, content_warning_0="other")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please say in a few words what the warning is for" in html
    assert "It was a heavy week." in html
    assert not Thread.objects.exists()


def test_a_reply_can_carry_a_warning(member_client, thread):
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "Day 4 of the drop.", "content_warning_0": "withdrawal"})
    assert Post.objects.get(body="Day 4 of the drop.").content_warning == "withdrawal symptoms"


def test_readers_see_the_warning_and_open_the_post_on_purpose(reader, member, category):
    thread = services.thread_create(
        author=member, category=category, title="Hard night", body="The **details** of it.", content_warning="trauma"
    )
    html = reader.get(thread.get_absolute_url()).content.decode()
    details = re.search(r'<details class="content-warning"[^>]*>.*?</details>', html, re.S).group(0)
    assert details.startswith('<details class="content-warning">'), "closed until the reader opens it"
    assert "<summary>Content warning: trauma. Show the post</summary>" in details
    assert "<strong>details</strong>" in details
    assert html.count("<strong>details</strong>") == 1, "the text appears only inside the warning"


def test_a_warning_in_the_authors_own_words_is_escaped(reader, member, category):
    thread = services.thread_create(
        author=member, category=category, title="Words", body="b", content_warning='<img src=x onerror=alert(1)>loss'
    )
    for url in (thread.get_absolute_url(), category.get_absolute_url()):
        html = reader.get(url).content.decode()
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;loss" in html


def test_the_thread_titles_warning_shows_in_the_category_list(reader, member, category):
    services.thread_create(
        author=member, category=category, title="Coming off", body="b", content_warning="substance use"
    )
    html = reader.get(category.get_absolute_url()).content.decode()
    row = re.search(r'<li class="thread-row.*?</li>', html, re.S).group(0)
    assert "Coming off" in row and "CW: substance use" in row


def test_a_member_who_always_expands_sees_warned_posts_open(member, category, db):
    thread = services.thread_create(author=member, category=category, title="T", body="b", content_warning="trauma")
    reader = make_member("opens_all", always_expand_warnings=True)
    html = client_for(reader).get(thread.get_absolute_url()).content.decode()
    assert '<details class="content-warning" open>' in html
    assert "Content warning: trauma" in html, "the warning is still shown"


def test_threads_with_hidden_warnings_are_left_out_of_a_members_lists_only(reader, member, category):
    titles = {
        "suicide or self-harm": "Dark thoughts again",
        "trauma": "Session memories",
        "grief after a loss": "Missing my dad",
        "": "Nasal spray tips",
    }
    for warning, title in titles.items():
        services.thread_create(author=member, category=category, title=title, body="b", content_warning=warning)
    picky = make_member("picky", hidden_warnings=["suicide-self-harm", "other"])
    html = client_for(picky).get(category.get_absolute_url()).content.decode()
    assert "Dark thoughts again" not in html and "Missing my dad" not in html
    assert "Session memories" in html and "Nasal spray tips" in html
    everyone = reader.get(category.get_absolute_url()).content.decode()
    assert all(title in everyone for title in titles.values())


def test_a_hidden_thread_still_opens_from_a_link(member, category):
    thread = services.thread_create(author=member, category=category, title="Dark", body="b",
                                    content_warning="suicide or self-harm")
    picky = make_member("picky2", hidden_warnings=["suicide-self-harm"])
    assert client_for(picky).get(thread.get_absolute_url()).status_code == 200


def test_a_client_that_sends_the_warning_as_one_string_still_works(member_client, thread):
    member_client.post(f"/t/{thread.pk}/reply/", {"body": "Plain client.", "content_warning": "Trauma"})
    assert Post.objects.get(body="Plain client.").content_warning == "trauma"
