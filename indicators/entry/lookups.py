"""Scoped lookups of the data-entry grid: its organization, its rows, its figures."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.lookups import get_organization_for_user
from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for

from ..models import DataElement


def get_grid_organization_for_user(user, code: str) -> Organization:
    """The organization whose data-entry grid is asked for: a body the user sees, not below the base level."""
    organization = get_organization_for_user(user, code)
    if organization.level.code == Level.BELOW_BASE:
        raise Http404(_("This body does not report figures of its own."))
    return organization


def get_grid_row_for_user(user, grid: Organization, code: str) -> Organization:
    """A row of the grid (one of its branches, or the organization itself), for entering figures.

    Outside the grid: 404; without the right to enter data there: 403.
    """
    scope = scope_for(user)
    row = (
        Organization.objects.filter(scope.q("path"), code=code, path__startswith=grid.path)
        .select_related("level")
        .first()
    )
    is_branch = row is not None and row.depth == grid.depth + 1 and row.level.code == Level.BASE
    if row is None or not (row.pk == grid.pk or is_branch):
        raise Http404(_("This body is not in the grid."))
    if not scope.can(Action.ENTER_DATA, row):
        raise PermissionDenied(_("You may not enter figures for %(name)s.") % {"name": row.name})
    return row


def get_element(code: str) -> DataElement:
    element = DataElement.objects.filter(code=code).select_related("level").first()
    if element is None:
        raise Http404(_("No such figure."))
    return element
