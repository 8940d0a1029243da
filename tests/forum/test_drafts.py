"""A composer people can trust: drafts kept on the server per new thread, per thread and
per reply, which survive a reload, email verification and another device, keep the title
and content warning, and go only on purpose; and a preview of the text as readers see it."""

import re

from allauth.account.models import EmailAddress
from django.core import mail

from accounts import data_rights
from forum import drafts
from forum.models import Draft, Post, Thread
from tests.conftest import client_for


def save(client, key, **fields):
    return client.post("/drafts/save/", {"key": key, **fields}, HTTP_ACCEPT="application/json")


def test_a_reply_draft_saved_as_you_type_is_back_after_a_reload(member, thread):
    client = client_for(member)
    response = save(client, f"reply:{thread.pk}", body="Half a thought about week two")
    assert response.status_code == 200 and response.json()["saved"]
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Half a thought about week two</textarea>" in html
    assert "Discard draft" in html


def test_a_draft_follows_the_member_to_another_device(member, thread):
    save(client_for(member), f"reply:{thread.pk}", body="Started on my phone")
    laptop = client_for(member)  # a second session: another browser, another device
    assert "Started on my phone</textarea>" in laptop.get(thread.get_absolute_url()).content.decode()


def test_a_reply_to_one_post_has_its_own_draft(member, other_member, thread):
    from forum import services

    reply = services.post_create(author=other_member, thread=thread, body="Mine was tiring.")
    client = client_for(member)
    save(client, f"reply:{thread.pk}:{reply.pk}", body="Tiring for me too")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Tiring for me too" not in page  # the thread's own reply box stays empty
    assert f'href="/t/{thread.pk}/reply/?parent={reply.pk}">Continue your unfinished reply</a>' in page
    assert "Tiring for me too</textarea>" in client.get(f"/t/{thread.pk}/reply/?parent={reply.pk}").content.decode()
    shown = client.get(f"/drafts/?key=reply:{thread.pk}:{reply.pk}").json()
    assert shown["exists"] and shown["body"] == "Tiring for me too"


def test_a_new_thread_draft_keeps_its_title_and_content_warning(member, category):
    client = client_for(member)
    save(client, f"new:{category.pk}", title="A hard week", body="Some words", content_warning_0="trauma",
         content_warning_1="")
    html = client.get(f"/c/{category.slug}/new/").content.decode()
    assert 'value="A hard week"' in html and "Some words</textarea>" in html
    assert '<option value="trauma" selected>' in html


def test_the_draft_kept_during_email_verification_keeps_title_and_warning_and_outlasts_reloads(
    unverified_member, category
):
    client = client_for(unverified_member)
    data = {"title": "My first thread", "body": "What I wanted to say", "content_warning_0": "other",
            "content_warning_1": "grief"}
    response = client.post(f"/c/{category.slug}/new/", data)
    assert response.status_code == 403 and len(mail.outbox) == 1
    for _ in range(2):  # a reload does not lose it
        html = client.get(f"/c/{category.slug}/new/").content.decode()
        assert 'value="My first thread"' in html and "What I wanted to say</textarea>" in html
        assert 'value="grief"' in html
    # Confirmed at last: still there, and sending it lets it go.
    EmailAddress.objects.filter(user=unverified_member).update(verified=True)
    client = client_for(unverified_member)
    assert "What I wanted to say</textarea>" in client.get(f"/c/{category.slug}/new/").content.decode()
    response = client.post(f"/c/{category.slug}/new/", data)
    assert response.status_code == 302 and Thread.objects.filter(title="My first thread").exists()
    assert not Draft.objects.filter(member=unverified_member).exists()


def test_sending_the_reply_lets_its_draft_go(member, thread):
    client = client_for(member)
    save(client, f"reply:{thread.pk}", body="About to send")
    client.post(f"/t/{thread.pk}/reply/", {"body": "About to send"}, HTTP_ACCEPT="application/json")
    assert not Draft.objects.filter(member=member).exists()
    assert "About to send</textarea>" not in client.get(thread.get_absolute_url()).content.decode()


def test_a_refused_reply_keeps_its_draft_even_without_javascript(member, thread):
    client = client_for(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "pasted\x01text"})
    assert response.status_code == 400 and "control characters" in response.content.decode()
    assert drafts.draft_get(member, f"reply:{thread.pk}").body == "pasted\x01text"


def test_a_nul_character_is_the_one_thing_a_draft_leaves_out(member, thread):
    # PostgreSQL cannot store it; the form still shows the text as sent, with its message.
    client = client_for(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "x\x00y"})
    assert response.status_code == 400
    assert drafts.draft_get(member, f"reply:{thread.pk}").body == "xy"


def test_a_draft_goes_only_when_the_member_discards_it(member, thread):
    client = client_for(member)
    save(client, f"reply:{thread.pk}", body="Not sure about this")
    client.get(thread.get_absolute_url())
    assert Draft.objects.filter(member=member).exists()  # reading never throws it away
    response = client.post("/drafts/discard/", {"key": f"reply:{thread.pk}", "next": thread.get_absolute_url()})
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert not Draft.objects.filter(member=member).exists()


def test_emptying_the_form_lets_the_draft_go(member, thread):
    client = client_for(member)
    save(client, f"reply:{thread.pk}", body="Something")
    assert save(client, f"reply:{thread.pk}", body="   ").json() == {"saved": False, "updated_at": None}
    assert not Draft.objects.filter(member=member).exists()


def test_drafts_are_private_to_their_member(member, other_member, thread, reader):
    save(client_for(member), f"reply:{thread.pk}", body="Only mine")
    assert client_for(other_member).get(f"/drafts/?key=reply:{thread.pk}").json() == {"exists": False}
    assert "Only mine" not in client_for(other_member).get(thread.get_absolute_url()).content.decode()
    assert reader.post("/drafts/save/", {"key": f"reply:{thread.pk}", "body": "x"}).status_code == 403


def test_an_unknown_place_for_a_draft_is_refused(member):
    response = save(client_for(member), "anything-else", body="x")
    assert response.status_code == 400


def test_drafts_are_in_the_members_data_and_go_with_the_account(member, thread):
    save(client_for(member), f"reply:{thread.pk}", title="", body="In my export")
    exported = data_rights.export_all(member)
    assert exported["drafts"][0]["body"] == "In my export"
    from accounts import services as account_services

    account_services.member_delete(member=member, remove_posts=False)
    assert not Draft.objects.exists()


def test_preview_shows_the_text_as_readers_will_see_it_sanitized(member, thread):
    client = client_for(member)
    response = client.post("/preview/", {"body": "**Bold** and <script>alert(1)</script>"})
    html = response.json()["html"]
    assert "<strong>Bold</strong>" in html and "<script>" not in html


def test_preview_works_without_javascript_and_posts_nothing(member, thread, category):
    client = client_for(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Some *emphasis*", "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "<em>emphasis</em>" in html and "Some *emphasis*</textarea>" in html
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()
    response = client.post(f"/c/{category.slug}/new/", {"title": "T", "body": "> quoted", "preview": "1"})
    assert '<div class="post-body" translate="no"><blockquote>' in response.content.decode()
    assert not Thread.objects.filter(title="T").exists()


def test_the_thread_page_carries_what_the_composer_script_needs(member, thread):
    html = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert re.search(rf'<form [^>]*class="post-form reply-form"[^>]*data-draft-thread="{thread.pk}"', html)
    assert 'name="preview"' in html and "/static/js/drafts.js" in html and "/static/js/mentions.js" in html
