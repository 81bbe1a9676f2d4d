"""The plausibility rules of the catalogue: each kind fires on an implausible figure and stays quiet otherwise."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import DataElement, PlausibilityRule, QualityWarning
from indicators.models.expressions import ExpressionError, evaluate, parse
from indicators.quality.evaluation import band, findings, grid_organizations
from indicators.quality.services import unit_refresh
from tests import builders, factories


@pytest.fixture
def year(db):
    return builders.period("2024")


save = builders.save_figure  # a figure typed in the 2024 grid


def codes_at(organization) -> set[str]:
    return set(QualityWarning.objects.filter(organization=organization).values_list("rule__code", flat=True))


def test_99999_informed_at_a_unit_with_no_workforce_entered_is_warned_and_clears_once_it_is(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="informed_within_workers")
    assert (warning.value, warning.reference, warning.missing) == (Decimal(99999), Decimal(0), "workers_total")
    save("workers_total", cast.branch, "120.000", cast.owner)
    assert "informed_within_workers" not in codes_at(cast.branch)


def test_figures_within_the_workforce_raise_no_warning_between_figures(cast, year):
    save("workers_total", cast.branch, "500", cast.owner)
    save("workers_informed", cast.branch, "400", cast.owner)
    assert not codes_at(cast.branch) & {"informed_within_workers", "members_within_workers"}


def test_1000_members_reported_at_a_branch_with_24_on_the_register_is_warned(cast, year):
    for _n in range(24):
        builders.member(cast.branch)
    save("workers_total", cast.branch, "1.200", cast.owner)
    save("workers_members", cast.branch, "1.000", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="members_match_register")
    assert (warning.value, warning.reference) == (Decimal(1000), Decimal(24))
    assert (warning.low, warning.high) == (Decimal("21.60"), Decimal("26.40"))


def test_a_figure_within_the_tolerance_of_the_register_is_not_warned(cast, year):
    for _n in range(24):
        builders.member(cast.branch)
    builders.member(cast.branch, left=datetime.date(2023, 5, 1))  # gone before the period ended: not counted
    save("workers_total", cast.branch, "30", cast.owner)
    save("workers_members", cast.branch, "26", cast.owner)
    assert "members_match_register" not in codes_at(cast.branch)


def test_a_branch_without_a_register_is_not_compared_with_it(cast, year):
    save("workers_total", cast.branch, "30", cast.owner)
    save("workers_members", cast.branch, "26", cast.owner)
    assert "members_match_register" not in codes_at(cast.branch)


def test_a_change_above_three_times_the_previous_period_is_warned_and_below_is_not(cast, year):
    builders.report(DataElement.objects.get(code="workers_total"), cast.branch, builders.period("2023"), 100)
    save("workers_total", cast.branch, "400", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="workers_total_change")
    assert (warning.reference, warning.high) == (Decimal(100), Decimal(300))
    save("workers_total", cast.branch, "250", cast.owner)
    assert "workers_total_change" not in codes_at(cast.branch)
    save("workers_total", cast.branch, "30", cast.owner)  # below ÷3
    assert "workers_total_change" in codes_at(cast.branch)


def test_an_outlier_against_the_units_history_is_warned_and_a_usual_figure_is_not(cast, year):
    element = DataElement.objects.get(code="workers_total")
    for past, value in zip(range(2019, 2024), (100, 104, 98, 102, 101), strict=True):
        builders.report(element, cast.branch, builders.period(str(past)), value)
    save("workers_total", cast.branch, "150", cast.owner)
    warning = QualityWarning.objects.get(organization=cast.branch, rule__code="workers_total_outlier")
    assert warning.reference == Decimal(101)
    assert "workers_total_change" not in codes_at(cast.branch)  # ×1,5: not a change ×3
    save("workers_total", cast.branch, "105", cast.owner)
    assert "workers_total_outlier" not in codes_at(cast.branch)


def test_the_band_is_the_median_plus_or_minus_k_scaled_mads_but_never_narrower_than_the_tolerance():
    values = [Decimal(v) for v in (100, 104, 98, 102, 101, 160)]
    median, low, high = band(values, k=Decimal(3), tolerance=Decimal(0))
    # MAD 2, scaled by 1,4826 as a standard deviation: 101,5 ± 3 × 2,9652.
    assert (median, low, high) == (Decimal("101.5"), Decimal("92.6044"), Decimal("110.3956"))
    assert band([Decimal(24)] * 3, k=Decimal(3), tolerance=Decimal(10))[1:] == (Decimal("21.6"), Decimal("26.4"))


def test_an_outlier_needs_three_earlier_figures(cast, year):
    element = DataElement.objects.get(code="workers_total")
    for past in (2022, 2023):
        builders.report(element, cast.branch, builders.period(str(past)), 100)
    save("workers_total", cast.branch, "200", cast.owner)
    assert "workers_total_outlier" not in codes_at(cast.branch)


def test_a_rule_over_expressions_compares_both_sides(cast, year):
    PlausibilityRule.objects.create(
        code="studying_and_members",
        name="Thử",
        kind="fields",
        element=DataElement.objects.get(code="workers_members"),
        left="workers_members + workers_studying",
        operator="lte",
        right="1,2 * workers_total",
    )
    save("workers_total", cast.branch, "100", cast.owner)
    save("workers_members", cast.branch, "90", cast.owner)
    save("workers_studying", cast.branch, "50", cast.owner)
    warning = QualityWarning.objects.get(rule__code="studying_and_members")
    assert (warning.value, warning.reference) == (Decimal(140), Decimal(120))
    save("workers_studying", cast.branch, "20", cast.owner)  # 110 ≤ 120
    assert "studying_and_members" not in codes_at(cast.branch)


def test_the_parser_reads_numbers_codes_and_brackets_and_refuses_anything_else():
    assert evaluate(parse("(a + 2) * b / 4"), {"a": Decimal(2), "b": Decimal(3)}, missing_as_zero=False) == 3
    assert evaluate(parse("a - b"), {"a": Decimal(2)}, missing_as_zero=True) == 2
    assert evaluate(parse("a / b"), {"a": Decimal(2), "b": Decimal(0)}, missing_as_zero=False) is None
    for bad in ("a +", "__import__('os')", "a ** 2", "(a", "a; b", ""):
        with pytest.raises(ExpressionError):
            parse(bad)


def test_a_warning_never_blocks_a_save(cast, year):
    save("workers_informed", cast.branch, "99.999", cast.owner)
    assert DataElement.objects.get(code="workers_informed").values.get().number == 99999


def _branches(parent, count: int, year, members: DataElement, informed: DataElement) -> None:
    for n in range(count):
        branch = factories.make_branch(parent, code=f"{parent.code}-{n:03d}")
        builders.report(members, branch, year, 1000)
        builders.report(informed, branch, year, 99999)
        builders.member(branch)


def test_the_evaluation_reads_a_fixed_number_of_queries_for_87_branches(cast, year):
    members, informed = (
        DataElement.objects.get(code="workers_members"),
        DataElement.objects.get(code="workers_informed"),
    )
    small = factories.make_organization(cast.province, code="XP-S")
    large = factories.make_organization(cast.province, code="XP-L")
    _branches(small, 3, year, members, informed)
    _branches(large, 87, year, members, informed)
    counts = {}
    for unit in (small, large):
        with CaptureQueriesContext(connection) as evaluation:
            found = findings(grid_organizations(unit), year)
        unit_refresh(unit=unit, period=year)
        with CaptureQueriesContext(connection) as again:
            unit_refresh(unit=unit, period=year)  # nothing changed: nothing written
        counts[unit.code] = (len(evaluation), len(again), len(found))
    assert counts["XP-S"][:2] == counts["XP-L"][:2]
    assert counts["XP-L"][0] <= 6
    assert counts["XP-L"][2] == 87 * 3  # informed and members above the workforce, members above the register
    assert QualityWarning.objects.filter(organization__path__startswith=large.path).count() == 87 * 3
