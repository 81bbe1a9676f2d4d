"""The deadline sweep: remind each body that has not submitted a period due in 7 days, tomorrow, or overdue.

    send_reminders(today=None)  # manage.py send_reminders; Celery beat at 07:00 in production

Which bodies must report a period is what the periods page counts (indicators/workflow/
selectors.py: completeness_by_level): the active bodies above the base level below the scope
of a program in force that year; base unions do not submit, their upper-level union does.
A body has done its part when its submission is submitted or accepted, or when it was let
off (a waiver); a returned report is not done.

Set-based: for each period that is due, one query finds every body to remind, one insert
writes their ledger rows (notifications.models.ReminderSent: one per body, period, kind and
day, so running twice a day sends nothing twice) and one query reads back the bodies this run
wrote, batch by batch; each batch is one transaction whose events are published on commit.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from indicators.models import ReportingPeriod, Submission, Waiver
from indicators.models.submission import LOCKED_STATUSES
from indicators.periods import period_open
from organizations.models import Level, Organization, OrganizationStatus
from programs.models import Program, ProgramStatus

from .events import DEADLINE_1, DEADLINE_7, OVERDUE, Event, publish
from .models import ReminderSent

BATCH_SIZE = 500
# A body stays reminded of an overdue period every day for this long after its deadline; after
# that the body above has waived it or chased it by other means, and a daily message is noise.
OVERDUE_FOR = datetime.timedelta(days=90)


@dataclass
class SweepResult:
    day: datetime.date
    sent: dict[tuple[str, str], int] = field(default_factory=dict)  # (period code, kind) -> reminders

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def due_periods(today: datetime.date) -> list[tuple[ReportingPeriod, str]]:
    """The periods whose deadline is 7 days away, tomorrow, or passed (within OVERDUE_FOR), with that kind.

    The calendar's periods: each year and its first half; a second half only if it was opened
    (it is otherwise reported with the year, as indicators.periods.period_calendar shows it).
    """
    saved = {p.code: p for p in ReportingPeriod.objects.filter(year__gte=today.year - 2, year__lte=today.year + 1)}
    due = []
    for year in range(today.year - 2, today.year + 1):
        for code in (str(year), f"{year}-H1", f"{year}-H2"):
            if code.endswith("H2") and code not in saved:
                continue
            period = saved.get(code) or ReportingPeriod(**ReportingPeriod.bounds(code))
            kind = deadline_kind(period.deadline, today)
            if kind:
                due.append((period, kind))
    return due


def deadline_kind(deadline: datetime.date, today: datetime.date) -> str | None:
    if deadline == today + datetime.timedelta(days=7):
        return DEADLINE_7
    if deadline == today + datetime.timedelta(days=1):
        return DEADLINE_1
    if today - OVERDUE_FOR <= deadline < today:
        return OVERDUE
    return None


def bodies_to_remind(period: ReportingPeriod, kind: str, today: datetime.date) -> QuerySet[Organization]:
    """The bodies that must report the period, have not, and have not been reminded of it today."""
    scopes = (
        Program.objects.filter(status=ProgramStatus.ACTIVE)
        .in_force_in(period.year)
        .values_list("scope__path", "scope__depth")
    )
    inside = Q(pk__in=[])
    for path, depth in scopes:
        inside |= Q(path__startswith=path, depth__gt=depth)
    base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
    bodies = Organization.objects.filter(inside, status=OrganizationStatus.ACTIVE, level__rank__lt=base_rank)
    if period.pk is None:
        return bodies  # nobody has written in the period yet: nobody has submitted it
    return (
        bodies.exclude(
            pk__in=Submission.objects.filter(period=period, status__in=LOCKED_STATUSES).values("organization_id")
        )
        .exclude(pk__in=Waiver.objects.filter(period=period).values("organization_id"))
        .exclude(pk__in=ReminderSent.objects.filter(period=period, kind=kind, day=today).values("organization_id"))
    )


def send_reminders(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Publish a DEADLINE_7, DEADLINE_1 or OVERDUE event to each body due one today, once a day at most."""
    today = today or timezone.localdate()
    result = SweepResult(day=today)
    for period, kind in due_periods(today):
        ids = list(bodies_to_remind(period, kind, today).order_by("path").values_list("pk", flat=True))
        if not ids:
            continue
        if period.pk is None:
            period = period_open(code=period.code)  # the ledger names the period
        sent = 0
        for chunk in _batched(ids, batch_size):
            sent += _remind(period, kind, today, chunk)
        result.sent[(period.code, kind)] = sent
    return result


def send_reminders_job() -> None:
    """The scheduled job (Celery beat): today's sweep."""
    send_reminders()


def _batched(ids: list[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _remind(period: ReportingPeriod, kind: str, today: datetime.date, ids: Sequence[int]) -> int:
    """One batch in one transaction: the ledger rows this run wins, and an event for each of them on commit."""
    run = uuid.uuid4()
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [ReminderSent(organization_id=pk, period=period, kind=kind, day=today, run=run) for pk in ids],
            ignore_conflicts=True,  # another run wrote the row first: that run sends it
        )
        count = 0
        for organization in _won(run):
            path = reverse("indicators:grid", args=[period.code, organization.code])
            publish(Event(kind=kind, organization=organization, period=period, path=path))
            count += 1
    return count


def _won(run: uuid.UUID) -> Iterator[Organization]:
    won = ReminderSent.objects.filter(run=run).values("organization_id")
    yield from Organization.objects.filter(pk__in=won).select_related("level").order_by("path")
