"""The short version of bench/soak.py's fault scenarios, for the CI pass on PostgreSQL and
Redis: two uvicorn workers on the test database, a redis-server of the test's own (on a
spare port, so it can be restarted; the shared Redis is never touched), thirty readers
speaking the page's live protocol and three posters. After Redis restarts and after a
worker is killed and restarted, every reader holds every published reply exactly once,
every reply that committed was answered 201, and the servers logged no unhandled
exception. About a minute; run alone with `pytest -m soak`."""

import asyncio
import os
import shutil
import types

import pytest
from django.db import connection

from bench import soak
from forum import services
from forum.models import Post

from ..conftest import client_for, make_member
from .live_server import shared_database_url

pytestmark = [
    pytest.mark.soak,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The SQLite pass has no PostgreSQL; CI's second pass (PostgreSQL and Redis) runs these,
    # and there a missing redis-server fails the test instead of skipping it.
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="The soak runs on PostgreSQL and Redis (CI's second pass).",
    ),
]


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the soak test, but redis-server is not on PATH (apt-get install redis-server).")
        pytest.skip("No redis-server on PATH (apt-get install redis-server); CI runs this.")


def test_after_a_redis_restart_and_a_worker_crash_every_reader_holds_every_reply_once(
    redis_server, thread, member, other_member, moderator, tmp_path, settings
):
    posters = [other_member] + [make_member(f"soaker{n}") for n in range(3)]
    target = services.post_create(author=member, thread=thread, body="The first reply")
    fixture = {
        "thread": thread.pk,
        "opening": Post.objects.get(thread=thread, is_opening=True).pk,
        "target": target.pk,
        "sessions": ["unused", "unused"] + [client_for(user).cookies["sessionid"].value for user in posters],
        "moderator": client_for(moderator).cookies["sessionid"].value,
    }
    deploy = soak.Deployment(tmp_path, workers=2, redis_port=6400, admin_url="", heartbeat=2,
                             database_url=shared_database_url(tmp_path), debug=True, secret_key=settings.SECRET_KEY)
    args = types.SimpleNamespace(readers=30, posters=3, every=1.0, duration=10.0, settle=20.0)
    try:
        deploy.serve()
        results = [asyncio.run(soak.scenario(name, deploy, fixture, args)) for name in ("redis-restart", "worker-crash")]
    finally:
        deploy.stop()
    for result in results:
        name = result["scenario"]
        assert result["posted"] >= 3, f"{name}: too few replies were posted to show anything: {result}"
        assert result["missing"] == 0 and result["duplicated"] == 0, f"{name}: {result}"
        unhandled = {k: v for k, v in result["server_exceptions"].items() if k != "is not answering"}
        assert unhandled == {}, f"{name}: {result}"
        assert not [k for k in result["http_errors"] if k.endswith(" 500")], f"{name}: {result}"
    redis_restart = results[0]
    assert redis_restart["committed_but_refused"] == 0, redis_restart
    assert redis_restart["resyncs"] >= 30, "every reader's socket re-joined and asked its page to catch up"
