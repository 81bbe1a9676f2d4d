"""`manage.py build_synthetic [--scale 1.0]`: the national benchmark dataset (PostgreSQL only)."""

from django.core.management.base import BaseCommand, CommandError

from programs.demo import _indicator, _program
from programs.demo.data import TLD_THONGKE
from reports import rollups
from reports.synthetic import build


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
        self._statistics_program()
        self.stdout.write(f"Loaded: {counts}")
        if not no_rollups:
            import time

            started = time.perf_counter()
            result = rollups.refresh()
            self.stdout.write(f"Rollups: {result.rows:,} rows in {time.perf_counter() - started:.1f} s")

    def _statistics_program(self) -> None:
        """The confederation's standing statistics (TLD-THONGKE), the program the national scorecard shows."""
        from indicators.models import DataElement
        from organizations.models import Level, Organization

        organizations = {"VN": Organization.objects.get(code="VN")}
        program, _created = _program(TLD_THONGKE, organizations)
        elements = {e.code: e for e in DataElement.objects.all()}
        levels = {level.code: level for level in Level.objects.all()}
        for order, spec in enumerate(TLD_THONGKE["indicators"], start=1):
            _indicator(program, order, spec, elements, levels)
