"""The rules moderators manage at /moderation/rules/ without the admin: watched words (and
the test box), crisis lines (a source required) and category notices. Who may open them,
that every change is logged, and that members notice the change where they read and post.
The admin goes through the same services or only shows."""

import pytest
from django.utils.html import escape

from forum.models import Category, Thread, Visibility
from moderation.models import LogEntry, WatchedWord
from safety.models import CrisisResource

from ..conftest import client_for

WORDS = "/moderation/rules/"
NEW_WORD = "/moderation/rules/words/new/"
LINES = "/moderation/rules/crisis-lines/"
NEW_LINE = "/moderation/rules/crisis-lines/new/"
NOTICES = "/moderation/rules/notices/"


@pytest.fixture
def rule(db):
    return WatchedWord.objects.create(
        name="Selling", pattern="purple kettle deal", action=WatchedWord.Action.HOLD,
        explanation="We never allow buying or selling here, to keep members safe.",
    )


@pytest.fixture
def line(db):
    return CrisisResource.objects.filter(region="CA").order_by("position").first()


@pytest.fixture
def mod(moderator):
    return client_for(moderator)


def word_data(**changes):
    data = {"name": "Telegram handles", "pattern": "my telegram is", "match_type": "phrase", "action": "hold",
            "explanation": "Contact handles are how sellers find people here.", "enabled": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def line_data(**changes):
    data = {"region": "CA", "name": "Test Line Canada", "name_fr": "", "description": "For anyone", "description_fr": "",
            "emergency_number": "", "call_number": "1-800-555-0199", "text_number": "", "text_keyword": "",
            "chat_url": "", "web_url": "https://example.org/line", "hours": "24/7", "languages": "en,fr",
            "position": "40", "source": "example.org, checked 2026-11"}
    data.update(changes)
    return data


def rules_urls(rule, line, category):
    return [
        WORDS, NEW_WORD, f"/moderation/rules/words/{rule.pk}/", f"/moderation/rules/words/{rule.pk}/enabled/",
        LINES, NEW_LINE, f"/moderation/rules/crisis-lines/{line.pk}/", f"/moderation/rules/crisis-lines/{line.pk}/delete/",
        NOTICES, f"/moderation/rules/notices/{category.pk}/",
    ]


# --- Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "unverified_member"])
def test_members_are_refused_every_rules_page_and_change_nothing(request, persona, rule, line, category):
    client = client_for(request.getfixturevalue(persona))
    rules_before = WatchedWord.objects.count()
    for url in rules_urls(rule, line, category):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {**word_data(), **line_data(), "notice": "x", "reason": "x"}).status_code == 403, url
    assert not LogEntry.objects.exists()
    assert WatchedWord.objects.count() == rules_before and CrisisResource.objects.filter(pk=line.pk).exists()


def test_a_moderator_without_the_second_factor_is_sent_to_give_it_and_changes_nothing(moderator, rule, line, category):
    client = client_for(moderator, two_factor=False)
    for url in rules_urls(rule, line, category):
        response = client.post(url, {**word_data(), **line_data(), "notice": "x", "reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/"), url
    assert not LogEntry.objects.exists()


def test_anonymous_readers_are_sent_to_log_in(reader, rule, line, category):
    for url in rules_urls(rule, line, category):
        assert reader.get(url)["Location"].startswith("/accounts/login/"), url


def test_moderators_reach_the_rules_from_the_moderation_menu(mod):
    page = mod.get("/moderation/").content.decode()
    assert f'href="{WORDS}"' in page
    rules = mod.get(WORDS).content.decode()
    assert f'href="{LINES}"' in rules and f'href="{NOTICES}"' in rules


# --- Watched words -----------------------------------------------------------------------------


def test_a_rule_added_here_is_logged_and_holds_the_next_matching_post(mod, moderator, thread, other_member):
    response = mod.post(NEW_WORD, word_data(), follow=True)
    assert "Rule added." in response.content.decode()
    added = WatchedWord.objects.get(name="Telegram handles")
    [entry] = LogEntry.objects.filter(action="watched_word_add")
    assert entry.actor == moderator and entry.target_id == added.pk and "my telegram is" in entry.reason
    client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "My Telegram is @quickmeds, ask away"})
    assert thread.posts.get(is_opening=False).status == Visibility.PENDING
    assert "Telegram handles" in mod.get(WORDS).content.decode()


def test_a_pattern_that_does_not_work_is_refused_with_the_reason_and_the_form_keeps_it(mod):
    response = mod.post(NEW_WORD, word_data(match_type="regex", pattern="sell(ing"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This pattern does not work" in page
    assert "sell(ing</textarea>" in page and 'value="Telegram handles"' in page
    assert not WatchedWord.objects.filter(name="Telegram handles").exists()
    assert not LogEntry.objects.exists()


def test_editing_a_rule_logs_what_it_was_and_what_it_is(mod, rule):
    response = mod.post(f"/moderation/rules/words/{rule.pk}/", word_data(
        name="Selling", pattern="purple kettle deal", action="block", explanation=rule.explanation), follow=True)
    assert "Rule saved." in response.content.decode()
    rule.refresh_from_db()
    assert rule.action == "block"
    [entry] = LogEntry.objects.filter(action="watched_word_change")
    assert "action: “hold” → “block”" in entry.reason


def test_saving_a_rule_unchanged_logs_nothing(mod, rule):
    mod.post(f"/moderation/rules/words/{rule.pk}/", word_data(
        name=rule.name, pattern=rule.pattern, action=rule.action, explanation=rule.explanation))
    assert not LogEntry.objects.exists()


def test_turning_a_rule_off_is_logged_and_posts_stop_matching_it(mod, rule, thread, other_member):
    page = mod.post(f"/moderation/rules/words/{rule.pk}/enabled/", {"enabled": "0"}, follow=True).content.decode()
    assert "is turned off" in page
    assert len(LogEntry.objects.filter(action="watched_word_disable")) == 1
    client_for(other_member).post(f"/t/{thread.pk}/reply/", {"body": "Anyone want a purple kettle deal?"})
    assert thread.posts.get(is_opening=False).status == Visibility.PUBLISHED
    mod.post(f"/moderation/rules/words/{rule.pk}/enabled/", {"enabled": "1"})
    rule.refresh_from_db()
    assert rule.enabled and len(LogEntry.objects.filter(action="watched_word_enable")) == 1


def test_the_test_box_shows_a_held_text_with_its_rule_and_explanation(mod, rule):
    page = mod.post(WORDS, {"sample": "Anyone near Leeds? Purple kettle deal.", "try": "1"}).content.decode()
    assert "Held: the post waits for a moderator" in page
    assert "Selling" in page and escape(rule.explanation) in page
    assert not LogEntry.objects.exists()
    assert not Thread.objects.exists()  # nothing posted


def test_the_test_box_shows_a_blocked_and_a_published_text(mod, rule):
    WatchedWord.objects.create(name="No insults", pattern="you idiot", action="block", explanation="Be kind.")
    assert "Blocked: the post is refused" in mod.post(WORDS, {"sample": "you idiot"}).content.decode()
    page = mod.post(WORDS, {"sample": "My esketamine clinic visit went well"}).content.decode()
    assert "Published: no watched word matches." in page


def test_the_test_box_reads_text_as_readers_see_it(mod, rule):
    page = mod.post(WORDS, {"sample": "Ｐｕｒｐｌｅ kett\u200ble deal"}).content.decode()
    assert "Held: the post waits for a moderator" in page


def test_the_test_box_wants_some_text(mod):
    response = mod.post(WORDS, {"sample": ""})
    assert response.status_code == 400 and "Write or paste some text to try." in response.content.decode()


def test_on_the_edit_page_a_rule_is_tried_as_written_before_it_is_saved(mod, rule):
    response = mod.post(f"/moderation/rules/words/{rule.pk}/", {
        **word_data(name="Selling", pattern="selling my leftovers", explanation=rule.explanation),
        "sample": "I am selling my leftovers", "try": "1",
    })
    page = response.content.decode()
    assert "This rule, as written in the form, matches the text." in page
    assert "selling my leftovers</textarea>" in page  # the form keeps what was written
    rule.refresh_from_db()
    assert rule.pattern == "purple kettle deal"  # not saved
    assert not LogEntry.objects.exists()


# --- Crisis lines ------------------------------------------------------------------------------


def test_a_crisis_line_needs_its_source(mod):
    response = mod.post(NEW_LINE, line_data(source=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please say where this line was checked, and when." in page
    assert 'value="Test Line Canada"' in page
    assert not CrisisResource.objects.filter(name="Test Line Canada").exists()


def test_a_line_added_here_is_logged_and_shown_to_readers_at_once(mod, moderator, reader,
                                                                  django_capture_on_commit_callbacks):
    reader.get("/help/")  # the lines are now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        response = mod.post(NEW_LINE, line_data(), follow=True)
    assert "Line added." in response.content.decode()
    [entry] = LogEntry.objects.filter(action="crisis_line_add")
    assert entry.actor == moderator and "example.org, checked 2026-11" in entry.reason
    assert "Test Line Canada" in reader.get("/help/").content.decode()


def test_editing_a_line_logs_old_and_new_and_readers_see_it(mod, line, reader, django_capture_on_commit_callbacks):
    reader.get("/help/")
    old_hours = line.hours
    data = line_data(**{name: getattr(line, name) for name in (
        "region", "name", "name_fr", "description", "description_fr", "emergency_number", "call_number",
        "text_number", "text_keyword", "chat_url", "web_url", "languages", "position")})
    data.update(hours="Weekdays 9 to 5 (test)", source=line.source or "988.ca, checked 2026-11")
    if line.is_primary:
        data["is_primary"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = mod.post(f"/moderation/rules/crisis-lines/{line.pk}/", data, follow=True)
    assert "Line saved." in response.content.decode()
    [entry] = LogEntry.objects.filter(action="crisis_line_change")
    assert f"hours: “{old_hours}” → “Weekdays 9 to 5 (test)”" in entry.reason
    assert "Weekdays 9 to 5 (test)" in reader.get("/help/").content.decode()


def test_taking_a_line_off_needs_a_reason_is_logged_and_readers_stop_seeing_it(mod, reader,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mod.post(NEW_LINE, line_data())
    added = CrisisResource.objects.get(name="Test Line Canada")
    url = f"/moderation/rules/crisis-lines/{added.pk}/delete/"
    assert mod.post(url, {"reason": ""}).status_code == 400
    assert "Test Line Canada" in reader.get("/help/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        mod.post(url, {"reason": "Replaced by 9-8-8"})
    assert not CrisisResource.objects.filter(pk=added.pk).exists()
    [entry] = LogEntry.objects.filter(action="crisis_line_delete")
    assert "Replaced by 9-8-8" in entry.reason
    assert "Test Line Canada" not in reader.get("/help/").content.decode()


# --- Category notices --------------------------------------------------------------------------


def test_a_category_notice_is_logged_and_shows_at_once_on_a_cached_thread_page(mod, member, thread, category):
    member_client = client_for(member)
    assert "Bring your prescriber into any change" not in member_client.get(thread.get_absolute_url()).content.decode()
    response = mod.post(f"/moderation/rules/notices/{category.pk}/",
                        {"notice": "**Bring your prescriber into any change** of dose."}, follow=True)
    assert "Notice saved." in response.content.decode()
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>Bring your prescriber into any change</strong>" in page
    assert "<strong>Bring your prescriber into any change</strong>" in member_client.get(
        category.get_absolute_url()).content.decode()
    [entry] = LogEntry.objects.filter(action="category_notice_change")
    assert entry.target_id == category.pk and "Bring your prescriber" in entry.reason


def test_a_french_notice_shows_to_french_readers_and_the_english_one_to_others(mod, reader, thread, category):
    french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}
    english = {"HTTP_ACCEPT_LANGUAGE": "en-CA,en;q=0.9"}
    reader.get(thread.get_absolute_url(), **french)  # both languages' pages are now cached
    reader.get(thread.get_absolute_url(), **english)
    mod.post(f"/moderation/rules/notices/{category.pk}/",
             {"notice": "Talk to your prescriber first.", "notice_fr": "Parlez d’abord à votre prescripteur."})
    assert "Parlez d’abord à votre prescripteur." in reader.get(thread.get_absolute_url(), **french).content.decode()
    page = reader.get(thread.get_absolute_url(), **english).content.decode()
    assert "Talk to your prescriber first." in page and "Parlez" not in page
    [entry] = LogEntry.objects.filter(action="category_notice_change")
    assert "safety_notice_fr" in entry.reason and "Parlez d’abord" in entry.reason
    # Emptied, the French notice gives way to the English one for French readers.
    mod.post(f"/moderation/rules/notices/{category.pk}/", {"notice": "Talk to your prescriber first.", "notice_fr": ""})
    assert "Talk to your prescriber first." in reader.get(thread.get_absolute_url(), **french).content.decode()


def test_a_notice_is_sanitized(mod, category):
    mod.post(f"/moderation/rules/notices/{category.pk}/", {"notice": "Hello <script>alert(1)</script>",
                                                           "notice_fr": "Bonjour <script>alert(1)</script>"})
    category.refresh_from_db()
    assert "<script>" not in category.safety_notice_html and "<script>" not in category.safety_notice_fr_html
    assert "Bonjour" in category.safety_notice_fr_html


# --- The admin ---------------------------------------------------------------------------------


def test_a_watched_word_saved_in_the_admin_is_logged_through_the_same_service(admin_user):
    client = client_for(admin_user)
    response = client.post("/admin/moderation/watchedword/add/", word_data())
    assert response.status_code == 302
    assert LogEntry.objects.get(action="watched_word_add").actor == admin_user


def test_a_broken_pattern_is_refused_in_the_admin_too(admin_user):
    response = client_for(admin_user).post("/admin/moderation/watchedword/add/",
                                           word_data(match_type="regex", pattern="(unclosed"))
    assert response.status_code == 200 and "This pattern does not work" in response.content.decode()
    assert not WatchedWord.objects.filter(name="Telegram handles").exists()


def test_threads_and_crisis_lines_are_read_only_in_the_admin(admin_user, thread, line):
    client = client_for(admin_user)
    client.post(f"/admin/forum/thread/{thread.pk}/change/", {"title": thread.title, "locked": "on",
                                                              "category": thread.category_id, "status": "hidden"})
    thread.refresh_from_db()
    assert not thread.locked and thread.status == Visibility.PUBLISHED
    assert client.get(f"/admin/safety/crisisresource/{line.pk}/change/").status_code == 200
    client.post(f"/admin/safety/crisisresource/{line.pk}/change/", {**line_data(), "name": "Changed"})
    line.refresh_from_db()
    assert line.name != "Changed"
    assert client.get("/admin/safety/crisisresource/add/").status_code == 403


def test_a_category_notice_is_read_only_in_the_admin(admin_user, category):
    response = client_for(admin_user).post(f"/admin/forum/category/{category.pk}/change/", {
        "name": category.name, "slug": category.slug, "position": category.position,
        "safety_notice": "Changed in the admin"})
    assert response.status_code == 302  # the rest of the form was saved
    assert Category.objects.get(pk=category.pk).safety_notice != "Changed in the admin"


def test_the_test_box_shows_the_crisis_reading_with_its_reasons(mod):
    page = mod.post(WORDS, {"sample": "I have decided to end my life tonight, I have the pills ready"}).content.decode()
    assert "The crisis reading says “urgent”" in page
    assert "Why:" in page


def main_line(region="CA"):
    return CrisisResource.objects.get(region=region, is_primary=True)


def test_a_regions_main_line_cannot_be_taken_off_or_lose_its_emergency_number(mod):
    line = main_line()
    response = mod.post(f"/moderation/rules/crisis-lines/{line.pk}/delete/", {"reason": "Testing"})
    assert response.status_code == 400 and "This is the region&#x27;s main line" in response.content.decode()
    assert CrisisResource.objects.filter(pk=line.pk).exists()
    data = line_data(**{name: getattr(line, name) for name in ("region", "name", "name_fr", "description",
                     "description_fr", "call_number", "text_number", "text_keyword", "chat_url", "web_url", "hours",
                     "languages", "position", "source")}, emergency_number="")
    response = mod.post(f"/moderation/rules/crisis-lines/{line.pk}/", {**data, "is_primary": "on"})
    assert response.status_code == 400 and "carries the region&#x27;s emergency number" in response.content.decode()
    response = mod.post(f"/moderation/rules/crisis-lines/{line.pk}/", {**data, "emergency_number": "911"})
    assert response.status_code == 400 and "Every region keeps a main line" in response.content.decode()
    assert main_line().emergency_number == "911"
    assert not LogEntry.objects.exists()


def test_a_new_main_line_takes_over_from_the_old_one_and_the_log_says_so(mod, django_capture_on_commit_callbacks):
    old = main_line()
    with django_capture_on_commit_callbacks(execute=True):
        mod.post(NEW_LINE, {**line_data(emergency_number="911"), "is_primary": "on"})
    assert main_line().name == "Test Line Canada"
    assert CrisisResource.objects.filter(region="CA", is_primary=True).count() == 1
    assert f"now the main line instead of {old.name}" in LogEntry.objects.get(action="crisis_line_add").reason


def test_the_moderators_guide_says_where_the_tools_are_and_never_sends_them_to_the_admin(mod, peer_supporter):
    page = mod.get("/moderation/guide/").content.decode()
    assert f'href="{WORDS}"' in page and "Moderator tools" in page
    assert 'href="/admin/' not in page
    supporter_page = client_for(peer_supporter).get("/moderation/guide/").content.decode()
    assert f'href="{WORDS}"' not in supporter_page  # peer supporters do not manage rules
