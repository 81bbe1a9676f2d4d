"""`manage.py export_report --organization CODE --program CODE --period 2024 --format pdf --output FILE`."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import ReportingPeriod
from organizations.models import Organization
from organizations.permissions import scope_for
from programs.models import Program
from reports import services
from reports.models import ReportKind, ReportNarrative
from reports.narratives import report_texts
from reports.renderers.docx import render_docx
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx


class Command(BaseCommand):
    help = "Export the progress report of an organization for a program and period as PDF, Word, Excel or JSON."
    # Django's system checks (the URLconf, the admin, the templates: 1.1 s of every run) are the
    # deployment's (`manage.py check --deploy`, docs/deploy.md), as for `shell`: a data command needs none.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="Organization code, e.g. HG-QB")
        parser.add_argument("--program", required=True, help="Program code, e.g. QB-CTR04")
        parser.add_argument("--period", required=True, help="YYYY, YYYY-H1 or YYYY-H2")
        parser.add_argument("--format", required=True, choices=["pdf", "docx", "xlsx", "json"])
        parser.add_argument("--output", required=True, help="File to write ('-' for standard output, JSON only)")
        parser.add_argument("--kind", default=ReportKind.PERIODIC, choices=[k.value for k in ReportKind])
        parser.add_argument("--live", action="store_true", help="Ignore the frozen copy of an accepted period")
        parser.add_argument("--user", help="Export as this user (their scope applies)")

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.select_related("level").filter(code=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Unknown organization {options['organization']}")
        program = Program.objects.filter(code=options["program"]).first()
        if program is None:
            raise CommandError(f"Unknown program {options['program']}")
        try:
            fields = ReportingPeriod.bounds(options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        period = ReportingPeriod.objects.filter(code=fields["code"]).first()
        if period is None:
            raise CommandError(f"No figures have been written for the period {fields['code']} yet")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None or not scope_for(user).sees(organization):
                raise CommandError(f"{options['user']} may not see {organization.code}")

        data, frozen = services.report_data(organization, program, period, live=options["live"])
        output = options["output"]
        fmt = options["format"]
        if fmt == "json":
            text = json.dumps(data.to_json(), ensure_ascii=False, indent=2)
            if output == "-":
                self.stdout.write(text)
                return
            Path(output).write_text(text, encoding="utf-8")
        elif fmt in ("pdf", "docx"):
            narrative = ReportNarrative.objects.filter(
                organization=organization, program=program, period=period, kind=options["kind"]
            ).first()
            texts = report_texts(
                data, organization=organization, program=program, period=period, kind=options["kind"], frozen=frozen
            )
            render = render_pdf if fmt == "pdf" else render_docx
            Path(output).write_bytes(render(data, narrative, kind=options["kind"], texts=texts))
        else:
            indicators = list(program.indicators.select_related("level", "element__level", "program"))
            render_xlsx(
                data,
                organization,
                indicators,
                period,
                output,
                branches=services.frozen_branches(frozen),
                frozen=frozen is not None,
            )
        note = f" (frozen version {frozen.version})" if frozen else ""
        self.stderr.write(f"{fmt.upper()} written to {output}{note}")
