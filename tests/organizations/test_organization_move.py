"""organization_move: putting an organization, with its whole subtree, under another parent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import (
    OperationKind,
    Organization,
    RestructuringLink,
    RestructuringOperation,
    Workplace,
)
from organizations.permissions import UserScope
from tests import factories

JULY_1 = datetime.date(2025, 7, 1)


def _codes(queryset) -> list[str]:
    return [o.code for o in queryset]


def _paths() -> dict[str, str]:
    return dict(Organization.objects.values_list("code", "path"))


def test_it_moves_a_branch_with_the_units_below_it(cast):
    factories.make_organization(cast.branch, code="XP-A-01-T1")

    services.organization_move(organization=cast.branch, new_parent=cast.sibling, effective_date=JULY_1)

    paths = _paths()
    # XP-B (0001.0001.0002) already has XP-B-01 as 0001, so the branch becomes its 0002.
    assert paths["XP-A-01"] == "0001000100020002"
    assert paths["XP-A-01-T1"] == "00010001000200020001"
    branch = Organization.objects.get(code="XP-A-01")
    assert branch.depth == 4
    assert branch.parent() == cast.sibling
    assert Organization.objects.get(code="XP-A-01-T1").parent() == branch


def test_subtree_queries_follow_the_move(cast):
    factories.make_organization(cast.branch, code="XP-A-01-T1")

    services.organization_move(organization=cast.branch, new_parent=cast.sibling, effective_date=JULY_1)

    assert _codes(Organization.objects.within(cast.sibling)) == ["XP-B", "XP-B-01", "XP-A-01", "XP-A-01-T1"]
    assert _codes(Organization.objects.within(cast.district)) == ["XP-A"]
    counts = dict(Organization.objects.filter(code__in=["XP-A", "XP-B"]).values_list("code", "numchild"))
    assert counts == {"XP-A": 0, "XP-B": 2}


def test_workplaces_and_scopes_follow_the_moved_branch(cast):
    factories.make_workplace(cast.sibling, code="W-1", branch=cast.branch)

    services.organization_move(organization=cast.branch, new_parent=cast.sibling, effective_date=JULY_1)

    branch = Organization.objects.get(code="XP-A-01")
    assert [w.code for w in Workplace.objects.within(cast.sibling)] == ["W-1"]
    assert [w.code for w in Workplace.objects.within(cast.district)] == []
    assert UserScope(cast.outsider).sees(branch)
    assert not UserScope(cast.owner).sees(branch)


def test_a_district_moves_with_its_branches_to_another_province(cast):
    other_province = factories.make_organization(cast.national, code="XQ")

    services.organization_move(organization=cast.district, new_parent=other_province, effective_date=JULY_1)

    paths = _paths()
    assert paths["XQ"] == "00010002"
    assert paths["XP-A"] == "000100020001"
    assert paths["XP-A-01"] == "0001000200010001"
    assert _codes(Organization.objects.within(other_province)) == ["XQ", "XP-A", "XP-A-01"]
    assert _codes(Organization.objects.within(cast.province)) == ["XP", "XP-B", "XP-B-01"]


def test_the_move_is_recorded_with_the_previous_and_new_parent(cast):
    operation = services.organization_move(
        organization=cast.branch, new_parent=cast.sibling, effective_date=JULY_1, by=cast.provincial, decision="7/QĐ"
    )

    operation.refresh_from_db()
    assert operation.kind == OperationKind.MOVE
    assert operation.effective_date == JULY_1
    assert operation.performed_by == cast.provincial
    assert operation.decision == "7/QĐ"
    link = operation.links.get()
    assert link.organization == cast.branch
    assert link.role == RestructuringLink.SOURCE
    assert link.previous_parent == cast.district
    assert link.new_parent == cast.sibling


def _assert_nothing_moved(before: dict[str, str], moves_before: int) -> None:
    assert _paths() == before
    assert RestructuringOperation.objects.filter(kind=OperationKind.MOVE).count() == moves_before


def test_it_refuses_to_move_an_organization_into_itself(cast):
    before = _paths()

    with pytest.raises(ValidationError, match="chính nó"):
        services.organization_move(organization=cast.district, new_parent=cast.district, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)


def test_it_refuses_to_move_an_organization_into_its_own_descendant(cast):
    before = _paths()

    with pytest.raises(ValidationError, match="chính nó"):
        services.organization_move(organization=cast.province, new_parent=cast.district, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)


def test_it_refuses_a_new_parent_at_the_same_level(cast):
    before = _paths()

    with pytest.raises(ValidationError, match="cấp cao hơn"):
        services.organization_move(organization=cast.branch, new_parent=cast.sibling_branch, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)


def test_it_refuses_a_new_parent_at_a_lower_level(cast):
    unit = factories.make_organization(cast.sibling_branch, code="XP-B-01-T1")
    before = _paths()

    with pytest.raises(ValidationError, match="cấp cao hơn"):
        services.organization_move(organization=cast.branch, new_parent=unit, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)


def test_it_refuses_the_parent_the_organization_already_has(cast):
    before = _paths()

    with pytest.raises(ValidationError, match="đã thuộc"):
        services.organization_move(organization=cast.branch, new_parent=cast.district, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)


def test_it_refuses_a_dissolved_new_parent(cast):
    services.organization_dissolve(organization=cast.sibling_branch, effective_date=datetime.date(2024, 1, 1))
    services.organization_dissolve(organization=cast.sibling, effective_date=datetime.date(2024, 1, 1))
    before = _paths()

    with pytest.raises(ValidationError, match="không còn hoạt động"):
        services.organization_move(organization=cast.branch, new_parent=cast.sibling, effective_date=JULY_1)

    _assert_nothing_moved(before, 0)
