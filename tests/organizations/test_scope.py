"""UserScope: what one user sees (subtrees of their assignments) and may do there (ROLE_ACTIONS)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from organizations import services
from organizations.models import Organization, Role, Workplace
from organizations.permissions import Action, UserScope, scope_for
from tests import factories

ALL_CODES = ["XVN", "XP", "XP-A", "XP-A-01", "XP-B", "XP-B-01"]


def _visible(scope: UserScope) -> list[str]:
    return [o.code for o in Organization.objects.filter(scope.q())]


def _seen(scope: UserScope, cast) -> list[str]:
    everyone = [cast.national, cast.province, cast.district, cast.branch, cast.sibling, cast.sibling_branch]
    return [o.code for o in everyone if scope.sees(o)]


# --- what a user sees ---------------------------------------------------------------------------


def test_a_user_sees_only_the_subtree_of_their_assignment(cast):
    scope = UserScope(cast.owner)

    assert _seen(scope, cast) == ["XP-A", "XP-A-01"]
    assert scope.root_paths == ["000100010001"]


def test_the_outsider_sees_only_the_sibling_district(cast):
    assert _seen(UserScope(cast.outsider), cast) == ["XP-B", "XP-B-01"]


def test_a_provincial_officer_sees_the_whole_province_but_not_the_confederation(cast):
    assert _seen(UserScope(cast.provincial), cast) == ["XP", "XP-A", "XP-A-01", "XP-B", "XP-B-01"]


def test_multiple_assignments_combine(cast):
    services.assignment_create(user=cast.owner, organization=cast.sibling_branch, role=Role.VIEWER)

    scope = UserScope(cast.owner)

    assert _seen(scope, cast) == ["XP-A", "XP-A-01", "XP-B-01"]
    assert scope.root_paths == ["000100010001", "0001000100020001"]
    assert _visible(scope) == ["XP-A", "XP-A-01", "XP-B-01"]


def test_a_nested_assignment_adds_no_second_root(cast):
    services.assignment_create(user=cast.owner, organization=cast.province, role=Role.VIEWER)
    services.assignment_create(user=cast.owner, organization=cast.branch, role=Role.BRANCH_OFFICER)

    scope = UserScope(cast.owner)

    assert len(scope.grants) == 3
    assert scope.root_paths == ["00010001"]
    assert _visible(scope) == ["XP", "XP-A", "XP-A-01", "XP-B", "XP-B-01"]


def test_each_nested_assignment_keeps_its_own_rights(cast):
    services.assignment_create(user=cast.owner, organization=cast.province, role=Role.VIEWER)

    scope = UserScope(cast.owner)

    assert scope.can(Action.EDIT_REGISTRY, cast.branch)  # upper staff at XP-A
    assert not scope.can(Action.EDIT_REGISTRY, cast.sibling_branch)  # only a viewer at XP
    assert scope.can(Action.VIEW, cast.sibling_branch)


def test_a_superuser_sees_and_may_do_everything(cast):
    boss = get_user_model().objects.create_superuser("boss", password=factories.PASSWORD)

    scope = UserScope(boss)

    assert _seen(scope, cast) == ALL_CODES
    assert _visible(scope) == ALL_CODES
    assert scope.can(Action.RESTRUCTURE, cast.national)
    assert scope.can_anywhere(Action.MANAGE_PROGRAMS)


def test_an_inactive_user_sees_nothing(cast):
    cast.owner.is_active = False
    cast.owner.save(update_fields=["is_active"])

    scope = UserScope(cast.owner)

    assert _seen(scope, cast) == []
    assert _visible(scope) == []
    assert not scope.can(Action.VIEW, cast.branch)
    assert not scope.can_anywhere(Action.VIEW)


def test_an_inactive_superuser_sees_nothing(cast):
    boss = get_user_model().objects.create_superuser("boss", password=factories.PASSWORD, is_active=False)

    scope = UserScope(boss)

    assert scope.is_superuser is False
    assert _seen(scope, cast) == []
    assert _visible(scope) == []


def test_an_anonymous_user_sees_nothing(cast):
    scope = UserScope(AnonymousUser())

    assert _seen(scope, cast) == []
    assert _visible(scope) == []
    assert not scope.can(Action.VIEW, cast.national)


def test_a_user_without_assignments_sees_nothing(cast):
    scope = UserScope(factories.make_user("nobody"))

    assert _visible(scope) == []
    assert [w.code for w in Workplace.objects.filter(scope.q("upper_union__path"))] == []


def test_q_filters_related_paths(cast):
    factories.make_workplace(cast.district, code="W-A")
    factories.make_workplace(cast.sibling, code="W-B")
    factories.make_workplace(cast.province, code="W-P")

    def visible(user) -> list[str]:
        return [w.code for w in Workplace.objects.filter(UserScope(user).q("upper_union__path"))]

    assert visible(cast.owner) == ["W-A"]
    assert visible(cast.outsider) == ["W-B"]
    assert visible(cast.provincial) == ["W-A", "W-B", "W-P"]


def test_scope_for_is_computed_once_per_user_object(cast):
    first = scope_for(cast.owner)
    services.assignment_create(user=cast.owner, organization=cast.sibling, role=Role.VIEWER)

    assert scope_for(cast.owner) is first
    assert not scope_for(cast.owner).sees(cast.sibling)
    assert scope_for(get_user_model().objects.get(pk=cast.owner.pk)).sees(cast.sibling)


# --- what a user may do -------------------------------------------------------------------------

A = Action
# Written out by hand, not copied from ROLE_ACTIONS, so that a change there shows here.
EXPECTED_ON_OWN_BRANCH = {
    Role.VIEWER: {A.VIEW},
    Role.BRANCH_OFFICER: {A.VIEW, A.EDIT_MEMBERS, A.ENTER_DATA},
    Role.UPPER_STAFF: {A.VIEW, A.EDIT_REGISTRY, A.RESTRUCTURE, A.EDIT_MEMBERS, A.ENTER_DATA, A.EXPORT_PERSONAL_DATA},
    Role.PROVINCIAL_OFFICER: {
        A.VIEW,
        A.EDIT_REGISTRY,
        A.RESTRUCTURE,
        A.EDIT_MEMBERS,
        A.ENTER_DATA,
        A.REVIEW,
        A.MANAGE_PROGRAMS,
        A.EXPORT_PERSONAL_DATA,
    },
    Role.NATIONAL_OFFICER: {A.VIEW, A.REVIEW, A.MANAGE_PROGRAMS},
}
# Where each role's assignment sits above (or at) XP-A-01.
POST = {
    Role.VIEWER: "district",
    Role.BRANCH_OFFICER: "branch",
    Role.UPPER_STAFF: "district",
    Role.PROVINCIAL_OFFICER: "province",
    Role.NATIONAL_OFFICER: "national",
}


@pytest.mark.parametrize("role", list(EXPECTED_ON_OWN_BRANCH))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_do_exactly_its_actions_on_a_branch_in_its_subtree(cast, role, action):
    user = factories.make_user(organization=getattr(cast, POST[role]), role=role)

    allowed = UserScope(user).can(action, cast.branch)

    assert allowed is (action in EXPECTED_ON_OWN_BRANCH[role])


@pytest.mark.parametrize("action", list(Action))
def test_nobody_may_do_anything_outside_their_subtree(cast, action):
    assert not UserScope(cast.owner).can(action, cast.sibling_branch)
    assert not UserScope(cast.owner).can(action, cast.province)


def test_a_viewer_is_read_only(cast):
    scope = UserScope(cast.colleague)

    assert scope.can(Action.VIEW, cast.district)
    assert scope.can(Action.VIEW, cast.branch)
    assert [a for a in Action if scope.can(a, cast.branch)] == [Action.VIEW]
    assert not scope.can_anywhere(Action.EDIT_REGISTRY)


def test_a_national_officer_cannot_edit_the_registry(cast):
    scope = UserScope(cast.national_officer)

    assert scope.can(Action.VIEW, cast.branch)
    assert scope.can(Action.REVIEW, cast.province)
    assert not scope.can(Action.EDIT_REGISTRY, cast.branch)
    assert not scope.can(Action.EDIT_REGISTRY, cast.province)
    assert not scope.can(Action.RESTRUCTURE, cast.district)


def test_upper_staff_restructure_branches_below_their_district_but_not_the_district(cast):
    scope = UserScope(cast.owner)

    assert scope.can(Action.RESTRUCTURE, cast.branch)
    assert not scope.can(Action.RESTRUCTURE, cast.district)
    # The other rights are not strict: the district's own registry entry is theirs to edit.
    assert scope.can(Action.EDIT_REGISTRY, cast.district)


def test_a_provincial_officer_restructures_districts_but_not_the_province(cast):
    scope = UserScope(cast.provincial)

    assert scope.can(Action.RESTRUCTURE, cast.district)
    assert scope.can(Action.RESTRUCTURE, cast.sibling_branch)
    assert not scope.can(Action.RESTRUCTURE, cast.province)


def test_a_branch_officer_edits_members_of_their_branch_but_not_the_registry(cast):
    officer = factories.make_user("chairwoman", organization=cast.branch, role=Role.BRANCH_OFFICER)
    scope = UserScope(officer)

    assert scope.can(Action.EDIT_MEMBERS, cast.branch)
    assert scope.can(Action.ENTER_DATA, cast.branch)
    assert not scope.can(Action.EDIT_REGISTRY, cast.branch)
    assert not scope.can(Action.RESTRUCTURE, cast.branch)
    assert not scope.can(Action.VIEW, cast.district)


def test_a_branch_officer_cannot_restructure_even_the_units_below_their_branch(cast):
    officer = factories.make_user("chairwoman", organization=cast.branch, role=Role.BRANCH_OFFICER)
    unit = factories.make_organization(cast.branch, code="XP-A-01-T1")

    assert not UserScope(officer).can(Action.RESTRUCTURE, unit)
    assert UserScope(cast.owner).can(Action.RESTRUCTURE, unit)


def test_merging_the_bodies_below_a_district_is_asked_with_strict_false(cast):
    from organizations.permissions import Action, scope_for

    owner = scope_for(cast.owner)
    assert not owner.can(Action.RESTRUCTURE, cast.district)
    assert owner.can(Action.RESTRUCTURE, cast.district, strict=False)
    assert not scope_for(cast.colleague).can(Action.RESTRUCTURE, cast.district, strict=False)
    assert not scope_for(cast.outsider).can(Action.RESTRUCTURE, cast.district, strict=False)
