"""Reads of the submit–accept workflow: who reports to whom, what is locked, who is late.

Each page reads a fixed number of queries whatever the number of bodies below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from organizations.models import Level, Organization, OrganizationStatus
from programs.models import ProgramSection

from ..models import ReportingPeriod, Submission, SubmissionEvent, SubmissionStatus, TaskReport, Waiver
from ..models.submission import LOCKED_STATUSES


def reporting_unit(organization: Organization) -> Organization:
    """The body whose submission carries this organization's figures.

    Base unions and the units below them do not submit: their upper-level union enters
    and submits their figures, so it is the nearest ancestor above the base level.
    """
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    if organization.level.rank < base_rank:
        return organization
    for ancestor in reversed(list(organization.ancestors())):
        if ancestor.level.rank < base_rank:
            return ancestor
    return organization


def reporting_children(organization: Organization) -> list[Organization]:
    """The children that submit to this organization: active bodies above the base level."""
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    return list(
        organization.children().filter(status=OrganizationStatus.ACTIVE, level__rank__lt=base_rank).order_by("code")
    )


def is_locked(organization: Organization, period: ReportingPeriod) -> bool:
    if not period.pk:
        return False  # nobody has written in this period yet, let alone submitted
    unit = reporting_unit(organization)
    return Submission.objects.filter(organization=unit, period=period, status__in=LOCKED_STATUSES).exists()


def children_not_in(organization: Organization, period: ReportingPeriod) -> list[Organization]:
    """Children that have neither submitted (or been accepted) nor been waived for the period."""
    children = reporting_children(organization)
    if not period.pk:
        return children
    done = set(
        Submission.objects.filter(organization__in=children, period=period, status__in=LOCKED_STATUSES).values_list(
            "organization_id", flat=True
        )
    )
    waived = set(
        Waiver.objects.filter(organization__in=children, period=period).values_list("organization_id", flat=True)
    )
    return [c for c in children if c.pk not in done and c.pk not in waived]


@dataclass(frozen=True)
class UnrecordedTask:
    """A task a body answers for with no status recorded for the period: its submission waits for it."""

    section: ProgramSection
    organization: Organization


def tasks_unrecorded(organization: Organization, period: ReportingPeriod) -> list[UnrecordedTask]:
    """The tasks of the programs in force in the period that the organization, or one of the base
    unions whose figures it submits, answers for and has recorded no status of for the period.

    The submission carries those bodies' tasks as it carries their figures (it locks them both),
    so it waits for each of them. One query whatever the number of tasks and bodies.
    """
    own_branches = Q(
        organization__path__startswith=organization.path,
        organization__depth=organization.depth + 1,
        organization__level__code=Level.BASE,
        organization__status=OrganizationStatus.ACTIVE,
    )
    links = ProgramSection.responsible.through.objects.filter(
        Q(organization=organization) | own_branches,
        programsection__program__start_year__lte=period.year,
        programsection__program__end_year__gte=period.year,
    )
    if period.pk:
        recorded = TaskReport.objects.filter(
            period=period, section_id=OuterRef("programsection_id"), organization_id=OuterRef("organization_id")
        )
        links = links.exclude(Exists(recorded))
    links = links.select_related("programsection__program", "organization").order_by(
        "programsection__program__code", "programsection__order", "programsection_id", "organization__path"
    )
    return [UnrecordedTask(section=link.programsection, organization=link.organization) for link in links]


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
    children = reporting_children(parent)
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


@dataclass(frozen=True)
class Completeness:
    expected: int
    submitted: int  # submitted or accepted
    accepted: int
    late: int
    waived: int


def completeness(organization: Organization, period: ReportingPeriod) -> Completeness:
    """ "18 of 20 submitted, 2 late": the children's submissions of one period."""
    children = reporting_children(organization)
    saved = period.pk is not None
    submissions = list(
        Submission.objects.filter(organization__in=children, period=period).select_related("period") if saved else []
    )
    done = [s for s in submissions if s.status in LOCKED_STATUSES]
    waived = Waiver.objects.filter(organization__in=children, period=period).count() if saved else 0
    today = timezone.localdate()
    late_missing = 0 if today <= period.deadline else len(children) - len(done) - waived
    return Completeness(
        expected=len(children),
        submitted=len(done),
        accepted=sum(1 for s in done if s.status == SubmissionStatus.ACCEPTED),
        late=sum(1 for s in done if s.is_late) + max(late_missing, 0),
        waived=waived,
    )
