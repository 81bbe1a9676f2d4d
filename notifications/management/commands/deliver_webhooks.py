"""`manage.py deliver_webhooks`: try again the webhook deliveries whose back-off has passed.

Every few minutes (Celery beat in production, cron in the embedded mode: README.md).
"""

from django.core.management.base import BaseCommand

from notifications.webhooks import deliver_due


class Command(BaseCommand):
    help = "Post the webhook deliveries that are due (first attempts that were lost, and retries)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="At most this many deliveries in one run")

    def handle(self, *args, limit: int, **options) -> None:
        tried = deliver_due(limit=limit)
        self.stdout.write(f"{tried} webhook deliveries tried")
