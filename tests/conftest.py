"""Personas, set up once for every test that asks for them (Healthchecks' alice/bob):
reader (anonymous), member, unverified member, other member, moderator, admin."""

import os

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from accounts.two_factor import must_use_two_factor
from forum import services
from forum.models import Category
from accounts.roles import MODERATORS_GROUP

PASSWORD = "a-long-test-password-1"


def pytest_sessionstart(session):
    """In CI a configured Redis must answer: its tests are never skipped for want of it."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url and os.environ.get("CI"):
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()


@pytest.fixture(scope="session", autouse=True)
def _worker_thread_connections_closed_before_teardown(django_db_setup, django_db_blocker):
    """Async tests reach the database from asgiref's one thread for synchronous code. A
    connection left open there (seen on PostgreSQL after tests whose sockets all open at
    once: its age had passed, but nothing in that thread closed it afterwards) kept
    PostgreSQL from dropping the test database at the end: "database test_test is being
    accessed by other users". It is closed in that thread before the teardown."""
    yield
    import asyncio

    from asgiref.sync import sync_to_async
    from django.db import connections

    with django_db_blocker.unblock():
        asyncio.run(sync_to_async(connections.close_all)())


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _moderation_limits_off(settings):
    """Pre-moderation of first posts and the posting rate limits are off unless a test
    asks for them (tests/moderation turns them on), so personas can post freely."""
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache; each test starts with a clean slate. So do
    # the live sockets' in-process answers (a thread id is reused from test to test).
    from forum import consumers

    cache.clear()
    consumers._anonymous_verdicts.clear()
    yield
    cache.clear()
    consumers._anonymous_verdicts.clear()


def make_member(username: str, *, verified: bool = True, **extra) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


@pytest.fixture
def member(db):
    return make_member("alice")


@pytest.fixture
def other_member(db):
    return make_member("bob")


@pytest.fixture
def unverified_member(db):
    return make_member("charlie", verified=False)


@pytest.fixture
def moderator(db):
    user = make_member("mona_keeper")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def admin_user(db):
    return make_member("site_owner", is_staff=True, is_superuser=True)


@pytest.fixture
def reader():
    """An anonymous reader's browser."""
    return Client()


def post_markup(html: str, post) -> str:
    """One post's <article> on a page: what its reader sees under it, not the page's
    templates for live posts."""
    start = html.index(f'id="post-{post.pk}"')
    return html[html.rindex("<article", 0, start): html.index("</article>", start)]


def client_for(user, *, two_factor: bool = True) -> Client:
    """A browser signed in as the user. Moderators and staff sign in with two factors
    (accounts/two_factor.py): they get an authenticator app, and the session records that
    its code was given, unless the test asks for a sign-in without it."""
    client = Client()
    client.force_login(user)
    if two_factor and must_use_two_factor(user):
        give_authenticator_app(user)
        record_second_factor(client, user)
    return client


def give_authenticator_app(user) -> str:
    """Turn on two-factor sign-in for the user; returns the app's secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return existing.data["secret"]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def record_second_factor(client: Client, user) -> None:
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication

    session = client.session
    record_authentication(SimpleNamespace(session=session), user, "mfa", type="totp")
    session.save()


@pytest.fixture
def member_client(member):
    return client_for(member)


@pytest.fixture
def category(db):
    return Category.objects.get(slug="ketamine-esketamine")


@pytest.fixture
def other_category(db):
    return Category.objects.get(slug="medication-withdrawal-tapering")


@pytest.fixture
def thread(member, category):
    return services.thread_create(
        author=member, category=category, title="First week of esketamine", body="How did your first week go?"
    )


@pytest.fixture
def peer_supporter(db):
    """A trained volunteer in the Peer supporters group (accounts.roles)."""
    from accounts.roles import PEER_SUPPORTERS_GROUP

    user = make_member("pia_listens")
    user.groups.add(Group.objects.get(name=PEER_SUPPORTERS_GROUP))
    return user
