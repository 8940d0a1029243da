"""Replies to someone who may be at risk: a guide for the person replying, and a check
before publishing that holds methods, encouragement to act and advice to stop a
medication abruptly for a moderator, telling the writer why."""

import pytest

from forum import services
from forum.models import Post, Visibility
from moderation.models import ReviewItem
from tests.conftest import client_for, make_member

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."
ENCOURAGING = "Just do it then, nobody would miss you."
ABRUPT = "Throw your pills in the bin and go cold turkey, you'll feel better."
METHOD = "What is the lethal dose of lorazepam? How many would it take to die?"
KIND = "I'm so sorry it's this heavy tonight. Are you safe right now? Samaritans are on 116 123."


@pytest.fixture
def crisis_thread(member, category):
    return services.thread_create(author=member, category=category, title="Tonight", body=URGENT)


def held_reasons(post) -> list[str]:
    return [reason for item in ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.HELD) for reason in item.reasons]


@pytest.mark.parametrize(
    "body, reason",
    [
        (ENCOURAGING, "Reply to someone at risk may encourage them to act"),
        (ABRUPT, "Reply to someone at risk advises stopping a medication abruptly"),
        (METHOD, "Asks for or gives method details of suicide or self-harm"),
    ],
)
def test_a_harmful_reply_to_a_crisis_post_waits_for_a_moderator(crisis_thread, other_member, reader, body, reason):
    post = services.post_create(author=other_member, thread=crisis_thread, body=body)
    assert post.status == Visibility.PENDING
    assert reason in held_reasons(post)
    assert body[:20] not in reader.get(crisis_thread.get_absolute_url()).content.decode().replace("&#x27;", "'")


def test_the_writer_is_told_why_kindly_and_can_change_it(crisis_thread, other_member):
    response = client_for(other_member).post(f"/t/{crisis_thread.pk}/reply/", {"body": ENCOURAGING}, follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    post = Post.objects.get(body=ENCOURAGING)
    assert "Your reply is waiting for a moderator before anyone else sees it." in html
    assert "could be read as telling them to go ahead, or that no one would miss them" in html
    assert f'href="/p/{post.pk}/edit/">change your reply</a>' in html


def test_a_reply_sent_by_the_pages_script_carries_the_same_explanation(crisis_thread, other_member):
    response = client_for(other_member).post(
        f"/t/{crisis_thread.pk}/reply/", {"body": ABRUPT}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201
    html = response.json()["html"]
    assert "Your reply is waiting for a moderator" in html
    assert "Stopping a psychiatric medication abruptly can cause serious withdrawal" in html


def test_the_person_at_risk_and_other_readers_never_see_the_explanation(crisis_thread, member, other_member):
    services.post_create(author=other_member, thread=crisis_thread, body=ENCOURAGING)
    html = client_for(member).get(crisis_thread.get_absolute_url()).content.decode()
    assert "Your reply is waiting" not in html and "nobody would miss you" not in html


def test_the_same_reply_to_an_ordinary_post_is_published(thread, other_member):
    post = services.post_create(author=other_member, thread=thread, body=ABRUPT)
    assert post.status == Visibility.PUBLISHED


def test_a_kind_reply_to_a_crisis_post_is_published(crisis_thread, other_member):
    assert services.post_create(author=other_member, thread=crisis_thread, body=KIND).status == Visibility.PUBLISHED


def test_a_reply_under_a_crisis_reply_is_checked_too(thread, member, other_member):
    crisis_reply = services.post_create(author=other_member, thread=thread, body=URGENT)
    answer = services.post_create(author=member, thread=thread, parent=crisis_reply, body=ENCOURAGING)
    assert answer.status == Visibility.PENDING


def test_an_edit_that_turns_a_reply_harmful_sends_it_back_to_wait(crisis_thread, other_member):
    post = services.post_create(author=other_member, thread=crisis_thread, body=KIND)
    services.post_edit(editor=other_member, post=post, body=ABRUPT)
    post.refresh_from_db()
    assert post.status == Visibility.PENDING


def test_the_person_at_risk_and_moderators_are_not_held_by_it(crisis_thread, member, moderator):
    own = services.post_create(author=member, thread=crisis_thread, body="Maybe I'll just stop taking my meds tonight")
    assert own.status == Visibility.PUBLISHED
    assert services.post_create(author=moderator, thread=crisis_thread, body=ABRUPT).status == Visibility.PUBLISHED


# --- Coaching for the person replying ------------------------------------------------------


def test_the_reply_box_under_a_crisis_post_shows_the_guide(crisis_thread, other_member):
    html = client_for(other_member).get(crisis_thread.get_absolute_url()).content.decode()
    box = html[html.index('class="reply-box"'):]
    guide = box[box.index('<aside class="reply-coaching"'):box.index("</aside>")]
    for words in ("Listen.", "Ask them directly", "Share the lines:", "Never describe methods"):
        assert words in guide
    assert box.index("reply-coaching") < box.index('name="body"')


def main_reply_form(html: str) -> str:
    box = html[html.index('class="reply-box"'):]
    return box[: box.index("</form>")]


def test_no_guide_for_an_ordinary_thread_or_for_the_person_at_risk(thread, crisis_thread, member, other_member):
    for client, shown in ((client_for(other_member), thread), (client_for(member), crisis_thread)):
        form = main_reply_form(client.get(shown.get_absolute_url()).content.decode())
        assert 'name="body"' in form and "reply-coaching" not in form


def test_the_reply_page_under_a_crisis_reply_shows_the_guide(thread, other_member):
    crisis_reply = services.post_create(author=other_member, thread=thread, body=URGENT)
    replier = make_member("nell")
    html = client_for(replier).get(f"/t/{thread.pk}/reply/", {"parent": crisis_reply.pk}).content.decode()
    assert '<aside class="reply-coaching"' in html
    assert 'data-crisis="1"' in client_for(replier).get(thread.get_absolute_url()).content.decode()


def test_the_composer_warns_before_posting_a_reply_that_would_wait(crisis_thread, other_member):
    client = client_for(other_member)
    data = client.post("/crisis/check/", {"text": ENCOURAGING, "thread": crisis_thread.pk}).json()
    assert "as it stands this reply would wait for a moderator" in data["note_html"]
    assert client.post("/crisis/check/", {"text": KIND, "thread": crisis_thread.pk}).json()["note_html"] == ""


def test_the_composers_warning_is_only_for_replies_to_crisis_posts_the_writer_can_read(
    thread, crisis_thread, member, other_member, moderator
):
    client = client_for(other_member)
    assert client.post("/crisis/check/", {"text": ABRUPT, "thread": thread.pk}).json()["note_html"] == ""
    from moderation import services as moderation_services

    moderation_services.post_hide(actor=moderator, post=crisis_thread.posts.get(is_opening=True), reason="Safety")
    assert client.post("/crisis/check/", {"text": ABRUPT, "thread": crisis_thread.pk}).json()["note_html"] == ""
    assert client.post("/crisis/check/", {"text": ABRUPT, "thread": "x"}).json()["note_html"] == ""
