"""Benchmark: what a full garbage collection costs a gunicorn worker, with and without gc.freeze.

    .venv/bin/python bench/worker_gc.py [--database URL] [--pages 200] [--no-freeze]

A worker, as unionportal/gunicorn_conf.py starts it, warms up (unionportal/warmup.py) and then, unless
--no-freeze, collects and freezes what it holds. It then serves --pages pages as under `make load`
(bench/base_union_cold.py's pages: the district officer's base union dashboards, the cache cleared before
each), which fill the caches
a worker keeps for its life. Printed: the objects the collector tracks, the frozen ones, the
collections that ran during the pages per generation (count, total and longest ms), and a full
collection's time at the end (best of 3) — the pause a request takes when a full collection falls
into it. Against the load test's database (default unionportal_load, built by `make load`) with its
settings. Run it twice, once with --no-freeze, for the before/after.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import base_union_cold  # noqa: E402 - after the path is set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/unionportal_load")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--no-freeze", action="store_true", help="warm up without gc.freeze (the code before)")
    args = parser.parse_args()
    base_union_cold.set_up(args.database, ROOT)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from unionportal import gunicorn_conf
    from unionportal.warmup import worker_started_run

    if args.no_freeze:
        worker_started_run()
    else:
        gunicorn_conf.post_worker_init(worker=None)
    user = get_user_model().objects.get(username="quangbinh")
    urls = base_union_cold.pages(user)
    client = Client()
    client.force_login(user)
    passes: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            passes[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    for number in range(args.pages):
        cache.clear()
        if client.get(urls[number % len(urls)]).status_code != 200:
            raise SystemExit(f"{urls[number % len(urls)]}: not 200")
    gc.callbacks.remove(timed)
    full = []
    for _ in range(3):
        begun = time.perf_counter()
        gc.collect()
        full.append((time.perf_counter() - begun) * 1000)
    during = "; ".join(
        f"gen {g}: {len(v)} ({sum(v):.1f} ms, longest {max(v, default=0):.1f})" for g, v in passes.items()
    )
    print(
        f"{'without' if args.no_freeze else 'with'} gc.freeze after the warm-up: {len(gc.get_objects())} objects "
        f"tracked, {gc.get_freeze_count()} frozen; collections during {args.pages} pages: {during}; "
        f"a full collection afterwards {min(full):.1f} ms (best of 3); "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
