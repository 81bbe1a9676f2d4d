"""count_by_child: one GROUP BY on a path prefix counts a whole level of the tree."""

from __future__ import annotations

import datetime

import pytest

from organizations import services
from organizations.models import Organization, Workplace
from organizations.rollups import count_by_child
from organizations.selectors import tree_children
from tests import factories

PROVINCE = "00010001"
DISTRICT_A = "000100010001"
DISTRICT_B = "000100010002"
DISTRICT_C = "000100010003"
BRANCH_A1 = "0001000100010001"
BRANCH_A2 = "0001000100010002"


@pytest.fixture
def tree(cast) -> None:
    """XP → XP-A (A-01, A-02, A-03 dissolved; a unit under A-01), XP-B (B-01, B-02), XP-C (empty)."""
    factories.make_branch(cast.district, code="XP-A-02")
    gone = factories.make_branch(cast.district, code="XP-A-03")
    services.organization_dissolve(organization=gone, effective_date=datetime.date(2023, 12, 31))
    factories.make_organization(cast.branch, code="XP-A-01-T1")
    factories.make_branch(cast.sibling, code="XP-B-02")
    factories.make_organization(cast.province, code="XP-C")


def test_it_counts_active_base_branches_per_district(cast, tree):
    counts = count_by_child(Organization.objects.base().active(), cast.province)

    assert counts == {DISTRICT_A: 2, DISTRICT_B: 2}
    assert counts.get(DISTRICT_C, 0) == 0


def test_it_counts_a_whole_province_from_the_confederation(cast, tree):
    assert count_by_child(Organization.objects.base().active(), cast.national) == {PROVINCE: 4}
    assert count_by_child(Organization.objects.base(), cast.national) == {PROVINCE: 5}


def test_it_groups_every_level_below_under_the_child_it_lies_in(cast, tree):
    # Each child's subtree, the child included: XP-A, A-01, A-01-T1, A-02, A-03.
    assert count_by_child(Organization.objects.all(), cast.province) == {DISTRICT_A: 5, DISTRICT_B: 3, DISTRICT_C: 1}


def test_it_ignores_the_parent_itself(cast, tree):
    counts = count_by_child(Organization.objects.all(), cast.district)

    assert cast.district.path not in counts
    assert counts == {BRANCH_A1: 2, BRANCH_A2: 1, "0001000100010003": 1}


def test_a_leaf_has_nothing_to_count(cast, tree):
    assert count_by_child(Organization.objects.all(), cast.sibling_branch) == {}


def test_it_counts_workplaces_per_district_through_a_related_path(cast, tree):
    for code, union in [("W-1", cast.district), ("W-2", cast.district), ("W-3", cast.sibling), ("W-4", cast.province)]:
        factories.make_workplace(union, code=code)

    counts = count_by_child(Workplace.objects.all(), cast.province, path_field="upper_union__path")

    # W-4 is the province's own: it lies under no district.
    assert counts == {DISTRICT_A: 2, DISTRICT_B: 1}


def test_it_runs_in_one_query(cast, tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = count_by_child(Organization.objects.base().active(), cast.province)

    assert counts == {DISTRICT_A: 2, DISTRICT_B: 2}


def test_tree_children_counts_each_active_branch_once(cast, tree):
    districts = {node.organization.code: node.base_branches for node in tree_children(cast.province)}
    branches = {node.organization.code: node.base_branches for node in tree_children(cast.district)}

    assert districts == {"XP-A": 2, "XP-B": 2, "XP-C": 0}
    # An active branch's subtree holds one active base branch: itself.
    assert branches == {"XP-A-01": 1, "XP-A-02": 1}
    assert sum(branches.values()) == districts["XP-A"]


def test_tree_children_counts_no_branch_for_an_inactive_one(cast, tree):
    nodes = tree_children(cast.district, include_inactive=True)

    assert {node.organization.code: node.base_branches for node in nodes} == {
        "XP-A-01": 1,
        "XP-A-02": 1,
        "XP-A-03": 0,
    }
