"""Reads for the program and indicator pages, the data-entry grid and the workflow pages.

Each page reads a fixed number of queries whatever the number of branches: the grid
loads its rows, its elements and every value in one query each; actuals come from
the engine (one aggregate per part of a measure, grouped per child for a drill-down).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Level, Organization, OrganizationStatus
from programs.models import Program

from . import engine, services
from .engine import Measurement
from .models import (
    AllocationRule,
    DataElement,
    DataValue,
    Indicator,
    Measure,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    Target,
    TimeRule,
    Waiver,
)
from .models.submission import LOCKED_STATUSES
from .periods import FIRST_PERIOD_YEAR
from .services import AllocationCheck
from .status import Status, TargetBook, TargetValue, evaluate

INDICATOR_RELATED = ("element", "denominator", "eligibility", "level")

# --- reporting periods -------------------------------------------------------------------


def period_for_code(code: str, *, today: datetime.date | None = None) -> ReportingPeriod:
    """The period a URL names, created on first use (periods are calendar rows); 404 for a bad code.

    A new period gets its rollups computed by a background job (reports.rollups.refresh_period).
    """
    today = today or timezone.localdate()
    try:
        fields = ReportingPeriod.bounds(code)
    except ValidationError:
        raise Http404(_("No such reporting period."))
    if not FIRST_PERIOD_YEAR <= fields["year"] <= today.year + 1:
        raise Http404(_("No such reporting period."))
    code = fields.pop("code")
    period, created = ReportingPeriod.objects.get_or_create(code=code, defaults=fields)
    if created:
        # The explicit refresh step of a new period: without its rollups every dashboard of it
        # counts the registry live (a hundred queries for a province, far more at national scale)
        # until an import happens to refresh each subtree. Once per period, off the request.
        from reports.rollups import refresh_period
        from unionportal.jobs import run_in_background

        transaction.on_commit(partial(run_in_background, refresh_period, period.pk))
    return period


# --- targets and status ------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """One indicator for one organization and period: its target, the actual and the status."""

    indicator: Indicator
    target: TargetValue | None
    measurement: Measurement
    status: Status
    allocation: AllocationCheck | None = None

    @property
    def is_qualitative(self) -> bool:
        return self.indicator.measure == Measure.QUALITATIVE


def allocation_year(indicator: Indicator, period: ReportingPeriod) -> int | None:
    """Targets of a yearly indicator are allocated per year; the others for the whole term."""
    return period.year if indicator.time_rule == TimeRule.EVERY_YEAR else None


def program_indicators(program: Program) -> list[Indicator]:
    indicators = list(program.indicators.select_related(*INDICATOR_RELATED).order_by("order", "code"))
    for indicator in indicators:
        indicator.program = program  # the engine and the rules read the program's years and scope
    return indicators


def scorecard(
    program: Program, organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[Score]:
    """Every indicator of the program for the organization's subtree and the period.

    The number of queries depends on the number of indicators (each measure is its own
    aggregate), never on the number of branches or values.
    """
    today = today or timezone.localdate()
    indicators = program_indicators(program)
    targets = TargetBook(indicators, [organization], period.year)
    scores = []
    for indicator in indicators:
        target = targets.get(indicator, organization)
        measurement = engine.measure(indicator, organization, period) if period.pk else engine.NO_DATA
        allocation = None
        if indicator.allocation != AllocationRule.NONE and not organization.is_base:
            check = services.allocation_check(
                indicator=indicator, parent=organization, year=allocation_year(indicator, period)
            )
            if check.parent_value is not None or check.children_value is not None:
                allocation = check
        scores.append(
            Score(
                indicator=indicator,
                target=target,
                measurement=measurement,
                status=evaluate(indicator, target, measurement, period, today=today),
                allocation=allocation,
            )
        )
    return scores


def status_counts(scores: list[Score]) -> dict[str, int]:
    counts = dict.fromkeys(Status, 0)
    for score in scores:
        counts[score.status] += 1
    return {status.value: counts[status] for status in Status}


@dataclass(frozen=True)
class ChildScore:
    organization: Organization
    target: TargetValue | None
    measurement: Measurement
    status: Status


def children_of(parent: Organization, period: ReportingPeriod) -> list[Organization]:
    """The bodies directly below that existed at the end of the period."""
    return list(
        Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .active_on(period.end_on)
        .select_related("level")
        .order_by("code")
    )


def children_scores(
    indicator: Indicator, parent: Organization, period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[ChildScore]:
    today = today or timezone.localdate()
    children = children_of(parent, period)
    if period.pk:
        measurements = engine.measure_children(indicator, parent, period, children)
    else:
        measurements = {child.pk: engine.NO_DATA for child in children}
    targets = TargetBook([indicator], children, period.year)
    scores = []
    for child in children:
        target = targets.get(indicator, child)
        scores.append(
            ChildScore(
                organization=child,
                target=target,
                measurement=measurements[child.pk],
                status=evaluate(indicator, target, measurements[child.pk], period, today=today),
            )
        )
    return scores


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


# --- the data-entry grid -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    element: DataElement
    organization: Organization
    value: DataValue | None

    @property
    def version(self) -> int:
        return self.value.version if self.value else 0

    @property
    def raw(self):
        return self.value.raw if self.value else None

    @property
    def filled(self) -> bool:
        return self.raw is not None


@dataclass(frozen=True)
class Row:
    organization: Organization
    cells: list[Cell | None]  # None where the element does not apply to this body (its sector)

    @property
    def expected(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)

    @property
    def filled(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.filled)

    @property
    def complete(self) -> bool:
        return self.filled == self.expected


@dataclass(frozen=True)
class Progress:
    complete: int  # branches with every cell filled
    total: int
    own_filled: int
    own_expected: int

    @property
    def incomplete(self) -> int:
        return self.total - self.complete


@dataclass(frozen=True)
class Grid:
    organization: Organization  # whose grid: an upper-level union (its branches) or one branch
    period: ReportingPeriod
    columns: list[DataElement]
    rows: list[Row]
    own: Row | None  # the organization's own figures, when it is above the base level
    progress: Progress = field(compare=False)


def grid_rows(organization: Organization, period: ReportingPeriod) -> list[Organization]:
    """The branches of a grid: an upper-level union's base unions that existed at the end of the period.

    A base union's own grid has its one row.
    """
    if organization.is_base:
        return [organization]
    return list(
        Organization.objects.filter(
            path__startswith=organization.path, depth=organization.depth + 1, level__code=Level.BASE
        )
        .active_on(period.end_on)
        .select_related("level")
        .order_by("code")
    )


def _elements(period: ReportingPeriod, levels: set[int]) -> list[DataElement]:
    return [
        e for e in DataElement.objects.filter(level_id__in=levels).order_by("order", "code") if e.collected_in(period)
    ]


def _values(period: ReportingPeriod, organizations: list[Organization], elements: list[DataElement]) -> dict:
    by_pk = {e.pk: e for e in elements}
    values = {}
    for value in DataValue.objects.filter(
        period=period, organization__in=organizations, element__in=elements
    ).select_related("updated_by"):
        value.element = by_pk[value.element_id]  # already loaded: no query per value
        values[(value.organization_id, value.element_id)] = value
    return values


def _row(organization: Organization, elements: list[DataElement], values: dict) -> Row:
    return Row(
        organization=organization,
        cells=[
            Cell(e, organization, values.get((organization.pk, e.pk))) if e.applies_to(organization) else None
            for e in elements
        ],
    )


def grid_for(organization: Organization, period: ReportingPeriod) -> Grid:
    rows = grid_rows(organization, period)
    own_level = None if organization.is_base else organization.level_id
    levels = {r.level_id for r in rows} | ({own_level} if own_level else set())
    elements = _elements(period, levels)
    columns = [e for e in elements if any(e.applies_to(r) for r in rows)]
    own_elements = [e for e in elements if own_level and e.applies_to(organization)]
    values = _values(period, [*rows, organization], elements)
    branch_rows = [_row(r, columns, values) for r in rows]
    own = _row(organization, own_elements, values) if own_level else None
    return Grid(
        organization=organization,
        period=period,
        columns=columns,
        rows=branch_rows,
        own=own,
        progress=_progress(branch_rows, own),
    )


def _progress(rows: list[Row], own: Row | None) -> Progress:
    return Progress(
        complete=sum(1 for row in rows if row.expected and row.complete),
        total=sum(1 for row in rows if row.expected),
        own_filled=own.filled if own else 0,
        own_expected=own.expected if own else 0,
    )


def grid_cell(
    organization: Organization, element: DataElement, period: ReportingPeriod
) -> Cell:  # one cell, re-read after a save
    value = (
        DataValue.objects.filter(period=period, organization=organization, element=element)
        .select_related("updated_by")
        .first()
    )
    if value is not None:
        value.element = element
    return Cell(element, organization, value)


# --- the workflow -----------------------------------------------------------------------------


def _events() -> Prefetch:
    return Prefetch("events", queryset=SubmissionEvent.objects.select_related("by").order_by("at", "id"))


def submission_of(organization: Organization, period: ReportingPeriod) -> Submission | None:
    if not period.pk:
        return None
    return (
        Submission.objects.filter(organization=organization, period=period)
        .select_related("period")
        .prefetch_related(_events())
        .first()
    )


def submitted_late(submission: Submission | None) -> bool:
    """Submitted after the deadline, by the date in Việt Nam (the deadline is a local date)."""
    if submission is None or submission.submitted_at is None:
        return False
    return timezone.localtime(submission.submitted_at).date() > submission.period.deadline


@dataclass(frozen=True)
class ReviewRow:
    organization: Organization
    submission: Submission | None
    waiver: Waiver | None
    late: bool

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.DRAFT

    @property
    def events(self) -> list[SubmissionEvent]:
        return list(self.submission.events.all()) if self.submission else []


def review_rows(
    parent: Organization, period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[ReviewRow]:
    """The children that submit to `parent`, each with its submission, waiver and late flag."""
    today = today or timezone.localdate()
    children = services.reporting_children(parent)
    submissions: dict[int, Submission] = {}
    waivers: dict[int, Waiver] = {}
    if period.pk:
        submissions = {
            s.organization_id: s
            for s in Submission.objects.filter(organization__in=children, period=period)
            .select_related("period")
            .prefetch_related(_events())
        }
        waivers = {
            w.organization_id: w
            for w in Waiver.objects.filter(organization__in=children, period=period).select_related("by")
        }
    overdue = today > period.deadline
    rows = []
    for child in children:
        submission, waiver = submissions.get(child.pk), waivers.get(child.pk)
        done = submission is not None and submission.status in LOCKED_STATUSES
        late = submitted_late(submission) if done else (overdue and waiver is None)
        rows.append(ReviewRow(organization=child, submission=submission, waiver=waiver, late=late))
    return rows


@dataclass(frozen=True)
class LevelProgress:
    """'18 of 20 submitted, 2 late' for the bodies of one level below an organization, for one period."""

    level: Level
    expected: int
    submitted: int  # submitted or accepted
    accepted: int
    waived: int
    late: int  # submitted after the deadline
    overdue: int  # neither submitted nor let off, and the deadline has passed

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted - self.waived, 0)


def completeness_by_level(
    organization: Organization, periods: list[ReportingPeriod], *, today: datetime.date | None = None
) -> dict[str, list[LevelProgress]]:
    """For each period (by code), the submissions of every reporting level below the organization.

    Three queries whatever the number of periods and bodies: the bodies per level, the
    submissions and the waivers, each grouped by period and level.
    """
    today = today or timezone.localdate()
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    units = Organization.objects.filter(
        path__startswith=organization.path,
        depth__gt=organization.depth,
        status=OrganizationStatus.ACTIVE,
        level__rank__lt=base_rank,
    )
    expected = {row["level"]: row["n"] for row in units.values("level").annotate(n=Count("pk")).order_by()}
    if not expected:
        return {p.code: [] for p in periods}
    levels = {level.pk: level for level in Level.objects.filter(pk__in=expected).order_by("rank")}
    saved = [p for p in periods if p.pk]
    locked = Q(status__in=LOCKED_STATUSES)
    submitted = (
        Submission.objects.filter(organization__in=units, period__in=saved)
        .values("period_id", "organization__level_id")
        .annotate(
            submitted=Count("pk", filter=locked),
            accepted=Count("pk", filter=Q(status=SubmissionStatus.ACCEPTED)),
            late=Count("pk", filter=locked & Q(submitted_at__date__gt=F("period__deadline"))),
        )
        .order_by()
    )
    counts = {(row["period_id"], row["organization__level_id"]): row for row in submitted}
    waived = {
        (row["period_id"], row["organization__level_id"]): row["n"]
        for row in Waiver.objects.filter(organization__in=units, period__in=saved)
        .values("period_id", "organization__level_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    result: dict[str, list[LevelProgress]] = {}
    for period in periods:
        lines = []
        for level_id, level in levels.items():
            row = counts.get((period.pk, level_id), {}) if period.pk else {}
            n_submitted, n_waived = row.get("submitted", 0), waived.get((period.pk, level_id), 0)
            missing = max(expected[level_id] - n_submitted - n_waived, 0)
            lines.append(
                LevelProgress(
                    level=level,
                    expected=expected[level_id],
                    submitted=n_submitted,
                    accepted=row.get("accepted", 0),
                    waived=n_waived,
                    late=row.get("late", 0),
                    overdue=missing if today > period.deadline else 0,
                )
            )
        result[period.code] = lines
    return result


def own_submissions(organization: Organization, periods: list[ReportingPeriod]) -> dict[str, Submission]:
    """The organization's submission of each period, by period code (one query)."""
    saved = [p for p in periods if p.pk]
    return {
        s.period.code: s
        for s in Submission.objects.filter(organization=organization, period__in=saved).select_related("period")
    }
