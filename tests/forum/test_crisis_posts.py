"""A post from someone who may be at risk: folded behind a warning its author can change,
kept out of feeds, public profiles, search snippets and emails; and the warning and title
of any post, changed after posting by its author or, logged, by a moderator."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from forum import services
from forum.models import Post
from moderation import services as moderation_services
from moderation.models import LogEntry, Notice, WatchedWord
from tests.conftest import client_for
from tests.forum.test_feeds import entries

URGENT = "I'm going to kill myself tonight. I can't keep doing this."
CONCERN = "Some nights I wish I could go to sleep and not wake up."
CRISIS_WARNING = "suicide or self-harm"


def crisis_thread(author, category, body=URGENT, **extra):
    return services.thread_create(author=author, category=category, title="Tonight", body=body, **extra)


# --- Folded by default ---------------------------------------------------------------


@pytest.mark.parametrize("body", [URGENT, CONCERN])
def test_a_crisis_reply_carries_the_suicide_warning_when_its_author_chose_none(other_member, thread, body):
    post = services.post_create(author=other_member, thread=thread, body=body)
    assert post.crisis_level in ("concern", "urgent")
    assert post.content_warning == CRISIS_WARNING


def test_the_authors_own_warning_is_kept(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body=CONCERN, content_warning="withdrawal symptoms")
    assert post.content_warning == "withdrawal symptoms"


def test_an_ordinary_post_gets_no_warning(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Week two was calmer.")
    assert post.content_warning == ""


def test_a_crisis_thread_carries_the_warning_on_the_thread_and_its_opening_post(member, category):
    thread = crisis_thread(member, category)
    assert thread.content_warning == CRISIS_WARNING
    assert thread.posts.get(is_opening=True).content_warning == CRISIS_WARNING


def test_an_edit_that_reads_as_crisis_folds_the_post(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Rough week.")
    post = services.post_edit(editor=other_member, post=post, body=CONCERN)
    post.refresh_from_db()
    assert post.crisis_level == "concern" and post.content_warning == CRISIS_WARNING


def test_a_warning_its_author_took_off_stays_off_through_later_edits(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body=CONCERN)
    services.post_details_change(editor=other_member, post=post, content_warning="")
    post = services.post_edit(editor=other_member, post=Post.objects.get(pk=post.pk), body=CONCERN + " Still here.")
    post.refresh_from_db()
    assert post.crisis_level == "concern" and post.content_warning == ""


def test_an_anonymous_reader_sees_a_crisis_post_folded(reader, member, category):
    thread = crisis_thread(member, category)
    html = reader.get(thread.get_absolute_url()).content.decode().replace("&#x27;", "'")
    summary = html.index("<summary>Content warning: suicide or self-harm. Show the post</summary>")
    assert html.index('<details class="content-warning">') < summary < html.index("going to kill myself tonight")


# --- Kept out of feeds, profiles, search snippets and emails -----------------------------


def test_crisis_posts_are_left_out_of_the_thread_feed(reader, other_member, thread):
    services.post_create(author=other_member, thread=thread, body=URGENT)
    services.post_create(author=other_member, thread=thread, body="Glad the clinic went well.")
    items = entries(reader, f"/t/{thread.pk}/feed/")
    text = " ".join(item["content"] + item["title"] for item in items)
    assert len(items) == 2  # the opening post and the ordinary reply
    assert "kill myself" not in text and "suicide or self-harm" not in text


def test_a_thread_opened_by_a_crisis_post_is_left_out_of_the_category_feed(reader, member, category):
    crisis_thread(member, category)
    services.thread_create(author=member, category=category, title="Clinic parking", body="Where do you park?")
    assert [item["title"] for item in entries(reader, f"/c/{category.slug}/feed/")] == ["Clinic parking"]


def test_crisis_posts_are_left_out_of_the_public_profile(reader, other_member, thread):
    services.post_create(author=other_member, thread=thread, body=URGENT)
    services.post_create(author=other_member, thread=thread, body="Week two was calmer.")
    html = reader.get("/members/bob/").content.decode().replace("&#x27;", "'")
    assert "Week two was calmer." in html
    assert "kill myself" not in html and html.count('class="profile-post"') == 1


def test_search_finds_a_crisis_post_and_shows_its_warning_never_its_text(reader, member, category):
    thread = crisis_thread(member, category)
    html = reader.get("/search/", {"q": "tonight"}).content.decode().replace("&#x27;", "'")
    assert f'href="/p/{thread.posts.get(is_opening=True).pk}/"' in html  # found, linked
    assert "Content warning: suicide or self-harm" in html
    assert "kill myself" not in html and "keep doing this" not in html


def test_a_crisis_post_is_never_copied_into_an_email(member, other_member, thread, django_capture_on_commit_callbacks):
    member.notification_email, member.email_post_text = "each", True
    member.save(update_fields=["notification_email", "email_post_text"])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, thread=thread, body=URGENT)
    assert len(mail.outbox) == 1
    assert "kill myself" not in mail.outbox[0].body


# --- Authors change the warning and the title -------------------------------------------


def test_the_author_changes_a_posts_warning_and_the_threads_title_from_the_edit_page(member, category):
    thread = crisis_thread(member, category)
    opening = thread.posts.get(is_opening=True)
    client = client_for(member)
    page = client.get(f"/p/{opening.pk}/edit/").content.decode()
    assert 'name="title"' in page and 'value="Tonight"' in page
    assert '<option value="suicide-self-harm" selected>' in page
    response = client.post(
        f"/p/{opening.pk}/edit/",
        {"title": "A hard night", "body": URGENT, "content_warning_0": "other", "content_warning_1": "a hard night"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    opening.refresh_from_db()
    assert thread.title == "A hard night"
    assert thread.content_warning == opening.content_warning == "a hard night"


def test_the_author_takes_a_warning_off_a_reply(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Brain zaps all day.", content_warning="withdrawal symptoms")
    client = client_for(other_member)
    page = client.get(f"/p/{post.pk}/edit/").content.decode()
    assert 'name="title"' not in page  # only the opening post carries the thread's title
    client.post(f"/p/{post.pk}/edit/", {"body": "Brain zaps all day.", "content_warning_0": ""})
    post.refresh_from_db()
    assert post.content_warning == ""


def test_only_the_author_changes_their_warning_or_title(member, other_member, thread):
    opening = thread.posts.get(is_opening=True)
    with pytest.raises(PermissionDenied):
        services.post_details_change(editor=other_member, post=opening, title="Mine now")
    assert client_for(other_member).post(f"/p/{opening.pk}/edit/", {"title": "Mine now", "body": "x"}).status_code == 403
    thread.refresh_from_db()
    assert thread.title == "First week of esketamine"


def test_a_new_title_is_screened_like_the_post_and_refused_kindly(member, thread):
    WatchedWord.objects.create(name="Selling", pattern="for sale", action=WatchedWord.Action.BLOCK)
    opening = thread.posts.get(is_opening=True)
    response = client_for(member).post(
        f"/p/{opening.pk}/edit/", {"title": "Ketamine for sale", "body": opening.body, "content_warning_0": ""}
    )
    assert response.status_code == 400
    assert "matches our rule “Selling”" in response.content.decode()
    thread.refresh_from_db()
    assert thread.title == "First week of esketamine"


def test_a_title_change_that_reads_as_crisis_folds_the_thread(member, thread):
    opening = thread.posts.get(is_opening=True)
    services.post_details_change(editor=member, post=opening, title="I'm going to kill myself tonight")
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert opening.crisis_level == "urgent"
    assert thread.content_warning == opening.content_warning == CRISIS_WARNING


# --- Moderators change them, logged, and the author told ----------------------------------


def test_a_moderator_puts_a_warning_on_a_post_logged_and_the_author_told(moderator, other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="My worst week in hospital.")
    moderation_services.post_warning_set(actor=moderator, post=post, content_warning="trauma", reason="Hospital details")
    moderation_services.post_warning_set(actor=moderator, post=post, content_warning="trauma", reason="Again")
    post.refresh_from_db()
    assert post.content_warning == "trauma"
    entry = LogEntry.objects.get(action="content_warning")  # once: the second call found the work done
    assert (entry.actor_name, entry.target_id, entry.reason) == ("mona_keeper", post.pk, "Hospital details")
    notice = Notice.objects.get(recipient=other_member, action="content_warning")
    assert "“trauma”" in notice.message and notice.reason == "Hospital details"


def test_a_moderator_renames_a_thread_logged_with_the_old_title_and_the_author_told(moderator, member, thread):
    moderation_services.thread_retitle(actor=moderator, thread=thread, title="Week one on esketamine")
    thread.refresh_from_db()
    assert thread.title == "Week one on esketamine"
    entry = LogEntry.objects.get(action="retitle")
    assert entry.reason == "Renamed from “First week of esketamine”."
    notice = Notice.objects.get(recipient=member, action="retitle")
    assert "renamed your thread “First week of esketamine” to “Week one on esketamine”" in notice.message


def test_the_moderators_forms_change_the_warning_and_title(moderator, member, thread):
    opening = thread.posts.get(is_opening=True)
    client = client_for(moderator)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"/moderation/post/{opening.pk}/warning/" in page and f"/moderation/thread/{thread.pk}/retitle/" in page
    assert 'value="First week of esketamine"' in client.get(f"/moderation/thread/{thread.pk}/retitle/").content.decode()
    client.post(f"/moderation/post/{opening.pk}/warning/", {"content_warning_0": "trauma", "reason": ""})
    client.post(f"/moderation/thread/{thread.pk}/retitle/", {"title": "Esketamine, week one", "reason": "Shorter"})
    thread.refresh_from_db()
    assert (thread.title, thread.content_warning) == ("Esketamine, week one", "trauma")
    assert client_for(member).get(f"/moderation/thread/{thread.pk}/retitle/").status_code in (302, 403)
