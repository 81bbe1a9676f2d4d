"""`manage.py load_demo`: fill the database with the demo data of every app, idempotently.

DEMO_LOADERS are the loaders of this app's modules, in dependency order: a loader is a
callable `load(*, password: str, stdout) -> None` that creates only what is missing and
writes a line or two about what it did.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from demo import indicators, members, organizations, programs, reform, reports, tasks

DEFAULT_PASSWORD = "unionportal-demo"  # noqa: S105 - the documented password of the demo accounts

# tasks before reports: the accepted reports frozen by reports.load carry the tasks.
DEMO_LOADERS = [organizations.load, members.load, programs.load, indicators.load, tasks.load, reports.load]


class Command(BaseCommand):
    help = "Load the demo data. Safe to run again: it creates only what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--before-reform",
            action="store_true",
            help="Stop before the 2025 reform (demo/reform.py): the tree of 2018–2024 as it was (the tests' demo).",
        )

    def handle(self, *args, password: str, before_reform: bool = False, **options) -> None:
        # The demo creates a superuser with a published password: never on a production database.
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is disabled by the settings (DEMO_DATA_ALLOWED is off).")
        started = time.perf_counter()
        # One transaction for every loader: a failure leaves the database as it was.
        with transaction.atomic():
            for load in DEMO_LOADERS:
                load(password=password, stdout=self.stdout)
            if not before_reform:
                reform.load(password=password, stdout=self.stdout)
        seconds = number_format(time.perf_counter() - started, 1)
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded in %(seconds)s s.") % {"seconds": seconds}))
