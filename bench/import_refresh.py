"""Benchmark: a members file imported as a user lives it — the whole `import_data` command, start-up and
the figures' refresh that follows included — and the refresh of a province after one district's file.

    # the demo (load_demo) with a first 100,000-member file imported into Quang Bình, as a template:
    .venv/bin/python bench/import_refresh.py command --template up_perf17_base --database up_perf17 \\
        --file var/bench/members-100000-b.xlsx --user quangbinh --repeat 3 [--peer] [--code DIR]
    # the synthetic dataset (manage.py build_synthetic --scale 0.1) in DATABASE:
    .venv/bin/python bench/import_refresh.py province --database up_perf17_synth --repeat 3 [--code DIR]
    .venv/bin/python bench/import_refresh.py admitted --database up_full --rows 10000 --repeat 3

`command`: each run copies the template into DATABASE (CREATE DATABASE … TEMPLATE), then times
`manage.py import_data members FILE --user USER` in a fresh process, from its start to its end
(the refresh is done before the command ends: import_data runs its follow-up jobs inline). The
refresh's own time and queries are printed by a child that runs the same command in-process
(`--child command`), with JOBS_RUN_INLINE on so that a tree whose command leaves the refresh to
a daemon thread (main before issue 17) is timed with it. `--peer`: django-import-export's tuned
bulk path (bench/import_members.py run_peer) on a fresh copy of the same template, in the same run.

`province`: the job that follows a district's file (reports.rollups.refresh_registry, the members'
measures) for the first province with a district of base unions: with the bodies the file wrote
(every base union of that district) and, as before issue 17, with the province (the officer's subtree).

`admitted`: on the synthetic dataset, a file of `--rows` new members for the first district's base unions
(made with make_members_file.py) imported in-process as a superuser, in a transaction rolled back at the end:
the import's time, the time of `reports.rollups.count_admitted` (the figures of the district, its province
and the country moved in the import's transaction), and — its peer, in the same transaction, once the import
has written — the refresh it replaces (`refresh_registry` of the branches written), and the province's.

`--code DIR`: run another checkout's code (e.g. `git archive main`) against the same databases.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"


def _admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def _env(database: str) -> dict:
    return dict(
        os.environ, DATABASE_URL=f"{SERVER}/{database}", DJANGO_SETTINGS_MODULE="unionportal.settings.dev", DEBUG="0"
    )


def _child(args: list[str], *, database: str, code: Path) -> dict:
    output = subprocess.run(
        [PYTHON, __file__, *args, "--code", str(code)],
        env=_env(database),
        check=True,
        capture_output=True,
        text=True,
        cwd=code,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- in the child ---------------------------------------------------------------------------------


def _setup(code: Path) -> None:
    sys.path.insert(0, str(code))
    import django

    django.setup()


def _counted(function):
    """Wrap the refresh job: its seconds and its queries, for the child's report."""
    from django.db import connection

    stats = {"refresh_seconds": 0.0, "refresh_queries": 0}

    def counter(execute, sql, params, many, context):
        stats["refresh_queries"] += 1
        return execute(sql, params, many, context)

    def wrapped(*args):
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            function(*args)
        stats["refresh_seconds"] += time.perf_counter() - started

    return wrapped, stats


def child_command(file: Path, user: str) -> dict:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from reports import rollups

    rollups.refresh_registry, stats = _counted(rollups.refresh_registry)
    started = time.perf_counter()
    with override_settings(JOBS_RUN_INLINE=True):
        call_command("import_data", "members", str(file), "--user", user)
    return {"in_process_seconds": time.perf_counter() - started, **stats}


def child_province() -> dict:
    from members.models import Member
    from organizations.models import Level, Organization
    from reports import rollups

    base = Level.objects.get(code=Level.BASE)
    # The district of the first base union under a province (national > province > district > base).
    first = Organization.objects.filter(level=base, depth__gte=4).order_by("path").first()
    district = Organization.objects.get(path=first.path[: -Organization.steplen])
    province = Organization.objects.get(path=district.path[: 2 * Organization.steplen])
    branches = list(
        Organization.objects.filter(path__startswith=district.path, level=base).values_list("pk", flat=True)
    )
    members = Member.objects.filter(branch__path__startswith=district.path).count()
    result = {"province": province.code, "district": district.code, "branches": len(branches), "members": members}
    for name, ids in (("touched", branches), ("whole", [province.pk])):
        job, stats = _counted(rollups.refresh_registry)
        job(ids, ["members"])
        result[name] = stats
    return result


def _first_district():
    from organizations.models import Level, Organization

    base = Level.objects.get(code=Level.BASE)
    first = Organization.objects.filter(level=base, depth__gte=4).order_by("path").first()
    district = Organization.objects.get(path=first.path[: -Organization.steplen])
    province = Organization.objects.get(path=district.path[: 2 * Organization.steplen])
    branches = Organization.objects.filter(path__startswith=district.path, level=base, status="active")
    return district, province, branches


def child_codes() -> dict:
    district, _province, branches = _first_district()
    return {"district": district.code, "codes": list(branches.values_list("code", flat=True))}


def child_admitted(file: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from imports.services import import_file
    from members.hooks import members_admitted
    from members.models import Member
    from reports import rollups

    district, province, branches = _first_district()
    timed = {"count_admitted_seconds": 0.0, "counted": None}

    def count_admitted(**payload):
        started = time.perf_counter()
        timed["counted"] = rollups.count_admitted(**payload)
        timed["count_admitted_seconds"] += time.perf_counter() - started
        return timed["counted"]

    members_admitted.unregister(rollups.count_admitted)
    members_admitted.register(count_admitted)
    result = {"district": district.code, "province": province.code, "branches": branches.count()}
    with transaction.atomic():
        user = get_user_model().objects.create_superuser("bench-admitted", password=None)
        result["members_before"] = Member.objects.filter(branch__path__startswith=district.path).count()
        started = time.perf_counter()
        outcome = import_file("members", file, user=user, commit=True)
        result["import_seconds"] = time.perf_counter() - started
        result["created"] = outcome.counts.created if outcome.committed else 0
        result["errors"] = len(outcome.errors)
        result.update(timed)
        ids = list(branches.values_list("pk", flat=True))
        for name, within in (("refresh_written", ids), ("refresh_province", [province.pk])):
            job, stats = _counted(rollups.refresh_registry)
            job(within, ["members"])
            result[name] = stats
        transaction.set_rollback(True)
    return result


# --- the orchestrator -----------------------------------------------------------------------------


def run_command(args) -> None:
    for number in range(args.repeat):
        _admin(f'DROP DATABASE IF EXISTS "{args.database}"')
        _admin(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        load = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "manage.py", "import_data", "members", str(args.file), "--user", args.user],
            env=_env(args.database),
            check=True,
            capture_output=True,
            cwd=args.code,
        )
        wall = time.perf_counter() - started
        _admin(f'DROP DATABASE IF EXISTS "{args.database}"')
        _admin(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        started = time.perf_counter()
        inner = _child(
            ["--child", "command", "--file", str(args.file), "--user", args.user],
            database=args.database,
            code=args.code,
        )
        inline_wall = time.perf_counter() - started
        print(
            f"run {number + 1}: import_data {wall:6.2f} s | in a child with the refresh inline {inline_wall:6.2f} s "
            f"(refresh {inner['refresh_seconds']:5.2f} s, {inner['refresh_queries']} queries) | "
            f"load {load:.2f} -> {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    if args.peer:
        _admin(f'DROP DATABASE IF EXISTS "{args.database}"')
        _admin(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        load = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "import_members.py"), "--child", "peer", "--file", str(args.file)],
            env=_env(args.database),
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        print(
            f"peer (django-import-export, tuned bulk, no refresh): {time.perf_counter() - started:6.2f} s "
            f"load {load:.2f} -> {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    _admin(f'DROP DATABASE IF EXISTS "{args.database}"')


def run_province(args) -> None:
    for number in range(args.repeat):
        load = os.getloadavg()[0]
        result = _child(["--child", "province"], database=args.database, code=args.code)
        touched, province = result["touched"], result["whole"]
        print(
            f"run {number + 1}: {result['province']} after {result['district']} ({result['branches']} base unions, "
            f"{result['members']:,} members): the bodies written {touched['refresh_seconds']:5.2f} s "
            f"({touched['refresh_queries']} queries); the whole province {province['refresh_seconds']:5.2f} s "
            f"({province['refresh_queries']} queries) | load {load:.2f} -> {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def run_admitted(args) -> None:
    found = _child(["--child", "codes"], database=args.database, code=args.code)
    path = ROOT / "var" / "bench" / f"district-{found['district']}-{args.rows}.xlsx"
    if not path.exists():
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "make_members_file.py"), "--rows", str(args.rows), "--prefix", "TDZ"]
            + ["--branches", ",".join(found["codes"]), "--output", str(path)],
            env=_env(args.database),
            check=True,
            cwd=ROOT,
        )
    for number in range(args.repeat):
        load = os.getloadavg()[0]
        r = _child(["--child", "admitted", "--file", str(path)], database=args.database, code=args.code)
        written, province = r["refresh_written"], r["refresh_province"]
        print(
            f"run {number + 1}: {r['created']:,} new members ({r['errors']} errors) into {r['district']} "
            f"({r['branches']} base unions, {r['members_before']:,} members before): import {r['import_seconds']:5.2f} s, "
            f"of which counted into {r['province']}'s rollups {r['count_admitted_seconds']:5.3f} s "
            f"(done: {r['counted']}) | instead, the refresh of the bodies written {written['refresh_seconds']:5.2f} s "
            f"({written['refresh_queries']} queries), of the province {province['refresh_seconds']:5.2f} s "
            f"({province['refresh_queries']} queries) | load {load:.2f} -> {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=["command", "province", "admitted"])
    parser.add_argument("--child", choices=["command", "province", "codes", "admitted"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000, help="admitted: the new members of the district's file")
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--template", default="up_perf17_base")
    parser.add_argument("--database", default="up_perf17")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--user", default="quangbinh")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--peer", action="store_true")
    args = parser.parse_args()
    args.code = args.code.resolve()
    if args.file is not None:
        args.file = args.file.resolve()
    if args.child:
        _setup(args.code)
        children = {
            "command": lambda: child_command(args.file, args.user),
            "province": child_province,
            "codes": child_codes,
            "admitted": lambda: child_admitted(args.file),
        }
        print(json.dumps(children[args.child]()))
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; code: {args.code}", flush=True)
    {"command": run_command, "province": run_province, "admitted": run_admitted}[args.what](args)


if __name__ == "__main__":
    main()
