"""Support that meets the member where they are, in a real browser (Chromium through
Playwright): the reader's own lines, a Call button a thumb can reach, crisis posts folded
and kept out of feeds and profiles, replies to someone at risk checked, and the member's
safety plan in the composer's note."""

import pytest
from pytest_django.live_server_helper import LiveServer

from forum import services
from forum.models import Post, Visibility
from safety import services as safety_services
from tests.conftest import make_member
from tests.forum.live_server import free_port, session_cookie
from tests.forum.live_server import launched_chromium as launched

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URGENT = "I'm going to end my life tonight. I can't do this taper anymore."
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server():
    live = LiveServer(f"127.0.0.1:{free_port()}")
    yield live.url
    live.stop()


def signed_in(browser, server, cookie, **options):
    context = browser.new_context(**options)
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": server}])
    return context.new_page()


def test_an_en_gb_reader_with_no_cookie_sees_samaritans_first_and_never_988(server, thread):
    with launched() as browser:
        page = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
        page.goto(f"{server}{thread.get_absolute_url()}")
        banner = page.inner_text("#crisis-support")
        first_button = page.locator(".crisis-banner .crisis-button").first
        first_label = first_button.get_attribute("aria-label")
        thread_text = page.inner_text("body")
        dial_links = page.eval_on_selector_all("a[href^='tel:'], a[href^='sms:']", "links => links.map(a => a.href)")
        page.goto(f"{server}/help/")
        first_region = page.locator(".help-region h2").first.inner_text()
        first_line = page.locator(".help-region .help-line h3").first.inner_text()
        cookies = page.context.cookies()
    assert first_label == "Call 116 123, Samaritans"
    assert "Call 116 123, any time." in banner and "999" in banner
    # What the reader can read or dial; the page's markup also carries timestamps,
    # whose microseconds may spell 988 by chance.
    assert "988" not in thread_text and "9-8-8" not in thread_text and "911" not in banner
    assert dial_links and not [link for link in dial_links if "988" in link]
    assert first_region.startswith("United Kingdom") and first_line == "Samaritans"
    assert not [cookie for cookie in cookies if cookie["name"] == "crisis_region"]  # a guess, never stored


def test_a_browser_that_names_no_country_is_placed_by_its_time_zone_and_nothing_is_stored(server, db):
    with launched() as browser:
        page = browser.new_context(locale="en", timezone_id="Australia/Brisbane").new_page()
        with page.expect_response("**/help/region/guess/**"):
            page.goto(f"{server}/")
        page.wait_for_selector('#crisis-support[data-region="AU"]', timeout=10_000)
        banner = page.inner_text("#crisis-support")
        cookies = page.context.cookies()
    assert "Call 13 11 14" in banner and "000" in banner
    assert cookies == []


def test_a_phone_sized_page_has_a_tappable_call_button_above_the_fold(server, thread):
    with launched() as browser:
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3, locale="en-GB",
            timezone_id="Europe/London",
        )
        page = context.new_page()
        page.goto(f"{server}{thread.get_absolute_url()}")
        call = page.locator(".crisis-banner .crisis-call")
        box = call.bounding_box()
        banner = page.locator("#crisis-support").bounding_box()
        href = call.get_attribute("href")
        # What a finger at the button's centre would touch: the button itself, nothing over it.
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('a') === document.querySelector('.crisis-call')",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        page.goto(f"{server}/help/")
        help_box = page.locator("main .crisis-call").bounding_box()
    assert href == "tel:116123"
    assert box["width"] >= 44 and box["height"] >= 44
    assert box["y"] >= banner["y"] and box["y"] + box["height"] <= PHONE["height"]
    assert box["y"] - banner["y"] < 20, "the Call button is on the banner's first line"
    assert hit
    assert scroll_width <= PHONE["width"]
    assert help_box["height"] >= 44 and help_box["y"] + help_box["height"] <= PHONE["height"]


def test_a_crisis_post_appears_folded_for_anonymous_readers_and_is_absent_from_the_feed_and_profile(server, category):
    writer = make_member("wren", show_activity=True)  # a profile that lists recent posts
    thread = services.thread_create(author=writer, category=category, title="Tonight", body=URGENT)
    services.thread_create(author=writer, category=category, title="Clinic parking", body="Where do you all park?")
    with launched() as browser:
        page = browser.new_context().new_page()
        page.goto(f"{server}{thread.get_absolute_url()}")
        summary = page.inner_text(".post-opening details.content-warning summary")
        folded_before = page.locator(".post-opening .post-body").is_visible()
        page.click(".post-opening details.content-warning summary")
        shown_after = page.locator(".post-opening .post-body").is_visible()
        feed = page.request.get(f"{server}/c/{category.slug}/feed/").text()
        thread_feed = page.request.get(f"{server}/t/{thread.pk}/feed/").text()
        page.goto(f"{server}/members/wren/")
        profile = page.inner_text("main")
    assert summary == "Content warning: suicide or self-harm. Show the post"
    assert folded_before is False and shown_after is True
    assert "Clinic parking" in feed and "Tonight" not in feed and "end my life" not in feed
    assert "end my life" not in thread_feed
    assert "Where do you all park?" in profile and "end my life" not in profile and "Tonight" not in profile


def test_a_reply_with_a_method_to_a_crisis_post_is_held_and_its_writer_told_why(server, category):
    person = make_member("wren")
    thread = services.thread_create(author=person, category=category, title="Tonight", body=URGENT)
    replier = make_member("rowan")
    method = "How many of your lorazepam would it take to die? What is the lethal dose?"
    cookie = session_cookie(replier)
    with launched() as browser:
        page = signed_in(browser, server, cookie)
        page.goto(f"{server}{thread.get_absolute_url()}")
        guide = page.inner_text(".reply-box .reply-coaching")
        page.fill(".reply-box textarea[name=body]", method)
        page.wait_for_selector(".reply-box .reply-check-note", timeout=10_000)
        before_posting = page.inner_text(".reply-box .reply-check-note")
        page.click(".reply-box button[type=submit]")
        note = page.wait_for_selector("#reply-tree .reply-held-note", timeout=10_000).inner_text()
        anonymous = browser.new_context().new_page()
        anonymous.goto(f"{server}{thread.get_absolute_url()}")
        seen_by_others = anonymous.content()
    assert "Never describe methods" in guide
    assert "this reply would wait for a moderator" in before_posting
    assert "Your reply is waiting for a moderator before anyone else sees it." in note
    assert "ways of ending a life or of self-harm" in note
    reply = Post.objects.get(author=replier)
    assert reply.status == Visibility.PENDING
    assert "lethal dose" not in seen_by_others


def test_the_safety_plan_appears_in_the_compose_note_for_a_member_who_has_one(server, category):
    writer = make_member("wren", region="GB")
    safety_services.safety_plan_save(
        member=writer, coping_alone="Walk to the river", reasons_for_living="My cat Pebble",
    )
    cookie = session_cookie(writer)
    with launched() as browser:
        page = signed_in(browser, server, cookie)
        page.goto(f"{server}/c/{category.slug}/new/")
        page.fill("input[name=title]", "Can't see a way through")
        page.fill("textarea[name=body]", "Honestly I feel completely hopeless. Everyone would be better off without me.")
        note = page.wait_for_selector(".compose-support .support-note", timeout=10_000).inner_text()
    assert "Here is the safety plan you wrote." in note
    assert note.index("My cat Pebble") < note.index("Samaritans")
    assert "Walk to the river" in note


def test_comfort_mode_hides_posts_with_a_warning_on_the_page(server, thread):
    reader = make_member("quinn")
    reader.comfort_mode = True
    reader.save(update_fields=["comfort_mode"])
    services.post_create(author=make_member("sage"), thread=thread, body="The ward was awful.", content_warning="trauma")
    services.post_create(author=make_member("tam"), thread=thread, body="Parking is free after six.")
    cookie = session_cookie(reader)
    with launched() as browser:
        page = signed_in(browser, server, cookie)
        page.goto(f"{server}{thread.get_absolute_url()}")
        warned = page.locator("article.post.is-sensitive")
        note_visible = warned.locator(".comfort-note").is_visible()
        summary_visible = warned.locator("summary").is_visible()
        ordinary_visible = page.get_by_text("Parking is free after six.").is_visible()
        page.click(".comfort-switch button")
        page.wait_for_load_state()
        summary_after = page.locator("article.post.is-sensitive summary").is_visible()
    assert note_visible and not summary_visible and ordinary_visible
    assert summary_after  # switched off from the header: the post is back, folded behind its warning
