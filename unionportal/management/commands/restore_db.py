"""`manage.py restore_db FILE`: replace the database's content with a backup made by backup_db."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unionportal import backups


class Command(BaseCommand):
    help = "Restore the database from a file made by backup_db. Everything in the database is replaced."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            backups.restore(Path(file))
        except (FileNotFoundError, RuntimeError) as error:
            raise CommandError(str(error))
        self.stdout.write(f"Restored from {file}")
