"""Reported figures: totals ('≥80 union houses a year'), averages per branch, ratios ('training spend 15 %')."""

from decimal import Decimal

from indicators.engine import measure, measure_children
from indicators.models import ValueType
from tests import builders, factories


def test_a_total_reported_at_upper_level(cast):
    houses = builders.element("union_houses", level="upper")
    year = builders.period("2024")
    builders.report(houses, cast.district, year, 30)
    builders.report(houses, cast.sibling, year, 45)
    builders.report(houses, cast.district, builders.period("2023"), 99)  # another year
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "reported_sum", element=houses, target_value=80)
    assert measure(ind, cast.province, year).value == 75
    children = measure_children(ind, cast.province, year, [cast.district, cast.sibling])
    assert (children[cast.district.pk].value, children[cast.sibling.pk].value) == (30, 45)


def test_nothing_reported_is_no_data_not_zero(cast):
    houses = builders.element("union_houses", level="upper")
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "reported_sum", element=houses, target_value=80)
    assert measure(ind, cast.province, builders.period("2024")).value is None


def test_people_introduced_to_the_party_on_average_per_branch(cast):
    """Seed 003: each CĐCS introduces at least 1 person to the Party a year on average."""
    introduced = builders.element("party_introductions")
    year = builders.period("2024")
    second = factories.make_branch(cast.district, code="XP-A-02")
    factories.make_branch(cast.district, code="XP-A-03")  # reported nothing
    builders.report(introduced, cast.branch, year, 2)
    builders.report(introduced, second, year, 2)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "average_per_branch", element=introduced, target_value=1)
    result = measure(ind, cast.district, year)
    # Over the branches that reported (2 of 3); the strict rule counts the silent one as 0.
    assert (result.numerator, result.denominator, result.value) == (4, 2, Decimal("2.00"))
    assert (result.reported, result.expected) == (2, 3)
    ind.unreported_rule = "strict"
    result = measure(ind, cast.district, year)
    assert (result.numerator, result.denominator, result.value) == (4, 3, Decimal("1.33"))


def test_training_spend_as_a_share_of_all_spending(cast):
    """Seed 002: training spend is 15 % of each level's spending."""
    training = builders.element("training_spend", ValueType.MONEY, level="upper")
    total = builders.element("total_spend", ValueType.MONEY, level="upper")
    year = builders.period("2021")
    builders.report(training, cast.district, year, 30_000_000)
    builders.report(total, cast.district, year, 200_000_000)
    builders.report(training, cast.sibling, year, 10_000_000)
    builders.report(total, cast.sibling, year, 100_000_000)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "reported_ratio", element=training, denominator=total, target_value=15)
    result = measure(ind, cast.district, year)
    assert result.value == Decimal("15.00")
    # Upper-level data: the bodies of the figure's level are the units (the district itself).
    assert (result.reported, result.expected) == (1, 1)
    assert measure(ind, cast.province, year).value == Decimal("13.33")


def test_a_ratio_scoped_to_sectors_scopes_both_sides(cast):
    """Seed 000: 95 % of workers in enterprises are members — the enterprises' workers only."""
    members = builders.element("workers_members")
    total = builders.element("workers_total")
    year = builders.period("2024")
    enterprise = factories.make_branch(cast.district, code="XP-A-DN", sector="non_state_enterprise")
    builders.report(total, enterprise, year, 100)
    builders.report(members, enterprise, year, 90)
    builders.report(total, cast.branch, year, 40)  # a school
    builders.report(members, cast.branch, year, 40)
    prog = builders.program(cast.province)
    ind = builders.indicator(
        prog, "reported_ratio", element=members, denominator=total, sectors=["non_state_enterprise"], target_value=95
    )
    assert measure(ind, cast.district, year).value == Decimal("90.00")


def test_an_emptied_cell_reports_nothing(cast):
    from indicators.entry import services

    houses = builders.element("union_houses", level="upper")
    year = builders.period("2024")
    services.data_value_save(element=houses, organization=cast.district, period=year, raw="12", by=cast.owner)
    services.data_value_save(element=houses, organization=cast.district, period=year, raw="", by=cast.owner)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "reported_sum", element=houses, target_value=80)
    assert measure(ind, cast.province, year).value is None  # no data, not 0
