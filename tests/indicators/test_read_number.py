"""Numbers typed the Vietnamese way in the grid and the allocation form (unionportal.numbers.read_number)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.entry import rules, services
from indicators.models import ValueType
from tests import builders
from unionportal.numbers import read_number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.234", "1234"),  # a dot groups thousands: the grid shows 2.358 and reads it back as such
        ("2.358", "2358"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("12,5", "12.5"),
        ("0,75", "0.75"),
        ("12.5", "12.5"),  # a lone dot before one or two digits stays a decimal point
        ("0.500", "0.5"),
        (" 1 500 ", "1500"),
        ("-3", "-3"),
        (1500, "1500"),  # a number from a spreadsheet: no separators to read
        (Decimal("123.000"), "123"),
        (12.5, "12.5"),
    ],
)
def test_numbers_are_read_as_vietnamese_write_them(typed, number):
    assert read_number(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["mười", "1.23.4", "nan", "Infinity", "1e30", "9" * 19])
def test_what_is_not_a_number_or_too_large_to_keep_is_refused(typed):
    with pytest.raises(ValidationError):
        read_number(typed)


def test_a_cell_typed_1_234_saves_one_thousand_two_hundred_and_thirty_four(cast):
    element = builders.element("t_workers", ValueType.NUMBER)
    value = services.data_value_save(
        element=element, organization=cast.branch, period=builders.period("2024"), raw="1.234", by=cast.owner
    )
    assert value.number == 1234


def test_the_bounds_in_messages_are_written_the_vietnamese_way(cast):
    element = builders.element("t_houses", level="upper", min_value=Decimal(0), max_value=Decimal(1000))
    with pytest.raises(ValidationError) as refused:
        rules.parse_value(element, "1.500")
    assert "1.000" in refused.value.messages[0] and "1000.00" not in refused.value.messages[0]
