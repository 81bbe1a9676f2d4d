"""Turning stored parts into a value needs only the measure's shape, which must match its querysets."""

from decimal import Decimal

import pytest

from indicators.engine import SHAPES, Parts, from_parts, spec_for, window
from indicators.engine.compute import _finish, finish_value
from indicators.models import Measure, ValueType
from tests import builders


@pytest.mark.parametrize("measure", [m for m in Measure if m != Measure.QUALITATIVE])
def test_every_measure_has_the_shape_of_its_querysets(cast, measure):
    rating = builders.element("rating_1294", ValueType.CHOICE)
    spend = builders.element("training_spend")
    prog = builders.program(cast.province)
    fields = {}
    if measure in (Measure.ORGANIZATIONS_SHARE, Measure.ORGANIZATIONS_COUNT):
        fields = {"element": rating, "min_choice": "good"}
    elif measure in (Measure.AVERAGE_PER_BRANCH, Measure.REPORTED_SUM):
        fields = {"element": spend}
    elif measure == Measure.REPORTED_RATIO:
        fields = {"element": spend, "denominator": builders.element("spending")}
    indicator = builders.indicator(prog, measure, **fields)
    year = builders.period("2024")
    assert SHAPES[measure] == spec_for(indicator, window(indicator, year)).shape


def test_a_qualitative_task_has_no_figure(cast):
    indicator = builders.indicator(builders.program(cast.province), Measure.QUALITATIVE)
    assert from_parts(indicator, Parts(Decimal(3), Decimal(4), 1), builders.period("2024")).value is None


def test_a_share_from_parts_is_the_percentage_and_nothing_reported_is_no_data(cast):
    rating = builders.element("rating_1294", ValueType.CHOICE)
    indicator = builders.indicator(
        builders.program(cast.province), Measure.ORGANIZATIONS_SHARE, element=rating, min_choice="good"
    )
    year = builders.period("2024")
    assert from_parts(indicator, Parts(Decimal(2), Decimal(3), 3), year).value == Decimal("66.67")
    assert from_parts(indicator, Parts(Decimal(0), Decimal(3), 0), year).value is None


@pytest.mark.parametrize("measure", [m for m in Measure if m != Measure.QUALITATIVE])
def test_the_value_alone_is_the_measurements_value_for_every_shape_and_edge(measure):
    """finish_value (the Excel file's 135,000 branches) gives what _finish's Measurement holds: no report,
    nothing to divide by, a strict share, a yearly average, a half to round up."""
    shape = SHAPES[measure]
    cases = [(0, 0, 0), (0, 0, None), (5, 0, 3), (1, 8, 8), (2, 3, 1), (7, 9, 0), (Decimal("12.5"), Decimal(3), 2)]
    for numerator, denominator, reported in cases:
        for strict in (False, True):
            for years in (None, Decimal(3), Decimal(8)):
                expected = _finish(shape, numerator, denominator, reported, 4, strict=strict, years=years).value
                found = finish_value(shape, numerator, denominator, reported, strict=strict, years=years)
                assert found == expected, (numerator, denominator, reported, strict, years)
