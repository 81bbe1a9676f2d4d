"""The status rules, one time rule at a time, with the dates written out."""

import datetime
from decimal import Decimal

import pytest

from indicators.engine import Measurement
from indicators.status import Status, TargetBook, evaluate, meets, target_for
from tests import builders

D = datetime.date


def m(value) -> Measurement:
    return Measurement(value=Decimal(str(value)))


@pytest.mark.parametrize(
    ("comparison", "actual", "value", "value_max", "expected"),
    [
        ("gt", 80, 80, None, False),  # "trên 80 %" is strictly more
        ("gt", "80.01", 80, None, True),
        ("gte", 80, 80, None, True),  # "80 % trở lên"
        ("lt", 5, 5, None, False),
        ("lte", 5, 5, None, True),
        ("eq", 100, 100, None, True),
        ("range", 30, 30, 35, True),  # "30–35"
        ("range", 35, 30, 35, True),
        ("range", 29, 30, 35, False),
        ("range", 36, 30, 35, False),
    ],
)
def test_comparisons_read_the_way_the_documents_write_them(comparison, actual, value, value_max, expected):
    vmax = Decimal(value_max) if value_max is not None else None
    assert meets(comparison, Decimal(str(actual)), Decimal(value), vmax) is expected


class TestEveryYear:
    def setup_indicator(self, cast, **fields):
        prog = builders.program(cast.province, start=2021, end=2025)
        fields.setdefault("target_value", 97)
        return builders.indicator(prog, "organizations_share", **fields), prog

    def test_a_closed_year_is_achieved_or_not(self, cast):
        ind, _ = self.setup_indicator(cast)
        target = target_for(ind, cast.province, 2024)
        year = builders.period("2024")
        assert evaluate(ind, target, m(97), year, today=D(2025, 3, 1)) == Status.ACHIEVED
        assert evaluate(ind, target, m(98), year, today=D(2025, 3, 1)) == Status.EXCEEDED  # beyond the minimum
        assert evaluate(ind, target, m(96), year, today=D(2025, 3, 1)) == Status.NOT_ACHIEVED

    def test_a_running_year_is_on_track_or_at_risk(self, cast):
        ind, _ = self.setup_indicator(cast)
        target = target_for(ind, cast.province, 2024)
        year = builders.period("2024")
        assert evaluate(ind, target, m(98), year, today=D(2024, 9, 1)) == Status.ON_TRACK
        assert evaluate(ind, target, m(96), year, today=D(2024, 9, 1)) == Status.AT_RISK

    def test_no_data_or_no_target_is_no_data(self, cast):
        ind, _ = self.setup_indicator(cast)
        target = target_for(ind, cast.province, 2024)
        assert evaluate(ind, target, Measurement(value=None), builders.period("2024")) == Status.NO_DATA
        assert evaluate(ind, None, m(50), builders.period("2024")) == Status.NO_DATA

    def test_a_yearly_flow_at_mid_year_is_compared_with_half_the_target(self, cast):
        prog = builders.program(cast.province, start=2018, end=2023)
        ind = builders.indicator(prog, "members_joined", target_value=2000)
        target = target_for(ind, cast.province, 2020)
        h1 = builders.period("2020-H1")  # 182 of 366 days of 2020
        assert evaluate(ind, target, m(1000), h1, today=D(2020, 8, 1)) == Status.ON_TRACK
        assert evaluate(ind, target, m(990), h1, today=D(2020, 8, 1)) == Status.AT_RISK


class TestByYear:
    def test_on_the_straight_line_from_the_baseline(self, cast):
        """80,000 members by the end of 2025 from 60,000 at the end of 2020: 72,000 expected at the end of 2023."""
        prog = builders.program(cast.province, start=2021, end=2025)
        ind = builders.indicator(
            prog,
            "members_stock",
            time_rule="by_year",
            target_year=2025,
            target_value=80000,
            baseline_value=Decimal(60000),
            baseline_year=2020,
        )
        target = target_for(ind, cast.province, 2023)
        year = builders.period("2023")
        assert evaluate(ind, target, m(72100), year, today=D(2024, 2, 1)) == Status.ON_TRACK
        assert evaluate(ind, target, m(71000), year, today=D(2024, 2, 1)) == Status.AT_RISK
        assert evaluate(ind, target, m(80000), year, today=D(2024, 2, 1)) == Status.ACHIEVED  # early
        assert evaluate(ind, target, m(80500), year, today=D(2024, 2, 1)) == Status.EXCEEDED  # early, and beyond

    def test_the_deadline_year_decides(self, cast):
        prog = builders.program(cast.province, start=2021, end=2025)
        ind = builders.indicator(prog, "members_stock", time_rule="by_year", target_year=2025, target_value=80000)
        target = target_for(ind, cast.province, 2025)
        year = builders.period("2025")
        assert evaluate(ind, target, m(79000), year, today=D(2026, 1, 10)) == Status.NOT_ACHIEVED
        assert evaluate(ind, target, m(80000), year, today=D(2026, 1, 10)) == Status.ACHIEVED


class TestCumulative:
    def test_progress_against_the_elapsed_share_of_the_period(self, cast):
        """9,900 new members over 2018–2023 (six years): by the end of 2020, half is expected (4,950)."""
        prog = builders.program(cast.province, start=2018, end=2023)
        ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900)
        target = target_for(ind, cast.province, 2020)
        year = builders.period("2020")
        assert evaluate(ind, target, m(4960), year, today=D(2021, 1, 20)) == Status.ON_TRACK
        assert evaluate(ind, target, m(4900), year, today=D(2021, 1, 20)) == Status.AT_RISK

    def test_the_last_year_decides(self, cast):
        prog = builders.program(cast.province, start=2018, end=2023)
        ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900)
        target = target_for(ind, cast.province, 2023)
        year = builders.period("2023")
        assert evaluate(ind, target, m(9899), year, today=D(2024, 1, 20)) == Status.NOT_ACHIEVED
        assert evaluate(ind, target, m(9900), year, today=D(2024, 1, 20)) == Status.ACHIEVED


class TestWhichTargetApplies:
    def test_a_share_applies_to_every_body_of_the_subtree(self, cast):
        prog = builders.program(cast.province)
        ind = builders.indicator(prog, "organizations_share", target_value=97)
        own, inherited = target_for(ind, cast.province, 2024), target_for(ind, cast.district, 2024)
        assert (own.value, own.source) == (Decimal(97), "own")
        assert (inherited.value, inherited.source) == (Decimal(97), "inherited")

    def test_a_count_reaches_a_child_only_by_allocation(self, cast):
        prog = builders.program(cast.province, start=2018, end=2023)
        ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900)
        assert target_for(ind, cast.district, 2020) is None
        builders.target(ind, cast.district, 6000)  # the term
        builders.target(ind, cast.district, 1100, year=2020)  # the year
        term = target_for(ind, cast.district, 2019)
        year = target_for(ind, cast.district, 2020)
        assert (term.value, term.time_rule, term.source) == (Decimal(6000), "cumulative", "allocated")
        assert (year.value, year.time_rule, year.yearly) == (Decimal(1100), "every_year", True)

    def test_the_books_of_several_years_read_the_same_targets_with_one_query(self, cast, django_assert_num_queries):
        prog = builders.program(cast.province, start=2018, end=2023)
        ind = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900)
        builders.target(ind, cast.district, 6000)  # the term
        builders.target(ind, cast.district, 1100, year=2020)
        builders.target(ind, cast.district, 1200, year=2021)
        years = [2019, 2020, 2021, 2022]
        with django_assert_num_queries(1):
            books = TargetBook.for_years([ind], [cast.district, cast.province], years)
        for year in years:
            for organization in (cast.district, cast.province):
                assert books[year].get(ind, organization) == target_for(ind, organization, year), (year, organization)
        assert books[2021].get(ind, cast.district).value == Decimal(1200)
        assert TargetBook.for_years([ind], [cast.district], []) == {}
