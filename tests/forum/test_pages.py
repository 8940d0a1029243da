"""The forum's pages, through the front door."""

import pytest
from django.core import mail
from django.test import Client

from forum import services
from forum.models import Post, Thread, Visibility
from tests.conftest import client_for


def test_home_lists_categories_with_thread_counts_and_latest_activity(reader, thread):
    html = reader.get("/").content.decode()
    assert "Ketamine &amp; esketamine" in html
    assert "1 thread" in html and thread.title in html


def test_category_lists_pinned_threads_first_then_by_last_activity(reader, member, category):
    old = services.thread_create(author=member, category=category, title="Old but pinned", body="x")
    services.thread_create(author=member, category=category, title="Quiet thread", body="x")
    busy = services.thread_create(author=member, category=category, title="Busy thread", body="x")
    services.post_create(author=member, thread=busy, body="bump")
    Thread.objects.filter(pk=old.pk).update(pinned=True)
    html = reader.get(category.get_absolute_url()).content.decode()
    assert html.index("Old but pinned") < html.index("Busy thread") < html.index("Quiet thread")
    assert "Pinned" in html


def test_the_safety_notice_shows_on_the_category_and_its_threads(reader, member, other_category):
    thread = services.thread_create(author=member, category=other_category, title="Month two", body="x")
    for url in (other_category.get_absolute_url(), thread.get_absolute_url()):
        assert "Do not stop or change a medication without talking to your prescriber" in reader.get(url).content.decode()


def test_a_reader_sees_posts_with_author_details_but_no_email(reader, thread, member):
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert "alice" in html and "1 post" in html and "joined" in html
    assert member.email not in html
    assert "Log in</a> or <a" in html  # no reply form for readers


def test_a_member_replies_and_lands_on_the_new_post(thread, other_member):
    client = client_for(other_member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Week one was **hard**"})
    post = Post.objects.get(thread=thread, is_opening=False)
    assert response.status_code == 302 and response.url.endswith(f"#post-{post.pk}")
    html = client.get(response.url).content.decode()
    assert "Week one was <strong>hard</strong>" in html


def test_a_reply_to_a_reply_goes_under_it(thread, member, other_member):
    top = services.post_create(author=other_member, thread=thread, body="top")
    client = client_for(member)
    page = client.get(f"/t/{thread.pk}/reply/?parent={top.pk}").content.decode()
    assert f'name="parent" value="{top.pk}"' in page
    client.post(f"/t/{thread.pk}/reply/", {"body": "an answer", "parent": top.pk})
    assert Post.objects.get(body="an answer").parent_id == top.pk


def test_a_rejected_reply_keeps_the_text_and_says_what_is_wrong(thread, other_member):
    client = client_for(other_member)
    text = "x" * 20_001
    response = client.post(f"/t/{thread.pk}/reply/", {"body": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Posts can be at most 20,000 characters" in html
    assert text in html


def test_a_rejected_thread_keeps_title_and_body(member_client, category):
    response = member_client.post(f"/c/{category.slug}/new/", {"title": "   ", "body": "My story, in full"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please give your thread a title." in html and "My story, in full" in html
    assert not Thread.objects.exists()


def test_a_control_character_is_explained_and_the_draft_kept(member_client, category):
    response = member_client.post(f"/c/{category.slug}/new/", {"title": "Hello", "body": "Hi\x00 there"})
    assert "control characters" in response.content.decode()
    assert 'value="Hello"' in response.content.decode()


def test_a_locked_thread_refuses_replies_with_the_text_kept(thread, other_member):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    response = client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "Still here"})
    html = response.content.decode()
    assert "This thread is locked" in html and "Still here" in html


def test_a_parent_from_another_thread_is_refused_clearly(thread, member, other_member, category):
    elsewhere = services.thread_create(author=member, category=category, title="Elsewhere", body="x")
    foreign = services.post_create(author=member, thread=elsewhere, body="there")
    response = client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "Mine", "parent": foreign.pk})
    assert response.status_code == 400
    assert "not in this thread" in response.content.decode()


def test_an_unverified_member_is_sent_to_verify_and_keeps_the_draft(thread, unverified_member):
    client = client_for(unverified_member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "My first words here"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "confirm your email address" in html and "My first words here" in html
    assert len(mail.outbox) == 1 and unverified_member.email in mail.outbox[0].to
    # The draft waits on the thread page too.
    assert "My first words here" in client.get(thread.get_absolute_url()).content.decode()
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_anonymous_readers_are_sent_to_log_in_to_post(reader, thread, category):
    response = reader.post(f"/t/{thread.pk}/reply/", {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = reader.get(f"/c/{category.slug}/new/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_unknown_category_and_thread_are_404_with_a_friendly_page(db, reader):
    for url in ("/c/no-such-place/", "/t/999999/", "/p/999999/", "/c/no-such-place/new/"):
        response = reader.get(url)
        assert response.status_code == 404
        assert "We couldn't find that page" in response.content.decode()


def test_editing_shows_the_edited_mark(thread, member):
    opening = Post.objects.get(thread=thread, is_opening=True)
    client = client_for(member)
    page = client.get(f"/p/{opening.pk}/edit/").content.decode()
    assert "How did your first week go?" in page
    response = client.post(f"/p/{opening.pk}/edit/", {"body": "How did your first fortnight go?"})
    assert response.status_code == 302
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "first fortnight" in html and ">edited<" in html


def test_editing_or_deleting_someone_elses_post_is_403(thread, other_member):
    opening = Post.objects.get(thread=thread, is_opening=True)
    client = client_for(other_member)
    assert client.get(f"/p/{opening.pk}/edit/").status_code == 403
    assert client.post(f"/p/{opening.pk}/edit/", {"body": "mine now"}).status_code == 403
    assert client.post(f"/p/{opening.pk}/delete/").status_code == 403
    opening.refresh_from_db()
    assert opening.body == "How did your first week go?" and opening.status == Visibility.PUBLISHED


def test_deleting_a_post_leaves_removed_by_its_author_and_keeps_replies(reader, thread, member, other_member):
    top = services.post_create(author=other_member, thread=thread, body="I will regret this")
    services.post_create(author=member, thread=thread, body="A kind answer", parent=top)
    response = client_for(other_member).post(f"/p/{top.pk}/delete/")
    assert response.status_code == 302
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert "Removed by its author." in html and "I will regret this" not in html
    assert "A kind answer" in html


def test_a_deleted_members_posts_show_former_member(reader, thread, member):
    member.is_former = True
    member.username = f"former-{member.pk}"
    member.save()
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert "former member" in html


def test_a_failed_csrf_check_explains_and_shows_the_text(thread, other_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_member)
    # From the forum's own form, as the browser says (tests/safety/test_error_pages.py).
    response = client.post(
        f"/t/{thread.pk}/reply/", {"body": "Words I do not want to lose"}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "That form had expired" in html and "Words I do not want to lose" in html


@pytest.mark.parametrize("text", ["🙂 ok", "עברית ו-English", "e\u0301 combining"])
def test_unicode_replies_display_unchanged(thread, other_member, text):
    client = client_for(other_member)
    client.post(f"/t/{thread.pk}/reply/", {"body": text})
    assert text in client.get(thread.get_absolute_url()).content.decode()


def test_every_field_of_the_new_thread_form_has_a_label(member_client, category):
    html = member_client.get(f"/c/{category.slug}/new/").content.decode()
    for field_id in ("id_title", "id_body", "id_content_warning_0"):
        assert f'<label for="{field_id}">' in html
    assert 'aria-label="Your own words for the warning, if you chose other"' in html
