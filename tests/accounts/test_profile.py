"""Member profiles at /members/<username>/: pseudonym and when they joined; recent public
posts only if the member chose to show them (private by default)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from forum import services
from moderation import services as moderation_services
from tests.conftest import client_for


def show_activity(member):
    account_services.member_settings_update(member=member, show_activity=True)


def test_a_profile_keeps_activity_private_unless_the_member_shows_it(reader, member, thread):
    services.post_create(author=member, thread=thread, body="Week two felt lighter.")
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert '<h1 translate="no">alice</h1>' in html
    assert f"Member since {member.date_joined:%B %Y}" in html
    assert "Week two felt lighter." not in html and "First week of esketamine" not in html
    assert "keeps their activity private" in html


def test_a_profile_shows_pseudonym_join_date_and_recent_posts_when_the_member_chooses(reader, member, thread):
    services.post_create(author=member, thread=thread, body="Week two felt lighter.")
    show_activity(member)
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert '<h1 translate="no">alice</h1>' in html
    assert f"Member since {member.date_joined:%B %Y}" in html
    assert "Week two felt lighter." in html and 'Started “<span translate="no">First week of esketamine</span>”' in html


def test_a_reader_who_is_not_signed_in_never_sees_posts_from_members_only_categories(
    reader, member, thread, category
):
    show_activity(member)
    category.members_only = True
    category.save()
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert "First week of esketamine" not in html
    assert "First week of esketamine" in client_for(member).get(f"/members/{member.username}/").content.decode()


def test_a_profile_never_shows_the_email_address(reader, member, thread):
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert member.email not in html and "@example.org" not in html


def test_a_profile_lists_only_published_posts_in_published_threads(
    reader, member, other_member, moderator, thread, category
):
    hidden = services.post_create(author=member, thread=thread, body="Hidden by a moderator.")
    moderation_services.post_hide(actor=moderator, post=hidden, reason="Dosing instructions")
    removed = services.post_create(author=member, thread=thread, body="Removed by me.")
    services.post_delete(actor=member, post=removed)
    other = services.thread_create(author=other_member, category=category, title="Bob's thread", body="Hi.")
    in_hidden_thread = services.post_create(author=member, thread=other, body="Reply in a thread later hidden.")
    moderation_services.post_hide(actor=moderator, post=other.posts.get(is_opening=True), reason="Sourcing talk")
    show_activity(member)
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert "Hidden by a moderator" not in html and "Removed by me" not in html
    assert in_hidden_thread.body not in html
    assert "How did your first week go?" in html


def test_a_post_behind_a_content_warning_is_named_not_quoted(reader, member, category):
    services.thread_create(
        author=member, category=category, title="Night", body="Details of the night.", content_warning="trauma"
    )
    show_activity(member)
    html = reader.get(f"/members/{member.username}/").content.decode()
    assert "Content warning: trauma" in html and "Details of the night" not in html


def test_a_former_members_profile_is_gone(reader, member, thread):
    old_name = member.username
    account_services.member_delete(member=member, remove_posts=False)
    member.refresh_from_db()
    assert reader.get(f"/members/{old_name}/").status_code == 404
    assert reader.get(f"/members/{member.username}/").status_code == 404


def test_an_unknown_name_is_not_found(db, reader):
    assert reader.get("/members/nobody_here/").status_code == 404


def test_profile_queries_do_not_grow_with_posts(reader, member, thread):
    show_activity(member)
    def count():
        reader.get(f"/members/{member.username}/")
        with CaptureQueriesContext(connection) as context:
            reader.get(f"/members/{member.username}/")
        return len(context.captured_queries)

    few = count()
    for index in range(15):
        services.post_create(author=member, thread=thread, body=f"Note {index}")
    assert count() == few
