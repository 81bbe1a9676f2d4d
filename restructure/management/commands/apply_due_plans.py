"""`manage.py apply_due_plans [--date YYYY-MM-DD]`: apply the scheduled restructuring plans whose day has come.

Run once a day just after midnight (Celery beat in production, cron in the embedded mode:
README.md); a plan is applied once, so running it again does nothing more.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from restructure.scheduling import apply_due_plans
from unionportal.jobs import jobs_inline


class Command(BaseCommand):
    help = "Apply the scheduled restructuring plans whose effective date has come."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to apply plans for (YYYY-MM-DD); today in Việt Nam by default")

    def handle(self, *args, date: str | None = None, **options) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date is written YYYY-MM-DD, e.g. 2025-07-01.")
        with jobs_inline():  # the rollups' refresh runs before the command ends
            result = apply_due_plans(today)
        for plan in result.applied:
            self.stdout.write(f"applied: {plan.pk} {plan.name}")
        for plan, reasons in result.refused:
            self.stdout.write(f"refused: {plan.pk} {plan.name}: {' '.join(reasons)}")
        self.stdout.write(f"{result.day}: {len(result.applied)} plans applied, {len(result.refused)} refused")
