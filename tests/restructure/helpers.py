"""A plan on the standard cast: two districts of province XP, the province's officer plans."""

from __future__ import annotations

import datetime

from organizations.models import Organization, RestructuringOperation
from restructure import services

REFORM_DAY = datetime.date(2025, 7, 1)


def make_plan(cast, operations: list[dict], *, by=None, scope=None, day=REFORM_DAY):
    by = by or cast.provincial
    plan = services.plan_create(scope=scope or cast.province, name="Sắp xếp 2025", effective_date=day, by=by)
    services.operations_replace(plan=plan, by=by, operations=operations)
    return plan


def tree_state() -> list[tuple]:
    """Everything a plan may change in the tree, to show that a refused one changed nothing."""
    return [
        *Organization.objects.values_list("code", "path", "status", "dissolved_on", "level_id", "name", "sector"),
        RestructuringOperation.objects.count(),
    ]
