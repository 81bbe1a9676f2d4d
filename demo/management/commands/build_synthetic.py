"""`manage.py build_synthetic [--scale 1.0]`: the national benchmark dataset (PostgreSQL only)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.programs import load_statistics_program
from demo.synthetic import build
from indicators.models import DataValue
from members.models import Member, MembershipPeriod
from reports import rollups


class Command(BaseCommand):
    help = "Build the synthetic national dataset of the benchmarks in an empty PostgreSQL database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 135,000 branches and 11 million members")
        parser.add_argument("--no-rollups", action="store_true", help="Skip the full rollup refresh at the end")

    def handle(self, *args, scale: float, no_rollups: bool, **options) -> None:
        try:
            counts = build(scale, say=lambda line: self.stdout.write(line))
        except RuntimeError as error:
            raise CommandError(str(error))
        load_statistics_program()
        self.stdout.write(f"Loaded: {counts}")
        self.settle()
        if not no_rollups:
            started = time.perf_counter()
            result = rollups.refresh()
            self.stdout.write(f"Rollups: {result.rows:,} rows in {time.perf_counter() - started:.1f} s")

    def settle(self) -> None:
        """What autovacuum does on a server in use: the big tables' statistics and visibility map.

        Rows loaded with COPY have neither until then; a benchmark run on them measures a database
        no office has (the national Excel: 33–44 s before, 13–14 s after). VACUUM cannot run in a
        transaction: a caller's atomic block (a test) keeps them as loaded.
        """
        if connection.in_atomic_block:
            self.stdout.write("VACUUM (ANALYZE) skipped: inside a transaction")
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Member, MembershipPeriod, DataValue):
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(f"VACUUM (ANALYZE) of the members and figures: {time.perf_counter() - started:.1f} s")
