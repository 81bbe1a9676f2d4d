"""Reads of the qualitative tasks: which tasks a body answers for, what each recorded, and the roll-up above.

A task is a section of tasks of a program in force in the period's year; its responsible
bodies are those the section names. An upper level sees, for every task some body of its
subtree answers for, each such body's status and the counts per status. Three queries
whatever the number of tasks and bodies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from organizations.models import Organization
from programs.models import Program, ProgramSection

from ..models import ReportingPeriod, TaskEvidence, TaskReport, TaskStatus
from ..workflow.selectors import is_locked

NOT_REPORTED = "not_reported"
# The order of the counts on every page and in the report.
COUNTED = (*TaskStatus.values, NOT_REPORTED)


@dataclass(frozen=True)
class BodyTask:
    """One responsible body's record of a task for the period (report None: nothing recorded yet)."""

    organization: Organization
    report: TaskReport | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_REPORTED

    @property
    def evidence(self) -> list[TaskEvidence]:
        return list(self.report.evidence.all()) if self.report else []


@dataclass(frozen=True)
class TaskRollup:
    """A task and the bodies of one subtree that answer for it."""

    section: ProgramSection
    bodies: list[BodyTask] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COUNTED, 0)
        for body in self.bodies:
            counts[body.status] += 1
        return counts

    def of(self, organization: Organization) -> BodyTask | None:
        return next((b for b in self.bodies if b.organization.pk == organization.pk), None)

    def below(self, organization: Organization) -> list[BodyTask]:
        return [b for b in self.bodies if b.organization.pk != organization.pk]


def task_rollups(
    organization: Organization, period: ReportingPeriod, *, program: Program | None = None, subtree: Q | None = None
) -> list[TaskRollup]:
    """Every task of a program in force in the period that a body of the organization's subtree
    (itself included) answers for, with those bodies and what each recorded for the period.
    `subtree`: another set of bodies, as a filter on their path (the tree before a restructuring)."""
    subtree = subtree if subtree is not None else Q(path__startswith=organization.path)
    # The tasks are those some body of the subtree answers for: read with those bodies, in one query.
    links = ProgramSection.responsible.through.objects.filter(organization__in=Organization.objects.filter(subtree))
    if program is not None:
        # One program, at hand: its years are checked here and it is not joined in (a table less to plan).
        if not program.start_year <= period.year <= program.end_year:
            return []
        links = links.filter(programsection__program=program).select_related("programsection", "organization__level")
        links = links.order_by("programsection__order", "programsection_id", "organization__path")
    else:
        links = links.filter(
            programsection__program__start_year__lte=period.year, programsection__program__end_year__gte=period.year
        ).select_related("programsection__program", "organization__level")
        links = links.order_by(
            "programsection__program__code", "programsection__order", "programsection_id", "organization__path"
        )
    found: dict[int, ProgramSection] = {}
    bodies: dict[int, list[Organization]] = {}
    for link in links:
        found.setdefault(link.programsection_id, link.programsection)
        bodies.setdefault(link.programsection_id, []).append(link.organization)
    sections = list(found.values())
    if not sections:
        return []
    if program is not None:
        for section in sections:
            section.program = program
    reports: dict[tuple[int, int], TaskReport] = {}
    if period.pk:
        rows = TaskReport.objects.filter(
            section__in=sections, organization__in=Organization.objects.filter(subtree), period=period
        ).prefetch_related(Prefetch("evidence", queryset=TaskEvidence.objects.order_by("uploaded_at", "id")))
        reports = {(r.section_id, r.organization_id): r for r in rows}
    return [
        TaskRollup(
            section=section,
            bodies=[BodyTask(o, reports.get((section.pk, o.pk))) for o in bodies.get(section.pk, [])],
        )
        for section in sections
    ]


CLOSED, SUBMITTED = "closed", "submitted"


def task_lock(organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None) -> str:
    """Why the body's tasks of the period take no change now (CLOSED, SUBMITTED), or "".

    The same lock as its figures: a period not started, or the body's submission sent up.
    """
    if not period.is_open(today):
        return CLOSED
    if is_locked(organization, period):
        return SUBMITTED
    return ""
