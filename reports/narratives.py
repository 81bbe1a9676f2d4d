"""Writes of the written parts of a report (ReportNarrative): one service, used by the report page."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from unionportal.concurrency import check_version

from .models import ReportNarrative

NARRATIVE_FIELDS = (
    "number",
    "place",
    "dated",
    "results",
    "limitations",
    "causes",
    "tasks_ahead",
    "recipients",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
)


def narrative_for(organization: Organization, program: Program, period: ReportingPeriod, kind: str) -> ReportNarrative:
    """The saved text of the report, or a new, unsaved one with the defaults."""
    found = ReportNarrative.objects.filter(organization=organization, program=program, period=period, kind=kind).first()
    return found or ReportNarrative(organization=organization, program=program, period=period, kind=kind, version=0)


@transaction.atomic
def report_narrative_save(
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    kind: str,
    values: dict,
    seen_version: int | None = None,
    by=None,
) -> ReportNarrative:
    """Save the written parts; refuse when someone else saved since the form was opened (seen_version)."""
    narrative = (
        ReportNarrative.objects.select_for_update()
        .filter(organization=organization, program=program, period=period, kind=kind)
        .first()
    )
    if narrative is None:
        narrative = ReportNarrative(organization=organization, program=program, period=period, kind=kind, version=0)
    check_version(
        narrative,
        seen_version,
        message=_(
            "Someone else saved this report's text while you were editing it. Reload the page to see their text."
        ),
    )
    unknown = set(values) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not narrative fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(narrative, name, value)
    narrative.version += 1
    narrative.updated_by = by
    narrative.full_clean()
    narrative.save()
    return narrative
