#!/usr/bin/env python
"""Speed and memory of sourcing detection (issue 14): moderation.sourcing.check per post.

A benchmark that prints numbers, not a test. It:

1. measures the process's resident memory before and after sourcing detection first
   runs (compiling the rules, reading sourcing_model.json), which each web worker pays
   once;
2. checks every post of the training corpus (moderation/corpus/sourcing_train*.jsonl,
   1,314 posts, French included) as the forum does when a member posts: Markdown rendered,
   read through safety.text's normaliser, the rules, then (when no rule matched) the
   model; the normaliser's cache is cleared before each post;
3. prints the median, p90, p99 and maximum time per post: wall clock, and the CPU time
   of the thread (which waiting for a busy machine's CPUs does not inflate).

Run from the repository root, when the machine is otherwise quiet:

    .venv/bin/python bench/sourcing.py
    .venv/bin/python bench/sourcing.py --repeat 3     # three passes, the best of each post
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

from bench.crisis import percentile, rss_mb  # noqa: E402  (the same measures as the crisis benchmark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus; each post's best time counts")
    args = parser.parse_args()

    import django

    django.setup()
    from forum import markup  # noqa: F401  (loaded before measuring: every worker has it)
    from moderation import sourcing, sourcing_model, sourcing_training
    from safety import text as texts

    items = sourcing_training.load_training()
    corpus = [item.text for item in items]
    texts.visible_text("warm up the renderer")
    before = rss_mb()
    started = time.perf_counter()
    sourcing.check("A first post, long enough that the model reads it: anyone know a clinic?")
    sourcing_model.model()  # read here if the first post did not reach the model
    first_call = time.perf_counter() - started
    after = rss_mb()
    model = sourcing_model.model()

    best = [float("inf")] * len(corpus)
    best_cpu = [float("inf")] * len(corpus)
    by_model = 0
    for _ in range(args.repeat):
        for position, text in enumerate(corpus):
            texts.normalise.cache_clear()
            started, started_cpu = time.perf_counter(), time.thread_time()
            found = sourcing.check(text)
            best[position] = min(best[position], time.perf_counter() - started)
            best_cpu[position] = min(best_cpu[position], time.thread_time() - started_cpu)
            by_model += found is None or found.by == "model"
    milliseconds = [value * 1000 for value in best]
    cpu_milliseconds = [value * 1000 for value in best_cpu]
    end = rss_mb()

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    print(f"model: {len(model.index):,} features; rules: {len(sourcing.RULES)}")
    print(f"memory: {before:.1f} MB before, {after:.1f} MB after the first check() "
          f"(+{after - before:.1f} MB for the rules and the model), first call {first_call * 1000:.0f} ms; "
          f"{end:.1f} MB after every post")
    print(f"check() on {len(corpus)} posts, best of {args.repeat} "
          f"({by_model // args.repeat} of them matched no rule, so the model could be asked):")
    for name, values in (("wall clock", milliseconds), ("CPU time  ", cpu_milliseconds)):
        print(f"  {name}: median {statistics.median(values):.2f} ms   p90 {percentile(values, 0.9):.2f} ms   "
              f"p99 {percentile(values, 0.99):.2f} ms   max {max(values):.2f} ms")


if __name__ == "__main__":
    main()
