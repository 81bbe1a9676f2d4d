"""The scoped lookups of programs. Views never call a bare `Program.objects.get(...)`.

A user sees a program when it applies to one of their organizations (its scope is one
of their organizations or above them: the confederation's statistics apply to every
district) or when its scope lies inside their subtrees. Anything else is a 404; a
write needs MANAGE_PROGRAMS at the program's scope (403 otherwise).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from organizations.lookups import get_organization_for_user
from organizations.models import Organization
from organizations.permissions import Action, scope_for

from .models import Program


def programs_for_user(user) -> QuerySet[Program]:
    scope = scope_for(user)
    if scope.is_superuser:
        return Program.objects.all()
    steplen = Organization.steplen
    above = {root[: i * steplen] for root in scope.root_paths for i in range(1, len(root) // steplen)}
    condition = scope.q("scope__path")
    if above:
        condition |= Q(scope__path__in=above)
    return Program.objects.filter(condition)


def get_program_for_user(user, code: str, action: Action = Action.VIEW) -> Program:
    program = programs_for_user(user).filter(code=code).select_related("scope__level", "issuer").first()
    if program is None:
        raise Http404(_("Program not found."))
    if action != Action.VIEW and not scope_for(user).can(action, program.scope):
        raise PermissionDenied(_("You may not change this program."))
    return program


def get_program_organization_for_user(user, program: Program, code: str, action: Action = Action.VIEW) -> Organization:
    """An organization of the program's subtree that the user sees (404 otherwise)."""
    organization = get_organization_for_user(user, code, action)
    if not organization.path.startswith(program.scope.path):
        raise Http404(_("This organization is outside the program."))
    return organization


def default_organization(user, program: Program) -> Organization | None:
    """The program's own scope when the user sees it, else the user's organization inside the program."""
    scope = scope_for(user)
    if scope.sees(program.scope):
        return program.scope
    roots = [path for path in scope.root_paths if path.startswith(program.scope.path)]
    if not roots:
        return None
    return Organization.objects.select_related("level").filter(path=roots[0]).first()


def get_chosen_organization(user, program: Program, code: str) -> Organization:
    """The organization a program page is about: `code` (?org=CODE) within the program and the user's
    scope, else the default one (404 when none of the user's organizations is within the program)."""
    code = (code or "").strip()
    if code:
        return get_program_organization_for_user(user, program, code)
    organization = default_organization(user, program)
    if organization is None:
        raise Http404(_("None of your organizations is within this program."))
    return organization
