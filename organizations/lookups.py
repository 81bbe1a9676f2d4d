"""One scoped lookup per model. Views never call a bare `objects.get(...)`.

Outside the user's subtrees an object does not exist for them (404); inside, a
role without the right to act gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Organization, Workplace
from .permissions import Action, scope_for
from .selectors import inherited, tree_roots


def get_organization_for_user(user, code: str, action: Action = Action.VIEW) -> Organization:
    scope = scope_for(user)
    organization = Organization.objects.filter(scope.q("path"), code=code).select_related("level").first()
    if organization is None and action == Action.VIEW:
        organization = inherited(scope, code)
    if organization is None:
        raise Http404(_("Organization not found."))
    if action != Action.VIEW and not scope.can(action, organization):
        raise PermissionDenied(_("You may not do this at this organization."))
    return organization


def get_workplace_for_user(user, code: str, action: Action = Action.VIEW) -> Workplace:
    """A workplace is reached through the union responsible for it or the branch founded there."""
    scope = scope_for(user)
    workplace = (
        Workplace.objects.filter(scope.q("upper_union__path") | scope.q("branch__path"), code=code)
        .select_related("upper_union__level", "branch__level")
        .first()
    )
    if workplace is None:
        raise Http404(_("Workplace not found."))
    if action != Action.VIEW and not scope.can(action, workplace.upper_union):
        raise PermissionDenied(_("You may not edit this workplace."))
    return workplace


def get_subtree_for_user(user, code: str) -> Organization | None:
    """The subtree a list is about: `code` (?under=CODE; 404 outside the user's scope), else the user's only root."""
    code = (code or "").strip()
    if code:
        return get_organization_for_user(user, code)
    roots = tree_roots(user)
    return roots[0] if len(roots) == 1 else None
