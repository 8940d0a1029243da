"""Notification emails: off by default; one each or a daily digest; sensitive posts are
emailed as the subject and a link only, unless the member asks for the text."""

from django.core import mail
from django.core.management import call_command

from forum import services
from forum.models import Category

from ..conftest import client_for


def choose(member, **settings):
    for field, value in settings.items():
        setattr(member, field, value)
    member.save(update_fields=list(settings))


def test_no_email_by_default(member, other_member, thread, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="Mine went fine.")
    call_command("send_digests")
    assert mail.outbox == []


def test_the_settings_page_offers_the_email_choices_off_by_default(member):
    client = client_for(member)
    page = client.get("/settings/").content.decode()
    assert 'value="off" ' in page and "checked" in page[page.index('value="off"') - 120 : page.index('value="off"') + 60]
    client.post("/settings/", {"notification_email": "daily", "email_post_text": "on"})
    member.refresh_from_db()
    assert (member.notification_email, member.email_post_text) == ("daily", True)


def test_an_email_from_a_sensitive_category_has_the_subject_and_link_but_not_the_text(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    choose(member, notification_email="each")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(author=other_member, thread=thread, body="I felt dissociated for two hours.")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.org"]
    # A generic subject with the site's name: nothing personal on a lock screen.
    assert email.subject == "Common Ground: New reply to your post"
    assert f"/p/{post.pk}/" in email.body
    assert "dissociated" not in email.body
    # A sensitive category's thread title can be personal too: not in the email either.
    assert "First week of esketamine" not in email.body and "bob replied to one of your posts." in email.body


def test_a_member_who_asks_for_the_text_gets_it(member, other_member, thread, django_capture_on_commit_callbacks):
    choose(member, notification_email="each", email_post_text=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="I felt dissociated for two hours.")
    assert "> I felt dissociated for two hours." in mail.outbox[0].body


def test_a_category_that_is_not_sensitive_sends_the_text(member, other_member, thread, django_capture_on_commit_callbacks):
    Category.objects.filter(pk=thread.category_id).update(is_sensitive=False)
    choose(member, notification_email="each")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="The clinic had a quiet room.")
    assert "The clinic had a quiet room." in mail.outbox[0].body


def test_the_daily_digest_gathers_unread_notifications_once(member, other_member, thread, django_capture_on_commit_callbacks):
    choose(member, notification_email="daily")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body="First.")
        services.post_create(author=other_member, thread=thread, body="@alice second.")
    assert mail.outbox == []  # nothing until the digest runs
    call_command("send_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "Common Ground: 2 new notifications"
    assert digest.body.count("bob replied to one of your posts.") == 2
    assert "First week of esketamine" not in digest.body
    assert "First." not in digest.body  # sensitive category, text not asked for
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_the_digest_leaves_out_posts_hidden_since(member, other_member, thread, moderator):
    from moderation import services as moderation_services

    choose(member, notification_email="daily")
    post = services.post_create(author=other_member, thread=thread, body="To be hidden.")
    moderation_services.post_hide(actor=moderator, post=post, reason="Sourcing")
    call_command("send_digests")
    assert mail.outbox == []  # alice's only notification is about a post she can no longer see
