"""Benchmark: a 100,000-row members file, validated and committed on PostgreSQL, ours against
django-import-export's tuned bulk import of the same file.

    .venv/bin/python bench/import_members.py                 # 100,000 rows (the recorded figure)
    .venv/bin/python bench/import_members.py --rows 5000     # a quick check
    .venv/bin/python bench/import_members.py --repeat 5 --skip-peer --skip-limit --against /tmp/main   # before/after

Each run gets a fresh PostgreSQL database (DROP/CREATE, migrate, the demo organizations
from load_demo), then the import runs in a fresh Python process so that its peak memory is
its own: wall time from opening the file to the committed transaction, and peak resident
memory of that process (resource.getrusage(RUSAGE_SELF).ru_maxrss, which includes Python
and Django themselves, about 60 MB) and, for ours, of the child process that reads the file
under its memory ceiling (RUSAGE_CHILDREN).

- ours: imports.services.import_file("members", path, user=quangbinh, commit=True), i.e.
  read (python-calamine) + check every row + write with COPY, as the import page does;
- peer: members.resources.MemberResource with use_bulk=True, skip_diff=True,
  batch_size=1000, its file read by tablib (openpyxl), import_data(dry_run=False);
- limit: a bare COPY of the same rows into the same tables, in one transaction with the
  import's settings: the rows (members, periods, roles, trainings and their audit events)
  that the last run of ours wrote, dumped with COPY … TO and read into memory before the
  clock starts, then COPY … FROM STDIN of each table and the commit, through psycopg2 with
  no Django and no formatting; the audit events COPYed as rows (the import's own: one per
  branch and run of ids, unionportal/bulk_trail.py), the triggers paused and,
  as the import does for its new members, no per-row foreign-key checks
  (session_replication_role = replica);
- limit+triggers: the same without the audit events' file and with the triggers on: the
  audit trail written per row by trigger and every foreign key checked per row at the
  commit, as imports did before they recorded their own (the limit of that way of writing).

Each run also reports the CPU time of the importing process (user + system) and of the
reader's child process: on a shared machine the wall time follows the load, the CPU time
much less, and the ratio to the limit measured minutes apart stays comparable.

Needs PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432); creates and drops
the databases unionportal_bench_template (migrated, load_demo: copied for each run), _ours, _limit
and _peer (--database-prefix to change). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --code DIR: the import runs another checkout's code (say main, exported with git archive), for a before/after.
CODE = Path(os.environ.get("BENCH_CODE") or ROOT)
sys.path.insert(0, str(CODE))
PYTHON = sys.executable


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    import django

    django.setup()


def _recreate(server: str, name: str, template: str | None = None) -> str:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    connection.close()
    return f"{server}/{name}"


# The tables an import of new members writes, and whose rows the limit COPYs again.
LIMIT_TABLES = (
    "members_member",
    "members_membershipperiod",
    "members_memberrole",
    "members_training",
    "audit_auditevent",
)


def _last_ids(url: str) -> dict[str, int]:
    import psycopg2

    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        last = {}
        for table in LIMIT_TABLES:
            cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")  # noqa: S608 - constants
            last[table] = cursor.fetchone()[0]
    connection.close()
    return last


def _dump(url: str, since: dict[str, int], folder: Path) -> None:
    """The rows the import wrote (ids above those of the template), as COPY text, one file per table."""
    import psycopg2

    folder.mkdir(parents=True, exist_ok=True)
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        for table in LIMIT_TABLES:
            with open(folder / f"{table}.copy", "w") as out:
                cursor.copy_expert(f"COPY (SELECT * FROM {table} WHERE id > {since[table]} ORDER BY id) TO STDOUT", out)  # noqa: S608
    connection.close()


def _drop(server: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def _child(*args: str, database_url: str, code: Path | None = None) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="unionportal.settings.dev", DEBUG="0")
    if code is not None:  # --against: this run with another checkout's code
        env["BENCH_CODE"] = str(code)
    output = subprocess.run(
        [PYTHON, __file__, *args], env=env, check=True, capture_output=True, text=True, cwd=code or CODE
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- what runs in the child processes ---------------------------------------------------------


def setup_database() -> dict:
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    return {"ok": True}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a PostgreSQL backend so far, when the server runs on this machine (else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_limit(folder: Path, *, triggers: bool) -> dict:
    """A bare COPY of the dumped rows, in one transaction with the import's settings (see the docstring)."""
    import io

    import psycopg2

    tables = [t for t in LIMIT_TABLES if not (triggers and t == "audit_auditevent")]
    data = {table: (folder / f"{table}.copy").read_text() for table in tables}
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    backend = connection.get_backend_pid()
    started, server_cpu = time.perf_counter(), _server_cpu(backend)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if not triggers:
            # The audit events are among the rows COPYed: the triggers must not write them twice. And
            # as the import does for its new rows (unionportal.pgcopy.own_foreign_key_checks), no
            # per-row foreign-key checks: the import checks each branch once, the limit not at all.
            cursor.execute("SELECT set_config('unionportal.audit', 'off', true)")
            cursor.execute("SET LOCAL session_replication_role = replica")
        each = {}
        for table in tables:
            at = time.perf_counter()
            cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(data[table]), 1 << 16)
            each[table] = round(time.perf_counter() - at, 3)
    at = time.perf_counter()
    connection.commit()
    each["commit"] = round(time.perf_counter() - at, 3)
    seconds = time.perf_counter() - started
    server_cpu = _server_cpu(backend) - server_cpu
    connection.close()
    return {
        "seconds": seconds,
        "server_cpu": server_cpu,
        "rows": {table: text.count("\n") for table, text in data.items()},
        "tables": each,  # seconds of each COPY, and of the commit
    }


def run_ours(path: Path) -> dict:
    from django.contrib.auth import get_user_model

    from imports.services import import_file
    from members.models import Member, MembershipPeriod

    user = get_user_model().objects.get(username="quangbinh")
    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter() - started)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    started, cpu, server_cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _server_cpu(backend)
    outcome = import_file("members", path, user=user, commit=True, progress=progress)
    seconds = time.perf_counter() - started
    assert outcome.committed, [e.describe() for e in outcome.errors[:5]]
    return {
        "seconds": seconds,
        "cpu": _cpu(resource.RUSAGE_SELF) - cpu,
        "server_cpu": _server_cpu(backend) - server_cpu,
        "reader_cpu": _cpu(resource.RUSAGE_CHILDREN),
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
    parser.add_argument("--child", choices=["setup", "ours", "peer", "limit", "limit+triggers"], help=argparse.SUPPRESS)
    parser.add_argument("--skip-peer", action="store_true", help="Time ours (and the limit) only.")
    parser.add_argument("--code", type=Path, help="Run ours with the code of this checkout (a before/after).")
    parser.add_argument("--skip-limit", action="store_true", help="Do not time the bare COPY.")
    parser.add_argument(
        "--against",
        type=Path,
        help="A before/after on a host that will not hold still: each run of ours followed by one with this "
        "checkout's code (say main, exported with git archive), and the medians of each phase of both.",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="Time ours and the limit this many times (a fresh database each time)."
    )
    parser.add_argument(
        "--database-prefix",
        default="unionportal_bench",
        help="The databases' names start with this (one of your own on a shared server).",
    )
    args = parser.parse_args()

    if args.code:
        os.environ["BENCH_CODE"] = str(args.code.resolve())
    if args.child in ("limit", "limit+triggers"):
        print(json.dumps(run_limit(args.file, triggers=args.child == "limit+triggers")))
        return
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
    print(f"load average before: {_load()}", flush=True)
    template = f"{args.database_prefix}_template"
    _child("--child", "setup", database_url=_recreate(args.server, template))
    since = _last_ids(f"{args.server}/{template}")
    dumps = ROOT / "var" / "bench" / "limit"
    results: dict[str, list[dict]] = {}
    limits = [] if args.skip_limit else ["limit", "limit+triggers"]
    against = ["against"] if args.against else []
    runs = ["ours", *limits, *against] * args.repeat + ([] if args.skip_peer else ["peer"])
    for run in runs:
        name = f"{args.database_prefix}_{'limit' if run.startswith('limit') else run}"
        url = _recreate(args.server, name, template)
        load = _load()
        if run.startswith("limit"):
            result = _child("--child", run, "--file", str(dumps), database_url=url)
        elif run == "against":
            result = _child("--child", "ours", "--file", str(path), database_url=url, code=args.against.resolve())
        else:
            result = _child("--child", run, "--file", str(path), database_url=url)
            if run == "ours" and limits:
                _dump(url, since, dumps)
        _drop(args.server, name)
        results.setdefault(run, []).append(result)
        print(f"{run:14} {result['seconds']:7.2f} s  " + _details(result) + f"load {load} → {_load()}", flush=True)
    _drop(args.server, template)
    print(
        f"file: {path} ({path.stat().st_size / 1024 / 1024:.1f} MB), machine: {platform.platform()}, {os.cpu_count()} CPUs"
    )
    median = {run: statistics.median(r["seconds"] for r in rs) for run, rs in results.items()}
    print("median: " + ", ".join(f"{run} {seconds:.2f} s" for run, seconds in median.items()))
    for run, rs in results.items():
        cpu = [f"{key} {statistics.median(r[key] for r in rs):.2f} s" for key in ("cpu", "server_cpu") if key in rs[0]]
        if cpu:
            print(f"median CPU of {run}: " + ", ".join(cpu))
    if "limit" in median:
        print(f"ours / limit (medians): {median['ours'] / median['limit']:.2f}")
    if "peer" in median:
        print(f"ratio peer / ours (median of ours): {median['peer'] / median['ours']:.1f}x")
    if "against" in results:
        _compare(results["ours"], results["against"])


# The stretches of an import between the phases it reports (each a key of run_ours's "phases").
STRETCHES = (
    ("reading", "reading", "validating"),
    ("parse", "validating", "checking"),
    ("checks", "checking", "checked"),
    ("write", "committing", "committed"),
)


def _compare(ours: list[dict], against: list[dict]) -> None:
    """Run by run, ours against the other checkout's next run: how often lower, and the median of each stretch."""
    lower = sum(o["seconds"] < a["seconds"] for o, a in zip(ours, against, strict=True))
    print(f"ours lower than --against in {lower} of {len(ours)} pairs")
    for name, start, end in STRETCHES:
        spans = [
            [r["phases"][end] - r["phases"][start] for r in rs if {start, end} <= r["phases"].keys()]
            for rs in (ours, against)
        ]
        if all(spans):
            print(
                f"  {name:8} ours median {statistics.median(spans[0]):.2f} s, --against {statistics.median(spans[1]):.2f} s"
            )


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def _details(result: dict) -> str:
    server = f"server CPU {result['server_cpu']:5.2f} s  " if "server_cpu" in result else ""
    if "rows" in result:
        tables = " ".join(f"{t.split('_')[-1]} {s:.2f}" for t, s in result.get("tables", {}).items())
        return f"{server}rows {sum(result['rows'].values()):,}  " + (f"({tables})  " if tables else "")
    return (
        (f"CPU {result['cpu']:5.2f} s  reader CPU {result['reader_cpu']:4.2f} s  {server}" if "cpu" in result else "")
        + f"peak RSS {result['peak_mb']:4.0f} MB  "
        + (f"reader {result['reader_peak_mb']:4.0f} MB  " if "reader_peak_mb" in result else "")
        + f"members {result['members']:,}  periods {result['periods']:,}  "
        + (f"{result['phases']}  " if "phases" in result else "")
    )


if __name__ == "__main__":
    main()
