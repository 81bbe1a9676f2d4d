"""Benchmark: a base union's dashboard computed afresh (issue 17 point 3), one request at a time.

    .venv/bin/python bench/base_union_cold.py [--database URL] [--pages 40] [--profile] [--code DIR]

Under `make load` nearly every visit to a base union's page is its first (the visits spread over
hundreds of base unions and their programs), so the page is computed, not read from the cache:
what that costs bounds the budget's p95. Against the load test's database (default
unionportal_load, built by `make load`: migrate + load_demo) with the load test's settings, the
district officer (quangbinh) asks for the dashboards of the base unions of their district, each
program of the demo at its latest annual period, in a fixed shuffled order, the cache cleared
before each: the median and 90th percentile of Python CPU (the process's, its threads' included) and of wall
time, and the statements of every connection (a page's reads beside on a second one included).
`--profile` prints cProfile's 40 heaviest functions, by cumulative time (SORT=tottime: by their own time;
the figures then include its overhead);
`--code DIR` runs another checkout's code (e.g. `git archive main`) for a before/after.
`--explain N`: afterwards, the statements of N more such pages each run again under EXPLAIN (ANALYZE,
SUMMARY) on the same (warm) connection: the median planning and execution time of each, and their sums.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

DISTRICT = "TQ-KV1"  # the district officer quangbinh's


def set_up(database: str, code: Path) -> None:
    """Django on `database` with the load test's settings, from the checkout at `code`."""
    sys.path.insert(0, str(code.resolve()))
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.load")
    os.environ.setdefault("SECRET_KEY", "bench-base-union-cold-not-a-secret-" + "x" * 20)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    import django

    django.setup()


def pages(user) -> list[str]:
    """The dashboards of the district's base unions, each program that applies to them at its latest annual
    period, in a fixed shuffled order."""
    from organizations.models import Level, Organization
    from reports.lookups import programs_for_organization

    district = Organization.objects.get(code=DISTRICT)
    urls = [
        f"/reports/{base.code}/{program.code}/{min(program.end_year, time.localtime().tm_year - 1)}/"
        for base in Organization.objects.filter(level__code=Level.BASE, path__startswith=district.path)
        for program in programs_for_organization(user, base)
    ]
    random.Random(1).shuffle(urls)
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/unionportal_load")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    set_up(args.database, args.code)
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    # The statements of every connection: a page's reads beside (unionportal.read_beside) run on another.
    counted = itertools.count()

    def count(execute, sql, params, many, context):
        next(counted)
        return execute(sql, params, many, context)

    def counting(connection, **_kwargs) -> None:
        if count not in connection.execute_wrappers:
            connection.execute_wrappers.append(count)

    connection_created.connect(counting, weak=False)
    counting(connection)

    user = get_user_model().objects.get(username="quangbinh")
    client = Client()
    client.force_login(user)
    urls = pages(user)[: args.pages]
    client.get(urls[0])  # the process's first page: imports, compiled statements
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall, queries = [], [], []
    for url in urls:
        cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        before = next(counted)
        response = client.get(url)
        if profiler:
            profiler.disable()
        cpu.append((time.process_time() - cpu_started) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        queries.append(next(counted) - before - 1)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")

    def p90(values: list[float]) -> float:
        return sorted(values)[int(0.9 * (len(values) - 1))]

    print(
        f"{len(urls)} base union pages of {DISTRICT} ({len({u.split('/')[3] for u in urls})} programs), computed afresh: "
        f"Python CPU median {statistics.median(cpu):.1f} ms, p90 {p90(cpu):.1f}; wall median "
        f"{statistics.median(wall):.1f} ms, p90 {p90(wall):.1f}; queries {min(queries)}–{max(queries)}; "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    if args.explain:
        explain(client, pages(user)[args.pages : args.pages + args.explain])
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(40)


def explain(client, urls: list[str]) -> None:
    """Each statement of these pages planned and run again on the same connection: PostgreSQL's own times."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: dict[int, list[tuple[float, float, str]]] = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        with connection.cursor() as cursor:
            for position, query in enumerate(captured.captured_queries):
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                planning = float(re.search(r"Planning Time: ([\d.]+)", plan).group(1))
                execution = float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
                times.setdefault(position, []).append((planning, execution, query["sql"][:80]))
    planned = run = 0.0
    for position, found in times.items():
        planning = statistics.median(t[0] for t in found)
        execution = statistics.median(t[1] for t in found)
        planned, run = planned + planning, run + execution
        print(f"{position:3} planning {planning:6.2f} ms  execution {execution:6.2f} ms  {found[0][2]}")
    print(
        f"{len(urls)} pages, {len(times)} statements: planning {planned:.2f} ms, execution {run:.2f} ms (medians summed)"
    )


if __name__ == "__main__":
    main()
