"""The reply box under a thread is rendered once for every member in the same standing
(forum.page_cache.reply_box) and shared, yet each member sees the box their own standing
calls for, their own draft, and a CSRF token their own session accepts."""

import re
from datetime import timedelta

from django.test import Client

from forum import services
from forum.models import Post, Thread
from moderation import services as moderation
from tests.conftest import client_for, make_member


def box(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<section class="reply-box"'):html.index("</section>", html.index('class="reply-box"'))]


def test_members_in_the_same_standing_share_one_rendering_of_the_box(thread, member, other_member):
    def box_rendered(client) -> bool:
        response = client.get(thread.get_absolute_url())
        assert '<textarea name="body"' in response.content.decode()
        return "forum/_reply_box.html" in [template.name for template in response.templates]

    assert box_rendered(client_for(member))
    assert not box_rendered(client_for(other_member))


def test_each_member_posts_with_their_own_token(thread, member, other_member):
    box(client_for(member), thread)  # the box is kept now
    second = client_for(other_member)
    html = box(second, thread)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    second.handler.enforce_csrf_checks = True
    response = second.post(
        f"/t/{thread.pk}/reply/", {"body": "Posted with the token from the shared box", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Post.objects.filter(body="Posted with the token from the shared box").exists()


def test_a_member_with_a_draft_sees_their_own_words_and_nobody_else_does(thread, member, other_member):
    box(client_for(other_member), thread)
    writer = client_for(member)
    writer.post("/drafts/save/", {"key": f"reply:{thread.pk}", "body": "My half-written reply"},
                HTTP_ACCEPT="application/json")
    assert "My half-written reply</textarea>" in box(writer, thread)
    assert "My half-written reply" not in box(client_for(other_member), thread)


def test_a_member_who_has_not_confirmed_their_email_is_asked_to(thread, member):
    box(client_for(member), thread)
    unconfirmed = make_member("not_yet", verified=False)
    assert "confirm your email address" in box(client_for(unconfirmed), thread)
    assert "confirm your email address" not in box(client_for(member), thread)


def test_a_suspended_member_is_told_why_they_cannot_reply(thread, member, other_member, moderator):
    box(client_for(member), thread)
    moderation.member_suspend(actor=moderator, member=other_member, reason="Heated", duration=timedelta(days=1))
    suspended = box(client_for(other_member), thread)
    assert "You can't reply for now" in suspended and '<textarea name="body"' not in suspended
    assert '<textarea name="body"' in box(client_for(member), thread)


def test_a_locked_thread_says_so_at_once_even_without_a_version_bump(thread, member):
    box(client_for(member), thread)
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    assert "This thread is locked" in box(client_for(member), thread)


def test_whoever_answers_a_post_in_crisis_gets_the_guide_and_its_author_does_not(member, other_member, category):
    thread = services.thread_create(
        author=member, category=category, title="Tonight", body="I can't see a way through this anymore."
    )
    Post.objects.filter(thread=thread, is_opening=True).update(crisis_level="urgent")
    thread.refresh_from_db()
    def form(html):  # the reply form itself, not the template inline replies take
        return html[html.index('class="post-form reply-form"'):html.index("</form>")]

    assert 'class="reply-coaching"' in form(box(client_for(other_member), thread))
    assert 'class="reply-coaching"' not in form(box(client_for(member), thread))


def test_readers_who_are_not_logged_in_are_asked_to_log_in(thread, member):
    box(client_for(member), thread)
    html = box(Client(), thread)
    assert "to reply." in html and '<textarea name="body"' not in html


def test_on_a_locked_thread_a_moderator_may_still_reply_and_a_member_is_told_it_is_locked(thread, member, moderator):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    assert '<textarea name="body"' in box(client_for(moderator), thread)
    assert "This thread is locked" in box(client_for(member), thread)
    assert '<textarea name="body"' in box(client_for(moderator), thread)


def test_a_suspended_member_is_told_at_once_when_the_thread_is_locked_too(thread, other_member, moderator):
    moderation.member_suspend(actor=moderator, member=other_member, reason="Heated", duration=timedelta(days=1))
    assert "You can't reply for now" in box(client_for(other_member), thread)
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    assert "This thread is locked" in box(client_for(other_member), thread)


def test_readers_not_logged_in_never_get_a_members_reaction_form(thread, member):
    Thread.objects.filter(pk=thread.pk).update(locked=True)  # neither may reply: the boxes differ only there
    assert 'id="reaction-form"' in client_for(member).get(thread.get_absolute_url()).content.decode()
    response = Client().get(thread.get_absolute_url())
    assert 'id="reaction-form"' not in response.content.decode()
    assert "csrftoken" not in response.cookies
