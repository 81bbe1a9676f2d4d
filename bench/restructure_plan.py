"""Benchmark: a reform plan at national scale (issue 16's budget), on a COPY of the national dataset.

    createdb -T up_full up_reform2_full          # a copy: applying the plan changes the tree for good
    .venv/bin/python bench/restructure_plan.py --database up_reform2_full [--rollback]
    dropdb up_reform2_full

The plan: province P2 merged into province P1 (the first two provinces), 8 regional unions
("Công đoàn khu vực", made-up names) founded under P1, and the first 20 upper-level unions of each
province dissolved, 5 to each regional union, which takes their base unions (the others stay).
Built through the services a user's page calls (plan_create, operations_replace), as a national
superuser (bench-reform, added to the copy: no role restructures at the root).

Measured, in this process (settings dev, DEBUG off): plan_preview (wall, `--repeat` runs); then
plan_apply, with JOBS_RUN_INLINE on so that the rollup refresh it queues on commit
(reports.rollups.refresh_registry) runs before the call returns, timed on its own too; queries of
plan_apply (the refresh's included); peak RSS of this process (ru_maxrss; PostgreSQL's own memory is
not in it); os.getloadavg() before and after. The 2024 annual report of the root and of P1
(reports.services.report_data, the national statistics program) is compared before and after, as
JSON without its generation time. `--rollback`: apply inside a transaction rolled back (no refresh:
it waits for a commit), so the copy can be measured again.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
PROGRAM, PERIOD = "TLD-THONGKE", "2024"
DAY = datetime.date(2025, 7, 1)


def _django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def operations(p1, p2, dissolved_per_province: int, regions: int) -> list[dict]:
    from organizations.models import Level, Organization

    def upper(province):
        bodies = Organization.objects.filter(path__startswith=province.path, level__code=Level.UPPER).active()
        return list(bodies.order_by("path").values_list("code", flat=True)[:dissolved_per_province])

    districts = upper(p1) + upper(p2)
    ops = [
        {"kind": "create", "new_code": f"{p1.code}-KV{n}", "new_name": f"Công đoàn khu vực {n}", "target": p1.code}
        for n in range(1, regions + 1)
    ]
    ops.append({"kind": "merge_into", "codes": [p2.code], "target": p1.code})
    share = -(-len(districts) // regions)
    for n in range(regions):
        codes = districts[n * share : (n + 1) * share]
        if codes:
            ops.append({"kind": "dissolve", "codes": codes, "target": f"{p1.code}-KV{n + 1}"})
    return ops, districts


def _report(code: str) -> str:
    from indicators.models import ReportingPeriod
    from organizations.models import Organization
    from programs.models import Program
    from reports.services import report_data

    data, _frozen = report_data(
        Organization.objects.get(code=code), Program.objects.get(code=PROGRAM), ReportingPeriod.objects.get(code=PERIOD)
    )
    fields = dataclasses.asdict(data)
    fields.pop("generated_at", None)
    fields.pop("basis", None)  # which tree it rests on: said after the plan (reports.history), the figures unchanged
    return json.dumps(fields, default=str, sort_keys=True)


def _tree_problems() -> dict:
    """Bodies whose parent path is missing, or whose numchild or depth is wrong: one query each
    (treebeard's find_problems asks once per body: hours at this scale)."""
    from django.db import connection

    checks = {
        "orphans": "SELECT count(*) FROM organizations_organization o WHERE o.depth > 1 AND NOT EXISTS "
        "(SELECT 1 FROM organizations_organization p WHERE p.path = substr(o.path, 1, length(o.path) - 4))",
        "wrong_depth": "SELECT count(*) FROM organizations_organization WHERE depth * 4 <> length(path)",
        "wrong_numchild": "SELECT count(*) FROM organizations_organization p LEFT JOIN (SELECT substr(path, 1, "
        "length(path) - 4) AS parent, count(*) AS n FROM organizations_organization GROUP BY 1) c "
        "ON c.parent = p.path WHERE p.numchild <> coalesce(c.n, 0)",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, sql in checks.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="up_reform2_full")
    parser.add_argument("--per-province", type=int, default=20)
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rollback", action="store_true")
    args = parser.parse_args()
    _django(args.database)

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext, override_settings

    from members.models import Member, MemberStatus
    from organizations.models import Level, Organization
    from reports import rollups
    from restructure import selectors, services

    out: dict = {"database": args.database, "load_start": _load()}
    root = Organization.objects.get(depth=1)
    p1, p2 = Organization.objects.filter(level__code=Level.PROVINCIAL).active().order_by("path")[:2]
    # Merging provinces needs the restructuring right above them: no role has it at the root (a
    # national officer watches and reviews), so the plan is made by a superuser.
    user, _ = get_user_model().objects.get_or_create(username="bench-reform", defaults={"is_superuser": True})
    ops, districts = operations(p1, p2, args.per_province, args.regions)
    branches = Organization.objects.filter(
        path__regex=r"^("
        + "|".join(Organization.objects.filter(code__in=districts).values_list("path", flat=True))
        + ")",
        level__code=Level.BASE,
    ).active()
    out["plan"] = {
        "provinces": [p1.code, p2.code],
        "dissolved": len(districts),
        "regions": args.regions,
        "branches_moved": branches.count(),
        "members_moved": Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE).count(),
        "branches_of_the_two_provinces": Organization.objects.filter(level__code=Level.BASE)
        .active()
        .filter(path__regex=rf"^({p1.path}|{p2.path})")
        .count(),
    }
    started = time.perf_counter()
    plan = services.plan_create(scope=root, name="Sắp xếp 2025 (bench)", effective_date=DAY, by=user)
    services.operations_replace(plan=plan, by=user, operations=ops)
    out["plan_made_s"] = round(time.perf_counter() - started, 2)

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        preview = selectors.plan_preview(plan, user)
        times.append(round(time.perf_counter() - started, 2))
    out["preview_s"] = times
    out["preview"] = {
        "conflicts": preview.conflicts,
        "rows_before": len(preview.before),
        "rows_after": len(preview.after),
    }
    out["rss_after_preview_mb"] = round(_rss_mb())
    out["load_after_preview"] = _load()

    reports_before = {code: _report(code) for code in (root.code, p1.code)}
    refresh_times = []
    job = rollups.refresh_registry

    def timed_refresh(*a, **kw):
        started = time.perf_counter()
        job(*a, **kw)
        refresh_times.append(round(time.perf_counter() - started, 2))

    rollups.refresh_registry = timed_refresh
    started = time.perf_counter()
    with override_settings(JOBS_RUN_INLINE=True), CaptureQueriesContext(connection) as queries:
        if args.rollback:
            with transaction.atomic():
                services.plan_apply(plan=plan, by=user)
                transaction.set_rollback(True)
        else:
            services.plan_apply(plan=plan, by=user)
    out["apply_with_refresh_s"] = round(time.perf_counter() - started, 2)
    out["refresh_s"] = refresh_times
    out["apply_queries"] = len(queries)
    out["rss_peak_mb"] = round(_rss_mb())
    out["load_after_apply"] = _load()
    print(json.dumps(out, ensure_ascii=False), file=sys.stderr, flush=True)  # the figures, before the checks
    if not args.rollback:
        after = {code: _report(code) for code in reports_before}
        out["reports_2024_unchanged"] = {code: after[code] == before for code, before in reports_before.items()}
        for code, before in reports_before.items():
            old, new = json.loads(before), json.loads(after[code])
            for key in sorted(k for k in old if old[k] != new.get(k)):  # what moved, to say so
                print(f"{code}: {key} differs: {str(new.get(key))[:300]} (was {str(old[key])[:300]})", file=sys.stderr)
        out["moved_now_under_regions"] = (
            Organization.objects.filter(path__startswith=p1.path, level__code=Level.BASE)
            .active()
            .filter(
                path__regex=r"^("
                + "|".join(Organization.objects.filter(code__startswith=f"{p1.code}-KV").values_list("path", flat=True))
                + ")"
            )
            .count()
        )
        out["tree_problems"] = _tree_problems()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
