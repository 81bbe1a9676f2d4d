"""Benchmark: the home page's to-do list ("Việc cần làm") at a provincial officer, against issue 14's budget.

    .venv/bin/python manage.py build_synthetic --scale 0.1          # once, in an empty database
    .venv/bin/python bench/todo.py --database postgres://postgres@127.0.0.1:5432/up_todo14_bench

Runs against a database built by `build_synthetic` (any scale: the province is picked from the
database, the one with the most upper-level unions). Its figures are of 2020–2024, so the clock
is set (time-machine) to 20/01/2025: the year 2024 was due on 15/01/2025, and every one of the
province's base unions has figures in it, so the list counts them all ("87/87 CĐCS đã nhập") and
every district of the province is late or has sent. To give each kind of item its rows, the
script adds, and removes at the end: half of the province's districts' reports of 2024 sent
(waiting for a decision), a reminder of today for one late district, three import jobs and two
report files of the officer. Settings: unionportal.settings.dev with DEBUG off and
DB_CONN_MAX_AGE=60, as docs/deploy.md runs production.

What is measured, `--repeat` times after `--warm` untimed runs (p50, p95, max; the budget is
on the p95 of the list itself):

- to-do list: `notifications.todo.selectors.todo_for(officer)` with a user object loaded afresh
  each time (its scope is read again, as in a new request), the queries it reads counted;
- home page: GET / through Django's test Client in this process (middleware, the home view with
  its organization cards and the to-do, the template, the session), the server's time;
- home page without the list (the peer, same run): the same GET with the hook's receiver
  unregistered and the count left out of the navigation bar — what the page cost before.

The load average (1 minute) is read before and after each measurement: the machine is shared
with other helpers' work, and a figure taken under load says so.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/up_todo14_bench"
CLOCK = datetime.datetime(2025, 1, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
BUDGET_MS = 200


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    import django

    django.setup()


def _percentile(times: list[float], which: str) -> float:
    ordered = sorted(times)
    if which == "p50":
        return statistics.median(ordered)
    if which == "max":
        return ordered[-1]
    return ordered[max(1, -(-95 * len(ordered) // 100)) - 1]  # nearest rank: the 19th of 20


def _timed(function, *, repeat: int, warm: int) -> tuple[list[float], tuple[float, float], float]:
    """Wall times of `repeat` runs, the load average before and after, the median CPU time of this process."""
    for _ in range(warm):
        function()
    before = os.getloadavg()[0]
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return times, (before, os.getloadavg()[0]), statistics.median(cpu)


def _province():
    from organizations.models import Level, Organization

    upper = Organization.objects.filter(level__code=Level.UPPER)
    return max(
        Organization.objects.select_related("level").filter(level__code=Level.PROVINCIAL).order_by("code"),
        key=lambda p: upper.filter(path__startswith=p.path).count(),
    )


def _stage(province, officer) -> list:
    """The rows that give every kind of item something to show; returned to be removed afterwards."""
    from imports.models import ImportJob
    from indicators.models import ReportingPeriod, Submission
    from notifications.models import Reminder
    from organizations.models import Level, Organization
    from programs.models import Program
    from reports.models import ReportFile

    period = ReportingPeriod.objects.get(code="2024")
    districts = list(
        Organization.objects.filter(path__startswith=province.path, depth=province.depth + 1)
        .exclude(level__code=Level.BASE)
        .order_by("code")
    )
    sent = [
        Submission.objects.create(organization=d, period=period, status="submitted", submitted_at=CLOCK)
        for d in districts[::2]
    ]
    made = [*sent]
    if len(districts) > 1:
        made.append(Reminder.objects.create(organization=districts[1], period=period, day=CLOCK.date(), by=officer))
    for status in ("done", "failed", "invalid"):
        made.append(
            ImportJob.objects.create(
                user=officer,
                kind="members",
                original_name=f"bench-{status}.xlsx",
                file="imports/bench.xlsx",
                status=status,
            )
        )
    program = Program.objects.order_by("pk").first()
    for status in ("done", "failed"):
        made.append(
            ReportFile.objects.create(
                organization=province, program=program, period=period, format="pdf", status=status, requested_by=officer
            )
        )
    return made


def _district_staff(users):
    """Upper-level staff of the district with the most base unions: its list counts them all ("87/87 CĐCS")."""
    from organizations.models import Assignment, Level, Organization, Role

    base = Organization.objects.filter(level__code=Level.BASE)
    district = max(
        Organization.objects.filter(level__code=Level.UPPER).order_by("code"),
        key=lambda d: base.filter(path__startswith=d.path, depth=d.depth + 1).count(),
    )
    staff, _ = users.get_or_create(username="bench-todo-district")
    staff.assignments.exclude(organization=district).delete()
    Assignment.objects.get_or_create(user=staff, organization=district, role=Role.UPPER_STAFF)
    count = base.filter(path__startswith=district.path, depth=district.depth + 1).count()
    return staff, f"{district.code}, {count} CĐCS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3)
    args = parser.parse_args()
    _django(args.database)

    import time_machine
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from notifications.todo import panels
    from notifications.todo.selectors import todo_for
    from organizations import hooks
    from organizations.models import Assignment, Level, Organization, Role

    province = _province()
    users = get_user_model().objects
    officer, _ = users.get_or_create(username="bench-todo-provincial")
    officer.assignments.exclude(organization=province).delete()
    Assignment.objects.get_or_create(user=officer, organization=province, role=Role.PROVINCIAL_OFFICER)
    branches = Organization.objects.within(province).base().active().count()
    districts = Organization.objects.filter(path__startswith=province.path, level__code=Level.UPPER).count()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}  {os.cpu_count()} CPUs  load {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    print(
        f"province {province.code}: {districts} upper-level unions, {branches} base unions; clock {CLOCK:%d/%m/%Y %H:%M}"
    )
    made = _stage(province, officer)
    try:
        with time_machine.travel(CLOCK, tick=True):
            with CaptureQueriesContext(connection) as queries:
                todo = todo_for(users.get(pk=officer.pk))
            print(
                f"to-do: {todo.count} items ({', '.join(sorted({i.kind for i in todo.items}))}), {len(queries)} queries"
            )
            rows = [
                (
                    "to-do list (todo_for)",
                    _timed(lambda: todo_for(users.get(pk=officer.pk)), repeat=args.repeat, warm=args.warm),
                )
            ]
            staff, district = _district_staff(users)
            rows.append(
                (
                    f"district's list ({district})",
                    _timed(lambda: todo_for(users.get(pk=staff.pk)), repeat=args.repeat, warm=args.warm),
                )
            )
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(officer)

            def home():
                response = client.get("/")
                assert response.status_code == 200, response.status_code

            rows.append(("home page with the to-do", _timed(home, repeat=args.repeat, warm=args.warm)))
            hooks.home_page_sections.unregister(panels.todo_section)
            try:
                client.get("/")  # the count in the session is recent: the bar reads no list
                rows.append(("home page without it (peer)", _timed(home, repeat=args.repeat, warm=args.warm)))
            finally:
                hooks.home_page_sections.register(panels.todo_section)
    finally:
        for row in reversed(made):
            row.delete()
    print(f"{'measurement':40} {'n':>3} {'p50':>8} {'p95':>8} {'max':>8} {'cpu p50':>8}  load       result")
    for name, (times, load, cpu) in rows:
        p50, p95, top = (_percentile(times, w) * 1000 for w in ("p50", "p95", "max"))
        verdict = (
            ("PASS" if p95 <= BUDGET_MS else "FAIL") + f" (p95 ≤ {BUDGET_MS} ms)" if name.startswith("to-do") else ""
        )
        print(
            f"{name:40} {len(times):>3} {p50:>6.1f}ms {p95:>6.1f}ms {top:>6.1f}ms {cpu * 1000:>6.1f}ms"
            f"  {load[0]:.2f}–{load[1]:.2f}  {verdict}"
        )


if __name__ == "__main__":
    main()
