from datetime import timedelta

import pytest

from moderation import services as moderation_services

from ..conftest import make_member


@pytest.fixture
def suspended_member(db, moderator):
    user = make_member("dana_paused")
    moderation_services.member_suspend(
        actor=moderator, member=user, reason="Repeated unkind replies", duration=timedelta(days=3)
    )
    return user


@pytest.fixture
def premoderation_on(settings):
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 2


@pytest.fixture
def rate_limits_on(settings):
    settings.MODERATION_RATE_LIMITS_ENABLED = True
