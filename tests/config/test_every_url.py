"""Every URL pattern, as each persona (issue 15): what an anonymous reader, an unverified
member, a member, a suspended member and a moderator get from a GET and from a bare POST.

The table below is the access policy written down. The walk goes through
django.urls.get_resolver() itself, so a new view fails this test until someone decides,
row by row, who may open it; a view that forgets its permission check shows up as a
changed status. The admin's many pages follow one rule (none of these personas is staff).

Statuses: "login" (sent to sign in), 200 ok, 201 created, 302 onward after a form or to
where the thing is, 400 bad form, 403 refused, 404 not found or not theirs, 405 wrong
method.
"""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from forum import notifications as forum_notifications
from forum import services
from moderation import services as moderation_services
from moderation.models import ReviewItem, WatchedWord
from moderation.views import TARGETS
from modmail import services as modmail_services
from safety.models import CrisisResource

from ..conftest import client_for, make_member

PERSONAS = ("anonymous", "unverified", "member", "suspended", "moderator")
A, U, M, S, MOD = PERSONAS
LOGIN = "login"  # a redirect to the login page

# label: ((GET as A, U, M, S, MOD), (POST as A, U, M, S, MOD)). POST None: not tried here
# (allauth's own flows, whose POSTs need their own data; tests/accounts cover them).
EXPECTED: dict[str, tuple[tuple, tuple | None]] = {
    #                                        anonymous, unverified, member, suspended, moderator
    "account_login": ((200, 302, 302, 302, 302), None),
    "account_logout": ((302, 200, 200, 200, 200), None),
    "account_inactive": ((200, 200, 200, 200, 200), None),
    "account_signup": ((200, 302, 302, 302, 302), None),
    "account_reauthenticate": ((LOGIN, 200, 200, 200, 200), None),
    "account_request_reauthentication_code": ((LOGIN, 302, 200, 200, 200), None),
    "account_confirm_reauthentication_code": ((LOGIN, 302, 302, 302, 302), None),
    "account_email": ((LOGIN, 200, 200, 200, 200), None),
    "account_email_verification_sent": ((200, 200, 200, 200, 200), None),
    "account_change_password": ((LOGIN, 200, 200, 200, 200), None),
    "account_set_password": ((LOGIN, 302, 302, 302, 302), None),
    "account_reset_password": ((200, 200, 200, 200, 200), None),
    "account_confirm_login_code": ((LOGIN, 302, 302, 302, 302), None),
    "account_confirm_email": ((200, 200, 200, 200, 200), None),
    "account_reset_password_from_key_done": ((200, 200, 200, 200, 200), None),
    "account_reset_password_from_key": ((200, 200, 200, 200, 200), None),
    "account_reset_password_done": ((200, 200, 200, 200, 200), None),
    "mfa_index": ((LOGIN, 200, 200, 200, 200), None),
    "mfa_authenticate": ((LOGIN, 302, 302, 302, 302), None),
    "mfa_reauthenticate": ((LOGIN, 302, 302, 302, 200), None),
    "mfa_activate_totp": ((LOGIN, 302, 302, 302, 302), None),
    "mfa_deactivate_totp": ((LOGIN, 404, 404, 404, 302), None),
    "mfa_view_recovery_codes": ((LOGIN, 404, 404, 404, 404), None),
    "mfa_generate_recovery_codes": ((LOGIN, 302, 302, 302, 302), None),
    "mfa_download_recovery_codes": ((LOGIN, 404, 404, 404, 404), None),
    "moderation:queue": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:item": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:member": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:log": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:action post approve": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action post reject": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action post hide": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action post unhide": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action post edit": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread lock": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread unlock": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread pin": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread unpin": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread move": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action member warn": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action member suspend": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action member unsuspend": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item dismiss": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item agree": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item disagree": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item ignore": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item approve": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item reject": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item claim": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item release": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item hand_over": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:bulk": ((LOGIN, 403, 403, 403, 405), (LOGIN, 403, 403, 403, 302)),
    "moderation:item_opened": ((LOGIN, 403, 403, 403, 405), (LOGIN, 403, 403, 403, 200)),
    "moderation:shift_restart": ((LOGIN, 403, 403, 403, 405), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item reached_out": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item no_risk": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "member_moderation:report": ((LOGIN, 200, 200, 200, 403), (LOGIN, 302, 302, 302, 403)),
    "member_moderation:notices": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "safety:help": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "safety:region": ((405, 405, 405, 405, 405), (302, 302, 302, 302, 302)),
    "safety:guidelines": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "safety:crisis_check": ((405, 405, 405, 405, 405), (403, 200, 200, 200, 200)),
    "accounts:settings": ((LOGIN, 200, 200, 200, 200), (LOGIN, 302, 302, 302, 302)),
    "accounts:data_download": ((LOGIN, 200, 200, 200, 200), (LOGIN, 405, 405, 405, 405)),
    "accounts:delete": ((LOGIN, 200, 200, 200, 200), (LOGIN, 400, 400, 400, 400)),
    "accounts:language": ((405, 405, 405, 405, 405), (302, 302, 302, 302, 302)),
    "javascript-catalog": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "forum:home": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:category": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:thread_create": ((LOGIN, 200, 200, 200, 200), (LOGIN, 403, 302, 403, 302)),
    "forum:category_feed": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:thread": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:reply": ((LOGIN, 200, 200, 200, 200), (LOGIN, 403, 201, 403, 201)),
    "forum:thread_posts_after": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:thread_feed": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:search": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:profile": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:post": ((302, 302, 302, 302, 302), (302, 302, 302, 302, 302)),
    "forum:post_edit": ((LOGIN, 403, 403, 403, 403), (LOGIN, 403, 403, 403, 403)),
    "forum:post_delete": ((LOGIN, 403, 403, 403, 403), (LOGIN, 403, 403, 403, 403)),
    "forum:thread_follow": ((405, 405, 405, 405, 405), (LOGIN, 200, 200, 200, 200)),
    "forum:category_watch": ((405, 405, 405, 405, 405), (LOGIN, 302, 302, 302, 302)),
    "forum:post_react": ((LOGIN, 403, 200, 403, 200), (LOGIN, 403, 200, 403, 200)),
    "forum:inbox": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "forum:inbox_mark_read": ((405, 405, 405, 405, 405), (LOGIN, 302, 302, 302, 302)),
    "forum:inbox_open": ((405, 405, 405, 405, 405), (LOGIN, 404, 404, 404, 404)),
    "modmail:inbox": ((LOGIN, 200, 200, 200, 200), (LOGIN, 302, 302, 302, 302)),
    "modmail:new": ((LOGIN, 200, 200, 200, 200), (LOGIN, 302, 302, 302, 302)),
    "modmail:conversation": ((LOGIN, 404, 404, 404, 404), (LOGIN, 404, 404, 404, 404)),
    "modmail:team": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "modmail:reach_out": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 404)),
    "modmail:team_conversation": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:guide": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:on_call": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:action post warning": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action thread retitle": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action member peer_supporter_add": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action member peer_supporter_remove": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item acknowledge": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:action item resolve": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "safety:region_guess": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "safety:plan": ((LOGIN, 302, 302, 302, 302), (LOGIN, 302, 302, 302, 302)),
    "safety:plan_edit": ((LOGIN, 200, 200, 200, 200), (LOGIN, 302, 302, 302, 302)),
    "safety:plan_print": ((LOGIN, 302, 302, 302, 302), (LOGIN, 302, 302, 302, 302)),
    "safety:plan_text": ((LOGIN, 302, 302, 302, 302), (LOGIN, 302, 302, 302, 302)),
    "safety:plan_delete": ((LOGIN, 200, 200, 200, 200), (LOGIN, 302, 302, 302, 302)),
    "accounts:comfort": ((LOGIN, 405, 405, 405, 405), (LOGIN, 302, 302, 302, 302)),
    "forum:post_safe": ((405, 405, 405, 405, 405), (LOGIN, 403, 403, 403, 403)),
    "robots_txt": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "accounts:welcome": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "forum:latest": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "forum:new": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "forum:unread": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "forum:start_thread": ((LOGIN, 200, 200, 200, 200), (LOGIN, 200, 200, 200, 200)),
    "forum:draft_show": ((403, 400, 400, 400, 400), (405, 405, 405, 405, 405)),
    "forum:draft_save": ((405, 405, 405, 405, 405), (403, 400, 400, 400, 400)),
    "forum:draft_discard": ((405, 405, 405, 405, 405), (LOGIN, 200, 200, 200, 200)),
    "forum:preview": ((405, 405, 405, 405, 405), (403, 200, 200, 200, 200)),
    "forum:mention_suggestions": ((403, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "forum:member_block": ((405, 405, 405, 405, 405), (LOGIN, 302, 302, 302, 302)),
    "forum:member_unblock": ((405, 405, 405, 405, 405), (LOGIN, 302, 302, 302, 302)),
    "moderation:watched_words": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:watched_word_add": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:watched_word": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:watched_word_enabled": ((LOGIN, 403, 403, 403, 405), (LOGIN, 403, 403, 403, 302)),
    "moderation:crisis_lines": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:crisis_line_add": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:crisis_line": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 400)),
    "moderation:crisis_line_delete": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:category_notices": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 200)),
    "moderation:category_notice": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_note_add": ((LOGIN, 403, 403, 403, 405), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_silence": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_suspend": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_ban": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_remove_spammer": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
    "moderation:member_lift": ((LOGIN, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 302)),
}


def walk(patterns=None, prefix="", namespace=""):
    """(name, route) for every pattern the project serves."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name or route  # an unnamed pattern goes by its route
            yield (f"{namespace}:{name}" if namespace else name), route


@pytest.fixture
def world(db, member, other_member, unverified_member, moderator, category, other_category):
    thread = services.thread_create(author=other_member, category=category, title="Bob's thread", body="Hello all")
    reply = services.post_create(author=other_member, thread=thread, body="A reply of Bob's")
    services.post_create(author=member, thread=thread, body="@bob thank you")  # bob's notification
    item = ReviewItem.objects.create(post=reply, kind=ReviewItem.Kind.REPORT, reasons=["Spam"])
    suspended = make_member("dana_paused")
    moderation_services.member_suspend(actor=moderator, member=suspended, reason="A pause", duration=timedelta(days=1))
    notification = forum_notifications.inbox_for(other_member).first()
    conversation = modmail_services.conversation_start(member=other_member, body="Can someone check my post?")
    return {
        "clients": {
            A: None, U: unverified_member, M: member, S: suspended, MOD: moderator,
        },
        "thread": thread.pk, "post": reply.pk, "item": item.pk, "member": other_member.pk,
        "username": other_member.username, "slug": category.slug, "notification": notification.pk,
        "other_category": other_category.pk, "conversation": conversation.pk,
        "category": category.pk, "word": WatchedWord.objects.first().pk,
        "line": CrisisResource.objects.filter(is_primary=False).first().pk,  # a main line cannot be taken off
    }


def path_for(name: str, w: dict) -> list[tuple[str, str]]:
    """The concrete paths to try for one pattern: (label, path)."""
    t, p, i, m = w["thread"], w["post"], w["item"], w["member"]
    if name == "moderation:action":
        ids = {"post": p, "thread": t, "member": m, "item": i}
        return [(f"moderation:action {target} {action}", f"/moderation/{target}/{ids[target]}/{action}/")
                for target, (actions, _) in TARGETS.items() for action in actions]
    paths = {
        "forum:home": "/", "forum:category": f"/c/{w['slug']}/", "forum:thread_create": f"/c/{w['slug']}/new/",
        "forum:category_feed": f"/c/{w['slug']}/feed/", "forum:thread": f"/t/{t}/", "forum:reply": f"/t/{t}/reply/",
        "forum:thread_posts_after": f"/t/{t}/posts/?after={p}", "forum:thread_feed": f"/t/{t}/feed/",
        "forum:search": "/search/?q=reply", "forum:profile": f"/members/{w['username']}/", "forum:post": f"/p/{p}/",
        "forum:post_edit": f"/p/{p}/edit/", "forum:post_delete": f"/p/{p}/delete/",
        "forum:thread_follow": f"/t/{t}/follow/", "forum:category_watch": f"/c/{w['slug']}/watch/",
        "forum:post_react": f"/p/{p}/react/", "forum:inbox": "/inbox/", "forum:inbox_mark_read": "/inbox/read/",
        "forum:inbox_open": f"/inbox/{w['notification']}/open/",
        "moderation:queue": "/moderation/", "moderation:item": f"/moderation/items/{i}/",
        "moderation:member": f"/moderation/members/{m}/", "moderation:log": "/moderation/log/",
        "moderation:bulk": "/moderation/items/bulk/", "moderation:item_opened": f"/moderation/items/{i}/opened/", "moderation:shift_restart": "/moderation/shift/restart/",
        "member_moderation:report": f"/report/{p}/", "member_moderation:notices": "/notices/",
        "safety:help": "/help/", "safety:region": "/help/region/", "safety:guidelines": "/guidelines/",
        "safety:crisis_check": "/crisis/check/",
        "accounts:settings": "/settings/", "accounts:data_download": "/settings/my-data/",
        "accounts:delete": "/settings/delete-account/", "accounts:language": "/language/",
        "javascript-catalog": "/jsi18n/",
        "account_login": "/accounts/login/", "account_logout": "/accounts/logout/",
        "account_inactive": "/accounts/inactive/", "account_signup": "/accounts/signup/",
        "account_reauthenticate": "/accounts/reauthenticate/",
        "account_request_reauthentication_code": "/accounts/reauthenticate/code/",
        "account_confirm_reauthentication_code": "/accounts/reauthenticate/code/confirm/",
        "account_email": "/accounts/email/", "account_email_verification_sent": "/accounts/confirm-email/",
        "account_change_password": "/accounts/password/change/", "account_set_password": "/accounts/password/set/",
        "account_reset_password": "/accounts/password/reset/",
        "account_confirm_login_code": "/accounts/login/code/confirm/",
        "account_confirm_email": "/accounts/confirm-email/not-a-real-key/",
        "account_reset_password_from_key_done": "/accounts/password/reset/key/done/",
        "account_reset_password_from_key": "/accounts/password/reset/key/1-not-a-real-key/",
        "account_reset_password_done": "/accounts/password/reset/done/",
        "mfa_index": "/accounts/2fa/", "mfa_authenticate": "/accounts/2fa/authenticate/",
        "mfa_reauthenticate": "/accounts/2fa/reauthenticate/", "mfa_activate_totp": "/accounts/2fa/totp/activate/",
        "mfa_deactivate_totp": "/accounts/2fa/totp/deactivate/",
        "mfa_view_recovery_codes": "/accounts/2fa/recovery-codes/",
        "mfa_generate_recovery_codes": "/accounts/2fa/recovery-codes/generate/",
        "mfa_download_recovery_codes": "/accounts/2fa/recovery-codes/download/",
        "modmail:inbox": "/messages/", "modmail:new": "/messages/new/",
        "modmail:conversation": f"/messages/{w['conversation']}/", "modmail:team": "/moderation/messages/",
        "modmail:reach_out": f"/moderation/messages/reach-out/?member={m}",
        "modmail:team_conversation": f"/moderation/messages/{w['conversation']}/",
        "moderation:guide": "/moderation/guide/", "moderation:on_call": "/moderation/on-call/",
        "safety:region_guess": "/help/region/guess/?tz=Europe/London", "safety:plan": "/help/safety-plan/",
        "safety:plan_edit": "/help/safety-plan/edit/", "safety:plan_print": "/help/safety-plan/print/",
        "safety:plan_text": "/help/safety-plan/my-safety-plan.txt", "safety:plan_delete": "/help/safety-plan/delete/",
        "accounts:comfort": "/settings/comfort-mode/", "forum:post_safe": f"/p/{p}/safe/",
        "robots_txt": "/robots.txt", "accounts:welcome": "/welcome/", "forum:latest": "/latest/",
        "forum:new": "/new/", "forum:unread": "/unread/", "forum:start_thread": "/start/",
        "forum:draft_show": f"/drafts/?key=thread-{t}", "forum:draft_save": "/drafts/save/",
        "forum:draft_discard": "/drafts/discard/", "forum:preview": "/preview/",
        "forum:mention_suggestions": "/mentions/suggest/?q=bo",
        "forum:member_block": f"/members/{w['username']}/block/",
        "forum:member_unblock": f"/members/{w['username']}/unblock/",
        "moderation:watched_words": "/moderation/rules/", "moderation:watched_word_add": "/moderation/rules/words/new/",
        "moderation:watched_word": f"/moderation/rules/words/{w['word']}/",
        "moderation:watched_word_enabled": f"/moderation/rules/words/{w['word']}/enabled/",
        "moderation:crisis_lines": "/moderation/rules/crisis-lines/",
        "moderation:crisis_line_add": "/moderation/rules/crisis-lines/new/",
        "moderation:crisis_line": f"/moderation/rules/crisis-lines/{w['line']}/",
        "moderation:crisis_line_delete": f"/moderation/rules/crisis-lines/{w['line']}/delete/",
        "moderation:category_notices": "/moderation/rules/notices/",
        "moderation:category_notice": f"/moderation/rules/notices/{w['category']}/",
        "moderation:member_note_add": f"/moderation/members/{m}/notes/",
        "moderation:member_silence": f"/moderation/members/{m}/silence/",
        "moderation:member_suspend": f"/moderation/members/{m}/suspend/",
        "moderation:member_ban": f"/moderation/members/{m}/ban/",
        "moderation:member_remove_spammer": f"/moderation/members/{m}/remove-spammer/",
        "moderation:member_lift": f"/moderation/members/{m}/lift/",
    }
    return [(name, paths[name])] if name in paths else []


def project_patterns() -> list[tuple[str, str]]:
    return [(name, route) for name, route in walk() if not name.startswith("admin:")]


def test_every_url_pattern_is_in_the_table(world):
    """A new URL must be given a row (and a path to try) before CI passes."""
    missing = [name for name, _ in project_patterns() if not path_for(name, world)]
    labels = {label for name, _ in project_patterns() for label, _ in path_for(name, world)}
    assert missing == [], f"URL patterns with no path to try in this test: {missing}"
    assert sorted(labels - set(EXPECTED)) == [], "URLs with no expected statuses: add a row to EXPECTED"
    assert sorted(set(EXPECTED) - labels) == [], "rows for URLs that no longer exist"


def form_data(w: dict) -> dict:
    """One POST body that every form of the forum accepts, so what decides the answer is
    who is asking, not a missing field."""
    return {
        "title": "A title for the walk", "body": "Some words for the walk", "reason": "spam",
        "note": "", "kind": "support", "level": "watching", "watch": "1", "region": "GB", "text": "a draft",
        "days": "1", "amount": "1", "unit": "days", "confirm": "1", "category": w["other_category"], "password": "not-the-password",
    }


def answers(client, path: str, data: dict, with_post: bool) -> list:
    """GET, then POST (as the page scripts send it, asking for JSON where a view offers
    it), each undone afterwards so one probe never changes the next. A redirect to the
    login page reads "login"."""
    statuses = []
    for method in ("get", "post") if with_post else ("get",):
        with transaction.atomic():
            if method == "get":
                response = client.get(path)
            else:
                response = client.post(path, data, HTTP_ACCEPT="application/json")
            login = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            statuses.append(LOGIN if login else response.status_code)
            transaction.set_rollback(True)
    return statuses


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_answer_from_every_url(world, persona):
    user = world["clients"][persona]
    index = PERSONAS.index(persona)
    client = client_for(user) if user is not None else _anonymous()
    data = form_data(world)
    found, wanted = {}, {}
    for name, _ in project_patterns():
        for label, path in path_for(name, world):
            get_expected, post_expected = EXPECTED.get(label, ((None,) * 5, ()))
            found[label] = answers(client, path, data, with_post=post_expected is not None)
            wanted[label] = [get_expected[index]] + ([post_expected[index]] if post_expected else [])
    assert found == wanted


def _anonymous():
    from django.test import Client

    return Client()


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_opens_any_admin_page(world, persona):
    """None of these personas is staff: every admin page sends them to sign in (the
    admin's login is allauth's), and the admin's own login page refuses signed-in members."""
    user = world["clients"][persona]
    client = client_for(user) if user is not None else _anonymous()
    admin_paths = [route for name, route in walk() if name.startswith("admin:")]
    assert len(admin_paths) > 20
    for name, route in walk():
        if not name.startswith("admin:"):
            continue
        path = "/" + _fill(route)
        response = client.get(path)
        if name == "admin:login":
            assert response.status_code == (302 if user is None else 403), path
        elif name == "admin:logout":
            assert response.status_code in (302, 405), path  # signs out, if anything
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/admin/login/"), path


def test_a_staff_member_with_two_factors_opens_the_admin(admin_user):
    assert client_for(admin_user).get("/admin/").status_code == 200


def _fill(route: str) -> str:
    """An admin route with its parameters filled with harmless values."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<int:[a-z_]+>", "1", route)
    route = re.sub(r"<(?:path:|str:)?[a-z_]+>", "1", route)
    route = re.sub(r"\(\?P<app_label>[^)]*\)", "forum", route)
    return route


NUL_QUERY = "q=%00&page=%00&after=%00&since=%00&parent=%00&next=%00&region=%00&kind=%00"


@pytest.mark.parametrize("persona", [A, M])
def test_no_url_answers_a_null_character_with_a_server_error(world, persona):
    """PostgreSQL refuses NUL in any text (CI runs this on it): in a query string or in a
    path, every view answers 4xx or as usual, never 500."""
    user = world["clients"][persona]
    client = client_for(user) if user is not None else _anonymous()
    client.raise_request_exception = False
    failing = []
    for name, route in project_patterns():
        paths = [path for _, path in path_for(name, world)]
        if "<str:" in route or "<path:" in route:
            paths.append("/" + re.sub(r"<(?:str|path):[a-z_]+>", "%00", route))
        for path in paths:
            probe = path + ("&" if "?" in path else "?") + NUL_QUERY
            for method in (client.get, client.post):
                with transaction.atomic():
                    status = method(probe).status_code
                    transaction.set_rollback(True)
                if status >= 500:
                    failing.append(f"{method.__name__.upper()} {probe}: {status}")
    assert failing == []
