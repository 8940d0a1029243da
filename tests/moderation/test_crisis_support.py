"""What a member in crisis, and their readers, see around a post: never a block."""

import pytest

from forum.models import Post, Visibility
from safety.crisis import method_details
from moderation.models import ReviewItem
from tests.conftest import client_for, make_member

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."
CONCERN = "Some nights I wish I could go to sleep and not wake up."
METHOD = "What is the lethal dose of my lorazepam? How many would it take to die?"


def reply(client, thread, body):
    return client.post(f"/t/{thread.pk}/reply/", {"body": body}, follow=True)


@pytest.mark.parametrize("body, level", [(URGENT, "urgent"), (CONCERN, "concern")])
def test_a_crisis_post_is_published_and_marked(member_client, thread, body, level):
    response = reply(member_client, thread, body)
    assert response.status_code == 200
    post = Post.objects.get(body=body)
    assert post.status == Visibility.PUBLISHED and post.crisis_level == level
    assert body.split(".")[0] in response.content.decode().replace("&#x27;", "'")


def test_the_author_gets_a_private_supportive_message_with_their_lines(thread, db):
    author = make_member("cass", region="CA")
    html = reply(client_for(author), thread, CONCERN).content.decode()
    assert "Thank you for sharing this. We&#x27;re glad you reached out" in html
    # The crisis line first, then who can see the post.
    first, then = "you don't have to wait: Call or text 9-8-8, any time.", "everyone reading this thread can see it"
    assert first in html and then in html and html.index(first) < html.index(then)
    assert "Only you can see this note." in html
    assert "9-8-8 Suicide Crisis Helpline" in html and 'href="tel:988"' in html
    note = html[html.index('<div class="support-note"'):]
    assert 'In immediate danger, call <a href="tel:911">911</a>.' in note[: note.index("</div>")]


def test_the_message_and_note_use_the_authors_own_region(thread, db):
    author = make_member("fiona", region="IE")
    html = reply(client_for(author), thread, CONCERN).content.decode()
    assert "you don't have to wait: Call 116 123, any time." in html
    assert "<strong>50808</strong>" in html


def test_readers_see_a_small_support_note_and_never_the_authors_private_one(
    member_client, thread, other_member, reader
):
    reply(member_client, thread, URGENT)
    for client in (client_for(other_member), reader):
        html = client.get(thread.get_absolute_url()).content.decode()
        assert '<a href="/help/">support resources</a> are here' in html
        assert "Only you can see this note." not in html
        assert "glad you reached out" not in html


def test_an_ordinary_post_gets_no_support_note(member_client, thread, reader):
    body = "This taper is killing me, 2.5 mg to go. Cold turkey never again."
    html = reply(member_client, thread, body).content.decode()
    assert Post.objects.get(is_opening=False).crisis_level == "none"
    assert "support resources" not in html and "glad you reached out" not in html
    assert "support resources" not in reader.get(thread.get_absolute_url()).content.decode()


def test_a_post_asking_for_method_details_is_flagged_for_a_hold():
    assert method_details(METHOD) is True
    assert method_details("What dose of esketamine did your clinic start you on?") is False


def test_a_held_method_post_tells_its_author_why_kindly_with_their_lines(member, member_client, thread, reader):
    reply(member_client, thread, METHOD)
    post = Post.objects.get(body=METHOD)
    assert post.crisis_level in ("concern", "urgent")
    assert post.status == Visibility.PENDING  # held by screening, not refused
    reasons = [reason for item in ReviewItem.objects.filter(post=post) for reason in item.reasons]
    assert any("method details" in reason for reason in reasons)
    html = member_client.get(thread.get_absolute_url()).content.decode()
    assert "Your post is waiting for a moderator before others can see it." in html
    assert "Nothing is deleted" in html
    assert "Find A Helpline" in html  # alice has chosen no region: the worldwide directory
    assert METHOD.split("?")[0] not in reader.get(thread.get_absolute_url()).content.decode()


# --- The composer's check --------------------------------------------------------------


def test_the_compose_check_returns_a_supportive_note_with_the_writers_lines(db):
    writer = make_member("gale", region="GB")
    response = client_for(writer).post("/crisis/check/", {"text": CONCERN})
    data = response.json()
    assert response.status_code == 200 and data["level"] == "concern"
    assert "You can still post" in data["note_html"]
    assert "Samaritans" in data["note_html"] and 'href="tel:116123"' in data["note_html"]


def test_the_compose_check_says_nothing_about_an_ordinary_draft(member_client):
    data = member_client.post("/crisis/check/", {"text": "My feet are killing me after the walk to the clinic."}).json()
    assert data == {"level": "none", "note_html": ""}


def test_the_compose_check_explains_the_hold_for_method_details(member_client):
    data = member_client.post("/crisis/check/", {"text": METHOD}).json()
    assert "wait for a moderator before others see them" in data["note_html"]


def test_the_compose_check_is_for_signed_in_writers_and_only_by_post(reader, member_client, db):
    assert reader.post("/crisis/check/", {"text": CONCERN}).status_code == 403
    assert member_client.get("/crisis/check/").status_code == 405


def test_the_compose_check_needs_the_forms_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/crisis/check/", {"text": CONCERN}).status_code == 403


def test_compose_pages_load_the_check_script_and_mark_their_forms(member_client, thread):
    for url in (thread.get_absolute_url(), f"/c/{thread.category.slug}/new/", f"/t/{thread.pk}/reply/"):
        html = member_client.get(url).content.decode()
        assert '<script src="/static/js/compose.js" defer></script>' in html
        assert 'data-crisis-check="/crisis/check/"' in html
