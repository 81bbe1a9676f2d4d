"""Send what waits: the emails whose retry is due, and, after NOTIFICATION_DIGEST_HOUR, the day's digests.

Idempotent: a user gets one digest a day however often it runs, and an email is never sent
twice. Run it every 10 minutes: cron in the embedded mode; Celery beat in production runs
`notifications.delivery.send_waiting_job`, the same work (settings.CELERY_BEAT_SCHEDULE):

    */10 * * * *  cd /srv/unionportal && .venv/bin/python manage.py send_notification_digest
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.delivery import digest_due, send_digests, send_due_emails


class Command(BaseCommand):
    help = "Send the notification emails whose retry is due, and the daily digests (once per user and day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--digests-now", action="store_true", help="Send the digests whatever the hour.")

    def handle(self, *args, **options) -> None:
        retried = send_due_emails()
        digests = send_digests() if options["digests_now"] or digest_due() else 0
        self.stdout.write(f"Emails sent: {retried}; digests sent: {digests}")
