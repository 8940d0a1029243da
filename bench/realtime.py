"""Real-time fan-out benchmark (prints numbers; not a test).

For each channel layer (in-memory, channels_redis RedisChannelLayer, RedisPubSubChannelLayer,
and the production layer config.channel_layer.ResilientRedisChannelLayer)
and N readers (100, 1,000), it serves the forum with one uvicorn process and measures:

- reply: the time from sending an HTTP reply POST until every one of N websocket
  clients on /ws/threads/<id>/ holds the post.created event for it;
- baseline: the time from a client sending one frame to a bare Channels consumer that
  group_sends it until every one of N clients holds it;
- bare-lean: the same with a bare consumer that skips Channels' thread hop before each
  message (closing stale database connections), as the forum's sockets do (forum.live):
  the best bare baseline, the one the forum's reply is held to;
- bare-lean <n> B: the same, relaying frames as long as the reply's event (its
  rendered post), so the reply is also compared with a bare consumer moving the same bytes;
- 1st-last: from the first reader holding the reply (or frame) to the last, the fan-out
  alone: a reply's time also holds its POST (screening, the write, the commit), which
  the relay's frame does not;
- memory: the server's resident memory per connected reader.

Median and p95 over POSTS rounds. Clients and server share this machine's cores.

    .venv/bin/python bench/realtime.py                      # all layers, N = 100 and 1000
    .venv/bin/python bench/realtime.py --layers memory --readers 100 --posts 20
Redis layers need REDIS_URL (default redis://127.0.0.1:6379/1); they are left out when
Redis does not answer. Results and the machine are written up in docs/performance.md.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SETUP = """
import json
from allauth.account.models import EmailAddress
from django.test import Client
from accounts.models import User
from forum import services
from forum.models import Category
user = User.objects.create_user(username="bench_author", email="bench@example.org", password="x-long-password-1")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
thread = services.thread_create(author=user, category=Category.objects.first(), title="Bench", body="Fan-out")
client = Client()
client.force_login(user)
print(json.dumps({"thread": thread.pk, "session": client.cookies["sessionid"].value}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layers", default="memory,redis,pubsub,production")
    parser.add_argument("--readers", default="100,1000")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--ws-deflate", default="true", choices=["true", "false"],
                        help="uvicorn's --ws-per-message-deflate (compressing each frame for each reader)")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
    layers = args.layers.split(",")
    if any(layer != "memory" for layer in layers) and not _redis_answers(redis_url):
        print(f"Redis at {redis_url} does not answer: measuring the in-memory layer only.")
        layers = ["memory"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {_cpu_name()}, Python {platform.python_version()}")
    print(f"{'layer':8} {'N':>5} {'what':18} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  memory/reader")
    with tempfile.TemporaryDirectory() as tmp:
        env = _environment(Path(tmp) / "bench.sqlite3")
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        fixture = json.loads(
            subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
        )
        for layer in layers:
            for readers in [int(n) for n in args.readers.split(",")]:
                layer_env = {**env, "BENCH_LAYER": layer, **({"REDIS_URL": redis_url} if layer != "memory" else {})}
                asyncio.run(_measure(layer, readers, args.posts, args.port, layer_env, fixture, args.ws_deflate))


async def _measure(layer, readers, posts, port, env, fixture, ws_deflate="true"):
    server = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "bench.relay:application", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--ws-max-queue", "64", "--ws-per-message-deflate", ws_deflate],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await asyncio.to_thread(_wait_until_up, base)
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited (is port {port} taken?)")
        rss_before = _rss_kb(server.pid)
        thread_url = f"ws://127.0.0.1:{port}/ws/threads/{fixture['thread']}/"
        reply_times, reply_spreads, per_reader_kb, frame_bytes = await _reply_fan_out(
            base, thread_url, readers, posts, fixture, server.pid, rss_before
        )
        _report(layer, readers, "reply", reply_times, f"{per_reader_kb:.1f} KiB")
        relay_times, relay_spreads = await _relay_fan_out(f"ws://127.0.0.1:{port}/ws/bench/relay/", readers, posts)
        _report(layer, readers, "baseline", relay_times, "")
        lean_url = f"ws://127.0.0.1:{port}/ws/bench/relay-lean/"
        lean_times, lean_spreads = await _relay_fan_out(lean_url, readers, posts)
        _report(layer, readers, "bare-lean", lean_times, "")
        # The same consumer relaying frames as long as the reply's event (its HTML).
        sized_times, sized_spreads = await _relay_fan_out(lean_url, readers, posts, size=frame_bytes)
        _report(layer, readers, f"bare-lean {frame_bytes} B", sized_times, "")
        # First reader to last: the fan-out alone, without the reply's POST or the frame's trip in.
        _report(layer, readers, "reply 1st-last", reply_spreads, "")
        _report(layer, readers, "bare-lean 1st-last", lean_spreads, "")
        _report(layer, readers, f"bare-lean {frame_bytes} B 1st-last", sized_spreads, "")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # still closing a thousand sockets
            server.kill()
            server.wait()


async def _reply_fan_out(base, ws_url, readers, posts, fixture, pid, rss_before):
    from websockets.asyncio.client import connect

    arrivals: dict[int, list[float]] = {}
    sizes: list[int] = []
    sockets = await _connect_many(connect, ws_url, readers, origin=base)
    tasks = [asyncio.create_task(_collect(ws, arrivals, sizes)) for ws in sockets]
    await asyncio.sleep(3)  # arrivals' presence counts settle
    per_reader_kb = (_rss_kb(pid) - rss_before) / readers
    times, spreads = [], []
    for round_ in range(posts):
        started = time.perf_counter()
        # No long runs of digits (a timestamp): sourcing screening reads them as a phone number.
        body = f"Bench reply {round_}, {secrets.token_hex(4)}"
        post_id = await asyncio.to_thread(_post_reply, base, fixture, body)
        deadline = time.perf_counter() + 60
        while len(arrivals.get(post_id, ())) < readers:
            if time.perf_counter() > deadline:  # a held reply is never broadcast: say so, never hang
                reached = len(arrivals.get(post_id, ()))
                raise RuntimeError(f"reply {post_id} reached {reached} of {readers} readers in 60 s")
            await asyncio.sleep(0.002)
        arrived = arrivals.pop(post_id)
        times.append(max(arrived) - started)
        spreads.append(max(arrived) - min(arrived))
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return times, spreads, per_reader_kb, int(statistics.median(sizes))


# A reader only notes which reply arrived when: the id is read from the frame's head, as
# the relay's readers note their frame without decoding it, so the clients (on this
# machine's cores too) do the same work in both measurements.
CREATED = re.compile(r'\{"type": "post\.created", "post_id": (\d+)')


async def _collect(ws, arrivals, sizes):
    async for message in ws:
        created = CREATED.match(message)
        if created:
            arrivals.setdefault(int(created.group(1)), []).append(time.perf_counter())
            if len(sizes) < 100:
                sizes.append(len(message.encode()))


async def _relay_fan_out(ws_url, readers, posts, size=0):
    from websockets.asyncio.client import connect

    got: dict[str, list[float]] = {}

    async def listen(ws):
        async for message in ws:
            got.setdefault(message, []).append(time.perf_counter())

    sockets = await _connect_many(connect, ws_url, readers, origin=None)
    tasks = [asyncio.create_task(listen(ws)) for ws in sockets]
    sender = await connect(ws_url)
    await asyncio.sleep(2)
    times, spreads = [], []
    for round_ in range(posts):
        marker = f"relay {round_} {time.time()} "
        marker += "x" * max(0, size - len(marker))
        started = time.perf_counter()
        await sender.send(marker)
        while len(got.get(marker, ())) < readers:
            await asyncio.sleep(0.002)
        arrived = got.pop(marker)
        times.append(max(arrived) - started)
        spreads.append(max(arrived) - min(arrived))
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(sender.close(), *(ws.close() for ws in sockets), return_exceptions=True)
    return times, spreads


async def _connect_many(connect, url, count, origin):
    sockets = []
    for start in range(0, count, 50):  # in batches, as readers arrive, not a thundering herd
        end = min(count, start + 50)
        batch = [connect(url, origin=origin, open_timeout=60, max_queue=None) for _ in range(start, end)]
        sockets.extend(await asyncio.gather(*batch))
    return sockets


def _post_reply(base, fixture, body):
    token = "b" * 32
    request = urllib.request.Request(
        f"{base}/t/{fixture['thread']}/reply/",
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={"Accept": "application/json", "Cookie": f"sessionid={fixture['session']}; csrftoken={token}",
                 "X-CSRFToken": token},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["post_id"]


def _report(layer, readers, what, seconds, memory):
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    median = statistics.median(ms)
    print(f"{layer:8} {readers:>5} {what:18} {median:>10.1f} {p95:>8.1f} {ms[-1]:>8.1f}  {memory}", flush=True)


def _environment(db_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "DEBUG": "1",
        # One key for every server process the benchmark starts (development mode).
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + secrets.token_urlsafe(40),
        "MODERATION_PREMODERATE_FIRST_POSTS": "0",
        "MODERATION_RATE_LIMITS_ENABLED": "0",
        "CHANNELS_PREFIX": "bench",
        "CACHE_PREFIX": "bench",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # set per layer
    return env


def _wait_until_up(base):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _rss_kb(pid) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _redis_answers(url) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
