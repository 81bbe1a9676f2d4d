"""Benchmark: a 100,000-row members file, validated and committed on PostgreSQL, ours against
django-import-export's tuned bulk import of the same file.

    .venv/bin/python bench/import_members.py                 # 100,000 rows (the recorded figure)
    .venv/bin/python bench/import_members.py --rows 5000     # a quick check

Each run gets a fresh PostgreSQL database (DROP/CREATE, migrate, the demo organizations
from load_demo), then the import runs in a fresh Python process so that its peak memory is
its own: wall time from opening the file to the committed transaction, and peak resident
memory of that process (resource.getrusage(RUSAGE_SELF).ru_maxrss, which includes Python
and Django themselves, about 60 MB) and, for ours, of the child process that reads the file
under its memory ceiling (RUSAGE_CHILDREN).

- ours: imports.services.import_file("members", path, user=quangbinh, commit=True), i.e.
  read (python-calamine) + check every row + write with COPY, as the import page does;
- peer: members.resources.MemberResource with use_bulk=True, skip_diff=True,
  batch_size=1000, its file read by tablib (openpyxl), import_data(dry_run=False).

Needs PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432); creates and drops
the databases unionportal_bench_ours and unionportal_bench_peer (--database-prefix to change). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    import django

    django.setup()


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


def _child(*args: str, database_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="unionportal.settings.dev", DEBUG="0")
    output = subprocess.run(
        [PYTHON, __file__, *args], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- what runs in the child processes ---------------------------------------------------------


def setup_database() -> dict:
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    return {"ok": True}


def run_ours(path: Path) -> dict:
    from django.contrib.auth import get_user_model

    from imports.services import import_file
    from members.models import Member, MembershipPeriod

    user = get_user_model().objects.get(username="quangbinh")
    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter() - started)

    started = time.perf_counter()
    outcome = import_file("members", path, user=user, commit=True, progress=progress)
    seconds = time.perf_counter() - started
    assert outcome.committed, [e.describe() for e in outcome.errors[:5]]
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The file is read in a child process under a memory ceiling (unionportal/spreadsheets/sandbox.py).
        "reader_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "created": outcome.counts.created,
        "members": Member.objects.count(),
        "periods": MembershipPeriod.objects.count(),
        # When each phase began, in seconds from the start ("committed": the writes are done,
        # the rest is the foreign-key checks and the commit itself).
        "phases": {phase: round(at, 2) for phase, at in phases.items()},
    }


def run_peer(path: Path) -> dict:
    import tablib

    from members.models import Member, MembershipPeriod
    from members.resources import MemberResource

    class TunedMemberResource(MemberResource):
        class Meta(MemberResource.Meta):
            use_bulk = True
            skip_diff = True
            batch_size = 1000

    started = time.perf_counter()
    with open(path, "rb") as stream:
        dataset = tablib.Dataset().load(stream, format="xlsx")
    result = TunedMemberResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "created": result.totals.get("new", 0),
        "members": Member.objects.count(),
        "periods": MembershipPeriod.objects.count(),
    }


# --- the orchestrator -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--file", type=Path, help="An existing members file (default: made with make_members_file.py).")
    parser.add_argument("--child", choices=["setup", "ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--skip-peer", action="store_true", help="Time ours only.")
    parser.add_argument("--repeat", type=int, default=1, help="Time ours this many times (a fresh database each time).")
    parser.add_argument(
        "--database-prefix",
        default="unionportal_bench",
        help="The databases' names start with this (one of your own on a shared server).",
    )
    args = parser.parse_args()

    if args.child:
        _django(os.environ["DATABASE_URL"])
        result = (
            setup_database() if args.child == "setup" else (run_ours if args.child == "ours" else run_peer)(args.file)
        )
        print(json.dumps(result))
        return

    path = args.file or ROOT / "var" / "bench" / f"members-{args.rows}.xlsx"
    if not path.exists():
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "make_members_file.py"), "--rows", str(args.rows), "--output", str(path)],
            check=True,
            cwd=ROOT,
        )
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    results: dict[str, dict] = {}
    runs = ["ours"] * args.repeat + ([] if args.skip_peer else ["peer"])
    for run in runs:
        name = f"{args.database_prefix}_{run}"
        url = _recreate(args.server, name)
        _child("--child", "setup", database_url=url)
        result = _child("--child", run, "--file", str(path), database_url=url)
        _drop(args.server, name)
        if run not in results or result["seconds"] < results[run]["seconds"]:
            results[run] = result
        print(
            f"{run:5}  {result['seconds']:8.2f} s  peak RSS {result['peak_mb']:6.0f} MB  "
            + (f"reader {result['reader_peak_mb']:4.0f} MB  " if "reader_peak_mb" in result else "")
            + f"members {result['members']:,}  periods {result['periods']:,}  load {os.getloadavg()[0]:.2f}  "
            f"{result.get('phases', '')}",
            flush=True,
        )
    print(
        f"file: {path} ({path.stat().st_size / 1024 / 1024:.1f} MB), machine: {platform.platform()}, {os.cpu_count()} CPUs"
    )
    if "peer" in results:
        print(f"ratio peer / ours (best of ours): {results['peer']['seconds'] / results['ours']['seconds']:.1f}x")


if __name__ == "__main__":
    main()
