"""Reads of targets: the table of an indicator's targets, and whether the children's add up to the parent's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from organizations.models import Organization, OrganizationStatus

from ..models import AllocationRule, Indicator, ReportingPeriod, Target, TimeRule
from ..status import TargetValue

# A body below the program's scope whose target can only come from an allocation, and has none.
UNALLOCATED = "unallocated"


def allocation_year(indicator: Indicator, period: ReportingPeriod) -> int | None:
    """Targets of a yearly indicator are allocated per year; the others for the whole term."""
    return period.year if indicator.time_rule == TimeRule.EVERY_YEAR else None


def target_source(indicator: Indicator, organization: Organization, target: TargetValue | None) -> str:
    """Where the organization's target comes from, for every page that compares a child with it.

    "own" (the program's scope, or a body's own target), "allocated" (set for it by the body
    above), "inherited" (a share or an average, which holds for every body as it is), or
    UNALLOCATED: a count or a sum reaches a body below only by allocation, and none was made,
    so the page says so rather than borrow the parent's figure. "" when no body has a target.
    The target itself is read with indicators.status.TargetBook (one query for a whole table).
    """
    if target is not None:
        return target.source
    if organization.pk == indicator.program.scope_id:
        return ""
    if indicator.target_value is None and indicator.allocation == AllocationRule.NONE:
        return ""
    return UNALLOCATED


@dataclass(frozen=True)
class TargetRow:
    organization: Organization
    by_year: dict[int | None, Target]  # None: the term-long target


def target_table(indicator: Indicator, visible: Q) -> list[TargetRow]:
    """Every target set for the indicator on organizations the user sees, one row per organization."""
    rows: dict[int, TargetRow] = {}
    targets = (
        Target.objects.filter(visible, indicator=indicator)
        .select_related("organization")
        .order_by("organization__path", "year")
    )
    for target in targets:
        row = rows.setdefault(target.organization_id, TargetRow(target.organization, {}))
        row.by_year[target.year] = target
    return list(rows.values())


@dataclass(frozen=True)
class AllocationCheck:
    rule: str
    parent_value: Decimal | None
    children_value: Decimal | None  # their sum, or their average
    missing: list[Organization]  # children without a target
    ok: bool


def allocation_check(*, indicator: Indicator, parent: Organization, year: int | None = None) -> AllocationCheck:
    """Do the children's targets add up to (or average to) the parent's?"""
    own = Target.objects.filter(indicator=indicator, organization=parent, year=year).first()
    if own is not None:
        parent_value = own.value
    elif parent.pk == indicator.program.scope_id:
        parent_value = indicator.target_value
    else:
        parent_value = None
    children = list(parent.children().filter(status=OrganizationStatus.ACTIVE).order_by("code"))
    targets = {
        t.organization_id: t.value
        for t in Target.objects.filter(indicator=indicator, organization__in=children, year=year)
    }
    missing = [c for c in children if c.pk not in targets]
    values = list(targets.values())
    if not values:
        children_value = None
    elif indicator.allocation == AllocationRule.AVERAGE:
        children_value = (sum(values) / len(values)).quantize(Decimal("0.01"))
    else:
        children_value = sum(values)
    # Children may take on more than their share between them, never less: a sum (or an
    # average) at or above the parent's target covers it.
    ok = (
        indicator.allocation != AllocationRule.NONE
        and parent_value is not None
        and children_value is not None
        and not missing
        and children_value >= parent_value
    )
    return AllocationCheck(
        rule=indicator.allocation, parent_value=parent_value, children_value=children_value, missing=missing, ok=ok
    )
