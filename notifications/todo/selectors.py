"""The to-do list of one user, "Việc cần làm", built from what the database already knows. Reads only.

Scoped like every page: each item comes from one of the user's assignments and what its role
may do there (organizations/permissions.py). With ENTER_DATA at a body that reports: its
periods to fill, its reports returned, its data-quality warnings; at a base union: the periods
whose figures it enters in its district's grid. With REVIEW: the bodies that report to it —
their reports waiting for a decision, and those late, each with "Nhắc". Everyone: their own
imports and report files of the last days. A district never hears of its sibling: nothing is
read outside the subtrees of the user's assignments.

A fixed number of queries whatever the size of the subtree (at most QUERIES, asserted in
tests/notifications/test_todo.py with a small and a large district): everything is read by
IN lists and GROUP BY, never per body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imports.models import ImportJob, ImportStatus
from indicators.models import ReportingPeriod, SubmissionStatus
from indicators.models.submission import LOCKED_STATUSES
from organizations.models import Level, Organization, OrganizationStatus
from organizations.permissions import ROLE_ACTIONS, Action, scope_for
from reports.models import ReportFile
from reports.models.report_file import ReportFileStatus
from unionportal.templatetags.vn import person_name

from . import below, progress
from .items import FILL, IMPORT, REPORT_FILE, RETURNED, Item, Todo

AHEAD = 45  # days before its deadline a period appears in the list
BEHIND = 183  # days after its deadline a period not sent stays in it
RECENT = datetime.timedelta(days=7)  # finished imports and report files
SHOWN = 5  # imports, and report files, listed at most
QUERIES = 16  # the most the list reads (the user's assignments included)


@dataclass
class Where:
    """The user's assignments, sorted by what they give to do."""

    user: object
    today: datetime.date
    base_rank: int
    periods: list[ReportingPeriod]  # the periods of the list: due soon or overdue, newest first
    units: list[Organization] = field(default_factory=list)  # bodies whose reports the user sends
    branches: list[Organization] = field(default_factory=list)  # base unions whose figures the user enters
    parents: list[Organization] = field(default_factory=list)  # bodies whose children's reports the user decides

    @property
    def saved(self) -> list[ReportingPeriod]:
        return [p for p in self.periods if p.pk]


def window_periods(today: datetime.date) -> list[ReportingPeriod]:
    """This year's and last year's periods that are due within AHEAD days, or were due at most BEHIND days ago.

    A second half appears only when it was opened (the reporting calendar reports it with the year).
    """
    codes = [code for year in (today.year, today.year - 1) for code in (str(year), f"{year}-H2", f"{year}-H1")]
    saved = {p.code: p for p in ReportingPeriod.objects.filter(code__in=codes)}
    periods = []
    for code in codes:
        if code.endswith("H2") and code not in saved:
            continue
        period = saved.get(code) or ReportingPeriod(**ReportingPeriod.bounds(code))
        if period.start_on <= today and -BEHIND <= (period.deadline - today).days <= AHEAD:
            periods.append(period)
    return periods


def _where(user, today: datetime.date) -> Where | None:
    scope = scope_for(user)
    if not scope.grants:
        return None  # an administrator without an assignment has no to-do of their own
    ranks = dict(Level.objects.values_list("code", "rank"))
    where = Where(user=user, today=today, base_rank=ranks[Level.BASE], periods=window_periods(today))
    organizations = {
        o.path: o
        for o in Organization.objects.filter(
            path__in={g.path for g in scope.grants}, status=OrganizationStatus.ACTIVE
        ).select_related("level")
    }
    for grant in sorted(scope.grants, key=lambda g: g.path):
        organization, actions = organizations.get(grant.path), ROLE_ACTIONS.get(grant.role, frozenset())
        if organization is None:
            continue
        reports = organization.level.rank < where.base_rank
        if Action.ENTER_DATA in actions:
            target = where.units if reports else where.branches
            if organization.level.code != Level.BELOW_BASE and organization not in target:
                target.append(organization)
        if Action.REVIEW in actions and reports and organization not in where.parents:
            where.parents.append(organization)
    return where


def todo_for(user, *, today: datetime.date | None = None, now: datetime.datetime | None = None) -> Todo:
    """Everything the user has to do, in the order of items.ORDER (at most QUERIES queries)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    items: list[Item] = []
    where = _where(user, today)
    if where is not None:
        own = progress.own_submissions(where)
        children = below.children_state(where)
        items += _returned(where, own)
        items += below.decision_items(where, children) + below.late_items(where, children)
        items += _to_fill(where, own, progress.unit_progress(where, children))
        items += progress.warning_items(where, own)
    items += _imports(user, now) + _report_files(user, now)
    return Todo(tuple(sorted(items, key=lambda item: item.sort)))


def _returned(where: Where, own: progress.Own) -> list[Item]:
    items = []
    for submission in own.returned:
        unit, period = submission.organization, submission.period
        last = submission.returns[0] if submission.returns else None
        items.append(
            Item(
                kind=RETURNED,
                title=_("%(name)s: the report of %(period)s was returned")
                % {"name": unit.display_name, "period": period.label.lower()},
                url=reverse("indicators:grid", args=[period.code, unit.code]),
                tone="danger",
                organization=unit,
                period=period,
                due=period.deadline,
                days_left=(period.deadline - where.today).days,
                comment=last.comment if last else "",
                comment_by=person_name(last.by) if last else "",
                comment_at=last.at if last else None,
                sort=(0, -period.end_on.toordinal(), unit.path),
            )
        )
    return items


def _to_fill(where: Where, own: progress.Own, done: dict[tuple[int, str], tuple[str, ...]]) -> list[Item]:
    """A period whose report the user sends (or whose figures they enter), not yet sent."""
    items = []
    for unit in where.units + where.branches:
        sends = unit in where.units
        reporter = unit.path if sends else unit.parent_path
        for period in where.periods:
            status = own.status.get((reporter, period.code))
            if status in LOCKED_STATUSES or (sends and status == SubmissionStatus.RETURNED):
                continue  # sent; or returned, which is the item of who sends it (a branch corrects its figures)
            days_left = (period.deadline - where.today).days
            items.append(
                Item(
                    kind=FILL,
                    title=_("%(name)s: the report of %(period)s")
                    % {"name": unit.display_name, "period": period.label.lower()},
                    url=reverse("indicators:grid", args=[period.code, unit.code]),
                    tone="danger" if days_left < 0 else "warning" if days_left <= 7 else "primary",
                    organization=unit,
                    period=period,
                    due=period.deadline,
                    days_left=days_left,
                    details=done.get((unit.pk, period.code), ()),
                    sort=(3, period.deadline.toordinal(), unit.path),
                )
            )
    return items


IMPORT_TONES = {
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
    ImportStatus.INVALID: "danger",
    ImportStatus.VALID: "warning",
}


def _imports(user, now: datetime.datetime) -> list[Item]:
    """The user's imports of the last days that finished, failed, or wait for a confirmation."""
    jobs = (
        ImportJob.objects.filter(user=user, status__in=list(IMPORT_TONES), created_at__gte=now - RECENT)
        .only("pk", "kind", "status", "original_name", "created_at", "finished_at", "error_count", "row_count")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    return [
        Item(
            kind=IMPORT,
            title=_("Excel import «%(file)s»: %(status)s")
            % {"file": job.original_name, "status": job.get_status_display().lower()},
            url=reverse("imports:job", args=[job.pk]),
            tone=IMPORT_TONES[job.status],
            details=_import_details(job),
            sort=(5, -job.created_at.timestamp()),
        )
        for job in jobs
    ]


def _import_details(job: ImportJob) -> tuple[str, ...]:
    if job.status == ImportStatus.VALID:
        return (_("checked, waiting for your confirmation"),)
    if job.status == ImportStatus.INVALID:
        return (
            ngettext("%(count)s error to correct", "%(count)s errors to correct", job.error_count)
            % {"count": job.error_count},
        )
    if job.status == ImportStatus.DONE:
        return (ngettext("%(count)s row", "%(count)s rows", job.row_count) % {"count": job.row_count},)
    return ()


def _report_files(user, now: datetime.datetime) -> list[Item]:
    """The report files the user asked for in the last days, ready or failed, in bodies they still see."""
    files = (
        ReportFile.objects.filter(
            scope_for(user).q("organization__path"),
            requested_by=user,
            status__in=(ReportFileStatus.DONE, ReportFileStatus.FAILED),
            created_at__gte=now - RECENT,
        )
        .select_related("organization", "program", "period")
        .defer("message")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    items = []
    for report_file in files:
        done = report_file.status == ReportFileStatus.DONE
        words = {"format": report_file.get_format_display(), "name": report_file.organization.display_name}
        items.append(
            Item(
                kind=REPORT_FILE,
                title=(
                    _("%(format)s report file of %(name)s is ready")
                    if done
                    else _("%(format)s report file of %(name)s failed")
                )
                % words,
                url=reverse("reports:file_download", args=[report_file.organization.code, report_file.pk])
                if done
                else reverse(
                    "reports:document",
                    args=[report_file.organization.code, report_file.program.code, report_file.period.code],
                )
                + "#files",
                tone="success" if done else "danger",
                organization=report_file.organization,
                period=report_file.period,
                details=(report_file.program.code, report_file.period.label),
                sort=(6, -report_file.created_at.timestamp()),
            )
        )
    return items
