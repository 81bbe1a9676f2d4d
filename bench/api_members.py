"""Benchmark: 100,000 members upserted through POST /api/v1/members/bulk/ on PostgreSQL, end to end,
and pages of 1,000 members read through GET /api/v1/members/.

    .venv/bin/python bench/api_members.py                  # 100,000 rows (the recorded figure)
    .venv/bin/python bench/api_members.py --rows 5000      # a quick check

A fresh PostgreSQL database (--database, default up_api15_bench: DROP/CREATE, migrate, the demo
from load_demo), a token for `quangbinh` (upper-level staff of HG-QB), then gunicorn (one worker,
settings unionportal.settings.load: production's) on 127.0.0.1:--port, never 8000.

- bulk: the rows of bench/make_members_file.py (the Excel benchmark's, same seed) as JSON objects,
  dates dd/mm/yyyy as in the file. The body is encoded before the clock starts; the time is from
  sending it to the answer: upload, JSON parsing, every check of the importer, the COPYs and the
  commit, measured together. Then the same body again (nothing changes: idempotent).
- page: --pages requests of ?page_size=1000 following the cursor (and starting over), as the
  token's client sees them; p50 / p95 / max.

Not part of `make test`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the project: bench/reports.py must not hide the reports app
PYTHON = sys.executable


def _recreate(server: str, name: str) -> str:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{server}/{name}"


def _drop(server: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def setup(database_url: str) -> str:
    """Migrate, load the demo, make a token; print it (a child process with its own Django)."""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="unionportal.settings.dev", DEBUG="0")
    code = (
        "import django, io, datetime; django.setup();"
        "from django.core.management import call_command; from django.utils import timezone;"
        "call_command('migrate', verbosity=0); call_command('load_demo', stdout=io.StringIO());"
        "from django.contrib.auth import get_user_model; from api.services import api_token_create;"
        "u = get_user_model().objects.get(username='quangbinh');"
        "print(api_token_create(user=u, name='bench', expires_at=timezone.now() + datetime.timedelta(days=1),"
        " by=u, verified=True)[1])"
    )
    output = subprocess.run([PYTHON, "-c", code], env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return output.stdout.strip().splitlines()[-1]


def rows(count: int) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    import django

    django.setup()
    from make_members_file import demo_branch_codes, member_rows

    from api.bulk import KEYS

    def cell(value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return "" if value is None else value

    return [dict(zip(KEYS, map(cell, values), strict=True)) for values in member_rows(count, demo_branch_codes())]


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="unionportal.settings.load",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        API_RATE="100000/minute",
    )
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "unionportal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "600"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    import requests

    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz/", timeout=30)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    import requests

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="up_api15_bench")
    parser.add_argument("--port", type=int, default=18415)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--no-analyze", action="store_true", help="Read the pages without ANALYZE after the load.")
    args = parser.parse_args()

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    url = _recreate(args.server, args.database)
    token = setup(url)
    body = json.dumps({"rows": rows(args.rows)}, ensure_ascii=False).encode()
    print(f"body: {args.rows:,} rows, {len(body) / 1024 / 1024:.1f} MB", flush=True)
    server = serve(url, args.port)
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    base = f"http://127.0.0.1:{args.port}/api/v1"
    try:
        for attempt in ("first (creates)", "again (unchanged)"):
            started = time.perf_counter()
            response = session.post(f"{base}/members/bulk/", data=body, timeout=900)
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.text[:2000]
            print(f"bulk {attempt:18} {seconds:7.2f} s  {response.json()}  load {os.getloadavg()[0]:.2f}", flush=True)
        if not args.no_analyze:
            # What autovacuum does shortly after a 100,000-row load; without statistics on the fresh
            # database, PostgreSQL sorts every member of the district for each page (see BENCHMARKS.md).
            import psycopg2

            connection = psycopg2.connect(url)
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            connection.close()
        times, next_url = [], f"{base}/members/?page_size=1000"
        session.get(next_url, timeout=60)  # the worker's first page (imports, connections) is not timed
        for _ in range(args.pages):
            started = time.perf_counter()
            response = session.get(next_url, timeout=60)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and len(response.json()["results"]) == 1000, response.text[:500]
            next_url = response.json()["next"] or f"{base}/members/?page_size=1000"
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(
            f"page of 1,000: p50 {statistics.median(times):.0f} ms  p95 {p95:.0f} ms  max {times[-1]:.0f} ms "
            f"({len(times)} pages)  load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            _drop(args.server, args.database)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs; load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
