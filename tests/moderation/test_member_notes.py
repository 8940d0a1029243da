"""Private moderator notes on members (issue 14): listed and added on the moderation
member page, logged, and never shown to the member: not on their notices, inbox,
profile or private messages, and not in their data download (docs/security.md)."""

import json

import pytest

from accounts import data_rights
from accounts import services as account_services
from forum.models import Notification
from moderation import services
from moderation.models import LogEntry, MemberNote, Notice

from ..conftest import client_for

NOTE = "Seems to struggle at night; a warm word works better than a warning"


@pytest.fixture
def mod(moderator):
    return client_for(moderator)


def test_a_moderator_adds_a_note_that_is_listed_on_the_member_page_and_logged_once(mod, member):
    page = mod.get(f"/moderation/members/{member.pk}/").content.decode()
    assert "Private notes" in page and "No notes yet." in page and 'name="text"' in page
    response = mod.post(f"/moderation/members/{member.pk}/notes/", {"text": NOTE})
    assert response.status_code == 302 and response["Location"] == f"/moderation/members/{member.pk}/"
    mod.post(f"/moderation/members/{member.pk}/notes/", {"text": NOTE})  # a double submit
    assert MemberNote.objects.filter(member=member).count() == 1
    page = mod.get(f"/moderation/members/{member.pk}/").content.decode()
    notes = page[page.index("Private notes"):page.index("Recent posts")]
    assert NOTE in notes and "mona_keeper" in notes
    entry = LogEntry.objects.get(target_user=member)
    assert entry.action == "note_add" and entry.actor_name == "mona_keeper" and entry.reason == NOTE
    log = mod.get("/moderation/log/?action=note_add").content.decode()
    assert "wrote a private note" in log and NOTE in log


def test_an_empty_note_is_refused_and_a_long_one_keeps_what_was_written(mod, member):
    empty = mod.post(f"/moderation/members/{member.pk}/notes/", {"text": "   "})
    assert empty.status_code == 400 and "Write the note first." in empty.content.decode()
    long = "a" * 2001
    refused = mod.post(f"/moderation/members/{member.pk}/notes/", {"text": long})
    assert refused.status_code == 400 and long in refused.content.decode()
    assert "2000" in refused.content.decode()
    assert not MemberNote.objects.exists() and not LogEntry.objects.exists()


def test_a_note_is_never_shown_to_the_member(moderator, member):
    services.member_note_add(actor=moderator, member=member, text=NOTE)
    client = client_for(member)
    for url in ("/notices/", "/inbox/", f"/members/{member.username}/", "/messages/", "/"):
        assert NOTE not in client.get(url).content.decode(), url
    assert not Notice.objects.filter(recipient=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    download = client.get("/settings/my-data/").content.decode()
    assert NOTE not in download and "note_add" not in download
    assert NOTE not in json.dumps(data_rights.export_all(member))


def test_members_and_peer_supporters_cannot_read_or_write_notes(member, other_member, peer_supporter, moderator):
    services.member_note_add(actor=moderator, member=other_member, text=NOTE)
    for user in (member, peer_supporter):
        client = client_for(user)
        assert client.get(f"/moderation/members/{other_member.pk}/").status_code == 403
        assert client.post(f"/moderation/members/{other_member.pk}/notes/", {"text": "mine"}).status_code == 403
    assert list(MemberNote.objects.values_list("text", flat=True)) == [NOTE]


def test_deleting_the_account_erases_the_notes_about_them_and_their_text_in_the_log(moderator, member):
    services.member_note_add(actor=moderator, member=member, text=NOTE)
    account_services.member_delete(member=member, remove_posts=False)
    assert not MemberNote.objects.exists()
    assert NOTE not in LogEntry.objects.get(action="note_add").reason


def test_a_data_rights_request_gets_the_notes_without_their_authors_from_a_command(moderator, member, other_member):
    from io import StringIO

    from django.core.management import call_command

    services.member_note_add(actor=moderator, member=member, text=NOTE)
    services.member_note_add(actor=moderator, member=other_member, text="about bob")
    out = StringIO()
    call_command("member_notes_export", "ALICE", stdout=out)
    data = json.loads(out.getvalue())
    assert data["member"] == "alice" and [note["text"] for note in data["moderator_notes"]] == [NOTE]
    assert "mona_keeper" not in out.getvalue() and "about bob" not in out.getvalue()


def test_the_settings_page_says_where_the_notes_are_and_how_to_ask_for_them(member):
    page = client_for(member).get("/settings/").content.decode()
    assert "private notes" in page and "not in the download" in page and "Message the moderators" in page
