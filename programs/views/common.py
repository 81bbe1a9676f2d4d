"""What the program and indicator pages share: the organization and the period they are about."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod
from indicators.selectors import default_period
from organizations.models import Level, Organization
from organizations.selectors import organizations_for_user

from ..lookups import default_organization, get_program_organization_for_user
from ..models import Program


def chosen_organization(request, program: Program) -> Organization:
    """?org=CODE (an organization of the program's subtree the user sees), else the default one."""
    code = request.GET.get("org", "").strip()
    if code:
        return get_program_organization_for_user(request.user, program, code)
    organization = default_organization(request.user, program)
    if organization is None:
        raise Http404(_("None of your organizations is within this program."))
    return organization


def chosen_period(request, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """?period=CODE among the program's periods, else the latest year on record."""
    code = request.GET.get("period", "").strip()
    if code:
        for period in periods:
            if period.code == code:
                return period
        raise Http404(_("This period is outside the program."))
    return default_period(periods)


def organization_choices(request, program: Program, current: Organization) -> list[Organization]:
    """The bodies above the base level in both the program's subtree and the user's, and the current one."""
    choices = list(
        organizations_for_user(request.user)
        .filter(path__startswith=program.scope.path)
        .exclude(level__code__in=[Level.BASE, Level.BELOW_BASE])
        .order_by("path")
    )
    if current not in choices:
        choices.append(current)
    return choices
