"""The reporting calendar: which periods exist, which a page shows, which one it opens on.

Periods are calendar rows ("2024", "2024-H1", "2024-H2"). A period nobody has used yet is
an unsaved instance here (get_period); it is saved by the first write in it (period_open).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program

from . import hooks
from .models import PeriodKind, ReportingPeriod

# Periods may be opened from this year on; the calendar shows one year ahead, closed.
FIRST_PERIOD_YEAR = 2000


def _unsaved_period(code: str) -> ReportingPeriod:
    return ReportingPeriod(**ReportingPeriod.bounds(code))


def period_calendar(*, today: datetime.date | None = None) -> list[ReportingPeriod]:
    """Six-monthly and annual periods, newest first: every year with data up to next year (closed).

    Periods not yet used are unsaved instances; opening one creates it.
    """
    today = today or timezone.localdate()
    existing = {p.code: p for p in ReportingPeriod.objects.all()}
    first = min([p.year for p in existing.values()] + [today.year])
    periods: list[ReportingPeriod] = []
    for year in range(today.year + 1, first - 1, -1):
        for code in (str(year), f"{year}-H2", f"{year}-H1"):
            if code.endswith("H2") and code not in existing:
                continue  # the second half is reported with the year, unless a period was opened for it
            periods.append(existing.get(code) or _unsaved_period(code))
    return periods


def program_periods(program: Program, *, today: datetime.date | None = None) -> list[ReportingPeriod]:
    """The periods a program page can show: each started year of the program, and its half-years on record."""
    today = today or timezone.localdate()
    existing = {
        p.code: p for p in ReportingPeriod.objects.filter(year__gte=program.start_year, year__lte=program.end_year)
    }
    periods = []
    for year in program.years:
        if datetime.date(year, 1, 1) > today:
            break
        periods.append(existing.get(str(year)) or _unsaved_period(str(year)))
        periods += [existing[code] for code in (f"{year}-H1", f"{year}-H2") if code in existing]
    return periods


def default_period(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The latest year on record (a year nobody has reported for yet would show nothing)."""
    annual = [p for p in periods if p.kind == PeriodKind.ANNUAL]
    on_record = [p for p in annual if p.pk]
    chosen = on_record or annual or periods
    return max(chosen, key=lambda p: p.end_on) if chosen else None


def choose_period(periods: list[ReportingPeriod], code: str) -> ReportingPeriod | None:
    """The period named `code` (?period=CODE) among `periods` (404 if it is not one), else the default one."""
    code = (code or "").strip()
    if code:
        for period in periods:
            if period.code == code:
                return period
        raise Http404(_("This period is outside the program."))
    return default_period(periods)


def get_period(code: str, *, today: datetime.date | None = None) -> ReportingPeriod:
    """The period a URL names: the saved one, or an unsaved instance for a period nobody has written in yet.

    404 for a malformed code or a year outside FIRST_PERIOD_YEAR .. next year. Reads only: the
    period is saved by the first write in it (period_open, called by every write service).
    """
    today = today or timezone.localdate()
    try:
        fields = ReportingPeriod.bounds(code)
    except ValidationError:
        raise Http404(_("No such reporting period."))
    if not FIRST_PERIOD_YEAR <= fields["year"] <= today.year + 1:
        raise Http404(_("No such reporting period."))
    return ReportingPeriod.objects.filter(code=fields["code"]).first() or ReportingPeriod(**fields)


@transaction.atomic
def period_open(*, code: str) -> ReportingPeriod:
    """The period named `code`, saved on first use (periods are calendar rows). ValidationError for a bad code.

    A new period fires hooks.period_opened once the transaction commits: every dashboard of it
    would otherwise count the registry live (a hundred queries for a province, far more at
    national scale) until an import happens to refresh each subtree.
    """
    fields = ReportingPeriod.bounds(code)
    period, created = ReportingPeriod.objects.get_or_create(code=fields.pop("code"), defaults=fields)
    if created:
        hooks.period_opened.run_on_commit(period=period)
    return period
