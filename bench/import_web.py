"""Benchmark: a members file imported through the pages, from "Xác nhận" to the dashboard showing the new figures
(issue 17, point 0: ≤ 6 s for 100,000 members into one district).

    .venv/bin/python bench/import_web.py --template up_web_base --file var/bench/members-100000.xlsx --repeat 2

Each run copies the template (a migrated database with the demo: `--template`, made once with
`migrate` and `load_demo` and analyzed when it does not exist) into `--database`, then a fresh
process (unionportal.settings.dev, jobs in the web process's background threads, as `make run`
serves them) signs in as `--user` with Django's test client and does what the user does:

1. asks for the district's dashboard (`--dashboard`, the program's current year by default) and
   reads its "Tổng số đoàn viên" (indicator DV);
2. uploads the file on the import page and waits for the check (the job's status, as the page's
   poll reads it): **checked**, from the upload to "Sẵn sàng nhập";
3. presses "Xác nhận" (the confirm POST), then waits for the job to say "Đã nhập" (**written**) and
   asks for the dashboard every `--poll` seconds until its DV figure is the one before plus the
   members the job created (**shown**: what the budget is about, the refresh after the commit
   included). A figure that does not arrive within `--timeout` seconds is a failure.

Prints each run's times and the process's peak resident memory, with the load average and the
host's speed (bench/host_speed.py) before and after. The dashboard's requests are themselves work on this 2-core machine: `--poll` (0.5 s)
bounds their share; the figure is late by at most one poll. Needs PostgreSQL at 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import host_speed  # noqa: E402 - after the path is set
from bench.import_refresh import SERVER, _admin, _env  # noqa: E402

PYTHON = sys.executable
DV = re.compile(r'data-indicator="DV">.*?<td class="num fw-semibold">([^<]*)</td>', re.S)


def _exists(database: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def _make_template(database: str) -> None:
    _admin(f'CREATE DATABASE "{database}"')
    for command in (["migrate", "-v", "0"], ["load_demo"]):
        subprocess.run([PYTHON, "manage.py", *command], env=_env(database), check=True, capture_output=True, cwd=ROOT)
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/{database}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


# --- in the child ---------------------------------------------------------------------------------


def _figure(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = DV.search(response.content.decode())
    assert found, f"no DV figure on {url}"
    return int(found.group(1).strip().replace(".", "").replace(",", "") or 0)


def _wait(condition, timeout: float, every: float) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(every)
    return time.perf_counter()


def child(args) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from imports.models import ImportJob, ImportStatus

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    chain = client.get(args.dashboard, follow=True).redirect_chain
    url = chain[-1][0] if chain else args.dashboard
    before = _figure(client, url)

    def status(pk: int) -> str:
        return ImportJob.objects.values_list("status", flat=True).get(pk=pk)

    started = time.perf_counter()
    with open(args.file, "rb") as upload:
        response = client.post("/imports/members/upload/", {"file": upload})
    assert response.status_code == 302, response.status_code
    job = int(re.search(r"/imports/jobs/(\d+)/", response["Location"]).group(1))
    checked = _wait(lambda: status(job) not in ("pending", "validating"), args.timeout, 0.05)
    assert status(job) == ImportStatus.VALID, status(job)

    confirmed = time.perf_counter()
    assert client.post(f"/imports/jobs/{job}/confirm/").status_code == 302
    written = _wait(lambda: status(job) != ImportStatus.COMMITTING, args.timeout, 0.05)
    assert status(job) == ImportStatus.DONE, status(job)
    created = ImportJob.objects.get(pk=job).created_count
    polls = 0

    def shown() -> bool:
        nonlocal polls
        polls += 1
        return _figure(client, url) == before + created

    try:
        shown_at = _wait(shown, args.timeout, args.poll)
    except TimeoutError:
        shown_at = None
    return {
        "dashboard": url,
        "before": before,
        "created": created,
        "after": _figure(client, url),
        "checked": checked - started,
        "written": written - confirmed,
        "shown": None if shown_at is None else shown_at - confirmed,
        "polls": polls,
        # The web process's peak: the dashboard, both jobs and the refresh (threads of this one process).
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- the orchestrator -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--template", default="up_web_base")
    parser.add_argument("--database", default="up_web")
    parser.add_argument("--file", type=Path, default=ROOT / "var" / "bench" / "members-100000.xlsx")
    parser.add_argument("--user", default="quangbinh")
    parser.add_argument(
        "--dashboard",
        default="/reports/TQ-KV1/TLD-THONGKE/",
        help="the district that holds the file's base unions now (the demo's HG-QB was merged into TQ-KV1 in 2025), followed to the current year",
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--poll", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--budget", type=float, default=6.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.file = args.file.resolve()
    if args.child:
        print(json.dumps(child(args)))
        return
    if not _exists(args.template):
        print(f"making the template {args.template} (migrate, load_demo, VACUUM ANALYZE)", flush=True)
        _make_template(args.template)
    print(f"host speed: reference {host_speed.reference_ms():.1f} ms", flush=True)
    failed = False
    for number in range(args.repeat):
        _admin(f'DROP DATABASE IF EXISTS "{args.database}"')
        _admin(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        load = os.getloadavg()
        output = subprocess.run(
            [PYTHON, __file__, "--child", *sys.argv[1:]],
            env=_env(args.database),
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        shown = result["shown"]
        verdict = "FAIL (never shown)" if shown is None else ("ok" if shown <= args.budget else "FAIL")
        failed |= verdict != "ok"
        print(
            f"run {number + 1}: {result['created']:,} members; checked {result['checked']:.2f} s after the upload; "
            f"from Xác nhận: written {result['written']:.2f} s, shown on {result['dashboard']} "
            f"{'never' if shown is None else f'{shown:.2f} s'} (DV {result['before']:,} → {result['after']:,}, "
            f"{result['polls']} polls) [{verdict}, budget {args.budget} s] | peak RSS {result['peak_mb']:.0f} MB | load {load[0]:.2f} -> "
            f"{os.getloadavg()[0]:.2f}",
            flush=True,
        )
    _admin(f'DROP DATABASE IF EXISTS "{args.database}"')
    print(f"host speed: reference {host_speed.reference_ms():.1f} ms", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
