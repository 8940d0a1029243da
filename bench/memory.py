#!/usr/bin/env python
"""Does a worker keep memory for readers who left? (issue 18: "memory creeps")

A benchmark that prints numbers, not a test. In one process, with the in-memory channel
layer (or Redis's, with --redis) and a throwaway SQLite database, it connects READERS
sockets to one thread's live address (/ws/threads/<id>/, through the real ASGI
application), closes them all, and repeats for CYCLES cycles. After each cycle (and a
full garbage collection) it prints the process's resident memory and what tracemalloc
counts as allocated by Python, then the allocation sites that grew from the second
cycle to the last: a leak shows as a site that grows every cycle; memory the allocator
keeps after a first cycle does not.

    .venv/bin/python bench/memory.py                      # 500 readers, 6 cycles, ~1 min
    .venv/bin/python bench/memory.py --readers 1000 --cycles 6 --no-trace
    .venv/bin/python bench/memory.py --redis redis://127.0.0.1:6379/9
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE / 2**20


def setup(tmp: Path, redis_url: str | None) -> int:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": "memory-bench-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'memory.sqlite3'}", "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("REDIS_URL", None)
    if redis_url:  # the production layer and cache, under a prefix of their own
        os.environ.update({"REDIS_URL": redis_url, "CHANNELS_PREFIX": "membench", "CACHE_PREFIX": "membench"})
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from forum import services
    from forum.models import Category

    category = Category.objects.order_by("position").first() or Category.objects.create(name="Bench", slug="bench")
    author = User.objects.create_user(username="memory_bench", email="memory@example.org")
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    thread = services.thread_create(author=author, category=category, title="Memory bench", body="Hello")
    return thread.pk


async def one_cycle(application, path: str, readers: int) -> int:
    from channels.testing import WebsocketCommunicator

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    sockets = [WebsocketCommunicator(application, path, headers=headers) for _ in range(readers)]
    results = await asyncio.gather(*(socket.connect(timeout=30) for socket in sockets))
    connected = sum(1 for ok, _ in results if ok)
    await asyncio.gather(*(socket.disconnect(timeout=30) for socket in sockets))
    return connected


async def run(args, thread_id: int) -> None:
    from config.asgi import application

    path = f"/ws/threads/{thread_id}/"
    if not args.no_trace:
        tracemalloc.start(10)
    snapshots = []
    print(f"{'cycle':>5} {'connected':>9} {'seconds':>7} {'RSS MB':>7} {'traced MB':>9} {'threads':>7} {'files':>5}")
    for cycle in range(1, args.cycles + 1):
        started = time.perf_counter()
        connected = await one_cycle(application, path, args.readers)
        await asyncio.sleep(0.5)  # let closing tasks finish
        gc.collect()
        current, _peak = tracemalloc.get_traced_memory()
        threads, files = len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))
        print(f"{cycle:>5} {connected:>9} {time.perf_counter() - started:>7.1f} {rss_mb():>7.1f} "
              f"{current / 2**20:>9.2f} {threads:>7} {files:>5}")
        if tracemalloc.is_tracing():
            snapshots.append(tracemalloc.take_snapshot())
    if len(snapshots) >= 3:
        growth = snapshots[-1].compare_to(snapshots[1], "lineno")
        print(f"\nAllocation sites that grew most from cycle 2 to cycle {args.cycles}:")
        for stat in growth[:12]:
            print(f"  {stat.size_diff / 1024:+8.1f} KB {stat.count_diff:+6d} blocks  {stat.traceback[0]}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--redis", metavar="URL", help="use Redis for the channel layer and cache (as in production)")
    parser.add_argument("--no-trace", action="store_true", help="RSS only, without tracemalloc's own overhead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="forum-memory-") as tmp:
        thread_id = setup(Path(tmp), args.redis)
        asyncio.run(run(args, thread_id))


if __name__ == "__main__":
    main()
