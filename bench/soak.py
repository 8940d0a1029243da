"""Soak and fault harness for the live thread (prints numbers; the CI subset is
tests/forum/test_soak.py). Issue 18: nothing lost, nothing slow, fail clearly.

It deploys the forum as production does, on this machine: WORKERS uvicorn processes
(DEBUG off, collected static files) on their own ports as a proxy would spread them,
a PostgreSQL database of its own, and a redis-server of its own on a spare port (so it
can restart it; the shared Redis is never touched). Readers speak the page's live
protocol (static/js/thread.js): open the socket, catch up over HTTP after every
(re)connect unless the socket's welcome names the thread version the reader holds,
and on "resync", hold a reply whose parent has not arrived until it does
(asking the catch-up if it does not come), give up a socket silent for three
heartbeats, reconnect with the page's backoff. Posters reply over HTTP every ~2 s.

Scenarios (each bounded: run time + settle time, printed as it goes):
  steady           readers and posters, nothing breaks
  worker-crash     worker 0 is killed (SIGKILL) a third of the way in, restarted 2 s later
  redis-restart    the harness's redis-server stops a third of the way in, restarts 3 s later
  reconnect-storm  STORM readers open at once on one worker; then a reply; then all leave at once
  db-contention    concurrent reactions, replies and moderator hide/unhide on one post
  slow-reader      a tenth of the readers stop reading their socket for 10 s

For each: posted (201s), published (rows in the database), what every reader holds
(missing, duplicated), delivery latency p50/p95/p99 (from the POST to the reader
holding the reply, socket or catch-up), HTTP errors by status, server exceptions (log
lines with a traceback, "Task exception was never retrieved", "Too many connections",
"deadlock detected"), worker memory (RSS) and the database connections (peak, from
pg_stat_activity).

    .venv/bin/python bench/soak.py                          # every scenario, 200 readers
    .venv/bin/python bench/soak.py --scenario redis-restart --readers 300 --duration 40
Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
and redis-server on PATH. Results: docs/performance.md ("Under load and faults").
"""

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET_KEY = "soak-only-" + "s" * 50
SCENARIOS = ["steady", "worker-crash", "redis-restart", "reconnect-storm", "db-contention", "slow-reader"]
# Unhandled: what uvicorn, Django and asyncio log when an exception escaped. An outage the
# code handled is logged once as a warning ("... is not answering: ..."), counted apart.
SERVER_ERRORS = re.compile(
    r"Exception in ASGI application|Internal Server Error|Task exception was never retrieved"
    r"|Too many connections|MaxConnectionsError|deadlock detected|is not answering"
)
MODERATION_OFF = {
    "MODERATION_PREMODERATE_FIRST_POSTS": "0",
    "MODERATION_RATE_LIMITS_ENABLED": "0",
}

SETUP = """
import json
from types import SimpleNamespace
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client
from accounts.models import User
from accounts.roles import MODERATORS_GROUP
from forum import services
from forum.models import Category

def member(name):
    user = User.objects.create_user(username=name, email=name + "@example.org", password="x-long-password-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user

def session(user, mfa=False):
    client = Client()
    client.force_login(user)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
        s = client.session
        record_authentication(SimpleNamespace(session=s), user, "mfa", type="totp")
        s.save()
    return client.cookies["sessionid"].value

members = [member(f"soak{n}") for n in range(%(members)d)]
moderator = member("soak_moderator")
moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
category = Category.objects.first()
thread = services.thread_create(author=members[0], category=category, title="Soak", body="The soak thread")
target = services.post_create(author=members[1], thread=thread, body="The contended post")
print(json.dumps({
    "thread": thread.pk, "opening": thread.posts.get(is_opening=True).pk, "target": target.pk,
    "sessions": [session(user) for user in members], "moderator": session(moderator, mfa=True),
}))
"""


def say(text: str) -> None:
    print(text, flush=True)


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port from {start}.")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(seconds: float) -> int | None:
    return None if seconds != seconds else round(seconds * 1000)  # NaN: nothing measured


# --- HTTP over asyncio streams (no client library needed) ------------------------------


async def http(port: int, method: str, path: str, *, cookie: str = "", form: dict | None = None,
               timeout: float = 30) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(form or {}).encode() if form is not None else b""
    headers = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
               "Accept: application/json"]
    if form is not None:
        token = secrets.token_hex(16)
        cookie = f"{cookie}; csrftoken={token}" if cookie else f"csrftoken={token}"
        headers += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}",
                    f"X-CSRFToken: {token}"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    if b"transfer-encoding: chunked" in head.lower():
        content = _unchunk(content)
    return status, content


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


# --- The deployment --------------------------------------------------------------------


class Deployment:
    """PostgreSQL database, redis-server and WORKERS uvicorn processes of this run."""

    def __init__(self, tmp: Path, *, workers: int, redis_port: int, admin_url: str, heartbeat: int,
                 pool: str | None = None, database_url: str | None = None, debug: bool = False,
                 secret_key: str = SECRET_KEY):
        """With `database_url`, serve that (already migrated) database and leave it be
        (the CI test's own test database); else make, migrate and finally drop one."""
        self.tmp, self.workers_wanted, self.heartbeat, self.debug = tmp, workers, heartbeat, debug
        self.secret_key = secret_key  # sessions made elsewhere (the CI test's) need the same key
        self.redis_port = free_port(redis_port)
        self.own_database = database_url is None
        admin = urllib.parse.urlparse(admin_url if self.own_database else database_url)
        self.db_name = f"soak_{os.getpid()}" if self.own_database else admin.path.lstrip("/")
        self.admin_url = admin._replace(path="/postgres").geturl()
        self.database_url = database_url or admin._replace(path="/" + self.db_name).geturl()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.redis: subprocess.Popen | None = None
        self.workers: dict[int, subprocess.Popen] = {}
        self.ports: list[int] = []
        self.pool = pool
        pool_settings = (
            # psycopg's pool, as config/settings.py builds it from DB_POOL_SIZE (issue 18's
            # database part); kept here so the harness can compare with and without it.
            "if DATABASES['default']['ENGINE'].endswith('postgresql'):\n"
            "    DATABASES['default']['CONN_MAX_AGE'] = 0\n"
            f"    DATABASES['default'].setdefault('OPTIONS', {{}})['pool'] = "
            f"{{'min_size': 2, 'max_size': {int(pool)}, 'timeout': 10}}\n"
        ) if pool else ""
        (tmp / "soak_settings.py").write_text(
            "from config.settings import *  # noqa: F401,F403\n"
            f"STATIC_ROOT = {str(tmp / 'static')!r}\n" + pool_settings
        )

    def env(self) -> dict:
        env = {**os.environ, **MODERATION_OFF}
        env.update({
            "DJANGO_SETTINGS_MODULE": "soak_settings", "PYTHONPATH": os.pathsep.join([str(self.tmp), str(ROOT)]),
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "DEBUG": "1" if self.debug else "0",
            "SECRET_KEY": self.secret_key, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING", "CHANNELS_PREFIX": "soak", "CACHE_PREFIX": "soak",
            "LIVE_HEARTBEAT": str(self.heartbeat), "PYTHONUNBUFFERED": "1", "SITE_URL": "https://forum.example.org",
        })
        if self.pool:
            env["DB_POOL_SIZE"] = self.pool
        return env

    def psql(self, sql: str, url: str | None = None) -> str:
        return subprocess.run(["psql", url or self.admin_url, "-Atc", sql], check=True, capture_output=True,
                              text=True).stdout.strip()

    def start(self) -> dict:
        self.start_redis()
        self.psql(f'DROP DATABASE IF EXISTS "{self.db_name}"')
        self.psql(f'CREATE DATABASE "{self.db_name}"')
        env = self.env()
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP % {"members": 40}], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        fixture = json.loads(out.strip().splitlines()[-1])
        self.serve()
        return fixture

    def serve(self) -> None:
        if self.redis is None:
            self.start_redis()
        for index in range(self.workers_wanted):
            self.ports.append(free_port(8300 + 10 * index + random.randrange(0, 5000, 50)))
            self.start_worker(index)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--maxclients", "10000"],
            stdout=open(self.tmp / "redis.log", "ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.redis_port), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        self.redis.kill()
        self.redis.wait()

    def start_worker(self, index: int) -> None:
        port = self.ports[index]
        log = open(self.tmp / f"worker{index}.log", "ab")  # noqa: SIM115
        self.workers[index] = subprocess.Popen(
            [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--no-access-log", "--ws-max-queue", "32"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                return
            time.sleep(0.1)
        raise RuntimeError(f"worker {index} did not start: {(self.tmp / f'worker{index}.log').read_text()}")

    def kill_worker(self, index: int) -> None:
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait()

    def rss_mb(self) -> list[float]:
        sizes = []
        for process in self.workers.values():
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
            except (OSError, AttributeError):
                sizes.append(float("nan"))
        return sizes

    def db_connections(self) -> int:
        query = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{self.db_name}'"  # noqa: S608 - ours
        return int(self.psql(query))

    def server_errors(self) -> collections.Counter:
        found = collections.Counter()
        for log in self.tmp.glob("worker*.log"):
            for line in log.read_text(errors="replace").splitlines():
                match = SERVER_ERRORS.search(line)
                if match:
                    found[match.group(0)] += 1
        return found

    def log_mark(self, thread_id: int) -> dict:
        return {"published": self.published(thread_id),
                **{log: log.stat().st_size for log in self.tmp.glob("worker*.log")}}

    def errors_since(self, mark: dict) -> collections.Counter:
        found = collections.Counter()
        for log in self.tmp.glob("worker*.log"):
            with open(log, "rb") as handle:
                handle.seek(mark.get(log, 0))
                for line in handle.read().decode(errors="replace").splitlines():
                    match = SERVER_ERRORS.search(line)
                    if match:
                        found[match.group(0)] += 1
        return found

    def published(self, thread_id: int) -> set[int]:
        rows = self.psql(
            f"SELECT id FROM forum_post WHERE thread_id = {thread_id} AND NOT is_opening AND status = 'published'",  # noqa: S608 - an int
            self.database_url,
        )
        return {int(row) for row in rows.split()} if rows else set()

    def stop(self) -> None:
        for process in self.workers.values():
            process.terminate()
        for process in self.workers.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.redis and self.redis.poll() is None:
            self.stop_redis()
        if self.own_database:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.psql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


# --- A reader: the page's live protocol -------------------------------------------------


class Reader:
    """page: (reply ids, thread version) of the page the reader loaded; without it the
    reader holds the opening post alone and its first catch-up brings every reply."""

    def __init__(self, port: int, thread_id: int, opening: int, page: tuple[list[int], int] | None = None):
        self.port, self.thread_id = port, thread_id
        replies, self.version = page or ([], None)
        self.held: dict[int, float] = dict.fromkeys([opening, *replies], 0.0)
        self.placed: list[int] = []
        self.waiting: dict[int, list[tuple[int, int | None]]] = {}
        self.last_id = max(self.held)
        self.confirmed: int | None = None
        self.interval = 20.0
        self.opened_at: float | None = None  # the first open
        self.live_at: float | None = None  # the first open's catch-up done
        self.connects = self.silent_give_ups = self.resyncs = self.unheard = 0
        self.http_errors = collections.Counter()
        self.paused = asyncio.Event()
        self.paused.set()
        self.socket = None
        self.stopped = False
        self._catching = None

    def cursor(self) -> int:
        return min([self.last_id] + [parent - 1 for parent in self.waiting])

    def receive(self, post_id: int, parent_id: int | None) -> None:
        if post_id in self.held:
            self.last_id = max(self.last_id, post_id)
            return
        if parent_id and parent_id not in self.held:
            children = self.waiting.setdefault(parent_id, [])
            if (post_id, parent_id) not in children:
                children.append((post_id, parent_id))
            asyncio.get_running_loop().call_later(1.5, self._catch_up_if_waiting)
            return
        self.held[post_id] = time.monotonic()
        self.placed.append(post_id)
        self.last_id = max(self.last_id, post_id)
        for child, parent in self.waiting.pop(post_id, []):
            self.receive(child, parent)

    def _catch_up_if_waiting(self) -> None:
        if self.waiting and not self.stopped:
            asyncio.ensure_future(self.catch_up())

    async def catch_up(self, start: int | None = None, failures: int = 0) -> None:
        after = self.cursor() if start is None else min(start, self.cursor())
        version = None
        for _ in range(10):
            try:
                status, body = await http(self.port, "GET", f"/t/{self.thread_id}/posts/?after={after}")
            except (OSError, asyncio.TimeoutError):
                status, body = "no answer", b""
            if status != 200:
                # As the page does: asked again 2-4 s later, up to five times in a row.
                self.http_errors[f"catch-up {status}"] += 1
                if failures < 5 and not self.stopped:
                    await asyncio.sleep(2 + 2 * random.random())
                    await self.catch_up(start, failures + 1)
                return
            data = json.loads(body)
            version = data["version"] if version is None else version
            for post in data["posts"]:
                self.receive(post["post_id"], post["parent_id"])
            if not data["more"]:
                self.version = version  # everything up to the first round's version is held
                return
            after = data["posts"][-1]["post_id"]

    async def run(self) -> None:
        import websockets

        attempt = 0
        while not self.stopped:
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{self.port}/ws/threads/{self.thread_id}/",
                    origin=f"http://127.0.0.1:{self.port}", open_timeout=30, max_queue=16, ping_interval=None,
                ) as ws:
                    self.socket = ws
                    self.connects += 1
                    attempt = 0
                    if self.opened_at is None:
                        self.opened_at = time.monotonic()
                    self.confirmed = self.cursor()
                    if await self._welcome(ws) != self.version or self.version is None or self.waiting:
                        await self.catch_up()
                    if self.live_at is None:
                        self.live_at = time.monotonic()
                    await self._listen(ws)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
                pass
            finally:
                self.socket = None
            if self.stopped:
                return
            ceiling = min(30.0, 1.0 * 2 ** attempt)
            attempt += 1
            await asyncio.sleep(ceiling / 2 + random.random() * ceiling / 2)

    async def _welcome(self, ws) -> int | None:
        """The version the socket's first frame names (None: none came within 5 s, as
        the page waits, or the server named none)."""
        try:
            data = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        except asyncio.TimeoutError:
            return None
        if data["type"] != "welcome":
            self._handle(data)
            return None
        return data.get("version")

    async def _listen(self, ws) -> None:
        while not self.stopped:
            await self.paused.wait()
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=3 * self.interval)
            except asyncio.TimeoutError:
                self.silent_give_ups += 1
                return
            self._handle(json.loads(raw))

    def _handle(self, data: dict) -> None:
        kind = data["type"]
        if kind in ("heartbeat", "resync"):
            self.interval = float(data.get("interval") or self.interval)
            waiting = {child for children in self.waiting.values() for child, _ in children}
            unheard = [pid for pid in data.get("recent", []) if pid not in self.held and pid not in waiting]
            if kind == "resync":
                self.resyncs += 1
                asyncio.ensure_future(self.catch_up(self.confirmed))
            elif unheard:
                self.unheard += 1
                asyncio.ensure_future(self.catch_up(min(unheard) - 1))
            self.confirmed = self.cursor()
        elif kind == "post.created":
            self.receive(data["post_id"], data["parent_id"])

    async def close(self) -> None:
        self.stopped = True
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()


# --- Posters ---------------------------------------------------------------------------


class Posters:
    def __init__(self, ports: list[int], thread_id: int, sessions: list[str]):
        self.ports, self.thread_id, self.sessions = ports, thread_id, sessions
        self.sent: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.post_seconds: list[float] = []
        self.errors = collections.Counter()
        self.stopped = False

    async def one(self, session: str, port: int, parent: int | None = None) -> None:
        form = {"body": f"Soak reply {secrets.token_hex(4)}: it gets easier, one day at a time."}
        if parent:
            form["parent"] = str(parent)
        started = time.monotonic()
        try:
            status, body = await http(port, "POST", f"/t/{self.thread_id}/reply/",
                                      cookie=f"sessionid={session}", form=form)
        except (OSError, asyncio.TimeoutError):
            self.errors["reply: no answer"] += 1
            return
        if status == 201:
            post_id = json.loads(body)["post_id"]
            self.sent[post_id], self.answered[post_id] = started, time.monotonic()
            self.post_seconds.append(time.monotonic() - started)
        else:
            self.errors[f"reply {status}"] += 1

    async def run(self, count: int, every: float) -> None:
        async def poster(index: int):
            session = self.sessions[index % len(self.sessions)]
            await asyncio.sleep(random.random() * every)
            while not self.stopped:
                parent = random.choice(list(self.sent)) if self.sent and random.random() < 0.5 else None
                await self.one(session, random.choice(self.ports), parent)
                await asyncio.sleep(every * random.uniform(0.8, 1.2))

        await asyncio.gather(*(poster(index) for index in range(count)))


# --- Scenarios -------------------------------------------------------------------------


async def sample_connections(deploy: Deployment, peaks: dict, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(Exception):
            peaks["db"] = max(peaks.get("db", 0), await asyncio.to_thread(deploy.db_connections))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def loaded_page(port: int, fixture: dict) -> tuple[list[int], int]:
    """What a reader who loads the thread page now holds: its replies and the version it
    was rendered at (read the way the page's catch-up reads them)."""
    reader = Reader(port, fixture["thread"], fixture["opening"])
    reader.stopped = True  # one catch-up, no retries
    await reader.catch_up()
    if reader.version is None:
        raise RuntimeError(f"the page could not be loaded: {dict(reader.http_errors)}")
    return sorted(set(reader.held) - {fixture["opening"]}), reader.version


async def open_readers(deploy, fixture, count: int, ports: list[int], *, within: float = 60,
                       page: tuple[list[int], int] | None = None) -> list[Reader]:
    readers = [Reader(ports[n % len(ports)], fixture["thread"], fixture["opening"], page) for n in range(count)]
    for reader in readers:
        reader.task = asyncio.ensure_future(reader.run())
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(r.live_at is None for r in readers):
        await asyncio.sleep(0.2)
    return readers


async def settle(readers: list[Reader], published_now, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        published = published_now()
        if all(published <= set(r.held) for r in readers):
            return
        await asyncio.sleep(0.5)


def report(name: str, deploy: Deployment, fixture: dict, readers: list[Reader], posters: Posters,
           peaks: dict, mark: dict, rss_before: list[float], extra: dict) -> dict:
    """Counts are for the replies published during this scenario (`mark["published"]`:
    the rows before it); readers hold the earlier ones from their first catch-up."""
    published = deploy.published(fixture["thread"]) - mark["published"]
    posted = set(posters.sent)
    missing = sum(len(published - set(r.held)) for r in readers)
    duplicated = sum(len(r.placed) - len(set(r.placed)) for r in readers)
    latencies = [r.held[pid] - sent for r in readers for pid, sent in posters.sent.items() if pid in r.held]
    # From the author's 201 to the reader holding it: the fan-out, without the POST itself.
    after_answer = [max(0.0, r.held[pid] - done) for r in readers for pid, done in posters.answered.items()
                    if pid in r.held]
    http_errors = collections.Counter(posters.errors)
    for reader in readers:
        http_errors.update(reader.http_errors)
    result = {
        "scenario": name, "readers": len(readers), "posted": len(posted), "published": len(published),
        "committed_but_refused": len(published - posted),
        "pairs": len(readers) * len(published), "missing": missing, "duplicated": duplicated,
        "latency_ms": {q: ms(percentile(latencies, q)) for q in (50, 95, 99)},
        "after_201_ms": {q: ms(percentile(after_answer, q)) for q in (50, 95, 99)},
        "post_ms": {q: ms(percentile(posters.post_seconds, q)) for q in (50, 95)},
        "http_errors": dict(http_errors), "server_exceptions": dict(deploy.errors_since(mark)),
        "rss_mb": [f"{a:.0f}->{b:.0f}" for a, b in zip(rss_before, deploy.rss_mb(), strict=False)],
        "db_connections_peak": peaks.get("db"),
        "reconnects": sum(max(0, r.connects - 1) for r in readers),
        "resyncs": sum(r.resyncs for r in readers), "silent_give_ups": sum(r.silent_give_ups for r in readers),
        "unheard_caught_up": sum(r.unheard for r in readers),
        **extra,
    }
    say(f"\n== {name}: {len(readers)} readers, {len(posted)} replies posted (201), {len(published)} published")
    say(f"   missing {missing} of {result['pairs']} reader-reply pairs, duplicated {duplicated}; "
        f"committed but not answered 201: {result['committed_but_refused']}")
    lat = result["latency_ms"]
    fan = result["after_201_ms"]
    say(f"   delivery ms (from the POST) p50 {lat[50]} p95 {lat[95]} p99 {lat[99]}; (from its 201) p50 {fan[50]} "
        f"p95 {fan[95]} p99 {fan[99]}; posting ms p50 {result['post_ms'][50]} p95 {result['post_ms'][95]}")
    exceptions = {k: v for k, v in result["server_exceptions"].items() if k != "is not answering"}
    say(f"   HTTP errors {result['http_errors'] or 0}; unhandled server exceptions {exceptions or 0}; "
        f"outage warnings (handled, logged once each) {result['server_exceptions'].get('is not answering', 0)}")
    say(f"   worker RSS MB {', '.join(result['rss_mb'])}; DB connections peak {result['db_connections_peak']}; "
        f"reconnects {result['reconnects']}, resyncs {result['resyncs']}, silent give-ups "
        f"{result['silent_give_ups']}, catch-ups for a recent reply never heard {result['unheard_caught_up']}")
    for key, value in extra.items():
        say(f"   {key}: {value}")
    return result


async def run_load(name: str, deploy: Deployment, fixture: dict, args, fault=None) -> dict:
    mark, rss_before, peaks, stop = deploy.log_mark(fixture["thread"]), deploy.rss_mb(), {}, asyncio.Event()
    sampler = asyncio.ensure_future(sample_connections(deploy, peaks, stop))
    readers = await open_readers(deploy, fixture, args.readers, deploy.ports)
    say(f"   {sum(r.live_at is not None for r in readers)}/{len(readers)} readers live")
    posters = Posters(deploy.ports, fixture["thread"], fixture["sessions"][2:])
    posting = asyncio.ensure_future(posters.run(args.posters, args.every))
    extra = {}
    if fault:
        await asyncio.sleep(args.duration / 3)
        extra = await fault(readers) or {}
        await asyncio.sleep(max(0, args.duration * 2 / 3 - extra.pop("_took", 0)))
    else:
        await asyncio.sleep(args.duration)
    posters.stopped = True
    await posting
    await settle(readers, lambda: deploy.published(fixture["thread"]), args.settle)
    result = report(name, deploy, fixture, readers, posters, peaks, mark, rss_before, extra)
    await asyncio.gather(*(r.close() for r in readers))
    await asyncio.gather(*(r.task for r in readers), return_exceptions=True)
    stop.set()
    await sampler
    return result


async def scenario(name: str, deploy: Deployment, fixture: dict, args) -> dict:
    say(f"\n-- {name}")
    if name == "steady":
        return await run_load(name, deploy, fixture, args)
    if name == "worker-crash":
        async def crash(readers):
            started = time.monotonic()
            deploy.kill_worker(0)
            say("   worker 0 killed")
            await asyncio.sleep(2)
            await asyncio.to_thread(deploy.start_worker, 0)
            say(f"   worker 0 back after {time.monotonic() - started:.1f} s")
            return {"_took": time.monotonic() - started}
        return await run_load(name, deploy, fixture, args, crash)
    if name == "redis-restart":
        async def restart(readers):
            started = time.monotonic()
            deploy.stop_redis()
            say("   redis-server stopped")
            await asyncio.sleep(3)
            deploy.start_redis()
            say(f"   redis-server back after {time.monotonic() - started:.1f} s")
            return {"_took": time.monotonic() - started}
        return await run_load(name, deploy, fixture, args, restart)
    if name == "slow-reader":
        async def slow(readers):
            slow_ones = readers[:: 10]
            for reader in slow_ones:
                reader.paused.clear()
            await asyncio.sleep(10)
            for reader in slow_ones:
                reader.paused.set()
            return {"_took": 10, "slow readers": len(slow_ones)}
        return await run_load(name, deploy, fixture, args, slow)
    if name == "reconnect-storm":
        return await storm(deploy, fixture, args)
    if name == "db-contention":
        return await contention(deploy, fixture, args)
    raise ValueError(name)


async def storm(deploy: Deployment, fixture: dict, args) -> dict:
    """STORM readers open at once on worker 0; a reply; all leave at once. Then
    CYCLES - 1 more connect-and-leave cycles of the same readers, for memory creep.
    --storm-readers loaded (the default): each reader holds the page as loaded just
    before, as the pages reconnecting after a worker restart do; new: each holds the
    opening post alone, so each one's catch-up brings every reply."""
    mark, rss_before, peaks, stop = deploy.log_mark(fixture["thread"]), deploy.rss_mb(), {}, asyncio.Event()
    sampler = asyncio.ensure_future(sample_connections(deploy, peaks, stop))
    extra, rss_cycles, result = {}, [], None
    extra["storm readers"] = args.storm_readers
    for cycle in range(args.cycles):
        page = await loaded_page(deploy.ports[0], fixture) if args.storm_readers == "loaded" else None
        started = time.monotonic()
        readers = await open_readers(deploy, fixture, args.storm, deploy.ports[:1], within=60, page=page)
        if cycle == 0:
            opens = [r.opened_at - started for r in readers if r.opened_at]
            lives = [r.live_at - started for r in readers if r.live_at]
            extra["all live s"] = round(max(lives), 1) if len(lives) == len(readers) else f"{len(lives)} live in 60 s"
            extra["first open s (median)"] = round(statistics.median(opens), 1) if opens else None
            posters = Posters(deploy.ports[:1], fixture["thread"], fixture["sessions"][2:])
            await asyncio.sleep(1)
            await posters.one(fixture["sessions"][2], deploy.ports[0])
            await settle(readers, lambda: deploy.published(fixture["thread"]), args.settle)
            for post_id, sent in posters.sent.items():
                took = [r.held[post_id] - sent for r in readers if post_id in r.held]
                extra["reply reached within 2 s"] = sum(t <= 2 for t in took)
                extra["reply reached within 5 s"] = sum(t <= 5 for t in took)
            result = report("reconnect-storm", deploy, fixture, readers, posters, peaks, mark, rss_before, extra)
        await asyncio.gather(*(r.close() for r in readers))  # all leave at once
        await asyncio.gather(*(r.task for r in readers), return_exceptions=True)
        await asyncio.sleep(3)
        rss_cycles.append(round(deploy.rss_mb()[0]))
    result["worker 0 RSS MB after each cycle"] = rss_cycles
    result["server_exceptions"] = dict(deploy.errors_since(mark))
    say(f"   worker 0 RSS MB after each connect-and-leave cycle: {rss_cycles}; log lines over all cycles: "
        f"{result['server_exceptions'] or 0}")
    stop.set()
    await sampler
    return result


async def contention(deploy: Deployment, fixture: dict, args) -> dict:
    """Reactions, replies to it and moderator hide/unhide on one post, all at once."""
    mark, rss_before, peaks, stop = deploy.log_mark(fixture["thread"]), deploy.rss_mb(), {}, asyncio.Event()
    sampler = asyncio.ensure_future(sample_connections(deploy, peaks, stop))
    readers = await open_readers(deploy, fixture, min(args.readers, 50), deploy.ports)
    target, sessions = fixture["target"], fixture["sessions"]
    posters = Posters(deploy.ports, fixture["thread"], sessions)
    statuses = collections.Counter()

    async def react(session):
        status, _ = await http(random.choice(deploy.ports), "POST", f"/p/{target}/react/",
                               cookie=f"sessionid={session}", form={"kind": random.choice(["support", "me_too"])})
        statuses[f"react {status}"] += 1

    async def moderate(name):
        status, _ = await http(random.choice(deploy.ports), "POST", f"/moderation/post/{target}/{name}/",
                               cookie=f"sessionid={fixture['moderator']}", form={"reason": "Soak test"})
        statuses[f"{name} {status}"] += 1

    jobs = []
    for n in range(args.contention):
        kind = n % 4
        if kind in (0, 1):
            jobs.append(react(sessions[n % len(sessions)]))
        elif kind == 2:
            jobs.append(posters.one(sessions[n % len(sessions)], random.choice(deploy.ports), parent=target))
        else:
            jobs.append(moderate("hide" if n % 8 == 3 else "unhide"))
    started = time.monotonic()
    await asyncio.gather(*jobs, return_exceptions=True)
    took = time.monotonic() - started
    await moderate("unhide")
    await settle(readers, lambda: deploy.published(fixture["thread"]), args.settle)
    extra = {"requests": args.contention, "took s": round(took, 1), "answers": dict(statuses),
             "500s": sum(v for k, v in statuses.items() if k.endswith(" 500")) + posters.errors.get("reply 500", 0)}
    result = report("db-contention", deploy, fixture, readers, posters, peaks, mark, rss_before, extra)
    await asyncio.gather(*(r.close() for r in readers))
    await asyncio.gather(*(r.task for r in readers), return_exceptions=True)
    stop.set()
    await sampler
    return result


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="all", help="one of " + ", ".join(SCENARIOS) + ", or all")
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--posters", type=int, default=6)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between one poster's replies")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=40.0, help="longest wait for readers to hold everything")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--storm", type=int, default=300, help="readers in the reconnect storm")
    parser.add_argument("--cycles", type=int, default=3, help="storm connect-and-leave cycles (memory creep)")
    parser.add_argument("--storm-readers", choices=["loaded", "new"], default="loaded",
                        help="loaded: each holds the page as loaded just before (a restart's reconnects); "
                             "new: each holds the opening post alone, so each one catches up")
    parser.add_argument("--contention", type=int, default=200, help="concurrent requests on one post")
    parser.add_argument("--heartbeat", type=int, default=15, help="LIVE_HEARTBEAT for the workers")
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--db-pool", type=int, default=0,
                        help="psycopg pool size per worker (0: the settings' own connection handling)")
    parser.add_argument("--json", help="also write the results here")
    return parser.parse_args(argv)


async def run(args) -> list[dict]:
    names = SCENARIOS if args.scenario == "all" else args.scenario.split(",")
    admin_url = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        deploy = Deployment(Path(tmp), workers=args.workers, redis_port=args.redis_port, admin_url=admin_url,
                            heartbeat=args.heartbeat, pool=str(args.db_pool) if args.db_pool else None)
        try:
            say(f"deploying: {args.workers} uvicorn workers, PostgreSQL database {deploy.db_name}, "
                f"redis-server on {deploy.redis_port}; {os.cpu_count()} cores")
            fixture = await asyncio.to_thread(deploy.start)
            results = []
            for name in names:
                started = time.monotonic()
                results.append(await scenario(name, deploy, fixture, args))
                results[-1]["seconds"] = round(time.monotonic() - started)
            all_errors = deploy.server_errors()
            if all_errors:
                say(f"\nserver log lines: {dict(all_errors)} (logs in {tmp}, kept below)")
                for log in sorted(Path(tmp).glob("worker*.log")):
                    say(f"--- {log.name} (last 40 lines)\n" + "\n".join(log.read_text().splitlines()[-40:]))
            return results
        finally:
            deploy.stop()
            shutil.rmtree(Path(tmp) / "static", ignore_errors=True)


def main(argv=None) -> int:
    args = parse(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    results = asyncio.run(run(args))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if all(r["missing"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
