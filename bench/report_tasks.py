"""Benchmark: what the qualitative tasks add to a report and what their page costs (issue 12, point 8).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/report_tasks.py   # a database with load_demo

Against the demo (`load_demo`): Quang Bình's 2024 report of QB-CTR04 (a district, about 90
branches, three tasks) and Quảng Trị's 2023 report of QT-CTR1823 (a province, a task four
bodies answer for). For each: the tasks' part of the report data (`build_tasks`, its
queries), the whole data object, and the PDF with and without the tasks (the same data,
`tasks=()`), `--repeat` times each, best and median; then the task page of each body through
Django's test Client (server time and queries). `cat /proc/loadavg` is printed with them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# As production runs: the query log off (CaptureQueriesContext still counts); the test Client's host allowed.
settings.DEBUG = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.models import ReportingPeriod  # noqa: E402
from organizations.models import Organization  # noqa: E402
from programs.models import Program  # noqa: E402
from reports.data import build_report  # noqa: E402
from reports.renderers.pdf import render_pdf  # noqa: E402
from reports.task_results import build_tasks  # noqa: E402

CASES = [("HG-QB", "QB-CTR04", "2024", "quangbinh"), ("QT", "QT-CTR1823", "2023", "quangtri")]


def timed(function, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("loadavg:", Path("/proc/loadavg").read_text().strip())
    for code, program_code, period_code, username in CASES:
        organization = Organization.objects.get(code=code)
        program = Program.objects.get(code=program_code)
        period = ReportingPeriod.objects.get(code=period_code)
        with CaptureQueriesContext(connection) as queries:
            tasks = build_tasks(organization, program, period)
        lines = sum(len(t.lines) for t in tasks)
        best, median = timed(lambda: build_tasks(organization, program, period), args.repeat)  # noqa: B023
        print(f"{code} {program_code} {period_code}: {len(tasks)} tasks, {lines} lines")
        print(f"  build_tasks: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms, {len(queries)} queries")
        data = build_report(organization, program, period)
        best, median = timed(lambda: build_report(organization, program, period), args.repeat)  # noqa: B023
        print(f"  build_report (tasks included): best {best:.2f} s, median {median:.2f} s")
        without = dataclasses.replace(data, tasks=())
        for label, subject in (("with tasks", data), ("without tasks", without)):
            best, median = timed(lambda: render_pdf(subject, charts=True), args.repeat)  # noqa: B023
            print(f"  render_pdf {label}: best {best:.2f} s, median {median:.2f} s")
        client = Client()
        client.force_login(get_user(username))
        url = f"/tasks/{period_code}/{code}/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = client.get(url).status_code
            elapsed = time.perf_counter() - started
        print(f"  GET {url}: {status}, {elapsed * 1000:.0f} ms, {len(queries)} queries")


def get_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


if __name__ == "__main__":
    main()
