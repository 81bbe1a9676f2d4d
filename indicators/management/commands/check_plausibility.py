"""`manage.py check_plausibility [--period CODE] [--organization CODE]`.

The plausibility rules are evaluated when figures are saved; figures saved before a rule was
added (or changed in the admin) have no warnings until this command evaluates the rules over
them in bulk (indicators.quality.services.warnings_backfill). Without --period, every period
that holds figures; without --organization, every body. Running it twice changes nothing more.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from organizations.models import Organization

from ...models import DataValue, QualityWarning, ReportingPeriod
from ...quality.services import RefreshCounts, warnings_backfill


class Command(BaseCommand):
    help = "Evaluate the plausibility rules over the figures already saved, raising the warnings they deserve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="Code of one reporting period (2024, 2024-H1); every period by default.")
        parser.add_argument("--organization", help="Code of a body: only it and the bodies below it are checked.")

    def handle(self, *args, period: str | None, organization: str | None, **options) -> None:
        under = None
        if organization:
            under = Organization.objects.filter(code=organization.strip().upper()).first()
            if under is None:
                raise CommandError(_("There is no organization with code %(code)s.") % {"code": organization})
        if period:
            periods = list(ReportingPeriod.objects.filter(code=period.strip()))
            if not periods:
                raise CommandError(_("There is no reporting period with code %(code)s.") % {"code": period})
        else:
            holding = Q(pk__in=DataValue.objects.values("period_id")) | Q(
                pk__in=QualityWarning.objects.values("period_id")
            )
            periods = list(ReportingPeriod.objects.filter(holding).order_by("start_on", "code"))
        total = RefreshCounts()
        for each in periods:
            counts = warnings_backfill(period=each, under=under)
            self.stdout.write(_line(each.code, counts))
            total = RefreshCounts(*(a + b for a, b in zip(_fields(total), _fields(counts), strict=True)))
        self.stdout.write(self.style.SUCCESS(_line(_("Total"), total)))


def _fields(counts: RefreshCounts) -> tuple[int, int, int, int]:
    return (counts.created, counts.updated, counts.removed, counts.unchanged)


def _line(label: str, counts: RefreshCounts) -> str:
    return _(
        "%(label)s: %(created)s warnings raised, %(updated)s updated, %(removed)s dropped, %(unchanged)s unchanged."
    ) % {"label": label, **counts.__dict__}
