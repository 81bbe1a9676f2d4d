"""Reads for the report pages: periods, sizes, the figures of every branch below a body, sorting and filters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from indicators.engine import ZERO, from_parts, measure_by_organization
from indicators.models import Indicator, ReportingPeriod
from indicators.status import STATUS_INFO, Status, TargetBook, count_statuses
from organizations.models import Level, Organization
from programs.models import Program

from .data import Figure, IndicatorReport, ReportData, _figure
from .data import fits_a_branch as fits_a_branch  # the dashboard asks it here
from .models import FrozenReport, ReportFile

# Above this many branches below the body, a PDF is made in the background; an Excel file
# of a province or of the confederation always is (it has a row for every branch).
BACKGROUND_BRANCHES = 300
RED = frozenset({Status.NOT_ACHIEVED.value, Status.AT_RISK.value})
SORT_KEYS = ("code", "name", "target", "actual", "gap", "percent", "status")
# Worst first when sorting by status: the order of the one table of statuses.
STATUS_ORDER = {code: info.order for code, info in STATUS_INFO.items()}


def periods_for_program(program: Program) -> list[ReportingPeriod]:
    """The reporting periods within the program's years, latest first (the year before its halves)."""
    periods = ReportingPeriod.objects.filter(year__gte=program.start_year, year__lte=program.end_year)
    return sorted(periods, key=lambda p: (-p.year, 0 if p.half is None else 3 - p.half))


def default_period(program: Program, today: datetime.date | None = None) -> ReportingPeriod | None:
    """The latest year of the program that has begun; else its latest period of any kind."""
    today = today or timezone.localdate()
    periods = periods_for_program(program)
    started = [p for p in periods if p.is_annual and p.start_on <= today]
    return (started or periods or [None])[0]


def branches_below(organization: Organization) -> int:
    return Organization.objects.within(organization).base().active().count()


def needs_background(organization: Organization, fmt: str, branch_count: int) -> bool:
    """Whether a file takes long enough to be made in the background rather than in the request."""
    if fmt == "json":
        return False
    if fmt == "xlsx" and organization.level.code in (Level.NATIONAL, Level.PROVINCIAL):
        return True
    return branch_count > BACKGROUND_BRANCHES


def versions_of(organization: Organization, program: Program, period: ReportingPeriod) -> list[FrozenReport]:
    return list(
        FrozenReport.objects.filter(organization=organization, program=program, period=period)
        .select_related("created_by")
        .defer("data", "branches")
        .order_by("-version")
    )


def recent_files(organization: Organization, program: Program, period: ReportingPeriod, limit: int = 10):
    return list(
        ReportFile.objects.filter(organization=organization, program=program, period=period)
        .select_related("organization", "program", "period", "frozen", "requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def indicator_of(data: ReportData, code: str | None) -> IndicatorReport | None:
    for indicator in data.indicators:
        if indicator.code == code:
            return indicator
    return None


def filter_figures(figures, *, sector: str = "", red_only: bool = False) -> list[Figure]:
    """Keep a sector's base unions (bodies above the base have no sector and stay) and, if asked, the red ones."""
    kept = []
    for figure in figures:
        if sector and figure.level == Level.BASE and figure.sector != sector:
            continue
        if red_only and figure.status not in RED:
            continue
        kept.append(figure)
    return kept


def sort_figures(figures, key: str, descending: bool = False) -> list[Figure]:
    """Sorted by a column; figures without a value go last whichever the direction."""
    if key not in SORT_KEYS:
        return list(figures)

    def value(figure: Figure):
        return {
            "code": figure.organization,
            "name": figure.name.lower(),
            "target": figure.target,
            "actual": figure.actual,
            "gap": figure.gap,
            "percent": figure.percent_achieved,
            "status": STATUS_ORDER.get(figure.status, 9),
        }[key]

    present = [f for f in figures if value(f) is not None]
    missing = [f for f in figures if value(f) is None]
    return sorted(present, key=value, reverse=descending) + missing


@dataclass(frozen=True)
class BranchFigure:
    figure: Figure
    parent_name: str
    parent_code: str


def branch_figures(
    organization: Organization,
    indicator: Indicator,
    period: ReportingPeriod,
    *,
    sector: str = "",
    today: datetime.date | None = None,
) -> list[BranchFigure]:
    """Every active base union below the body with its figure for one indicator: a few grouped queries.

    The figures are live: a branch's own rows grouped by branch (as the Excel sheet of
    every branch has them), its target from the program's book, its status by the rules
    of indicators/status.py.
    """
    today = today or timezone.localdate()
    branches: QuerySet[Organization] = Organization.objects.within(organization).base().active()
    if sector:
        branches = branches.filter(sector=sector)
    rows = list(
        branches.select_related("level")
        .only("pk", "code", "name", "short_name", "sector", "path", "depth", "level__code")
        .order_by("path")
    )
    measurements = measure_by_organization(indicator, period, within=organization)
    empty = from_parts(indicator, ZERO, period)
    book = TargetBook([indicator], branches, period.year)
    steplen = Organization.steplen
    parents = {
        path: (code, short_name or name)
        for path, code, short_name, name in Organization.objects.within(organization)
        .filter(path__in={b.path[:-steplen] for b in rows})
        .values_list("path", "code", "short_name", "name")
    }
    result = []
    for branch in rows:
        figure = _figure(
            indicator, branch, measurements.get(branch.pk, empty), book.get(indicator, branch), period, today
        )
        parent_code, parent_name = parents.get(branch.path[:-steplen], ("", ""))
        result.append(BranchFigure(figure=figure, parent_name=parent_name, parent_code=parent_code))
    return result


def status_counts(figures) -> dict[str, int]:
    return count_statuses(figure.status for figure in figures)


def program_indicators(program: Program) -> dict[str, Indicator]:
    return {i.code: i for i in program.indicators.select_related("program", "level", "element__level")}
