"""Share of union bodies: rated 'good or better' by sector (seed 000, 003, 004), yes/no facts with eligibility."""

import datetime
from decimal import Decimal

from indicators.engine import measure, measure_children
from indicators.models import ValueType
from organizations.models import Sector
from tests import builders, factories


def rated_district(cast):
    """District A: 4 admin branches rated excellent, good, done, (none); 1 enterprise branch rated good."""
    rating = builders.element("rating", ValueType.CHOICE)
    year = builders.period("2024")
    admin = [factories.make_branch(cast.district, code=f"XP-A-H{i}", sector=Sector.ADMINISTRATION) for i in range(4)]
    enterprise = factories.make_branch(cast.district, code="XP-A-D1", sector=Sector.NON_STATE_ENTERPRISE)
    for branch, grade in zip(admin, ["excellent", "good", "done"], strict=False):
        builders.report(rating, branch, year, grade)
    builders.report(rating, enterprise, year, "good")
    return rating, admin, enterprise


def test_the_share_of_admin_branches_rated_good_or_better(cast):
    rating, _admin, _enterprise = rated_district(cast)
    prog = builders.program(cast.province)
    ind = builders.indicator(
        prog, "organizations_share", element=rating, min_choice="good", sectors=[Sector.ADMINISTRATION], target_value=97
    )
    result = measure(ind, cast.district, builders.period("2024"))
    # 2 (excellent, good) of the 3 admin branches that reported; the unrated one is not counted.
    assert (result.numerator, result.denominator, result.value) == (2, 3, Decimal("66.67"))
    assert (result.reported, result.expected, result.exact) == (3, 4, Decimal(200) / Decimal(3))


def test_under_the_strict_rule_a_branch_that_has_not_reported_counts_as_not_meeting(cast):
    rating, _admin, _enterprise = rated_district(cast)
    prog = builders.program(cast.province)
    ind = builders.indicator(
        prog,
        "organizations_share",
        element=rating,
        min_choice="good",
        sectors=[Sector.ADMINISTRATION],
        target_value=97,
        unreported_rule="strict",
    )
    result = measure(ind, cast.district, builders.period("2024"))
    assert (result.numerator, result.denominator, result.value) == (2, 4, Decimal("50.00"))
    assert (result.reported, result.expected) == (3, 4)


def test_every_sector_together(cast):
    rating, _admin, _enterprise = rated_district(cast)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_share", element=rating, min_choice="good", target_value=85)
    result = measure(ind, cast.district, builders.period("2024"))
    # The cast's own school branch XP-A-01 and one admin branch are unrated: 3 of the 4 that reported.
    assert (result.numerator, result.denominator) == (3, 4)
    assert (result.reported, result.expected) == (4, 6)


def test_a_branch_founded_after_the_period_is_not_counted(cast):
    rating, _admin, _enterprise = rated_district(cast)
    factories.make_branch(cast.district, code="XP-A-NEW", founded_on=datetime.date(2025, 2, 1))
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_share", element=rating, min_choice="good", target_value=85)
    assert measure(ind, cast.district, builders.period("2024")).expected == 6


def test_nothing_reported_is_no_data(cast):
    rating = builders.element("rating", ValueType.CHOICE)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_share", element=rating, min_choice="good", target_value=85)
    assert measure(ind, cast.district, builders.period("2024")).value is None


def test_a_yes_no_fact_among_eligible_branches_only(cast):
    """Women's committee at 100 % of eligible CĐCS (seed 003)."""
    committee = builders.element("womens_committee", ValueType.BOOLEAN)
    eligible = builders.element("womens_committee_eligible", ValueType.BOOLEAN)
    year = builders.period("2024")
    branches = [factories.make_branch(cast.district, code=f"XP-A-W{i}") for i in range(3)]
    for branch in branches:
        builders.report(eligible, branch, year, True)
    builders.report(eligible, cast.branch, year, False)
    builders.report(committee, branches[0], year, True)
    builders.report(committee, branches[1], year, True)
    builders.report(committee, branches[2], year, False)
    builders.report(committee, cast.branch, year, False)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_share", element=committee, eligibility=eligible, target_value=100)
    result = measure(ind, cast.district, year)
    assert (result.numerator, result.denominator, result.value) == (2, 3, Decimal("66.67"))


def test_upper_level_unions_can_be_the_population(cast):
    """'100 % of upper-level unions inspect their finances every year' (seed 003)."""
    inspected = builders.element("finance_inspected", ValueType.BOOLEAN, level="upper")
    year = builders.period("2024")
    builders.report(inspected, cast.district, year, True)
    builders.report(inspected, cast.sibling, year, False)
    prog = builders.program(cast.province)
    from organizations.models import Level

    ind = builders.indicator(
        prog, "organizations_share", element=inspected, level=Level.objects.get(code="upper"), target_value=100
    )
    assert measure(ind, cast.province, year).value == Decimal("50.00")
    children = measure_children(ind, cast.province, year, [cast.district, cast.sibling])
    assert children[cast.district.pk].value == Decimal("100.00")
    assert children[cast.sibling.pk].value == Decimal("0.00")


def test_the_number_of_branches_rated_good_or_better(cast):
    rating, _admin, _enterprise = rated_district(cast)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_count", element=rating, min_choice="good")
    assert measure(ind, cast.district, builders.period("2024")).value == 3
    assert measure(ind, cast.sibling, builders.period("2024")).value is None  # nothing reported there
