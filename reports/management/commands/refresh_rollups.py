"""`manage.py refresh_rollups`: recompute every stored rollup.

Run once after the migration that added the rollups' coverage (reports 0005): rows stored
before it hold no count of the units expected, so their figures show no coverage until then.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reports import rollups


class Command(BaseCommand):
    help = "Recompute every stored rollup (after a migration that adds a part to them)."

    def handle(self, *args, **options) -> None:
        result = rollups.refresh()
        self.stdout.write(f"{result.rows} rollups, {result.indicators} indicators, {result.periods} periods.")
