"""Reads for the program pages."""

from __future__ import annotations

from organizations.models import Level, Organization
from organizations.selectors import organizations_for_user

from .models import Program


def organization_choices(user, program: Program, current: Organization) -> list[Organization]:
    """The bodies above the base level in both the program's subtree and the user's, and the current one."""
    choices = list(
        organizations_for_user(user)
        .filter(path__startswith=program.scope.path)
        .exclude(level__code__in=[Level.BASE, Level.BELOW_BASE])
        .order_by("path")
    )
    if current not in choices:
        choices.append(current)
    return choices
