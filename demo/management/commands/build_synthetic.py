"""`manage.py build_synthetic [--scale 1.0]`: the national benchmark dataset (PostgreSQL only)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.programs import load_statistics_program
from demo.synthetic import build
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
        if not no_rollups:
            started = time.perf_counter()
            result = rollups.refresh()
            self.stdout.write(f"Rollups: {result.rows:,} rows in {time.perf_counter() - started:.1f} s")
