"""Writes for reports: frozen copies of accepted periods, new versions, the narrative text."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from unionportal import generations
from unionportal.jobs import run_in_background

from . import branch_table, rollups, selectors
from .branch_table import BranchTable
from .data import ReportData, build_report
from .models import FrozenReport, ReportKind, ReportNarrative
from .narratives import texts_snapshot
from .renderers.document import document_facts
from .snapshots import from_snapshot, to_snapshot


@transaction.atomic
def report_freeze(
    *, organization: Organization, program: Program, period: ReportingPeriod, by=None, reason: str = ""
) -> FrozenReport:
    """Keep the report's figures as they are now, as a new version; earlier versions stay.

    The copy holds the report itself, every base union's own figures below the body (the
    Excel file's "CĐCS" sheet) and sections I–III as they read (drafted or edited), so
    regenerating any format later gives the same numbers and the same words."""
    data = build_report(organization, program, period)
    data = dataclasses.replace(data, document=_document_facts(data, organization, program, period))
    indicators = program.indicators.select_related("level", "element__level", "program")
    branches = branch_table.pack(branch_table.live(organization, indicators, period))
    latest = (
        FrozenReport.objects.select_for_update()
        .filter(organization=organization, program=program, period=period)
        .aggregate(v=Max("version"))["v"]
    )
    generations.bump_frozen_after_commit(path=organization.path, program=program.pk)  # its dashboard shows the latest
    return FrozenReport.objects.create(
        organization=organization,
        program=program,
        period=period,
        version=(latest or 0) + 1,
        data=to_snapshot(data),
        branches=branches,
        texts=texts_snapshot(organization, program, period, data),
        reason=reason,
        created_by=by,
    )


def _document_facts(data: ReportData, organization, program, period) -> dict:
    """The number, date, place and signer of every kind of report as they are now, kept with the
    version so that its files keep them (a blank date becomes the day of the freeze)."""
    narratives = {
        n.kind: n for n in ReportNarrative.objects.filter(organization=organization, program=program, period=period)
    }
    today = timezone.localdate()
    return {kind: document_facts(data, narratives.get(kind), today=today) for kind in ReportKind.values}


def period_accepted(
    *, organization: Organization, period: ReportingPeriod, by=None, refresh: bool = True
) -> list[FrozenReport]:
    """Freeze the reports of every program that applies to the organization in that year.

    The receiver of indicators.workflow.hooks.submission_accepted, run inside the acceptance's
    transaction: once the parent accepts a period, later restructurings or corrections do not
    change the report that went up; if a report cannot be frozen, the period is not accepted.
    """
    programs = list(Program.objects.applying_to(organization).in_force_in(period.year))
    # The copy is made from the rollups: bring them up to date for this body and period first.
    if refresh:
        indicators = Indicator.objects.filter(program__in=programs).exclude(measure=Measure.QUALITATIVE)
        rollups.refresh(within=organization, indicators=indicators, periods=[period])
    frozen = []
    for program in programs:
        if not FrozenReport.objects.filter(organization=organization, program=program, period=period).exists():
            frozen.append(
                report_freeze(organization=organization, program=program, period=period, by=by, reason="accepted")
            )
    return frozen


def report_version_create(
    *, organization: Organization, program: Program, period: ReportingPeriod, by, reason: str
) -> FrozenReport | None:
    """Take the figures again as a new frozen version, with the reason; earlier versions stay.

    The copy keeps every branch's figures: for a large body (a province, the country) it is made
    in the background and None is returned; otherwise it is made now and returned.
    """
    if selectors.branches_below(organization) > selectors.BACKGROUND_BRANCHES:
        run_in_background(report_freeze_job, organization.pk, program.pk, period.pk, by.pk if by else None, reason)
        return None
    return report_freeze(organization=organization, program=program, period=period, by=by, reason=reason)


def report_freeze_job(organization_id: int, program_id: int, period_id: int, user_id: int | None, reason: str) -> None:
    """A new frozen version made in the background (a large body: its copy holds every branch's figures)."""
    from django.contrib.auth import get_user_model

    organization = Organization.objects.select_related("level").get(pk=organization_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report_freeze(
        organization=organization,
        program=Program.objects.get(pk=program_id),
        period=ReportingPeriod.objects.get(pk=period_id),
        by=user,
        reason=reason,
    )


def report_data(
    organization: Organization, program: Program, period: ReportingPeriod, *, version: int | None = None, live=False
) -> tuple[ReportData, FrozenReport | None]:
    """The report to show or export: the frozen copy of an accepted period (latest or chosen version), else live."""
    if not live:
        # The branches' table is read only by the Excel file (frozen_branches below).
        frozen = FrozenReport.objects.filter(organization=organization, program=program, period=period).defer(
            "branches"
        )
        frozen = frozen.filter(version=version).first() if version else frozen.order_by("-version").first()
        if frozen is not None:
            return from_snapshot(frozen.data), frozen
    return build_report(organization, program, period), None


def frozen_branches(frozen: FrozenReport | None) -> BranchTable | None:
    """The base unions' figures kept with a frozen version (None: live figures, or none were kept)."""
    if frozen is None:
        return None
    blob = FrozenReport.objects.filter(pk=frozen.pk).values_list("branches", flat=True).first()
    return branch_table.unpack(blob) if blob is not None else None
