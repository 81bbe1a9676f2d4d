"""`manage.py send_reminders [--date YYYY-MM-DD]`: the daily deadline sweep, then the webhooks that are due.

Run once a day (Celery beat at 07:00 in production, cron in the embedded mode: README.md);
running it again the same day sends nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.sweep import send_reminders
from notifications.webhooks import deliver_due, wait_for_drain


class Command(BaseCommand):
    help = "Remind the bodies that have not submitted a period due in 7 days, tomorrow, or overdue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to sweep for (YYYY-MM-DD); today in Việt Nam by default")

    def handle(self, *args, date: str | None = None, **options) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date is written YYYY-MM-DD, e.g. 2025-07-08.")
        result = send_reminders(today=today)
        for (period, kind), count in sorted(result.sent.items()):
            self.stdout.write(f"{period} {kind}: {count}")
        wait_for_drain()
        retried = deliver_due()
        self.stdout.write(f"{result.day}: {result.total} reminders sent, {retried} webhook deliveries tried")
