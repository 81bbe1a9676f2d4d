"""`manage.py backup_db [--output FILE]`: a consistent copy of the database (see unionportal/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from unionportal import backups


class Command(BaseCommand):
    help = "Back the database up to one file (pg_dump -Fc on PostgreSQL, the online backup API on SQLite)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="File to write (default: var/backups/unionportal-<date>.<ext>)")

    def handle(self, *args, output: str | None, **options) -> None:
        target = backups.backup(Path(output) if output else backups.default_path())
        self.stdout.write(f"{target} ({target.stat().st_size:,} bytes)")
