#!/usr/bin/env python
"""Speed and memory of crisis detection (issue 11): safety.crisis.assess per post.

A benchmark that prints numbers, not a test. It:

1. measures the process's resident memory before and after crisis detection first runs
   (reading crisis_patterns.txt and the model file, crisis_model.json), which is what
   each web worker pays once, and again after every post (the model remembers the
   character n-grams of up to 50,000 words it has seen);
2. assesses every post of the training corpus (2,868 posts of 1 to about 150 words,
   French included) as the forum does when a member posts: Markdown rendered, folded,
   rules and model; each post once, so nothing is served from a cache;
3. prints the median, p90, p99 and maximum time per post, overall and by length: wall
   clock, and the CPU time of the thread (which waiting for a busy machine's CPUs does
   not inflate).

Run from the repository root, when the machine is otherwise quiet:

    .venv/bin/python bench/crisis.py
    .venv/bin/python bench/crisis.py --repeat 3     # three passes, the best of each post

Targets (issue 11): median <= 10 ms, p99 <= 50 ms per post; the model adds at most
100 MB per process.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Development mode with a key for this run: nothing here is served.
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))


def rss_mb() -> float:
    """Resident memory of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus; each post's best time counts")
    args = parser.parse_args()

    import django

    django.setup()
    from safety import crisis, crisis_model, crisis_training

    texts = [item.text for item in crisis_training.load(crisis_training.TRAIN_FILE)]
    before = rss_mb()
    started = time.perf_counter()
    crisis.assess("A first post, to read the rules and the model.")
    first_call = time.perf_counter() - started
    after = rss_mb()
    model = crisis_model.model()

    best = [float("inf")] * len(texts)
    best_cpu = [float("inf")] * len(texts)
    for _ in range(args.repeat):
        for position, text in enumerate(texts):
            crisis._assess_normalised.cache_clear()
            started, started_cpu = time.perf_counter(), time.thread_time()
            crisis.assess(text)
            best[position] = min(best[position], time.perf_counter() - started)
            best_cpu[position] = min(best_cpu[position], time.thread_time() - started_cpu)
    milliseconds = [value * 1000 for value in best]
    cpu_milliseconds = [value * 1000 for value in best_cpu]
    end = rss_mb()

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    print(f"model: {len(model.index):,} features; rules: {sum(len(p) for p in crisis._rules().cues.values())} cues")
    print(f"memory: {before:.1f} MB before, {after:.1f} MB after the first assess() "
          f"(+{after - before:.1f} MB for the rules and the model), first call {first_call * 1000:.0f} ms; "
          f"{end:.1f} MB after every post (+{end - before:.1f} MB with the model's cache of words seen)")
    print(f"assess() on {len(texts)} posts, best of {args.repeat}:")
    for name, values in (("wall clock", milliseconds), ("CPU time  ", cpu_milliseconds)):
        print(f"  {name}: median {statistics.median(values):.2f} ms   p90 {percentile(values, 0.9):.2f} ms   "
              f"p99 {percentile(values, 0.99):.2f} ms   max {max(values):.2f} ms")
    buckets = ((0, 20), (20, 60), (60, 120), (120, 10_000))
    for low, high in buckets:
        chosen = [ms for ms, text in zip(milliseconds, texts, strict=True) if low <= len(text.split()) < high]
        if chosen:
            label = f"{low}-{high - 1} words" if high < 10_000 else f"{low}+ words"
            print(f"  {label:>14}: {len(chosen):4} posts, median {statistics.median(chosen):.2f} ms, "
                  f"p99 {percentile(chosen, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
