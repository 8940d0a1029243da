"""@mentions match a member's name whatever its case, and the composer suggests names."""

from forum import services
from forum.models import Notification
from tests.conftest import client_for, make_member


def test_a_mention_in_any_case_links_and_notifies_the_member(member, other_member, thread):
    river = make_member("River_Stone")
    post = services.post_create(author=other_member, thread=thread, body="Thank you @river_stone and @RIVER_STONE.")
    assert '<a class="mention" href="/members/River_Stone/">@river_stone</a>' in post.body_html
    assert '<a class="mention" href="/members/River_Stone/">@RIVER_STONE</a>' in post.body_html
    assert Notification.objects.filter(recipient=river, kind="mention", post=post).count() == 1


def test_a_name_nobody_has_stays_plain_text(other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Hello @nobody_by_that_name")
    assert "mention" not in post.body_html


def test_suggestions_list_members_whose_name_starts_with_the_letters_whatever_the_case(member, other_member):
    make_member("River_Stone")
    make_member("riverside")
    make_member("quiet_harbour")
    names = client_for(member).get("/mentions/suggest/?q=RIV").json()["members"]
    assert names == ["River_Stone", "riverside"]


def test_suggestions_leave_out_the_asker_blocked_and_former_members(member, other_member):
    from accounts import services as account_services
    from forum import blocks

    gone = make_member("bobby_gone")
    account_services.member_delete(member=gone, remove_posts=False)
    blocked = make_member("bobcat")
    blocks.member_block(member=member, blocked=blocked)
    assert client_for(member).get("/mentions/suggest/?q=bob").json()["members"] == ["bob"]
    assert client_for(other_member).get("/mentions/suggest/?q=bob").json()["members"] == ["bobcat"]


def test_suggestions_are_for_signed_in_members(reader, member):
    assert reader.get("/mentions/suggest/?q=al").status_code == 403
