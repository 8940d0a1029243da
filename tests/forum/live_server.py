"""Real ASGI servers for the tests that need them: uvicorn subprocesses on 127.0.0.1, on a
free port (chosen at random, so runs side by side rarely reach for the same one), reading
the test's own database.

The test database must be one the subprocesses can open, so these tests are transactional
(their rows are committed): on PostgreSQL the servers get the test database's name; on
SQLite, whose test database lives in memory, they get a file copy of it taken once the
test has written its rows (`shared_database_url`)."""

import contextlib
import json
import os
import random
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
# Server settings for members past pre-moderation and rate limits (see the moderation issue).
ESTABLISHED = {"MODERATION_PREMODERATE_FIRST_POSTS": "0", "MODERATION_RATE_LIMITS_ENABLED": "0"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    ports = list(range(20000, 30000))
    random.shuffle(ports)
    for port in ports[:200]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port found in 20000-29999.")


@contextlib.contextmanager
def launched_chromium():
    """Debian's Chromium through Playwright. Without it CI fails and elsewhere the test is
    skipped. Playwright's sync API runs an event loop in this thread: ORM work happens
    before and after."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"No Chromium at {CHROMIUM} (apt-get install chromium); CI installs it and runs these.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def session_cookie(member) -> str:
    """A signed-in session for `member`, made before the browser starts."""
    client = Client()
    client.force_login(member)
    return client.cookies["sessionid"].value


def shared_database_url(tmp_path: Path) -> str:
    """A DATABASE_URL for the server processes: the test's database as it is now."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = urllib.parse.quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + urllib.parse.quote(db["PASSWORD"])
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite":
        path = tmp_path / "live.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    raise NotImplementedError(connection.vendor)


@contextlib.contextmanager
def uvicorn_server(database_url: str, log_path: Path, **env):
    """Serve config.asgi on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # SITE_URL: links in emails and live alerts lead back to this very server.
    environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", "SITE_URL": base, **env}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(process, base, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(process, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped:\n{log_path.read_text(errors='replace')}")
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"The server did not answer in 30 s:\n{log_path.read_text(errors='replace')}")


def post_reply(base: str, thread_id: int, session: str, body: str) -> dict:
    """POST a reply as the page's script does (fetch, JSON back), with a session cookie."""
    token = secrets.token_hex(16)  # a CSRF secret of our own, sent as cookie and header
    request = urllib.request.Request(
        f"{base}/t/{thread_id}/reply/",
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={
            "Accept": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "X-CSRFToken": token,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return {"status": response.status, **json.loads(response.read())}


def manage(database_url: str, *args: str, **env) -> str:
    """Run a management command (as cron would) against the servers' database; its output."""
    environment = {**os.environ, "DATABASE_URL": database_url, **env}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return result.stdout
