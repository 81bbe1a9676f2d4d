"""The scoped lookup of a plan: outside the user's subtrees it does not exist (404); without the right, 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for

from .models import RestructuringPlan


def get_plan_for_user(user, pk: int, action: Action = Action.VIEW) -> RestructuringPlan:
    scope = scope_for(user)
    plan = RestructuringPlan.objects.filter(scope.q("scope__path"), pk=pk).select_related("scope__level").first()
    if plan is None:
        raise Http404(_("Plan not found."))
    if action != Action.VIEW and not scope.can(Action.RESTRUCTURE, plan.scope, strict=False):
        raise PermissionDenied(_("You may not restructure the bodies under %(name)s.") % {"name": plan.scope.name})
    return plan


def plans_for_user(user):
    return RestructuringPlan.objects.filter(scope_for(user).q("scope__path")).select_related("scope")


def plan_scopes_for_user(user) -> list[Organization]:
    """The bodies under which the user may plan a restructuring (those above the base unions)."""
    scope = scope_for(user)
    candidates = (
        Organization.objects.filter(scope.q("path"))
        .active()
        .exclude(level__code__in=[Level.BASE, Level.BELOW_BASE])
        .select_related("level")
    )
    return [body for body in candidates if scope.can(Action.RESTRUCTURE, body, strict=False)]
