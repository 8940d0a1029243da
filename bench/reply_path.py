#!/usr/bin/env python
"""What a reply's POST costs in Python, before and after its readers hear of it (issue 18).

A benchmark that prints numbers, not a test. bench/realtime.py times a reply from its
POST until 1,000 readers hold it, but on a shared machine its bare consumer's own time
varies by up to 1.7x from run to run; this one times the same request in one process,
through Django's test client, where only the CPU's work counts. It:

1. builds a fresh SQLite database in a temporary directory (migrated, with one member
   and one thread), moderation's first-post hold and rate limits off as in
   bench/realtime.py;
2. sends --replies replies to the thread as the page's reply box does (Accept JSON),
   after --warm-up replies nobody times;
3. prints the median and p90 of: the whole request; from the request's start until its
   post.created event is handed to the channel layer (what readers wait for); the
   hand-over itself (here asgiref's loop in a thread; in a worker, the server's loop);
   and the rest, the author's own answer, which competes with the fan-out for the GIL in
   a real worker.

    .venv/bin/python bench/reply_path.py
    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/reply_path.py   # Redis cache and layer

Results in docs/performance.md ("Issue 18, seventh pass").
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replies", type=int, default=100)
    parser.add_argument("--warm-up", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _configure(Path(tmp) / "reply.sqlite3")
        import django

        warnings.filterwarnings("ignore", message="No directory at")  # static files: nothing is served
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        timings = _time_replies(args.replies, args.warm_up)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"cache and layer: {'Redis' if os.environ.get('REDIS_URL') else 'in-memory'}; {args.replies} replies")
    for name, values in timings.items():
        print(f"{name:26} median {statistics.median(values):6.2f} ms   p90 {_p90(values):6.2f} ms")


def _configure(database: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        # As production runs: DEBUG off. Nothing here is served.
        "DEBUG": "0", "SECRET_KEY": "bench-" + secrets.token_urlsafe(40), "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0", "SITE_URL": "https://forum.example.org", "LOG_LEVEL": "WARNING",
        "MODERATION_PREMODERATE_FIRST_POSTS": "0", "MODERATION_RATE_LIMITS_ENABLED": "0",
        "CHANNELS_PREFIX": "bench-reply", "CACHE_PREFIX": "bench-reply",
    })


def _time_replies(count: int, warm_up: int) -> dict[str, list[float]]:
    from allauth.account.models import EmailAddress
    from django.test import Client

    from accounts.models import User
    from forum import broadcast, services
    from forum.models import Category

    author = User.objects.create_user(
        username="bench_author", email="bench@example.org", password=secrets.token_urlsafe(16)
    )
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    thread = services.thread_create(author=author, category=Category.objects.first(), title="Bench", body="Replies")
    client = Client()
    client.force_login(author)

    handed_over: list[tuple[float, float]] = []
    send_now = broadcast.send_now

    def timed_send_now(group, event):
        began = time.perf_counter()
        try:
            return send_now(group, event)
        finally:
            if event["type"] == "post.created":
                handed_over.append((began, time.perf_counter()))

    broadcast.send_now = timed_send_now
    timings: dict[str, list[float]] = {
        "whole request": [], "until the event is handed": [], "handing it over": [], "the author's answer": [],
    }
    for round_ in range(warm_up + count):
        handed_over.clear()
        started = time.perf_counter()
        # No long runs of digits: sourcing screening reads them as a phone number.
        response = client.post(f"/t/{thread.pk}/reply/", {"body": f"Bench reply {secrets.token_hex(4)}"},
                               HTTP_ACCEPT="application/json")
        ended = time.perf_counter()
        if response.status_code != 201 or len(handed_over) != 1:
            raise RuntimeError(f"reply {round_}: HTTP {response.status_code}, {len(handed_over)} events")
        if round_ >= warm_up:
            began, done = handed_over[0]
            parts = (ended - started, began - started, done - began, ended - done)
            for name, seconds in zip(timings, parts, strict=True):
                timings[name].append(seconds * 1000)
    broadcast.send_now = send_now
    return timings


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
