"""Phân bổ chỉ tiêu: the province allocates the term's and each year's targets to every district (seed 004)."""

from decimal import Decimal

from indicators.targets import selectors, services
from tests import builders


def test_childrens_targets_adding_up_to_the_provinces_pass(cast):
    prog = builders.program(cast.province, start=2018, end=2023)
    ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900, allocation="sum")
    services.target_set(indicator=ind, organization=cast.district, value=Decimal(6000))
    services.target_set(indicator=ind, organization=cast.sibling, value=Decimal(3900))
    check = selectors.allocation_check(indicator=ind, parent=cast.province)
    assert (check.parent_value, check.children_value, check.missing, check.ok) == (9900, 6000 + 3900, [], True)


def test_a_shortfall_or_a_missing_child_fails(cast):
    prog = builders.program(cast.province, start=2018, end=2023)
    ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900, allocation="sum")
    services.target_set(indicator=ind, organization=cast.district, value=Decimal(6000))
    check = selectors.allocation_check(indicator=ind, parent=cast.province)
    assert check.missing == [cast.sibling] and not check.ok
    services.target_set(indicator=ind, organization=cast.sibling, value=Decimal(3000))
    check = selectors.allocation_check(indicator=ind, parent=cast.province)
    assert check.children_value == 9000 and not check.ok


def test_yearly_allocations_are_checked_per_year(cast):
    prog = builders.program(cast.province, start=2018, end=2023)
    ind = builders.indicator(prog, "members_joined", target_value=2000, allocation="sum")
    services.target_set(indicator=ind, organization=cast.province, value=Decimal(2100), year=2020)
    services.target_set(indicator=ind, organization=cast.district, value=Decimal(1200), year=2020)
    services.target_set(indicator=ind, organization=cast.sibling, value=Decimal(900), year=2020)
    check = selectors.allocation_check(indicator=ind, parent=cast.province, year=2020)
    assert (check.parent_value, check.children_value, check.ok) == (2100, 2100, True)
    assert selectors.allocation_check(indicator=ind, parent=cast.province, year=2021).children_value is None


def test_shares_average_to_the_parents(cast):
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "organizations_share", target_value=85, allocation="average")
    services.target_set(indicator=ind, organization=cast.district, value=Decimal(90))
    services.target_set(indicator=ind, organization=cast.sibling, value=Decimal(80))
    check = selectors.allocation_check(indicator=ind, parent=cast.province)
    assert (check.children_value, check.ok) == (Decimal("85.00"), True)
