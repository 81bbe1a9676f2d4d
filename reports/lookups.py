"""The scoped lookups of the report pages: organization, program and period from the URL.

The organization comes through organizations.lookups (404 outside the user's subtrees,
403 for a role without the right); the program must be one the user sees and one that
applies to the organization (its scope is the organization or above it); the period
must exist and fall within the program's years. Anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod
from organizations.lookups import get_organization_for_user
from organizations.models import Organization, OrganizationStatus
from organizations.permissions import Action, scope_for
from programs.lookups import programs_for_user
from programs.models import Program

from .models import ReportFile, ScopeSeal


@dataclass(frozen=True)
class Subject:
    """What a report is about."""

    organization: Organization
    program: Program
    period: ReportingPeriod | None


def programs_for_organization(user, organization: Organization):
    """The programs the user sees whose subtree contains the organization — or contained it before a
    restructuring passed the program to a successor (reports.history: its reports of those years)."""
    steplen = Organization.steplen
    ancestors = [organization.path[: i * steplen] for i in range(1, organization.depth + 1)]
    applies = Q(scope__path__in=ancestors)
    if organization.restructured_on is not None or organization.status != OrganizationStatus.ACTIVE:
        applies |= Q(pk__in=ScopeSeal.objects.filter(scope__path__in=ancestors).values("program"))
    return programs_for_user(user).filter(applies).select_related("scope")


def get_program_for_organization(user, organization: Organization, code: str) -> Program:
    program = programs_for_organization(user, organization).filter(code=code).first()
    if program is None:
        raise Http404(_("This program does not apply to this organization."))
    return program


def get_period_for_program(program: Program, code: str) -> ReportingPeriod:
    try:
        ReportingPeriod.bounds(code)
    except ValidationError:
        raise Http404(_("A period is written YYYY, YYYY-H1 or YYYY-H2.")) from None
    period = ReportingPeriod.objects.filter(code=code).first()
    if period is None or not program.start_year <= period.year <= program.end_year:
        raise Http404(_("The program has no such reporting period."))
    return period


def get_report_subject(
    user, code: str, program: str, period: str | None = None, action: Action = Action.VIEW
) -> Subject:
    organization = get_organization_for_user(user, code, action)
    found = get_program_for_organization(user, organization, program)
    return Subject(organization, found, get_period_for_program(found, period) if period else None)


def can_make_version(user, organization: Organization) -> bool:
    scope = scope_for(user)
    return scope.can(Action.ENTER_DATA, organization) or scope.can(Action.REVIEW, organization)


def get_subject_for_new_version(user, code: str, program: str, period: str) -> Subject:
    """A new frozen version needs the review or the data-entry right at the organization (403 otherwise)."""
    subject = get_report_subject(user, code, program, period)
    if not can_make_version(user, subject.organization):
        raise PermissionDenied(_("You may not make a new version of this report."))
    return subject


def get_report_file_for_user(user, code: str, pk: int) -> ReportFile:
    """A generated file, reached through its organization: outside the user's scope it does not exist."""
    organization = get_organization_for_user(user, code)
    report_file = (
        ReportFile.objects.filter(organization=organization, pk=pk)
        .select_related("organization", "program", "period", "frozen")
        .first()
    )
    if report_file is None:
        raise Http404(_("File not found."))
    return report_file
