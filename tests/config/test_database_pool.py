"""PostgreSQL connections are bounded: every worker keeps one psycopg pool of DB_POOL_SIZE
connections (config/settings.py, docs/deploy.md), so many readers at once wait for a
connection instead of being refused one by the server ("too many clients already")."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from forum import services
from tests.conftest import make_member

ROOT = Path(__file__).resolve().parents[2]


def database_settings(**env_overrides) -> dict:
    """DATABASES["default"] as config.settings builds it in a fresh process."""
    dropped = {"DATABASE_URL", "REDIS_URL", "DB_POOL_SIZE", "DB_POOL_MIN_SIZE", "DB_POOL_TIMEOUT", "DB_CONN_MAX_AGE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    code = "import json, config.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_postgresql_url_gets_a_bounded_pool_sized_from_the_environment():
    db = database_settings(DATABASE_URL="postgres://forum@db-host:5432/forum", DB_POOL_SIZE="5")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["OPTIONS"]["pool"]["max_size"] == 5
    assert db["OPTIONS"]["pool"]["min_size"] <= 5
    assert db["OPTIONS"]["pool"]["timeout"] > 0
    assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections beside a pool


def test_the_pool_wins_over_persistent_connections_and_has_a_default_size():
    db = database_settings(DATABASE_URL="postgres://forum@db-host:5432/forum", DB_CONN_MAX_AGE="60")
    assert db["OPTIONS"]["pool"]["max_size"] == 8
    assert db["CONN_MAX_AGE"] == 0


def test_pool_size_zero_leaves_pooling_to_pgbouncer():
    db = database_settings(DATABASE_URL="postgres://forum@db-host:5432/forum", DB_POOL_SIZE="0", DB_CONN_MAX_AGE="0")
    assert "pool" not in db.get("OPTIONS", {})


def test_sqlite_has_no_pool():
    db = database_settings()
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert "pool" not in db["OPTIONS"]


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The pool is PostgreSQL's; CI runs this on PostgreSQL."
)


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_readers_at_once_are_served_within_the_pool(category):
    """Four times as many readers as the pool holds, each loading the thread page several
    times at once: every page answers 200, and the database never sees more of our
    connections than the pool allows."""
    size = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    assert connection.pool is not None and connection.pool.max_size == size
    author = make_member("pool-author")
    thread = services.thread_create(author=author, category=category, title="Many readers", body="Hello")
    url = thread.get_absolute_url()
    statuses, seen, errors = [], [], []
    start = threading.Barrier(size * 4)

    def reader():
        try:
            client = Client()
            start.wait()
            for _ in range(3):
                statuses.append(client.get(url).status_code)
                with connection.cursor() as cursor:  # this thread's own borrowed connection
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> 0"
                    )
                    seen.append(cursor.fetchone()[0])
                connection.close()  # back to the pool, as at the end of a request
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader) for _ in range(size * 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert statuses == [200] * (size * 4 * 3)
    # The pool's connections, plus at most the main thread's own if it holds one outside it.
    assert max(seen) <= size + 1


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reply_that_finds_the_pool_empty_answers_503_and_nothing_is_posted(category):
    """Every pooled connection busy for longer than the pool waits: the reply answers 503
    with its text kept by the page (not a 500 the page would read as a failed post)."""
    pool = connection.pool
    author = make_member("pool-writer")
    thread = services.thread_create(author=author, category=category, title="A busy night", body="Hello")
    client = Client(raise_request_exception=False)
    client.force_login(author)
    connections.close_all()
    held, release, answers = [], threading.Event(), []

    def hold_one():
        held.append(pool.getconn())
        release.wait(timeout=60)

    def reply():
        try:
            answers.append(client.post(
                f"/t/{thread.pk}/reply/", {"body": "Written while the pool was empty"}, HTTP_ACCEPT="application/json"
            ))
        finally:
            connections.close_all()

    holders = [threading.Thread(target=hold_one) for _ in range(pool.max_size)]
    original_timeout, pool.timeout = pool.timeout, 1
    try:
        for t in holders:
            t.start()
        while len(held) < pool.max_size:
            threading.Event().wait(0.05)
        writer = threading.Thread(target=reply)
        writer.start()
        writer.join(timeout=60)
    finally:
        pool.timeout = original_timeout
        release.set()
        for t in holders:
            t.join()
        for conn in held:
            pool.putconn(conn)
    (response,) = answers
    assert response.status_code == 503
    assert "your text is still here" in response.json()["error"]
    assert not thread.posts.filter(body="Written while the pool was empty").exists()
