"""`manage.py import_data {workplaces|branches|members} FILE [--dry-run] --user USERNAME`.

The same checks and the same all-or-nothing write as the import pages, as the named user:
their scope decides which rows they may import (a superuser may import anywhere). Prints the
counts created / updated / unchanged; on any error prints every error and exits with 1.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from imports.kinds import ORDER, REQUIRED_ACTION
from imports.services import import_file, written_but_not_followed
from organizations.permissions import scope_for
from unionportal.jobs import jobs_inline
from unionportal.spreadsheets.notes import fix_notes


class Command(BaseCommand):
    help = "Import an Excel file of workplaces, branches or members: every row or nothing."
    # Django's system checks (the URLconf, the admin, the templates: 1.1 s of every run) are the
    # deployment's (`manage.py check --deploy`, docs/deploy.md), as for `shell`: a data command needs none.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ORDER)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print what it would do; write nothing."
        )
        parser.add_argument(
            "--user",
            help="The user the import is done as (required): rows outside their organizations are errors.",
        )

    def handle(self, *args, kind: str, file: Path, dry_run: bool, user: str | None, **options) -> None:
        if not user:
            raise CommandError(
                _("Name the user the import is done as: --user USERNAME (a superuser may import anywhere).")
            )
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(_("There is no active user named %(user)s.") % {"user": user})
        if not scope_for(account).can_anywhere(REQUIRED_ACTION[kind]):
            raise CommandError(_("%(user)s may not import this kind of file.") % {"user": user})
        if not file.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})

        with jobs_inline():  # the figures' refresh that follows is done before the command ends
            outcome = import_file(kind, file, user=account, commit=not dry_run)
        if outcome.errors:
            for error in outcome.errors:
                self.stderr.write(error.describe())
            raise CommandError(
                _("%(count)s errors: nothing was imported. Fix them in the file and run the command again.")
                % {"count": len(outcome.errors)}
            )
        counts = outcome.counts
        summary = _("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.") % {
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
        if dry_run:
            summary = _("Dry run, nothing was written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
        for note in fix_notes(outcome.fixes):  # what was put right on the way in (stdout keeps the counts alone)
            self.stderr.write(note)
        if outcome.follow_up_error:
            self.stderr.write(written_but_not_followed())
