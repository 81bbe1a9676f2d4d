"""`manage.py export_data {workplaces|branches|members} --organization CODE --output FILE [--user USERNAME]`.

Writes the rows under an organization in the import format: the file imports back unchanged.
With --user, the export is limited to what that user sees (and refused outside it).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from imports.kinds import ORDER
from imports.services import export_file
from imports.views import PERSONAL_KINDS
from organizations.models import Organization
from organizations.permissions import Action, scope_for


class Command(BaseCommand):
    help = "Export workplaces, branches or members under an organization to an Excel file in the import format."
    # Django's system checks (the URLconf, the admin, the templates: 1.1 s of every run) are the
    # deployment's (`manage.py check --deploy`, docs/deploy.md), as for `shell`: a data command needs none.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ORDER)
        parser.add_argument("--organization", required=True, help="Code of the organization whose subtree is exported.")
        parser.add_argument("--output", required=True, type=Path, help="The .xlsx file to write.")
        parser.add_argument("--user", help="Export only what this user sees.")

    def handle(self, *args, kind: str, organization: str, output: Path, user: str | None, **options) -> None:
        under = Organization.objects.select_related("level").filter(code=organization.strip().upper()).first()
        if under is None:
            raise CommandError(_("There is no organization with code %(code)s.") % {"code": organization})
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("There is no active user named %(user)s.") % {"user": user})
            if not scope_for(account).sees(under):
                raise CommandError(_("There is no organization with code %(code)s.") % {"code": organization})
        if (
            kind in PERSONAL_KINDS
            and account is not None
            and not scope_for(account).can(Action.EXPORT_PERSONAL_DATA, under)
        ):
            raise CommandError(
                _("Exporting members' personal data needs its own right, which your role does not have.")
            )
        # Logged like the web export; an export run by the operator without --user is on the server's own log.
        count = export_file(kind, output, user=account, under=under, channel="command")
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s rows written to %(path)s.") % {"count": count, "path": output})
        )
