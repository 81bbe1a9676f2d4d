"""The report as data: one immutable object that the dashboard, the PDF, the Excel file and the JSON all render.

build_report(organization, program, period) gives, for every indicator of the program,
the organization's actual, target, gap, percentage achieved and status, the same for
each of its children, and the trend over the program's years. Bodies above the base
level are read from the precomputed rollups; base unions (a district's drill-down) are
computed live in one grouped query per indicator. Nothing loops over branches.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.engine import Measurement
from indicators.models import Comparison, DataElement, Direction, Indicator, Measure, PeriodKind, ReportingPeriod
from indicators.status import TargetBook, TargetValue, count_statuses, coverage_words, evaluate, status_label
from indicators.targets.selectors import target_source
from organizations.models import Level, Organization, OrganizationStatus
from programs.models import Program
from unionportal.numbers import round_half_up

from .coverage import summary_coverage, summary_sentence
from .history import BEFORE, basis_sentence, report_basis
from .rollup_reader import RollupReader
from .task_results import TaskItem, build_tasks, tasks_json

HUNDRED = Decimal(100)

# Figures that mean something for one base union (a share of workplaces does not).
BRANCH_MEASURES = frozenset(
    {
        Measure.ORGANIZATIONS_SHARE,
        Measure.ORGANIZATIONS_COUNT,
        Measure.PEOPLE_TRAINED_SHARE,
        Measure.MEMBERS_STOCK,
        Measure.MEMBERS_JOINED,
        Measure.MEMBERS_LEFT,
        Measure.REPORTED_SUM,
        Measure.REPORTED_RATIO,
    }
)


def fits_a_branch(indicator: Indicator) -> bool:
    """Whether one base union has a figure of its own for the indicator (a share of workplaces does not)."""
    if indicator.measure not in BRANCH_MEASURES:
        return False
    if indicator.level_id and indicator.level.code != Level.BASE:
        return False
    return not indicator.element_id or indicator.element.level.code == Level.BASE


@dataclass(frozen=True)
class Figure:
    """One organization's figure for one indicator."""

    organization: str  # code
    name: str
    actual: Decimal | None
    target: Decimal | None
    target_max: Decimal | None
    comparison: str | None
    status: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    gap: Decimal | None = None
    percent_achieved: Decimal | None = None
    level: str = ""
    sector: str = ""
    # The actual before rounding, and its coverage: units expected to report and those that did
    # (None for a figure read from the registry, and in versions frozen before coverage was kept).
    exact: Decimal | None = None
    expected: int | None = None
    reported: int | None = None
    units_are_branches: bool = True  # the units counted are base unions (else upper-level bodies)

    @property
    def has_coverage(self) -> bool:
        return self.expected is not None and self.reported is not None

    @property
    def status_text(self) -> str:
        """The status in words (the one table of statuses); a figure without a target says so, and a
        child whose target can only come from an allocation says it has none."""
        if self.status == "no_data" and self.target_source == "unallocated":
            return str(_("Target not allocated"))
        return status_label(self.status, has_actual=self.actual is not None)

    @property
    def coverage_text(self) -> str:
        """ "76/87 CĐCS báo cáo"; "" without coverage."""
        return coverage_words(self.reported, self.expected, branches=self.units_are_branches)

    def coverage_json(self) -> dict | None:
        return {"expected": self.expected, "reported": self.reported} if self.has_coverage else None

    # "own", "allocated", "inherited", "unallocated" (a child with no allocation of a count), or "".
    target_source: str = ""

    @property
    def unallocated(self) -> bool:
        return self.target_source == "unallocated"


@dataclass(frozen=True)
class TrendPoint:
    period: str
    year: int
    actual: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class IndicatorReport:
    code: str
    name: str
    unit: str
    measure: str
    time_rule: str
    source_text: str
    figure: Figure
    children: tuple[Figure, ...]
    trend: tuple[TrendPoint, ...]
    # Whether a base union's own figure means something (the PDF compares branches on those only).
    fits_a_branch: bool = True
    direction: str = Direction.HIGHER
    strict: bool = False  # units that have not reported count as not meeting it
    decimals: int = 2  # places the actual is written with
    units_are_branches: bool = True  # the coverage counts base unions (else upper-level bodies)

    def coverage_words(self, figure: Figure | None = None) -> str:
        """ "76/87 CĐCS báo cáo" for the body's figure (or the given one); "" without coverage."""
        figure = figure or self.figure
        return coverage_words(figure.reported, figure.expected, branches=self.units_are_branches)

    @property
    def is_share(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class ReportData:
    organization: dict
    program: dict
    period: dict
    generated_at: str
    indicators: tuple[IndicatorReport, ...]
    children: tuple[dict, ...]
    status_counts: dict = field(default_factory=dict)
    # What the report rests on: {"threshold", "expected", "reported", "below"} (summary_coverage);
    # empty in versions frozen before coverage was kept.
    coverage: dict = field(default_factory=dict)

    def tree_sentence(self) -> str:
        """Which tree the figures rest on, when a restructuring is near the period ("" otherwise)."""
        return basis_sentence(self.basis)

    def coverage_sentence(self) -> str:
        """The summary's sentence on coverage: "Số liệu tổng hợp từ 76/87 CĐCS đã báo cáo …"."""
        return summary_sentence(self.coverage)

    # The document's number, date, place and signer per kind of report, kept by a frozen
    # version (reports/renderers/document.py: document_facts); empty for live figures.
    document: dict = field(default_factory=dict)
    # Section I's qualitative tasks and what each responsible body recorded (reports/task_results.py).
    tasks: tuple[TaskItem, ...] = ()
    # The tree it rests on when a restructuring is near: {"kind": "before" | "spans", "date"} (reports/history.py).
    basis: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The JSON of the reports API and of `export_report --format json`: numbers as numbers."""

        def number(value):
            if value is None:
                return None
            value = Decimal(value)
            return int(value) if value == value.to_integral_value() else float(value)

        def figure(f: Figure) -> dict:
            # "actual" as written (rounded half up), "actual_exact" before rounding; a range keeps its upper end.
            return {
                "target": number(f.target),
                "target_max": number(f.target_max),
                "comparison": f.comparison,
                "actual": number(f.actual),
                "actual_exact": number(f.exact if f.exact is not None else f.actual),
                "coverage": f.coverage_json(),
                "status": f.status,
            }

        return {
            "organization": self.organization["code"],
            "program": self.program["code"],
            "period": self.period["code"],
            "coverage": {k: number(v) if k == "threshold" else v for k, v in self.coverage.items()} or None,
            "status_counts": self.status_counts,
            "indicators": [
                {
                    "code": ind.code,
                    "name": ind.name,
                    "unit": ind.unit,
                    "time_rule": ind.time_rule,
                    "direction": ind.direction,
                    "unreported_rule": "strict" if ind.strict else "reported",
                    "decimals": ind.decimals,
                    **figure(ind.figure),
                    "children": [
                        {"organization": child.organization, "target_source": child.target_source, **figure(child)}
                        for child in ind.children
                    ],
                }
                for ind in self.indicators
            ],
            "tasks": tasks_json(self.tasks),
            "tree": self.basis or None,
        }

    def as_dict(self) -> dict:
        """Everything, for a frozen snapshot (reports/models: FrozenReport)."""
        return asdict(self)


def _gap_and_percent(target: TargetValue | None, actual: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    if target is None or actual is None:
        return None, None
    value = target.value
    gap = round_half_up(actual - value, 2)
    if target.comparison in (Comparison.LT, Comparison.LTE):
        percent = (value / actual * HUNDRED) if actual else None
    else:
        percent = (actual / value * HUNDRED) if value else None
    return gap, round_half_up(percent, 1)


def _figure(
    indicator: Indicator,
    organization: Organization,
    measurement: Measurement,
    target: TargetValue | None,
    period: ReportingPeriod,
    today: datetime.date,
) -> Figure:
    status = evaluate(indicator, target, measurement, period, today=today)
    gap, percent = _gap_and_percent(target, measurement.value)
    return Figure(
        organization=organization.code,
        name=organization.display_name,
        actual=measurement.value,
        target=target.value if target else None,
        target_max=target.value_max if target else None,
        comparison=target.comparison if target else None,
        status=str(status),
        numerator=measurement.numerator,
        denominator=measurement.denominator,
        gap=gap,
        percent_achieved=percent,
        level=organization.level.code,
        sector=organization.sector,
        exact=measurement.exact,
        expected=measurement.expected,
        reported=measurement.reported,
        units_are_branches=indicator.units_are_branches,
        target_source=target_source(indicator, organization, target),
    )


def children_and_parent(organization: Organization) -> tuple[list[Organization], Organization | None]:
    """The body's active children (the bodies below the base level aside), by code, and the body above it:
    one query for what the report lists and the header names."""
    children = Q(path__startswith=organization.path, depth=organization.depth + 1, status=OrganizationStatus.ACTIVE)
    wanted = children & ~Q(level__code=Level.BELOW_BASE)
    if organization.depth > 1:
        wanted |= Q(path=organization.parent_path)
    bodies = list(Organization.objects.filter(wanted).select_related("level").order_by("code"))
    parent = next((body for body in bodies if body.depth < organization.depth), None)
    return [body for body in bodies if body is not parent], parent


def report_indicators(program: Program) -> list[Indicator]:
    """The program's measured indicators, as the program lists them, with their program, levels and data elements.

    Those related rows are not joined in (select_related would join seven tables: 1.9 ms of PostgreSQL's
    planning for a 0.4 ms query, on every dashboard computed): the program is the one at hand (a copy,
    since a report of an earlier year may set its scope in memory), the elements and their levels come
    in one small query and the indicators' own levels, when not among those, in another."""
    # The model's ordering would also sort by the program, through its table.
    indicators = list(program.indicators.exclude(measure=Measure.QUALITATIVE).order_by("order", "code"))
    own = copy.copy(program)
    element_ids = {pk for i in indicators for pk in (i.element_id, i.denominator_id, i.eligibility_id) if pk}
    elements = DataElement.objects.select_related("level").in_bulk(element_ids) if element_ids else {}
    levels = {element.level_id: element.level for element in elements.values()}
    missing = {i.level_id for i in indicators if i.level_id is not None} - levels.keys()
    levels |= Level.objects.in_bulk(missing) if missing else {}
    for indicator in indicators:
        indicator.program = own
        indicator.level = levels.get(indicator.level_id)
        indicator.element = elements.get(indicator.element_id)
        indicator.denominator = elements.get(indicator.denominator_id)
        indicator.eligibility = elements.get(indicator.eligibility_id)
    return indicators


@dataclass(frozen=True)
class _Context:
    """What every indicator of one report is measured against: the body, its children, the periods, the targets."""

    organization: Organization
    period: ReportingPeriod
    today: datetime.date
    children: list[Organization]
    trend_periods: list[ReportingPeriod]
    rollups: RollupReader
    book: TargetBook
    trend_books: dict

    @property
    def stored_children(self) -> list[Organization]:
        return [c for c in self.children if not c.is_base]

    @property
    def base_children(self) -> list[Organization]:
        return [c for c in self.children if c.is_base]


def build_report(
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    *,
    today: datetime.date | None = None,
    sector: str = "",
) -> ReportData:
    indicators = report_indicators(program)
    basis = report_basis(organization, period, program)
    if basis.kind == BEFORE:  # targets are read against the program's scope of the time (in memory only)
        scope = basis.scope_id or program.scope_id
        for indicator in indicators:
            indicator.program.scope_id = scope
    if basis.children is not None:
        children, parent = basis.children, None
    else:
        children, parent = children_and_parent(organization)
    if sector:
        children = [c for c in children if not c.is_base or c.sector == sector]
    trend_periods = list(
        ReportingPeriod.objects.filter(
            kind=PeriodKind.ANNUAL, year__gte=program.start_year, year__lte=min(period.year, program.end_year)
        )
    )
    # The bodies above the base level have rollups; a base union's report reads none.
    stored = [body for body in (organization, *children) if not body.is_base]
    rollups = RollupReader(indicators, stored, [period, *trend_periods])
    periods = list({p.pk: p for p in [period, *trend_periods]}.values())  # the report's period first
    # The program's annual periods up to the report's year are every earlier year a cumulative window adds
    # up (within the program's term; after it, window() reads them).
    annual = [(p.pk, p.year) for p in trend_periods] if period.year <= program.end_year + 1 else None
    # What has no rollup is measured partly on a second connection (a base union's years: ~6 ms of the
    # server's planning) while the targets and the tasks are read here.
    measured = rollups.start_measure_base(indicators, organization, periods, [c for c in children if c.is_base], annual)
    book, trend_books = TargetBook.for_report(
        indicators, organization, children, period.year, [p.year for p in trend_periods]
    )
    tasks = build_tasks(organization, program, period, subtree=basis.subtree() if basis.kind == BEFORE else None)
    measured()
    context = _Context(
        organization=organization,
        period=period,
        today=today or timezone.localdate(),
        children=children,
        trend_periods=trend_periods,
        rollups=rollups,
        book=book,
        trend_books=trend_books,
    )
    reports = [_indicator_report(indicator, context) for indicator in indicators]
    counts = count_statuses(report.figure.status for report in reports)
    return ReportData(
        **_header(organization, program, period, basis.parent if basis.kind == BEFORE else parent),
        generated_at=timezone.now().isoformat(),
        indicators=tuple(reports),
        children=tuple({"code": c.code, "name": c.display_name, "level": c.level.code} for c in children),
        status_counts=counts,
        coverage=summary_coverage(reports, program.coverage_threshold),
        tasks=tasks,
        basis=basis.as_dict(),
    )


def _indicator_report(indicator: Indicator, context: _Context) -> IndicatorReport:
    """One indicator's figure for the body, for each child (stored rollups, or measured for base unions) and its trend."""
    organization, period, today, book = context.organization, context.period, context.today, context.book
    own = context.rollups.measurement(indicator, organization, period)
    figure = _figure(indicator, organization, own, book.get(indicator, organization), period, today)
    measurements = {c.pk: context.rollups.measurement(indicator, c, period) for c in context.stored_children}
    measurements.update({c.pk: context.rollups.measurement(indicator, c, period) for c in context.base_children})
    children = tuple(
        _figure(indicator, child, measurements[child.pk], book.get(indicator, child), period, today)
        for child in context.children
    )
    return IndicatorReport(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        measure=indicator.measure,
        time_rule=indicator.time_rule,
        source_text=indicator.source_text,
        figure=figure,
        children=children,
        trend=_trend(indicator, context),
        fits_a_branch=fits_a_branch(indicator),
        direction=indicator.direction,
        strict=indicator.is_strict,
        decimals=indicator.decimals,
        units_are_branches=indicator.units_are_branches,
    )


def _trend(indicator: Indicator, context: _Context) -> tuple[TrendPoint, ...]:
    points = []
    for point in context.trend_periods:
        target = context.trend_books[point.year].get(indicator, context.organization)
        points.append(
            TrendPoint(
                period=point.code,
                year=point.year,
                actual=context.rollups.measurement(indicator, context.organization, point).value,
                target=target.value if target else None,
            )
        )
    return tuple(points)


def _header(organization: Organization, program: Program, period: ReportingPeriod, parent=None) -> dict:
    """Who the report is of (under its parent then: `parent`, else now), for which program and period."""
    parent = parent or organization.parent()
    return {
        "organization": {
            "code": organization.code,
            "name": organization.name,
            "short_name": organization.display_name,
            "level": organization.level.code,
            "parent_name": parent.name if parent else "",
            "parent_short_name": parent.display_name if parent else "",
            "address": organization.address,
            "chair_name": organization.chair_name,
        },
        "program": {
            "code": program.code,
            "number": program.number,
            "kind": program.kind,
            "title": program.title,
            "subject": program.subject,
            "issuer_name": program.issuer_name,
            "issued_on": program.issued_on.isoformat() if program.issued_on else None,
            "start_year": program.start_year,
            "end_year": program.end_year,
        },
        "period": {
            "code": period.code,
            "label": period.label,
            "year": period.year,
            "kind": period.kind,
            "start_on": period.start_on.isoformat(),
            "end_on": period.end_on.isoformat(),
        },
    }
