"""Pseudonyms that look like another member's, a former member's, or the staff's are
refused at signup (issue 15): compared by their skeleton (NFKC, Unicode's confusables,
case folded), not by their letters."""

import pytest
from django.test import Client

from accounts import names, services
from accounts.models import User
from tests.conftest import PASSWORD, make_member

CYRILLIC_A = "\u0430"
CYRILLIC_O = "\u043e"


def signup(username, email="newcomer@example.org"):
    return Client().post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, "guidelines": "on"},
    )


@pytest.mark.parametrize(
    "name", ["\uff21\uff44\uff4d\uff49\uff4e", f"Moderat{CYRILLIC_O}r", f"{CYRILLIC_A}dmin", "m0d", "Supp0rt_team"]
)
def test_staff_names_spelled_with_lookalike_characters_are_refused(db, name):
    response = signup(name)
    assert response.status_code == 200
    assert "could be mistaken for the forum&#x27;s staff" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "name", [f"fern_guardi{CYRILLIC_A}n", "FERN_GUARDIAN", "fern_guardIan", "fem_guardian"]
)
def test_a_name_that_looks_like_a_members_is_refused(db, name):
    make_member("fern_guardian")
    response = signup(name)
    assert response.status_code == 200
    assert "looks too much like one that is" in response.content.decode()
    assert User.objects.count() == 1


def test_a_deleted_members_name_and_its_lookalikes_are_never_given_again(db):
    willow = make_member("quietwillow")
    services.member_delete(member=willow, remove_posts=False)
    for name in ["quietwillow", "QuietWillow", f"quietwill{CYRILLIC_O}w"]:
        response = signup(name)
        assert "looks too much like one that is" in response.content.decode(), name
    assert User.objects.count() == 1


def test_a_former_member_keeps_the_keys_of_their_name_but_not_the_name(db):
    willow = make_member("quietwillow")
    services.member_delete(member=willow, remove_posts=False)
    former = User.objects.get(pk=willow.pk)
    assert "quietwillow" not in (former.name_key, former.name_key_folded, former.username)
    assert (former.name_key, former.name_key_folded) == names.name_keys("quietwillow")


def test_distinct_names_are_still_free(db):
    make_member("fern_guardian")
    assert signup("fern_gardener").status_code == 302
    assert User.objects.filter(username="fern_gardener").exists()


@pytest.mark.parametrize(
    "first, second, alike",
    [
        ("fern_guardian", f"fern_guardi{CYRILLIC_A}n", True),
        ("Bill", "BiII", True),  # capital i's read as l's
        ("ilse", "Ilse", True),
        ("rnia", "mia", True),
        ("jo1988x", "jo1988x", True),
        ("lise", "Ilse", False),
        ("river_stone", "river.stone", False),
        ("alice", "alicia", False),
    ],
)
def test_names_are_alike_when_they_share_a_key(first, second, alike):
    assert bool(set(names.name_keys(first)) & set(names.name_keys(second))) is alike
