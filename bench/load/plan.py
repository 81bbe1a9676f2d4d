"""Write the load test's plan: for each demo account, where its users go (bench/load/run.py runs this).

    DATABASE_URL=postgres://…/unionportal_load .venv/bin/python bench/load/plan.py --output var/load/plan.json

Read from the database the test runs against, as the pages would show it to each account:

- the open period: the latest year that has begun, created as the first visit to its grid
  creates it (with its rollups);
- its root organization (the lists are opened under it);
- its dashboards: each program that applies to the root, at the period the program's page
  opens (reports.selectors.default_period), and for the national account also the programs
  of the bodies below (the "Programs of the bodies below" list of its reports page);
- its grids in the open period: the bodies whose figures it enters, each grid given to one
  account only, so that two accounts never type into the same cell (a real edit conflict,
  409, is a correct answer but not what this test measures); an account that may not enter
  figures (the national officer) only reads the grids of the districts;
- the data elements' bounds and the "≤" rules between them, so that typed values are valid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ["tw", "hagiang", "quangbinh", "phurieng", "daklak", "quangtri"]


def build_plan(accounts: list[str]) -> dict:
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings
    from django.urls import reverse
    from django.utils import timezone

    from indicators.entry.selectors import grid_for
    from indicators.models import DataElement, DataElementRule
    from indicators.periods import period_calendar, period_open
    from organizations.models import Level, Organization
    from organizations.permissions import Action, scope_for
    from organizations.selectors import tree_roots
    from programs.lookups import programs_for_user
    from reports.lookups import programs_for_organization
    from reports.selectors import default_period

    today = timezone.localdate()
    # The latest year that has begun: open for entry (the demo submits only past years). Opened
    # the way the first figure written in it opens it, so the dashboards show it from the
    # start; the job computing its rollups, which follows in the background, is run to its end here.
    period = next(p for p in period_calendar(today=today) if p.is_annual and p.is_open(today))
    with override_settings(JOBS_RUN_INLINE=True):
        period = period_open(code=period.code)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=accounts)}
    missing = sorted(set(accounts) - set(users))
    if missing:
        raise SystemExit(f"Missing demo accounts {missing}: run `manage.py load_demo` first.")

    plan: dict = {"period": period.code, "accounts": {}}
    taken: set[str] = set()
    # Deepest root first: a district's own staff get its grid, the province the rest.
    order = sorted(accounts, key=lambda name: -tree_roots(users[name])[0].depth)
    for name in order:
        user = users[name]
        root = tree_roots(user)[0]
        scope = scope_for(user)
        programs = list(programs_for_organization(user, root).order_by("code"))
        dashboards = []
        for program in programs:
            shown = default_period(program)
            if shown is not None:
                dashboards.append(reverse("reports:dashboard", args=[root.code, program.code, shown.code]))
        if root.level.code == Level.NATIONAL:
            below = programs_for_user(user).filter(scope__path__startswith=root.path, scope__depth__gt=root.depth)
            for program in below.select_related("scope").order_by("code"):
                shown = default_period(program)
                if shown is not None:
                    dashboards.append(reverse("reports:dashboard", args=[program.scope.code, program.code, shown.code]))

        grids = []
        bodies = (
            Organization.objects.within(root)
            .active()
            .exclude(level__code__in=[Level.BASE, Level.BELOW_BASE])
            .order_by("path")
        )
        for body in bodies:
            data = grid_for(body, period)
            if not data.rows and not (data.own and data.own.cells):
                continue
            editable = scope.can(Action.ENTER_DATA, body)
            if editable and body.code in taken:
                continue
            if editable:
                taken.add(body.code)
            elif not data.rows:
                continue
            url = reverse("indicators:grid", args=[period.code, body.code])
            grids.append({"url": url, "code": body.code, "edit": editable, "rows": len(data.rows)})
        if not any(g["edit"] for g in grids):
            grids = [g for g in grids if g["rows"]][:4]  # a reader looks at a few districts
        plan["accounts"][name] = {"root": root.code, "dashboards": dashboards, "grids": grids}

    # The base unions: their dashboards (measured live, no rollups) are reported apart (issue 17 point 3).
    plan["base_unions"] = sorted(Organization.objects.filter(level__code=Level.BASE).values_list("code", flat=True))
    plan["elements"] = {
        e.code: {
            "type": e.value_type,
            "min": None if e.min_value is None else float(e.min_value),
            "max": None if e.max_value is None else float(e.max_value),
        }
        for e in DataElement.objects.all()
    }
    plan["rules"] = [
        [rule.element.code, rule.operator, rule.other.code]
        for rule in DataElementRule.objects.select_related("element", "other").order_by("pk")
    ]
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--accounts", default=",".join(ACCOUNTS))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.load")
    import django

    django.setup()
    plan = build_plan([a for a in args.accounts.split(",") if a])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    for name, account in plan["accounts"].items():
        edit = [g["code"] for g in account["grids"] if g["edit"]]
        read = [g["code"] for g in account["grids"] if not g["edit"]]
        print(
            f"{name:10} {account['root']:6} dashboards {len(account['dashboards'])}  "
            f"grids entered {edit or '-'}  read {read or '-'}"
        )


if __name__ == "__main__":
    main()
