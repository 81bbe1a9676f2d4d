"""Who may do what, and where. All role rules live here (see docs/permissions.md).

A user sees exactly the subtrees of their assignments. Inside what they see, the
role of the assignment covering an object decides what they may change there:
an outsider gets 404 (the object does not exist for them), a role without the
right gets 403.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from .models import Organization, Role


class Action(StrEnum):
    VIEW = "view"
    EDIT_REGISTRY = "edit_registry"  # branches and workplaces: create, edit
    RESTRUCTURE = "restructure"  # move, merge, split, dissolve
    EDIT_MEMBERS = "edit_members"
    ENTER_DATA = "enter_data"  # reported figures per period
    REVIEW = "review"  # accept or return a child's submission
    MANAGE_PROGRAMS = "manage_programs"
    EXPORT_PERSONAL_DATA = "export_personal_data"  # files with members' birth dates (Decree 13/2023)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    # National officers watch and review; district staff own the registry (they enter
    # most branch data), so the confederation does not edit branches.
    Role.NATIONAL_OFFICER: frozenset({Action.VIEW, Action.REVIEW, Action.MANAGE_PROGRAMS}),
    Role.PROVINCIAL_OFFICER: frozenset(
        {
            Action.VIEW,
            Action.EDIT_REGISTRY,
            Action.RESTRUCTURE,
            Action.EDIT_MEMBERS,
            Action.ENTER_DATA,
            Action.REVIEW,
            Action.MANAGE_PROGRAMS,
            Action.EXPORT_PERSONAL_DATA,
        }
    ),
    Role.UPPER_STAFF: frozenset(
        {
            Action.VIEW,
            Action.EDIT_REGISTRY,
            Action.RESTRUCTURE,
            Action.EDIT_MEMBERS,
            Action.ENTER_DATA,
            Action.EXPORT_PERSONAL_DATA,
        }
    ),
    Role.BRANCH_OFFICER: frozenset({Action.VIEW, Action.EDIT_MEMBERS, Action.ENTER_DATA}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

# Actions that change an organization's place in the tree, or its existence, need
# the right on a body above it: nobody dissolves the union they work for.
STRICTLY_BELOW = frozenset({Action.RESTRUCTURE})


@dataclass(frozen=True)
class Grant:
    path: str
    depth: int
    role: str


class UserScope:
    """What one user can see and do; built once per request from their assignments."""

    def __init__(self, user) -> None:
        self.user = user
        self.is_superuser = bool(getattr(user, "is_superuser", False) and user.is_active)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            grants: list[Grant] = []
        else:
            grants = [
                Grant(path, depth, role)
                for path, depth, role in user.assignments.values_list(
                    "organization__path", "organization__depth", "role"
                )
            ]
        self.grants = grants
        self.tree_roots: list[Organization] | None = None  # read once by selectors.tree_roots

    @property
    def root_paths(self) -> list[str]:
        """The tops of the subtrees the user sees, without any nested inside another."""
        paths = sorted({g.path for g in self.grants})
        return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]

    def sees_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(g.path) for g in self.grants)

    def sees(self, organization: Organization | None) -> bool:
        return organization is not None and self.sees_path(organization.path)

    def can(self, action: Action, organization: Organization, *, strict: bool | None = None) -> bool:
        """May the user do `action` at `organization`? `strict=False` asks about the bodies below it."""
        if self.is_superuser:
            return True
        if strict is None:
            strict = action in STRICTLY_BELOW
        for grant in self.grants:
            if not organization.path.startswith(grant.path):
                continue
            if strict and organization.depth <= grant.depth:
                continue
            if action in ROLE_ACTIONS.get(grant.role, frozenset()):
                return True
        return False

    def can_anywhere(self, action: Action) -> bool:
        return self.is_superuser or any(action in ROLE_ACTIONS.get(g.role, ()) for g in self.grants)

    def q(self, field: str = "path") -> Q:
        """A filter keeping rows whose organization path lies in the user's subtrees."""
        if self.is_superuser:
            return Q()
        if not self.grants:
            return Q(pk__in=[])
        condition = Q()
        for path in self.root_paths:
            condition |= Q(**{f"{field}__startswith": path})
        return condition


def scope_for(user) -> UserScope:
    """The user's scope, computed once and kept on the user object for the request."""
    cached = getattr(user, "_unionportal_scope", None)
    if cached is None:
        cached = UserScope(user)
        with contextlib.suppress(AttributeError):  # an AnonymousUser may refuse attributes
            user._unionportal_scope = cached
    return cached


TWO_FACTOR_ROLES = frozenset({Role.NATIONAL_OFFICER, Role.PROVINCIAL_OFFICER})


def needs_two_factor(user) -> bool:
    """Administrators and officers of provinces and of the confederation sign in with a second factor."""
    if user.is_superuser or user.is_staff:
        return True
    return user.assignments.filter(role__in=TWO_FACTOR_ROLES).exists()
