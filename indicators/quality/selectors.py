"""Reads of data quality: the warnings of a grid, of a subtree, of a review; how many branches have entered figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from organizations.models import Level, Organization

from ..models import DataValue, QualityWarning, ReportingPeriod
from .evaluation import grid_organizations

REVIEW_LIMIT = 20  # warnings listed per body on the review page; the rest on the quality page


def open_q() -> Q:
    """A warning nobody has confirmed for the figure it now flags."""
    return Q(confirmation__isnull=True) | ~Q(confirmation__value=F("value"))


def _listed(queryset: QuerySet[QualityWarning]) -> QuerySet[QualityWarning]:
    return queryset.select_related("rule", "element", "organization", "period", "confirmation__by")


def grid_warnings(unit: Organization, period: ReportingPeriod) -> list[QualityWarning]:
    """Every warning of a unit's grid for the period (open and confirmed), in grid order."""
    if not period.pk:
        return []
    return list(
        _listed(QualityWarning.objects.filter(period=period, organization__in=grid_organizations(unit))).order_by(
            "organization__depth", "organization__code", "element__order", "rule__code"
        )
    )


def row_warnings(organization: Organization, period: ReportingPeriod) -> list[QualityWarning]:
    """The warnings of one row of a grid (a cell was just saved there)."""
    if not period.pk:
        return []
    return list(_listed(QualityWarning.objects.filter(period=period, organization=organization)))


def open_count(unit: Organization, period: ReportingPeriod) -> int:
    if not period.pk:
        return 0
    return (
        QualityWarning.objects.filter(period=period, organization__in=grid_organizations(unit)).filter(open_q()).count()
    )


def by_cell(warnings: list[QualityWarning]) -> dict[str, list[QualityWarning]]:
    """Warnings keyed as the grid names its cells: "<organization id>-<element id>"."""
    cells: dict[str, list[QualityWarning]] = defaultdict(list)
    for warning in warnings:
        cells[f"{warning.organization_id}-{warning.element_id}"].append(warning)
    return dict(cells)


def subtree_warnings(
    scope, organization: Organization, *, period: ReportingPeriod | None, open_only: bool
) -> QuerySet[QualityWarning]:
    """The warnings in an organization's subtree that the user sees, newest period first, then by body."""
    warnings = QualityWarning.objects.filter(
        scope.q("organization__path"), organization__path__startswith=organization.path
    )
    if period is not None:
        warnings = warnings.filter(period=period)
    if open_only:
        warnings = warnings.filter(open_q())
    return _listed(warnings).order_by(
        "-period__end_on", "period__kind", "organization__path", "element__order", "rule__code"
    )


@dataclass
class UnitQuality:
    """What the reviewer reads about one body below: coverage and the warnings of its grid."""

    branches: int = 0
    entered: int = 0  # branches with at least one figure in the period
    open: int = 0
    confirmed: int = 0
    warnings: list[QualityWarning] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.open + self.confirmed - len(self.warnings)


def review_quality(parent: Organization, children: list[Organization], period: ReportingPeriod) -> dict:
    """For each child unit (by pk): its branches with figures entered, and its warnings. Three queries."""
    result = {child.pk: UnitQuality() for child in children}
    if not children:
        return result
    length = (parent.depth + 1) * Organization.steplen
    by_path = {child.path: child.pk for child in children}
    branches = Organization.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 2, level__code=Level.BASE
    ).active_on(period.end_on)
    entered = (
        Exists(DataValue.objects.filter(organization=OuterRef("pk"), period=period)) if period.pk else Q(pk__in=[])
    )
    rows = (
        branches.annotate(unit=Substr("path", 1, length))
        .values("unit")
        .annotate(n=Count("pk"), entered=Count("pk", filter=entered))
        .order_by()
    )
    for row in rows:
        if row["unit"] in by_path:
            quality = result[by_path[row["unit"]]]
            quality.branches, quality.entered = row["n"], row["entered"]
    if period.pk:
        _add_warnings(result, by_path, parent, children, period, length)
    return result


def _add_warnings(result, by_path, parent, children, period, length) -> None:
    in_grids = Q(organization__in=children) | Q(
        organization__path__startswith=parent.path,
        organization__depth=parent.depth + 2,
        organization__level__code=Level.BASE,
    )
    warnings = _listed(QualityWarning.objects.filter(in_grids, period=period)).order_by(
        "organization__path", "element__order"
    )
    for warning in warnings:
        quality = result.get(by_path.get(warning.organization.path[:length]))
        if quality is None:
            continue
        if warning.is_confirmed:
            quality.confirmed += 1
        else:
            quality.open += 1
        if len(quality.warnings) < REVIEW_LIMIT:
            quality.warnings.append(warning)


def unit_coverage(unit: Organization, period: ReportingPeriod) -> tuple[int, int]:
    """(base unions with at least one figure in the period, base unions) of a unit's grid: "77/87 CĐCS đã nhập"."""
    branches = Organization.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1, level__code=Level.BASE
    ).active_on(period.end_on)
    if not period.pk:
        return 0, branches.count()
    entered = Exists(DataValue.objects.filter(organization=OuterRef("pk"), period=period))
    counts = branches.aggregate(n=Count("pk"), entered=Count("pk", filter=entered))
    return counts["entered"], counts["n"]
