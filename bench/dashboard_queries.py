"""Benchmark: the queries and server time of the dashboards of issue 17 point 3, on the demo (load_demo).

    DATABASE_URL=postgres://…/up_perf17_base .venv/bin/python bench/dashboard_queries.py [--code DIR] [--repeat 5]

For each program of the demo district HG-QB and its latest annual period: the base union HG-QB-HC01's
dashboard and the district HG-QB's, through the test client as the district officer (quangbinh), after
one warm-up request: the queries of one request and the best and median server time of `--repeat`.
`--code DIR` runs another checkout's code (e.g. `git archive main`) against the same database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from indicators.models import PeriodKind, ReportingPeriod
    from programs.models import Program

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="quangbinh"))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; code: {args.code}")
    for program in Program.objects.filter(scope__code__in=["HG-QB", "HG", "VN"]).order_by("code"):
        year = min(program.end_year, 2024)
        period = ReportingPeriod.objects.filter(kind=PeriodKind.ANNUAL, year=year).first()
        if period is None:
            continue
        for code in ("HG-QB-HC01", "HG-QB"):
            url = reverse("reports:dashboard", kwargs={"code": code, "program": program.code, "period": period.code})
            client.get(url)
            queries: list[str] = []

            def count(execute, sql, *rest, queries=queries):
                queries.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(count):
                status = client.get(url).status_code
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
            print(
                f"{program.code:14} {period.code} {code:11} status {status}  {len(queries):4} queries  "
                f"best {min(times) * 1000:6.0f} ms  median {statistics.median(times) * 1000:6.0f} ms"
            )


if __name__ == "__main__":
    main()
