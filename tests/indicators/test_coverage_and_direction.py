"""Issue 12, points 1–3: coverage on every figure, rounding half up, and the direction of a target."""

import datetime
from decimal import Decimal

import pytest

from indicators.engine import Measurement, measure, measure_children
from indicators.models import ValueType
from indicators.status import STATUS_INFO, STATUSES, Status, evaluate, target_for
from organizations.models import Sector
from tests import builders, factories
from unionportal.numbers import round_half_up

D = datetime.date
CLOSED = D(2025, 3, 1)  # 2024 is over


def ratio(cast, numerator, denominator, **fields):
    """A reported ratio of one upper-level body (the district): numerator / denominator × 100."""
    part = builders.element("women", level="upper")
    whole = builders.element("members", level="upper")
    year = builders.period("2024")
    builders.report(part, cast.district, year, numerator)
    builders.report(whole, cast.district, year, denominator)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "reported_ratio", element=part, denominator=whole, unit="%", **fields)
    return ind, year


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(15, 27, "55.56"), (1273, 2358, "53.99"), (1, 8, "12.50"), (2, 3, "66.67")],
)
def test_a_share_is_rounded_half_up_to_two_places_and_keeps_its_exact_value(cast, numerator, denominator, shown):
    ind, year = ratio(cast, numerator, denominator, target_value=50)
    result = measure(ind, cast.district, year)
    assert result.value == Decimal(shown)
    assert result.exact == Decimal(numerator) * 100 / Decimal(denominator)


def test_round_half_up_is_not_the_bankers_rounding():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("55.555"), 2) == Decimal("55.56")
    assert round_half_up(Decimal("2.5"), 0) == Decimal(3)


def test_the_status_compares_the_figure_as_written(cast):
    """97,996 % is written 98,00 %: against "≥ 98" it is achieved, not "98,00 % — Không đạt"."""
    ind, year = ratio(cast, 97996, 100000, target_value=98)
    result = measure(ind, cast.district, year)
    assert result.value == Decimal("98.00") and result.exact == Decimal("97.996")
    target = target_for(ind, cast.district, 2024)
    assert evaluate(ind, target, result, year, today=CLOSED) == Status.ACHIEVED


def founded(cast, **fields):
    prog = builders.program(cast.province, start=2021, end=2025)
    fields.setdefault("comparison", "range")
    fields.setdefault("target_value", Decimal(30))
    fields.setdefault("target_value_max", Decimal(35))
    ind = builders.indicator(prog, "branches_founded", **fields)
    return ind, target_for(ind, cast.province, 2024), builders.period("2024")


def count(value) -> Measurement:
    return Measurement(value=Decimal(value), numerator=Decimal(value), exact=Decimal(value))


def test_forty_new_branches_against_thirty_to_thirty_five_a_year_is_exceeded(cast):
    ind, target, year = founded(cast)
    assert evaluate(ind, target, count(40), year, today=CLOSED) == Status.EXCEEDED
    assert evaluate(ind, target, count(35), year, today=CLOSED) == Status.ACHIEVED
    assert evaluate(ind, target, count(30), year, today=CLOSED) == Status.ACHIEVED
    assert evaluate(ind, target, count(29), year, today=CLOSED) == Status.NOT_ACHIEVED


def test_a_range_to_stay_within_fails_beyond_either_end(cast):
    ind, target, year = founded(cast, direction="within")
    assert evaluate(ind, target, count(40), year, today=CLOSED) == Status.NOT_ACHIEVED
    assert evaluate(ind, target, count(32), year, today=CLOSED) == Status.ACHIEVED


def test_a_range_where_lower_is_better_is_exceeded_below_its_low_end(cast):
    ind, target, year = founded(cast, direction="lower")
    assert evaluate(ind, target, count(20), year, today=CLOSED) == Status.EXCEEDED
    assert evaluate(ind, target, count(34), year, today=CLOSED) == Status.ACHIEVED
    assert evaluate(ind, target, count(36), year, today=CLOSED) == Status.NOT_ACHIEVED


def test_a_share_of_revenue_meant_to_rise_does_not_fail_above_three_percent(cast):
    """Seed 003: 2–3 % of revenue from union economic activity."""
    ind, year = ratio(cast, 34, 1000, comparison="range", target_value=2, target_value_max=Decimal(3))
    result = measure(ind, cast.district, year)
    assert result.value == Decimal("3.40")
    assert evaluate(ind, target_for(ind, cast.district, 2024), result, year, today=CLOSED) == Status.EXCEEDED


def test_at_most_is_exceeded_below_it_and_more_than_above_it(cast):
    prog = builders.program(cast.province)
    year = builders.period("2024")
    at_most = builders.indicator(prog, "members_left", comparison="lte", target_value=5)
    target = target_for(at_most, cast.province, 2024)
    assert evaluate(at_most, target, count(4), year, today=CLOSED) == Status.EXCEEDED
    assert evaluate(at_most, target, count(5), year, today=CLOSED) == Status.ACHIEVED
    more_than = builders.indicator(prog, "members_stock", comparison="gt", target_value=80)
    target = target_for(more_than, cast.province, 2024)
    assert evaluate(more_than, target, count(81), year, today=CLOSED) == Status.EXCEEDED  # "trên 80": 81 is beyond
    assert evaluate(more_than, target, count(80), year, today=CLOSED) == Status.NOT_ACHIEVED


def test_a_yearly_average_over_the_term_averages_the_years_so_far(cast):
    """Seed 004: "bình quân hàng năm … 30–35 CĐCS": judged on the average of the years so far."""
    built = builders.element("houses_built", level="upper")
    prog = builders.program(cast.district, start=2018, end=2023)
    ind = builders.indicator(
        prog,
        "reported_sum",
        element=built,
        comparison="range",
        target_value=30,
        target_value_max=Decimal(35),
        time_rule="annual_average",
    )
    first, second = builders.period("2018"), builders.period("2019")
    builders.report(built, cast.district, first, 20)
    builders.report(built, cast.district, second, 45)
    target = target_for(ind, cast.district, 2019)
    after = D(2020, 3, 1)
    alone = measure(ind, cast.district, first)
    assert alone.value == Decimal("20.00")
    assert evaluate(ind, target_for(ind, cast.district, 2018), alone, first, today=after) == Status.NOT_ACHIEVED
    average = measure(ind, cast.district, second)
    assert (average.numerator, average.value) == (Decimal(65), Decimal("32.50"))
    assert evaluate(ind, target, average, second, today=after) == Status.ACHIEVED


def rated_branches(cast, *, reported: int, good: int, total: int = 10):
    """`total` school branches in district A (the cast's own among them), `reported` rated, `good` of those good."""
    rating = builders.element("rating", ValueType.CHOICE)
    year = builders.period("2024")
    branches = [cast.branch] + [
        factories.make_branch(cast.district, code=f"XP-A-C{i:02d}", sector=Sector.SCHOOL) for i in range(total - 1)
    ]
    for number, branch in enumerate(branches[:reported]):
        builders.report(rating, branch, year, "good" if number < good else "done")
    return rating, year


def share_of_good(cast, rating, **fields):
    prog = builders.program(cast.province)
    for name, value in fields.pop("program", {}).items():
        setattr(prog, name, value)
    prog.save()
    return builders.indicator(prog, "organizations_share", element=rating, min_choice="good", target_value=97, **fields)


def test_below_the_coverage_threshold_the_status_is_not_enough_data(cast):
    """8 of 10 branches reported, all 8 rated good: 100 % of those that reported, but 80 % < 90 %."""
    rating, year = rated_branches(cast, reported=8, good=8)
    ind = share_of_good(cast, rating)
    result = measure(ind, cast.district, year)
    assert (result.value, result.reported, result.expected, result.coverage) == (Decimal("100.00"), 8, 10, 80)
    assert evaluate(ind, target_for(ind, cast.district, 2024), result, year, today=CLOSED) == Status.INSUFFICIENT


def test_at_or_above_the_threshold_the_figure_is_judged(cast):
    rating, year = rated_branches(cast, reported=9, good=9)
    ind = share_of_good(cast, rating)
    result = measure(ind, cast.district, year)
    assert (result.reported, result.expected) == (9, 10)
    assert evaluate(ind, target_for(ind, cast.district, 2024), result, year, today=CLOSED) == Status.EXCEEDED


def test_the_threshold_is_the_programs(cast):
    rating, year = rated_branches(cast, reported=8, good=8)
    ind = share_of_good(cast, rating, program={"coverage_threshold": Decimal(75)})
    result = measure(ind, cast.district, year)
    assert evaluate(ind, target_for(ind, cast.district, 2024), result, year, today=CLOSED) == Status.EXCEEDED


def test_under_the_strict_rule_missing_branches_count_as_not_meeting(cast):
    rating, year = rated_branches(cast, reported=8, good=8)
    ind = share_of_good(cast, rating, unreported_rule="strict")
    result = measure(ind, cast.district, year)
    assert (result.value, result.reported, result.expected) == (Decimal("80.00"), 8, 10)
    assert evaluate(ind, target_for(ind, cast.district, 2024), result, year, today=CLOSED) == Status.NOT_ACHIEVED


def test_each_child_knows_its_coverage(cast):
    rating, year = rated_branches(cast, reported=8, good=8)
    ind = share_of_good(cast, rating)
    children = measure_children(ind, cast.province, year, [cast.district, cast.sibling])
    assert (children[cast.district.pk].reported, children[cast.district.pk].expected) == (8, 10)
    assert children[cast.sibling.pk].value is None


def test_coverage_adds_no_query(cast, django_assert_num_queries):
    """A share of branches reads its numerator, its population, and its coverage with one query each,
    as it read whether anything was reported before coverage was kept."""
    rating, year = rated_branches(cast, reported=8, good=8)
    ind = share_of_good(cast, rating)
    measure(ind, cast.district, year)
    with django_assert_num_queries(3):
        measure(ind, cast.district, year)


def test_one_table_of_statuses_counts_exceeded_as_met_and_orders_them():
    assert [info.code for info in STATUSES if info.met] == [Status.ACHIEVED, Status.EXCEEDED]
    assert set(STATUS_INFO) == {status.value for status in Status}
    assert len({info.order for info in STATUSES}) == len(STATUSES)
    assert STATUS_INFO["insufficient"].met is False
