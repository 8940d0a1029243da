"""The moderation log filters by moderator, member, action and days (issue 14): a GET
form whose choices survive paging, with a query count that does not grow with rows."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import MODERATORS_GROUP
from moderation import services
from moderation.models import LogEntry

from ..conftest import client_for, make_member


@pytest.fixture
def second_moderator(db):
    user = make_member("rowan_steady")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def mod(moderator):
    return client_for(moderator)


def rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [row for row in body.split("<tr>")[1:] if "<td colspan" not in row]


def dated(entry_reason: str, when: datetime):
    LogEntry.objects.filter(reason=entry_reason).update(created_at=when)


def test_the_log_narrows_to_one_moderator_one_member_one_action_and_a_range_of_days(
    mod, moderator, second_moderator, member, other_member
):
    services.member_warn(actor=moderator, member=member, reason="w-mona-alice")
    services.member_warn(actor=second_moderator, member=other_member, reason="w-rowan-bob")
    services.member_note_add(actor=moderator, member=other_member, text="n-mona-bob")
    services.member_silence(actor=second_moderator, member=member, reason="s-rowan-alice")
    dated("w-mona-alice", datetime(2026, 3, 1, 23, 59, tzinfo=UTC))
    dated("w-rowan-bob", datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    dated("n-mona-bob", datetime(2026, 3, 4, 12, 0, tzinfo=UTC))

    everything = mod.get("/moderation/log/").content.decode()
    assert len(rows(everything)) == 4 and "4 entries" in everything
    suggestions = everything[everything.index('<datalist id="log-moderators">'):everything.index("</datalist>")]
    assert '<option value="mona_keeper">' in suggestions and '<option value="rowan_steady">' in suggestions

    by_moderator = mod.get("/moderation/log/?moderator=MONA_KEEPER").content.decode()
    assert "w-mona-alice" in by_moderator and "n-mona-bob" in by_moderator and len(rows(by_moderator)) == 2

    by_member = mod.get("/moderation/log/?member=bob").content.decode()
    assert {"w-rowan-bob", "n-mona-bob"} == {r for r in ("w-rowan-bob", "n-mona-bob", "w-mona-alice") if r in by_member}
    assert len(rows(by_member)) == 2

    by_action = mod.get("/moderation/log/?action=warn").content.decode()
    assert len(rows(by_action)) == 2 and "s-rowan-alice" not in by_action
    assert '<option value="warn" selected>Warned</option>' in by_action

    days = mod.get("/moderation/log/?since=2026-03-02&until=2026-03-04").content.decode()
    assert "w-rowan-bob" in days and "n-mona-bob" in days and "w-mona-alice" not in days
    assert len(rows(days)) == 2

    combined = mod.get("/moderation/log/?moderator=rowan_steady&member=alice&action=silence").content.decode()
    assert len(rows(combined)) == 1 and "s-rowan-alice" in combined

    nothing = mod.get("/moderation/log/?member=nobody_here").content.decode()
    assert "Nothing in the log matches these filters." in nothing


def test_the_log_finds_a_moderator_whose_account_is_gone_by_the_name_it_copied(mod, moderator, second_moderator,
                                                                               member):
    services.member_warn(actor=second_moderator, member=member, reason="kept")
    second_moderator.delete()
    page = mod.get("/moderation/log/?moderator=rowan_steady").content.decode()
    assert len(rows(page)) == 1 and "kept" in page


def test_bad_dates_get_a_clear_message_and_keep_the_other_filters(mod, moderator, member, other_member):
    services.member_warn(actor=moderator, member=member, reason="for alice")
    services.member_warn(actor=moderator, member=other_member, reason="for bob")
    backwards = mod.get("/moderation/log/?member=alice&since=2026-05-02&until=2026-05-01")
    assert backwards.status_code == 400
    page = backwards.content.decode()
    assert "The last day comes before the first" in page and 'value="alice"' in page
    impossible = mod.get("/moderation/log/?since=2026-13-40")
    assert impossible.status_code == 400 and "Enter a valid date." in impossible.content.decode()


def test_paging_keeps_the_filters(mod, moderator, member):
    for number in range(55):
        LogEntry.objects.create(actor=moderator, actor_name="mona_keeper", action="warn", target_type="user",
                                target_id=member.pk, target_user=member, reason=f"warning {number}")
    LogEntry.objects.create(actor=moderator, actor_name="mona_keeper", action="hide", target_type="user",
                            target_id=member.pk, target_user=member, reason="a hide")
    first = mod.get("/moderation/log/?action=warn").content.decode()
    assert len(rows(first)) == 50 and "Page 1 of 2" in first
    assert 'href="?action=warn&amp;page=2"' in first
    second = mod.get("/moderation/log/?action=warn&page=2").content.decode()
    assert len(rows(second)) == 5 and "a hide" not in second


def test_the_logs_query_count_does_not_grow_with_its_rows(mod, moderator, member, other_member):
    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert mod.get(path).status_code == 200
        return len(queries)

    def add(n):
        for number in range(n):
            target = member if number % 2 else other_member
            LogEntry.objects.create(actor=moderator, actor_name="mona_keeper", action="warn", target_type="user",
                                    target_id=target.pk, target_user=target, reason=f"r{number}")

    add(3)
    mod.get("/moderation/log/")  # the first request fills caches that later ones keep
    few = {path: count(path) for path in ("/moderation/log/", "/moderation/log/?action=warn&member=alice")}
    add(60)
    many = {path: count(path) for path in few}
    assert many == few


def test_the_log_is_for_moderators_only(member, peer_supporter):
    for user in (member, peer_supporter):
        assert client_for(user).get("/moderation/log/?action=warn").status_code == 403


def test_a_filter_by_day_includes_the_whole_last_day(mod, moderator, member):
    services.member_warn(actor=moderator, member=member, reason="warning-at-2359")
    dated("warning-at-2359", datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC))
    assert "warning-at-2359" in mod.get("/moderation/log/?until=2026-06-30").content.decode()
    assert "warning-at-2359" not in mod.get("/moderation/log/?since=2026-07-01").content.decode()


def test_an_action_with_no_rows_finds_nothing_rather_than_an_error(mod, moderator, member):
    services.member_warn(actor=moderator, member=member, reason="a warning")
    page = mod.get("/moderation/log/?action=ban")
    assert page.status_code == 200 and "Nothing in the log matches these filters." in page.content.decode()
    assert mod.get("/moderation/log/?action=<script>").status_code == 400
