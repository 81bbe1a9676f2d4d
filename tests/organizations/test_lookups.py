"""The scoped lookups: outsiders get 404, in-scope users without the right get 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations.lookups import get_organization_for_user, get_workplace_for_user
from organizations.models import Role
from organizations.permissions import Action
from tests import factories

# --- get_organization_for_user ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["XP-A", "XP-A-01"])
@pytest.mark.parametrize("action", [Action.VIEW, Action.EDIT_REGISTRY])
def test_the_outsider_gets_404_for_the_owners_district_and_branch(cast, code, action):
    with pytest.raises(Http404):
        get_organization_for_user(cast.outsider, code, action)


def test_an_unknown_code_is_404(cast):
    with pytest.raises(Http404):
        get_organization_for_user(cast.provincial, "XP-Z-99")


def test_a_district_officer_gets_404_for_the_province_above(cast):
    with pytest.raises(Http404):
        get_organization_for_user(cast.owner, "XP")


def test_the_viewer_may_look_but_not_edit(cast):
    assert get_organization_for_user(cast.colleague, "XP-A-01") == cast.branch

    with pytest.raises(PermissionDenied):
        get_organization_for_user(cast.colleague, "XP-A-01", Action.EDIT_REGISTRY)


def test_the_owner_gets_the_branch_for_editing(cast):
    branch = get_organization_for_user(cast.owner, "XP-A-01", Action.EDIT_REGISTRY)

    assert branch == cast.branch
    assert branch.level.code == "base"


def test_the_owner_may_not_restructure_their_own_district(cast):
    assert get_organization_for_user(cast.owner, "XP-A-01", Action.RESTRUCTURE) == cast.branch

    with pytest.raises(PermissionDenied):
        get_organization_for_user(cast.owner, "XP-A", Action.RESTRUCTURE)


def test_a_national_officer_may_look_at_a_branch_but_not_edit_it(cast):
    assert get_organization_for_user(cast.national_officer, "XP-B-01") == cast.sibling_branch

    with pytest.raises(PermissionDenied):
        get_organization_for_user(cast.national_officer, "XP-B-01", Action.EDIT_REGISTRY)


# --- get_workplace_for_user ---------------------------------------------------------------------


@pytest.fixture
def officer(cast):
    """The chairwoman of XP-A-01."""
    return factories.make_user("chairwoman", organization=cast.branch, role=Role.BRANCH_OFFICER)


@pytest.fixture
def workplaces(cast) -> None:
    factories.make_workplace(cast.district, code="W-SCHOOL", branch=cast.branch)  # unionized, in XP-A
    factories.make_workplace(cast.district, code="W-SHOP")  # no union yet, in XP-A
    factories.make_workplace(cast.sibling, code="W-B", branch=cast.sibling_branch)


@pytest.mark.parametrize("code", ["W-SCHOOL", "W-SHOP"])
def test_the_outsider_gets_404_for_a_workplace_of_the_owners_district(cast, workplaces, code):
    with pytest.raises(Http404):
        get_workplace_for_user(cast.outsider, code)


def test_the_owner_reaches_a_workplace_through_its_upper_union(cast, workplaces):
    assert get_workplace_for_user(cast.owner, "W-SHOP", Action.EDIT_REGISTRY).upper_union == cast.district
    assert get_workplace_for_user(cast.owner, "W-SCHOOL", Action.EDIT_REGISTRY).branch == cast.branch


def test_the_viewer_may_look_at_a_workplace_but_not_edit_it(cast, workplaces):
    assert get_workplace_for_user(cast.colleague, "W-SHOP").code == "W-SHOP"

    with pytest.raises(PermissionDenied):
        get_workplace_for_user(cast.colleague, "W-SHOP", Action.EDIT_REGISTRY)


def test_a_branch_officer_reaches_the_workplace_of_their_branch(cast, workplaces, officer):
    workplace = get_workplace_for_user(officer, "W-SCHOOL")

    assert workplace.code == "W-SCHOOL"
    assert workplace.branch == cast.branch


def test_a_branch_officer_may_not_edit_the_workplace_of_their_branch(cast, workplaces, officer):
    with pytest.raises(PermissionDenied):
        get_workplace_for_user(officer, "W-SCHOOL", Action.EDIT_REGISTRY)


def test_a_branch_officer_gets_404_for_a_workplace_without_their_branch(cast, workplaces, officer):
    with pytest.raises(Http404):
        get_workplace_for_user(officer, "W-SHOP")
    with pytest.raises(Http404):
        get_workplace_for_user(officer, "W-B")


def test_a_workplace_registered_elsewhere_is_reached_through_its_branch(cast):
    # Registered with XP-B, but its union is a branch of XP-A.
    factories.make_workplace(cast.sibling, code="W-CROSS", branch=cast.branch)

    assert get_workplace_for_user(cast.owner, "W-CROSS").code == "W-CROSS"
    assert get_workplace_for_user(cast.outsider, "W-CROSS", Action.EDIT_REGISTRY).code == "W-CROSS"
    # The registry entry belongs to the union responsible for it, not to the branch's district.
    with pytest.raises(PermissionDenied):
        get_workplace_for_user(cast.owner, "W-CROSS", Action.EDIT_REGISTRY)
