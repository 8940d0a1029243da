"""@mentions notify a limited number of members: at most FORUM_MENTIONS_PER_POST per post,
the first named first, and FORUM_MENTIONS_PER_DAY per author a day (issue 15). The names
beyond the limit are still linked; their owners just get no notification or email."""

import pytest

from forum import services
from forum.models import Notification

from ..conftest import make_member


@pytest.fixture
def crowd(db):
    return [make_member(f"reader{n:02d}") for n in range(15)]


def mentioned(members) -> str:
    return " ".join(f"@{member.username}" for member in members)


def notified(kind="mention") -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_one_post_notifies_only_the_first_members_it_mentions(thread, other_member, crowd, settings):
    settings.FORUM_MENTIONS_PER_POST = 10
    post = services.post_create(author=other_member, thread=thread, body=f"Thinking of you all {mentioned(crowd)}")
    assert notified() == [member.username for member in crowd[:10]]
    assert post.body_html.count('class="mention"') == 15  # every name still links to its profile


def test_an_author_notifies_a_limited_number_of_members_a_day(thread, other_member, crowd, settings):
    settings.FORUM_MENTIONS_PER_POST = 10
    settings.FORUM_MENTIONS_PER_DAY = 12
    services.post_create(author=other_member, thread=thread, body=f"Hello {mentioned(crowd[:8])}")
    services.post_create(author=other_member, thread=thread, body=f"And hello {mentioned(crowd[8:])}")
    assert len(notified()) == 12
    assert notified() == sorted(member.username for member in crowd[:12])


def test_the_limit_is_each_authors_own(thread, other_member, member, crowd, settings):
    settings.FORUM_MENTIONS_PER_DAY = 3
    services.post_create(author=other_member, thread=thread, body=f"Hi {mentioned(crowd[:5])}")
    services.post_create(author=member, thread=thread, body=f"Hi {mentioned(crowd[5:10])}")
    assert len(notified()) == 6


def test_a_member_answered_and_mentioned_is_told_once_and_uses_no_mention(thread, other_member, member, crowd, settings):
    settings.FORUM_MENTIONS_PER_POST = 2
    services.post_create(author=other_member, thread=thread, body=f"@{member.username} {mentioned(crowd[:2])}")
    assert notified("reply") == ["alice"]
    assert notified() == sorted(member.username for member in crowd[:2])
