#!/usr/bin/env python
"""Page speed of the read path: thread, category and home pages (issue 7).

A benchmark that prints numbers, not a test. It:

1. builds a throwaway SQLite database in a temporary directory (never db.sqlite3) with one
   thread of 1,000 replies nested like a real discussion (top-level replies with chains
   up to 5 deep) by 50 members, plus a few dozen shorter threads across the categories,
   all written through forum.services;
2. measures, with DEBUG off, the query count and the median render time (Django's test
   client) of the thread's first and last page, a category page and the home page, for
   an anonymous and a logged-in reader;
3. serves the app as production does (uvicorn, N workers, DEBUG=0, whitenoise manifest)
   on 127.0.0.1 and loads the thread page with wrk: requests/s, p50 and p99, with a new
   connection per request as the proxy makes them (--keep-alive to keep them open);
4. with --compare-spirit, does the same for django-spirit 0.14.3 (installed into a cached
   throwaway venv, bench/.spirit-venv, seeded by bench/spirit_site.py, served by gunicorn
   with 2 sync workers) in the same run, and prints both side by side with the ratio.

Run from the repository root:

    .venv/bin/python bench/pages.py                    # ours only, about 1 minute
    .venv/bin/python bench/pages.py --compare-spirit   # ours and Spirit, about 2 minutes
    .venv/bin/python bench/pages.py --quick            # smoke run, about 15 seconds

The first --compare-spirit run also creates bench/.spirit-venv (pip, under a minute);
delete that folder to reinstall. wrk comes from Debian (apt-get install wrk).

Absolute numbers on shared machines drift by up to 40% from run to run; compare the
ratio within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
SPIRIT_VENV = BENCH / ".spirit-venv"
SPIRIT_PROJECT = SPIRIT_VENV / "project"
SPIRIT_REQUIREMENTS = ["django-spirit==0.14.3", "gunicorn==27.0.1"]
SPIRIT_PAGE_SIZE = 20  # Spirit's default comments_per_page (djconfig)
PORTS = range(8400, 8500)
SECRET_KEY = "bench-only-" + "k" * 50
MEMBERS = 50
OTHER_THREADS = 40
MAX_DEPTH = 5
WRK = "/usr/bin/wrk"

# The anchors and targets from issue 7.
TARGET_RPS_RATIO = 2.0
TARGET_QUERIES = {"anonymous": 6, "logged in": 10}
# Issue 18 (a live thread stays fast): while a reply is posted every POST_EVERY seconds,
# at least 3x Spirit's req/s and p99 no higher than Spirit's p50; a cold render per post
# at most half Spirit's; a member's first page at most 60 KB.
TARGET_LIVE_RPS_RATIO = 3.0
TARGET_COLD_PER_POST_RATIO = 0.5
TARGET_MEMBER_PAGE_BYTES = 60 * 1024
POST_EVERY = 2.0
COLD_LABEL = "thread, first page, cold cache"

# The moderation settings that would hold or slow down the seeding, and their "off"
# value. Applied to whichever of them exist when the bench runs (issue 4 is in flight);
# other MODERATION_* names are matched by pattern in _moderation_off().
MODERATION_OFF_ENV = {
    "MODERATION_PREMODERATE_FIRST_POSTS": "0",
    "MODERATION_RATE_LIMITS_ENABLED": "0",
    "MODERATION_NEW_MEMBER_PERIOD": "0",
    "MODERATION_NEW_MEMBER_POST_INTERVAL": "0",
    "MODERATION_POST_INTERVAL": "0",
    "MODERATION_NEW_MEMBER_MAX_THREADS": "1000000",
    "MODERATION_NEW_MEMBER_MAX_REPLIES": "1000000",
    "MODERATION_DUPLICATE_WINDOW": "0",
}

SENTENCES = [
    "I started the nasal spray six weeks ago and the first two sessions felt floaty and far away.",
    "The tiredness afterwards was the part nobody warned me about.",
    "My prescriber and I agreed to hold the dose whenever the evenings get jumpy.",
    "Warm showers and very boring audiobooks got me through the worst stretch.",
    "Week four was when I noticed I was answering messages again.",
    "I keep a small notebook with how I slept and what I ate on treatment days.",
    "Bring headphones and a playlist you know well; it helps you feel less unmoored.",
    "The clinic kept me for two hours afterwards, which I was glad of.",
    "Does anyone else get a headache the morning after?",
    "I asked my GP for a slower taper and she agreed without any fuss.",
    "Thank you for writing this, it is reassuring to read.",
    "Small steps with a hold when symptoms flare has worked better than I expected.",
    "I was nervous about the assessment, but the nurse explained everything twice.",
    "Some days are flat and some days are surprisingly good; I try not to read too much into either.",
    "My partner drives me home, so I do not have to think about the trip back.",
    "The **first month** was the hardest; after that the routine helped.",
    "I found the patient leaflet useful, especially the part about blood pressure checks.",
    "Sleep is still patchy, but mornings feel more like mine again.",
    "Writing things down here keeps me honest about how it is really going.",
    "I would say: ask every question you have, even the ones that feel silly.",
    "It took three tries to find a time of day that suited the sessions.",
    "Going slowly is the point, even when it feels like nothing is moving.",
    "I read the whole thread last night and it made me feel less alone.",
    "My therapist suggested planning something gentle for the evening after.",
    "Has anyone combined this with talking therapy, and did the order matter?",
    "I noticed colours seemed brighter for a day or so, which was odd but nice.",
    "The waiting room has a kettle now, which sounds small but helps.",
    "Week by week, the good days are slowly outnumbering the bad ones.",
]


# --- small helpers -------------------------------------------------------------------


def machine() -> dict:
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8400-8499.")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def body_for(rng: random.Random) -> str:
    sentences = rng.sample(SENTENCES, rng.randint(2, 5))
    if len(sentences) > 3 and rng.random() < 0.5:
        return " ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:])
    if rng.random() < 0.1:
        return sentences[0] + "\n\n" + "\n".join(f"- {s}" for s in sentences[1:])
    return " ".join(sentences)


# --- measuring with the test client (shared with bench/spirit_site.py) ----------------


def measure_client(pages: list[tuple[str, str]], *, session_key: str | None, runs: int, warmup: int,
                   post_pattern: str, cold: bool = False) -> dict:
    """Query count and median render time of each page, in a configured Django process.

    One captured request gives the queries (and how many of them write); `runs` plain
    requests after `warmup` give the timing, so the capture adds nothing to it. With
    `cold`, the cache is emptied before every request: the page rendered from scratch."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if settings.DEBUG:
        raise RuntimeError("measure with DEBUG off")
    client = Client()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    results = {}
    for label, url in pages:
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{label}: {url} answered {response.status_code}")
        if cold:
            for cache in caches.all():
                cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        sqls = [query["sql"] for query in captured.captured_queries]
        writes = [sql for sql in sqls if re.match(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", sql, re.I)]
        timings, cpu = [], []
        for _ in range(runs):
            if cold:
                for cache in caches.all():
                    cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{label}: {url} answered {response.status_code}")
        html = response.content.decode()
        results[label] = {
            "url": url,
            "queries": len(sqls),
            "writes": len(writes),
            "median_ms": statistics.median(timings),
            # CPU time of this process: on a shared machine, less of the neighbours' load.
            "median_cpu_ms": statistics.median(cpu),
            "bytes": len(response.content),
            "gzip_bytes": len(gzip.compress(response.content)),
            "posts": len(re.findall(post_pattern, html)),
            "sets_session": settings.SESSION_COOKIE_NAME in response.cookies,
            "sql": sqls,
        }
    return results


# --- load with wrk --------------------------------------------------------------------


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"Cannot read wrk latency {value!r}")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


WARMUP_SECONDS = 3


def run_wrk(url: str, *, cookie: str | None, duration: int, keep_alive: bool, connections: int = 8,
            threads: int = 2) -> dict:
    command = [WRK, "--latency", "-c", str(connections), "-t", str(threads), "-d", f"{duration}s"]
    if not keep_alive:
        # A connection per request, as the deployment's proxy opens to its upstreams
        # (docs/deploy.md: nginx, least_conn, no upstream keepalive) and as Spirit's
        # gunicorn sync workers answer anyway. With kept-alive connections the kernel
        # pins wrk's 8 connections to uvicorn's workers once, unevenly (3 and 5, or worse),
        # and one worker's core caps the run: members measured 51 to 214 req/s on the same
        # code; with a connection per request, 184 to 200.
        command += ["-H", "Connection: close"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (f"{non_2xx.group(1)} non-2xx" if non_2xx else "")
        + (f" socket errors: {socket_errors.group(1)}" if socket_errors else ""),
    }


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@contextlib.contextmanager
def serving(command: list[str], *, env: dict, cwd: Path, port: int, log: Path):
    """Start a server in its own process group, wait until it answers, always stop it."""
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Server exited early:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load_test(base: str, path: str, *, cookie: str | None, reader: str, must_contain: str | None,
              duration: int, keep_alive: bool) -> dict:
    """Check the page is what we think it is (status, logged in or not), then load it.
    `must_contain` is a piece of HTML only a logged-in reader sees (the log-out link)."""
    status, html = fetch(base + path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path} as {reader} answered {status}:\n{html[:2000]}")
    if must_contain is not None and (must_contain in html) != (reader == "logged in"):
        raise RuntimeError(f"GET {path} as {reader}: the page does not look {reader}.")
    # Warm up for both forums alike: every worker imports, connects and fills its caches
    # before the timed run, so p99 measures steady load rather than each worker's start.
    run_wrk(base + path, cookie=cookie, duration=WARMUP_SECONDS, keep_alive=keep_alive)
    return run_wrk(base + path, cookie=cookie, duration=duration, keep_alive=keep_alive)


@contextlib.contextmanager
def posting_every(seconds: float, post_one):
    """Call post_one() every `seconds` in a background thread while the block runs; yields
    a dict that ends up holding how many were posted and the errors."""
    import threading

    result = {"posted": 0, "errors": []}
    if not seconds:
        yield result
        return
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            started = time.monotonic()
            try:
                post_one()
                result["posted"] += 1
            except Exception as error:  # noqa: BLE001 - counted and reported
                result["errors"].append(repr(error)[:200])
            stop.wait(max(0.0, seconds - (time.monotonic() - started)))

    worker = threading.Thread(target=loop, daemon=True)
    worker.start()
    try:
        yield result
    finally:
        stop.set()
        worker.join(timeout=30)


# --- our forum -------------------------------------------------------------------------


def our_settings_module(tmp: Path) -> str:
    """config.settings with a temporary STATIC_ROOT and moderation limits switched off."""
    (tmp / "bench_settings.py").write_text(
        "import re as _re\n"
        "from config.settings import *  # noqa: F401,F403\n"
        f"STATIC_ROOT = {str(tmp / 'static')!r}\n"
        "# Seeding writes 1,000 replies in seconds: no pre-moderation, no waits between posts.\n"
        "for _name in [n for n in dir() if n.startswith('MODERATION_')]:\n"
        "    if 'PREMODERATE' in _name or _re.search('INTERVAL|WINDOW|PERIOD|WAIT|DELAY', _name):\n"
        "        globals()[_name] = 0\n"
        "    elif _name.endswith('RATE_LIMITS_ENABLED'):\n"
        "        globals()[_name] = False\n"
        "    elif '_MAX_' in _name:\n"
        "        globals()[_name] = 1_000_000\n"
    )
    return "bench_settings"


def our_env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update(MODERATION_OFF_ENV)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": our_settings_module(tmp),
            "PYTHONPATH": os.pathsep.join([str(tmp), str(REPO)]),
            "DATABASE_URL": f"sqlite:///{tmp / 'forum.sqlite3'}",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("REDIS_URL", None)  # local-memory cache and channel layer, as on one machine
    return env


def seed_ours(*, replies: int, rng: random.Random) -> dict:
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count

    from accounts.models import User
    from forum import services
    from forum.models import Category, Post, Visibility

    switched = {name: getattr(settings, name) for name in dir(settings) if name.startswith("MODERATION_")}
    say("moderation settings while seeding: " + (", ".join(f"{k}={v}" for k, v in switched.items()) or "none"))

    categories = list(Category.objects.order_by("position", "name"))
    if not categories:
        categories = [Category.objects.create(name=f"Category {i}", slug=f"category-{i}") for i in range(5)]
    members = []
    for i in range(1, MEMBERS + 1):
        user = User.objects.create_user(username=f"member_{i:02d}", email=f"member_{i:02d}@example.org")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        members.append(user)

    with transaction.atomic():
        for i in range(OTHER_THREADS):
            thread = services.thread_create(
                author=rng.choice(members), category=categories[i % len(categories)],
                title=f"Checking in, week {i + 1}: how the routine is going", body=body_for(rng),
            )
            for _ in range(rng.randint(0, 4)):
                services.post_create(author=rng.choice(members), thread=thread, body=body_for(rng))

        category = categories[0]
        thread = services.thread_create(
            author=members[1], category=category,
            title="One year of treatment notes: the long thread", body=body_for(rng),
        )
        written = 0
        while written < replies:
            top = services.post_create(author=rng.choice(members), thread=thread, body=body_for(rng))
            written += 1
            subtree = [top]
            for _ in range(min(rng.choice([0, 0, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12]), replies - written)):
                last = subtree[-1]
                if last.depth < MAX_DEPTH and rng.random() < 0.6:
                    parent = last  # a chain: people answering each other
                else:
                    parent = rng.choice([post for post in subtree if post.depth < MAX_DEPTH])
                subtree.append(
                    services.post_create(author=rng.choice(members), thread=thread, body=body_for(rng),
                                         parent=parent)
                )
                written += 1

    published = Post.objects.filter(thread=thread, is_opening=False, status=Visibility.PUBLISHED).count()
    if published != replies:
        say(f"WARNING: {published} of {replies} replies are published (the rest are held).")
    depths = dict(
        Post.objects.filter(thread=thread, is_opening=False).values_list("depth").annotate(n=Count("pk"))
        .order_by("depth")
    )
    top_level = depths.get(1, 0)
    first_page_top = list(
        Post.objects.filter(thread=thread, is_opening=False, depth=1).order_by("pk")
        .values_list("pk", flat=True)[: settings.FORUM_REPLIES_PER_PAGE]
    )
    return {
        "thread_id": thread.pk,
        "first_page_top": first_page_top,
        "members": [member.pk for member in members],
        "category_slug": category.slug,
        "last_page": max(1, -(-top_level // settings.FORUM_REPLIES_PER_PAGE)),
        "top_level": top_level,
        "depths": depths,
        "reader": members[0],
        "threads": OTHER_THREADS + 1,
    }


def bench_ours(args, tmp: Path) -> dict:
    env = our_env(tmp)
    os.environ.update({k: v for k, v in env.items() if k != "ALLOWED_HOSTS"})
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"  # the test client's host, in this process only
    sys.path[:0] = [str(tmp), str(REPO)]

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    say(f"ours: migrate into {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    say("ours: collectstatic into the temporary STATIC_ROOT")
    call_command("collectstatic", verbosity=0, interactive=False)
    say(f"ours: seeding {args.replies} replies by {MEMBERS} members, plus {OTHER_THREADS} other threads")
    started = time.perf_counter()
    info = seed_ours(replies=args.replies, rng=random.Random(7))
    say(f"ours: seeded in {time.perf_counter() - started:.0f}s; {info['top_level']} top-level replies, "
        f"{info['last_page']} pages, replies by depth {info['depths']}")

    login = Client()
    login.force_login(info["reader"])
    session_key = login.cookies[settings.SESSION_COOKIE_NAME].value
    thread = f"/t/{info['thread_id']}/"
    pages = [
        ("thread, first page", thread),
        ("thread, last page", f"{thread}?page={info['last_page']}"),
        ("category page", f"/c/{info['category_slug']}/"),
        ("home page", "/"),
    ]
    post_pattern = r'<article class="post[^"]*" id="post-\d+"'
    client = {}
    for reader, key in (("anonymous", None), ("logged in", session_key)):
        say(f"ours: test client, {reader}")
        client[reader] = measure_client(pages, session_key=key, runs=args.runs, warmup=args.warmup,
                                        post_pattern=post_pattern)
        client[reader].update(measure_client([(COLD_LABEL, thread)], session_key=key, runs=args.runs,
                                             warmup=args.warmup, post_pattern=post_pattern, cold=True))
    connections.close_all()

    from accounts.models import User
    from forum import services
    from forum.models import Thread

    rng = random.Random(13)
    long_thread = Thread.objects.get(pk=info["thread_id"])
    posters = list(User.objects.filter(pk__in=info["members"]))

    def post_one():
        # Under a post of the first page, the page being loaded: the worst case for a cache.
        parent = long_thread.posts.get(pk=rng.choice(info["first_page_top"]))
        services.post_create(author=rng.choice(posters), thread=long_thread, parent=parent, body=body_for(rng))

    load = {}
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"]
    say(f"ours: uvicorn, {args.workers} workers, on port {port}")
    with serving(command, env=env, cwd=REPO, port=port, log=tmp / "uvicorn.log") as base:
        for reader, cookie in (("anonymous", None), ("logged in", f"{settings.SESSION_COOKIE_NAME}={session_key}")):
            say(f"ours: wrk {args.duration}s on the thread page, {reader}, a reply every {args.post_every:g} s")
            with posting_every(args.post_every, post_one) as posted:
                load[reader] = load_test(base, thread, cookie=cookie, reader=reader,
                                         must_contain='action="/accounts/logout/"', duration=args.duration,
                                         keep_alive=args.keep_alive)
            load[reader]["posted"] = posted["posted"]
            load[reader]["post_errors"] = posted["errors"]
            connections.close_all()
    import sqlite3

    return {"client": client, "load": load,
            "info": {k: v for k, v in info.items() if k not in ("reader", "members", "first_page_top")},
            "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
            "server": f"uvicorn {args.workers} workers (ASGI)", "pages": pages}


# --- Spirit ------------------------------------------------------------------------------


SPIRIT_SETTINGS = '''\
"""Written by bench/pages.py: Spirit's base settings, production-like, on a throwaway SQLite."""
import os

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["SPIRIT_DB"],
        # The same SQLite tuning as ours, so the comparison is of the apps, not the journal.
        "OPTIONS": {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}
# Local memory, as ours without REDIS_URL (Spirit's template default is the database cache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "st_rate_limit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "spirit_rl_cache",
                      "TIMEOUT": None},
}
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": os.environ["SPIRIT_SEARCH"]}
}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
ST_SITE_URL = "http://127.0.0.1/"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
'''


def spirit_python() -> Path:
    return SPIRIT_VENV / "bin" / "python"


def spirit_ensure() -> None:
    """The venv and the project are cached in bench/.spirit-venv (ignored by git)."""
    marker = SPIRIT_VENV / ".installed"
    if not marker.exists() or marker.read_text() != "\n".join(SPIRIT_REQUIREMENTS):
        say(f"spirit: creating {SPIRIT_VENV} and installing {', '.join(SPIRIT_REQUIREMENTS)}")
        if not spirit_python().exists():
            subprocess.run([sys.executable, "-m", "venv", str(SPIRIT_VENV)], check=True)
        subprocess.run([str(spirit_python()), "-m", "pip", "install", "--quiet", *SPIRIT_REQUIREMENTS], check=True)
        marker.write_text("\n".join(SPIRIT_REQUIREMENTS))
    if not (SPIRIT_PROJECT / "manage.py").exists():
        say("spirit: spirit startproject benchspirit")
        SPIRIT_PROJECT.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PATH=f"{SPIRIT_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
        subprocess.run([str(SPIRIT_VENV / "bin" / "spirit"), "startproject", "benchspirit", "--path",
                        str(SPIRIT_PROJECT)], check=True, env=env, stdout=subprocess.DEVNULL)
    (SPIRIT_PROJECT / "benchspirit" / "settings" / "bench.py").write_text(SPIRIT_SETTINGS)


def spirit_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchspirit.settings.bench",
            "PYTHONPATH": str(SPIRIT_PROJECT),
            "SECRET_KEY": SECRET_KEY,
            "SPIRIT_DB": str(tmp / "spirit.sqlite3"),
            "SPIRIT_SEARCH": str(tmp / "spirit_search"),
        }
    )
    return env


def spirit_run(tmp: Path, *args: str) -> dict:
    command = [str(spirit_python()), str(BENCH / "spirit_site.py"), *args]
    done = subprocess.run(command, env=spirit_env(tmp), cwd=SPIRIT_PROJECT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_spirit(args, tmp: Path, categories: int) -> dict:
    spirit_ensure()
    say(f"spirit: seeding {args.replies} comments in one topic by {MEMBERS} users, plus {OTHER_THREADS} topics")
    started = time.perf_counter()
    info = spirit_run(tmp, "seed", "--replies", str(args.replies), "--members", str(MEMBERS),
                      "--other-topics", str(OTHER_THREADS), "--categories", str(categories),
                      "--page-size", str(SPIRIT_PAGE_SIZE))
    say(f"spirit: seeded in {time.perf_counter() - started:.0f}s; {info['comments']} comments in the topic, "
        f"{info['last_page']} pages")
    pages = [
        ("thread, first page", info["topic_url"]),
        ("thread, last page", f"{info['topic_url']}?page={info['last_page']}"),
        ("category page", info["category_url"]),
        ("home page", "/"),
    ]
    client = {}
    for reader, key in (("anonymous", None), ("logged in", info["session_key"])):
        say(f"spirit: test client, {reader}")
        extra = ["--session-key", key] if key else []
        client[reader] = spirit_run(tmp, "measure", "--pages", json.dumps(pages), "--runs", str(args.runs),
                                    "--warmup", str(args.warmup), *extra)
        client[reader].update(spirit_run(tmp, "measure", "--pages", json.dumps([(COLD_LABEL, info["topic_url"])]),
                                         "--runs", str(args.runs), "--warmup", str(args.warmup), "--cold", *extra))

    load = {}
    port = free_port()
    command = [str(SPIRIT_VENV / "bin" / "gunicorn"), "benchspirit.wsgi:application", "--workers", "2",
               "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    say(f"spirit: gunicorn, 2 sync workers, on port {port}")
    with serving(command, env=spirit_env(tmp), cwd=SPIRIT_PROJECT, port=port, log=tmp / "gunicorn.log") as base:
        for reader, cookie in (("anonymous", None), ("logged in", f"sessionid={info['session_key']}")):
            say(f"spirit: wrk {args.duration}s on the topic page, {reader}, a comment every {args.post_every:g} s")
            poster = subprocess.Popen(
                [str(spirit_python()), str(BENCH / "spirit_site.py"), "post", "--topic-id", str(info["topic_id"]),
                 "--every", str(args.post_every)],
                env=spirit_env(tmp), cwd=SPIRIT_PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ) if args.post_every else None
            try:
                load[reader] = load_test(base, info["topic_url"], cookie=cookie, reader=reader,
                                         must_contain='href="/user/logout/', duration=args.duration,
                                         keep_alive=args.keep_alive)
            finally:
                out, err = "", ""
                if poster:
                    poster.terminate()
                    out, err = poster.communicate(timeout=60)
            posted = json.loads(out.strip().splitlines()[-1]) if out.strip() else {
                "posted": 0, "errors": [err[-500:]] if err.strip() else []}
            load[reader]["posted"] = posted["posted"]
            load[reader]["post_errors"] = posted["errors"]
    return {"client": client, "load": load, "info": info, "server": "gunicorn 2 sync workers (WSGI)",
            "pages": pages}


# --- the report -------------------------------------------------------------------------------


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def report(args, machine_info: dict, ours: dict, spirit: dict | None) -> str:
    out = []
    out.append(f"Machine: {machine_info['cores']} cores, {machine_info['cpu']}, Python {machine_info['python']}, "
               f"{machine_info['os']}; Django {ours['django']}, SQLite {ours['sqlite']}, DEBUG off.")
    info = ours["info"]
    out.append(f"Data: one thread of {args.replies} replies ({info['top_level']} top-level, depths "
               f"{info['depths']}) by {MEMBERS} members, {OTHER_THREADS} other threads; "
               f"test client: median of {args.runs} runs after {args.warmup} warm-up; "
               f"wrk -c 8 -t 2 -d {args.duration}s, "
               + ("connections kept alive." if args.keep_alive else "a connection per request (Connection: close)."))
    out.append("")
    out.append("Render (test client): queries (writes), median ms, posts on the page")
    header = ["page", "reader", "ours: queries", "ours: median ms", "ours: posts"]
    if spirit:
        header += ["Spirit: queries", "Spirit: median ms", "Spirit: posts", "render ratio (Spirit/ours)"]
    rows = [header]
    for label, _ in ours["pages"]:
        for reader in ("anonymous", "logged in"):
            o = ours["client"][reader][label]
            row = [label, reader, f"{o['queries']}" + (f" ({o['writes']} w)" if o["writes"] else ""),
                   f"{o['median_ms']:.1f}", str(o["posts"]) if label.startswith("thread") else "-"]
            if spirit:
                s = spirit["client"][reader][label]
                row += [f"{s['queries']}" + (f" ({s['writes']} w)" if s["writes"] else ""), f"{s['median_ms']:.1f}",
                        str(s["posts"]) if label.startswith("thread") else "-",
                        f"{s['median_ms'] / o['median_ms']:.2f}x"]
            rows.append(row)
    out.append(table(rows))
    sessions = [f"{label} ({reader})" for reader in ("anonymous",) for label, _ in ours["pages"]
                if ours["client"][reader][label]["sets_session"]]
    if sessions:
        out.append(f"Anonymous responses that set a session cookie: {', '.join(sessions)}")
    out.append("")
    out.append(f"Load on the thread page (wrk): ours {ours['server']}" +
               (f", Spirit {spirit['server']}" if spirit else ""))
    header = ["reader", "ours: req/s", "ours: p50 ms", "ours: p99 ms"]
    if spirit:
        header += ["Spirit: req/s", "Spirit: p50 ms", "Spirit: p99 ms", "req/s ratio (ours/Spirit)"]
    rows = [header]
    for reader in ("anonymous", "logged in"):
        o = ours["load"][reader]
        row = [reader, f"{o['rps']:.1f}", f"{o['p50_ms']:.1f}", f"{o['p99_ms']:.1f}"]
        if spirit:
            s = spirit["load"][reader]
            row += [f"{s['rps']:.1f}", f"{s['p50_ms']:.1f}", f"{s['p99_ms']:.1f}", f"{o['rps'] / s['rps']:.2f}x"]
        rows.append(row)
    out.append(table(rows))
    errors = [f"{name} {reader}: {result['errors'].strip()}" for name, side in (("ours", ours), ("Spirit", spirit))
              if side for reader, result in side["load"].items() if result["errors"].strip()]
    if errors:
        out.append("wrk reported errors: " + "; ".join(errors))
    out.append("")
    out.append("Targets (issue 7):")
    for reader, limit in TARGET_QUERIES.items():
        worst = max(ours["client"][reader].values(), key=lambda r: r["queries"])
        met = worst["queries"] <= limit
        out.append(f"- {reader}: at most {limit} queries on any page: {'met' if met else 'NOT met'} "
                   f"(most: {worst['queries']} on {worst['url']})")
    writes = [f"{label} ({reader}: {r['writes']})" for reader in ("anonymous", "logged in")
              for label, r in ours["client"][reader].items() if r["writes"]]
    out.append(f"- writes on GET: {', '.join(writes) if writes else 'none'}")
    if spirit:
        for reader in ("anonymous", "logged in"):
            o, s = ours["load"][reader], spirit["load"][reader]
            ratio = o["rps"] / s["rps"]
            out.append(f"- {reader}: req/s at least {TARGET_RPS_RATIO:.0f}x Spirit's: "
                       f"{'met' if ratio >= TARGET_RPS_RATIO else 'NOT met'} ({ratio:.2f}x)")
            out.append(f"- {reader}: our p99 no higher than Spirit's p50: "
                       f"{'met' if o['p99_ms'] <= s['p50_ms'] else 'NOT met'} "
                       f"({o['p99_ms']:.0f} ms vs {s['p50_ms']:.0f} ms)")
    out.append("")
    posting = f"a reply every {args.post_every:g} s" if args.post_every else "NO replies posted (control run)"
    out.append(f"Targets (issue 18: a live thread stays fast; load runs with {posting}):")
    for reader in ("anonymous", "logged in"):
        o = ours["load"][reader]
        line = f"- {reader}: ours posted {o['posted']} replies during its run"
        if spirit:
            line += f", Spirit {spirit['load'][reader]['posted']} comments"
        errors = o["post_errors"] + (spirit["load"][reader]["post_errors"] if spirit else [])
        out.append(line + (f"; posting errors: {errors[:3]}" if errors else "; no posting errors"))
    if spirit:
        for reader in ("anonymous", "logged in"):
            o, s = ours["load"][reader], spirit["load"][reader]
            ratio = o["rps"] / s["rps"]
            out.append(f"- {reader}: req/s at least {TARGET_LIVE_RPS_RATIO:.0f}x Spirit's: "
                       f"{'met' if ratio >= TARGET_LIVE_RPS_RATIO else 'NOT met'} ({ratio:.2f}x)")
            out.append(f"- {reader}: our p99 no higher than Spirit's p50: "
                       f"{'met' if o['p99_ms'] <= s['p50_ms'] else 'NOT met'} "
                       f"({o['p99_ms']:.0f} ms vs {s['p50_ms']:.0f} ms)")
        for reader in ("anonymous", "logged in"):
            o, s = ours["client"][reader][COLD_LABEL], spirit["client"][reader][COLD_LABEL]
            ours_per, spirit_per = o["median_cpu_ms"] / max(o["posts"], 1), s["median_cpu_ms"] / max(s["posts"], 1)
            ratio = ours_per / spirit_per
            wall = (o["median_ms"] / max(o["posts"], 1)) / (s["median_ms"] / max(s["posts"], 1))
            out.append(f"- {reader}: cold render per post at most half Spirit's: "
                       f"{'met' if ratio <= TARGET_COLD_PER_POST_RATIO else 'NOT met'} "
                       f"(CPU: ours {ours_per:.2f} ms x {o['posts']} posts = {o['median_cpu_ms']:.0f} ms, "
                       f"Spirit {spirit_per:.2f} ms x {s['posts']} = {s['median_cpu_ms']:.0f} ms, {ratio:.2f}x; "
                       f"wall clock {wall:.2f}x)")
    for reader in ("logged in", "anonymous"):
        page = ours["client"][reader]["thread, first page"]
        line = (f"- {reader}: first page {page['bytes'] / 1024:.1f} KB ({page['gzip_bytes'] / 1024:.1f} KB gzipped), "
                f"{page['posts']} posts")
        if spirit:
            sp = spirit["client"][reader]["thread, first page"]
            line += (f"; Spirit {sp['bytes'] / 1024:.1f} KB ({sp['gzip_bytes'] / 1024:.1f} KB gzipped), "
                     f"{sp['posts']} posts")
        if reader == "logged in":
            met = page["bytes"] <= TARGET_MEMBER_PAGE_BYTES
            verdict = "met" if met else "NOT met"
            line = line.replace("- logged in:", f"- a member's first page at most 60 KB: {verdict}:")
        out.append(line)
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=None, help="replies in the long thread (default 1000)")
    parser.add_argument("--duration", type=int, default=None, help="seconds of wrk per run (default 20)")
    parser.add_argument("--runs", type=int, default=None, help="timed test-client runs per page (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers for ours (default 2)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="let wrk keep its connections alive (default: one per request, as behind the proxy)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 replies, 5 runs, 3 s of wrk")
    parser.add_argument("--compare-spirit", action="store_true", help="measure django-spirit 0.14.3 too")
    parser.add_argument("--show-queries", action="store_true", help="print our thread page's SQL, per reader")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument("--post-every", type=float, default=POST_EVERY,
                        help=f"seconds between replies posted during load (default {POST_EVERY:g}; 0: none)")
    args = parser.parse_args(argv)
    args.replies = args.replies or (200 if args.quick else 1000)
    args.duration = args.duration or (3 if args.quick else 20)
    args.runs = args.runs or (5 if args.quick else 30)
    args.warmup = 1 if args.quick else 3
    if not Path(WRK).exists():
        parser.error(f"{WRK} is missing: apt-get install wrk")

    machine_info = machine()
    say(f"machine: {machine_info}")
    tmp = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    started = time.perf_counter()
    try:
        ours = bench_ours(args, tmp)
        spirit = None
        if args.compare_spirit:
            from forum.models import Category

            spirit = bench_spirit(args, tmp, categories=Category.objects.count())
        text = report(args, machine_info, ours, spirit)
        print()
        if args.show_queries:
            for reader in ("anonymous", "logged in"):
                print(f"Our thread page's queries, {reader}:")
                for sql in ours["client"][reader]["thread, first page"]["sql"]:
                    print(f"  {sql[:300]}")
            print()
        print(text)
        print(f"\nTotal time: {time.perf_counter() - started:.0f}s. Rerun: .venv/bin/python bench/pages.py "
              + ("--compare-spirit" if args.compare_spirit else ""))
        if args.json:
            args.json.write_text(json.dumps({"machine": machine_info, "ours": ours, "spirit": spirit,
                                             "args": {k: str(v) for k, v in vars(args).items()}}, indent=2,
                                            default=str))
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
