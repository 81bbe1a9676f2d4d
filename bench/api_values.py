"""Benchmark: a DHIS2 dataValueSets export of one province for one year, GET /api/v1/dataValueSets/.

    .venv/bin/python bench/api_values.py                          # up_full, the national dataset, read-only
    .venv/bin/python bench/api_values.py --database up_apivalues_bench   # a small one (build_synthetic --scale 0.01)

READ-ONLY: the connection is opened with default_transaction_read_only=on, so any write would
fail; nothing (no user, no token) is created. The request runs in this process through the
whole DRF view (DataValueSets.as_view(), problem handler, scope, ETag, the streamed JSON), as
a provincial officer of the province: an unsaved user whose scope (organizations.permissions)
holds one grant at the province, exactly what a provincial officer's assignment gives; the
token is not looked up (force_authenticate), so neither gunicorn nor the network is timed.

The province is the one with the most values in the year (or --org). Timed: the first request
(cold), then --repeat more; each from the request to the last byte of the body, then parsed
with json.loads to count the values. The export's query plan is printed (EXPLAIN ANALYZE, the view's query).
Not part of `make test`. Budget (issue 15): ≤ 5 s at national scale.

`--write N` (never on up_full: refused) also times POST /api/v1/data-values/ of N rows, one figure
(workers_studying, 2024) for N base unions of the province, through the grid's service cell by
cell, as a provincial officer created in that database; then the same rows again (all ignored).
It is what settings.API_MAX_VALUE_ROWS (2,000) rests on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def setup(database_url: str, *, read_only: bool = True) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    os.environ["DEBUG"] = "0"
    import django
    from django.db.backends.signals import connection_created

    def read_only_session(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.execute("SET default_transaction_read_only = on")

    if read_only:
        connection_created.connect(read_only_session)
    django.setup()


def provincial_officer(province):
    """An unsaved user with a provincial officer's scope at `province` (nothing written)."""
    from django.contrib.auth import get_user_model

    from organizations.models import Role
    from organizations.permissions import Grant, UserScope

    user = get_user_model()(pk=2_000_000_000, username="bench", is_active=True)
    scope = UserScope.__new__(UserScope)
    scope.user, scope.is_superuser = user, False
    scope.grants = [Grant(province.path, province.depth, Role.PROVINCIAL_OFFICER)]
    user._unionportal_scope = scope
    return user


def biggest_province(period: str):
    """The province with the most values in the period (one GROUP BY over the paths' first two steps)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from indicators.models import DataValue
    from organizations.models import Organization

    top = (
        DataValue.objects.filter(period__code=period)
        .annotate(province=Substr("organization__path", 1, 2 * Organization.steplen))
        .values("province")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return Organization.objects.get(path=top["province"])


def export(user, org: str, period: str) -> tuple[float, int, int]:
    from rest_framework.test import APIRequestFactory, force_authenticate

    from api.views.dhis2 import DataValueSets

    class Token:
        name = "bench"

    request = APIRequestFactory().get(
        "/api/v1/dataValueSets/", {"period": period, "orgUnit": org, "children": "true"}, HTTP_HOST="127.0.0.1"
    )
    force_authenticate(request, user=user, token=Token())
    started = time.perf_counter()
    response = DataValueSets.as_view()(request)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - started
    assert response.status_code == 200, body[:500]
    return seconds, len(json.loads(body)["dataValues"]), len(body)


def plan(org, period: str) -> str:
    from django.db import connection

    from indicators.models import DataValue
    from organizations.models import Organization
    from unionportal.anyof import AnyOf

    subtree = Organization.objects.filter(path__startswith=org.path).values("pk")
    values = (
        DataValue.objects.filter(AnyOf("organization_id", subtree), period__code=period)
        .order_by("organization__path", "element__order", "element__code")
        .values_list(
            "element__code",
            "organization__code",
            "number",
            "boolean",
            "choice",
            "updated_at",
            "updated_by__username",
        )
    )
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def write(province, count: int) -> None:
    """POST data-values/ of `count` rows as a provincial officer of the province (a database of one's own)."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    from api.views.values import DataValueList
    from organizations.models import Assignment, Level, Organization, Role

    user, _created = get_user_model().objects.get_or_create(username="bench-values")
    Assignment.objects.get_or_create(user=user, organization=province, role=Role.PROVINCIAL_OFFICER)
    branches = Organization.objects.filter(path__startswith=province.path, level__code=Level.BASE).order_by("path")
    codes = list(branches.values_list("code", flat=True)[:count])
    value = str(int(time.time()) % 997)  # a value the cells do not hold yet: the first write changes each
    rows = [{"period": "2024", "organization": code, "element": "workers_studying", "value": value} for code in codes]

    class Token:
        name = "bench"

    for attempt in ("first", "again (ignored)"):
        request = APIRequestFactory().post(
            "/api/v1/data-values/", {"rows": rows}, format="json", HTTP_IF_MATCH="*", HTTP_HOST="127.0.0.1"
        )
        force_authenticate(request, user=get_user_model().objects.get(pk=user.pk), token=Token())
        started = time.perf_counter()
        response = DataValueList.as_view()(request)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.data
        print(
            f"write {len(rows):,} rows, {attempt:16} {seconds:6.2f} s ({seconds / len(rows) * 1000:.1f} ms a row)  "
            f"{response.data['import_count']}  load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="up_full")
    parser.add_argument("--period", default="2024")
    parser.add_argument("--org", default="", help="A province's code (default: the one with the most values).")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-plan", action="store_true")
    parser.add_argument("--write", type=int, default=0, help="Also time a write of this many rows (not on up_full).")
    args = parser.parse_args()
    if args.write and args.database == "up_full":
        raise SystemExit("up_full is read-only: --write needs a database of your own.")

    print(f"before: {uptime()}", flush=True)
    setup(f"{args.server}/{args.database}", read_only=not args.write)
    from organizations.models import Organization

    started = time.perf_counter()
    if args.org:
        province = Organization.objects.get(code=args.org)
    else:
        province = biggest_province(args.period)
        print(f"(choosing the province took {time.perf_counter() - started:.1f} s, not timed below)")
    user = provincial_officer(province)
    print(f"database {args.database}: {Organization.objects.count():,} organizations; province {province.code}")
    seconds, count, size = export(user, province.code, args.period)
    print(
        f"first (cold)  {seconds:6.2f} s  {count:,} values, {size / 1024 / 1024:.1f} MB  load {os.getloadavg()[0]:.2f}"
    )
    times = []
    for _ in range(args.repeat):
        seconds, again, _size = export(user, province.code, args.period)
        assert again == count
        times.append(seconds)
    if times:
        print(
            f"warm ×{len(times)}       median {statistics.median(times):.2f} s  max {max(times):.2f} s  "
            f"load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    if not args.no_plan:
        print(plan(province, args.period))
    if args.write:
        write(province, args.write)
    print(f"after: {uptime()}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
