"""Benchmark: the CPU one request of the load scenario costs, per kind of page, with the load test's settings.

    DATABASE_URL=postgres://…/up_load17 .venv/bin/python bench/request_cpu.py [--rounds 5] [--profile NAME]

The load test (`make load`, bench/load/) measures latency, which the machine's other work moves;
this measures what each request costs, which it hardly moves. Against a database built as the load
test builds it (`migrate`, `load_demo`), with `unionportal.settings.load` (production's settings,
plain http), the plan of bench/load/plan.py and the Django test client, each demo account in turn
signs in and asks for the scenario's pages (bench/load/locustfile.py): its dashboards with one of each
kind of drill-down link, the tree and one of its nodes, the base unions, the members (a page, a
search, the committees), the workplaces, the periods page, its grid, and saves cells of its grid
(the refresh that follows a save is run inline, so its CPU counts with the save).

For each kind: the median Python CPU ms of one request (time.process_time), the PostgreSQL backend's
CPU ms per request (its /proc times over the kind's requests; 10 ms ticks, so a mean), the queries of
one request, and the load average. `--rounds` passes over the pages after a warm-up pass (the first
dashboard of a generation is computed, the next ones may come from the cache: both are counted, as
in the load test). `--profile KIND` prints a cProfile of that kind's requests. `--only lists,grid`
measures only the kinds that start with those words (the sign-in still runs; the dashboards and the
saves, which take most of a pass, are skipped when not named).
"""

from __future__ import annotations

import argparse
import cProfile
import html
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "unionportal-demo"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime


class Meter:
    def __init__(self, profile: str | None) -> None:
        from django.db import connection

        self.connection = connection
        self.python: dict[str, list[float]] = defaultdict(list)
        self.database: dict[str, float] = defaultdict(float)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.profile_kind = profile
        self.profiler = cProfile.Profile() if profile else None
        self.on = True

    def backend(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def __call__(self, kind: str, call):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        pid = self.backend()
        database = backend_cpu_ms(pid)
        profiling = self.profiler is not None and kind == self.profile_kind and self.on
        started = time.process_time()
        if profiling:
            self.profiler.enable()
        with self.connection.execute_wrapper(counting):
            response = call()
        if profiling:
            self.profiler.disable()
        spent = (time.process_time() - started) * 1000
        if self.on:
            self.python[kind].append(spent)
            self.database[kind] += backend_cpu_ms(pid) - database
            self.queries[kind].append(count[0])
        return response


def visit(client, meter: Meter, username: str, account: dict, plan: dict, lf, only: tuple[str, ...] = ()) -> None:
    """One account's pass over the scenario's pages (`only`: the kinds' first words to visit)."""

    def wanted(kind: str) -> bool:
        return not only or kind.startswith(only)

    client.logout()
    meter("login: form", lambda: client.get("/login/"))
    meter("login: post", lambda: client.post("/login/", {"username": username, "password": PASSWORD}))
    meter("login: home", lambda: client.get("/"))
    for url in account["dashboards"] if wanted("dashboard: scorecard") else ():
        page = meter("dashboard: scorecard", lambda url=url: client.get(url)).content.decode()
        links = defaultdict(list)
        for href in lf.HREF.findall(page):
            href = html.unescape(href).split("#")[0]
            path = url.split("?")[0]
            if href.startswith("?indicator=") and "sort=" not in href:
                links["indicator"].append(path + href)
            elif href.startswith("/reports/") and "/branches/" in href:
                links["branches"].append(href)
            elif href.startswith("/reports/") and "indicator=" in href and href.split("?")[0] != path:
                links["drill-down"].append(href)
        for kind, hrefs in sorted(links.items()):
            if not wanted(f"dashboard: {kind}"):
                continue
            href = random.choice(hrefs)
            meter(f"dashboard: {kind}", lambda href=href: client.get(href))
    tree = meter("lists: tree", lambda: client.get("/organizations/")).content.decode()
    for url, _code in lf.CHILDREN.findall(tree)[:2]:
        meter("lists: tree children", lambda url=url: client.get(url, HTTP_HX_REQUEST="true"))
    for url in ("/branches/", "/branches/?page=2"):
        meter("lists: base unions", lambda url=url: client.get(url))
    for url in ("/members/", "/members/?page=3", "/members/?q=Nguy%E1%BB%85n", "/members/?role=committee"):
        meter("lists: members", lambda url=url: client.get(url))
    for url in ("/workplaces/", "/workplaces/?kind=enterprises&unionized=no&min_workers=5"):
        meter("lists: workplaces", lambda url=url: client.get(url))
    meter("grid: periods", lambda: client.get(f"/data/?org={account['root']}"))
    for grid in account["grids"][:1]:
        page = meter("grid: view", lambda grid=grid: client.get(grid["url"])).content.decode()
        if not grid["edit"] or not wanted("grid: save"):
            continue
        rows = lf.grid_cells(page)
        if not rows:
            continue
        cells = rows[random.choice(list(rows))]
        values = {c.element: lf.read_number(c.saved) for c in cells if c.options is None}
        for cell in cells[:4]:
            if cell.options is not None:
                value = random.choice([o for o in cell.options if o != cell.saved] or cell.options)
            else:
                number = lf.valid_number(cell.element, values)
                if number is None:
                    continue
                value, values[cell.element] = str(number), number
            response = meter(
                "grid: save cell",
                lambda cell=cell, value=value: client.post(
                    cell.url, {"value": value, "version": str(cell.version)}, HTTP_HX_REQUEST="true"
                ),
            )
            if response.status_code != 200:
                print(f"save {cell.url}: {response.status_code}", file=sys.stderr)


def _scenario():
    """bench/load/locustfile.py's page readers, without locust (gevent must not patch this process)."""
    import types

    stub = types.ModuleType("locust")
    stub.HttpUser = object
    stub.between = lambda *_bounds: None
    stub.task = lambda _weight: lambda function: function
    stub.events = types.SimpleNamespace(
        **{
            name: types.SimpleNamespace(add_listener=lambda f: f)
            for name in ("test_start", "spawning_complete", "request", "quitting")
        }
    )
    sys.modules.setdefault("locust", stub)
    import locustfile

    return locustfile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="", help="a kind, e.g. 'dashboard: scorecard'")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--only", default="", help="comma-separated first words of kinds, e.g. 'lists,grid: view'")
    args = parser.parse_args()
    only = tuple(word.strip() for word in args.only.split(",") if word.strip())
    random.seed(args.seed)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionportal.settings.load"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    # Production's shared cache, as the load test runs it (bench/load/run.py); CACHE_URL= for none.
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/2")
    os.environ.setdefault("CACHE_KEY_PREFIX", f"request-cpu-{os.getpid()}")
    if not (ROOT / "var" / "load" / "staticfiles" / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    plan_path = ROOT / "var" / "load" / "plan-request-cpu.json"
    if not plan_path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench/load/plan.py"), "--output", str(plan_path)], check=True)
    os.environ["LOAD_PLAN"] = str(plan_path)
    import django

    django.setup()
    import json

    from django.conf import settings
    from django.test import Client

    sys.path.insert(0, str(ROOT / "bench" / "load"))
    lf = _scenario()

    settings.JOBS_RUN_INLINE = True  # a save's refresh counted with the save
    plan = json.loads(plan_path.read_text())
    meter = Meter(args.profile or None)
    client = Client()
    before = os.getloadavg()
    meter.on = False
    for username, account in plan["accounts"].items():
        visit(client, meter, username, account, plan, lf, only)
    meter.on = True
    for _round in range(args.rounds):
        for username, account in plan["accounts"].items():
            visit(client, meter, username, account, plan, lf, only)
    after = os.getloadavg()
    from bench import host_speed

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    print(
        f"CPU per request, {args.rounds} rounds over {len(plan['accounts'])} accounts, unionportal.settings.load, "
        f"cache {cache}; load average before {before[0]:.2f} {before[1]:.2f}, after {after[0]:.2f} {after[1]:.2f};"
        f" {host_speed.line()}"
    )
    print(f"{'':24} {'n':>4} {'py p50':>7} {'py mean':>7} {'pg mean':>7} {'queries p50':>11}")
    for kind in sorted(meter.python):
        spent, queries = meter.python[kind], meter.queries[kind]
        print(
            f"{kind:24} {len(spent):4d} {statistics.median(spent):7.1f} {statistics.fmean(spent):7.1f} "
            f"{meter.database[kind] / len(spent):7.1f} {statistics.median(queries):11.0f}"
        )
    if meter.profiler is not None:
        stats = pstats.Stats(meter.profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("PROFILE_LINES", "45")))


if __name__ == "__main__":
    main()
