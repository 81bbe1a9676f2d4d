"""Numbers as Vietnamese type them: 1.234.567 for thousands, 12,5 for decimals."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 1.234 or 12.345.678: dots grouping thousands, as Vietnamese write them (a lone "12.5" stays a decimal).
GROUPED_THOUSANDS = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+")
# The portal's figures hold 20 digits, 2 of them decimals (DataValue.number, Target.value).
LARGEST_NUMBER = Decimal(10) ** 18


def read_number(raw) -> Decimal:
    """A number as typed in Vietnamese: 1.234.567 and 1.234 for thousands, 12,5 or 1.234,5 with decimals."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)  # already a number (from a spreadsheet): no separators to read
    else:
        text = str(raw).strip().replace(" ", "")
        if "," in text or GROUPED_THOUSANDS.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= LARGEST_NUMBER:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    return number


def round_half_up(value: Decimal | int | None, decimals: int) -> Decimal | None:
    """A figure as an official writes it: half up to `decimals` places (15/27 = 55,56 %, not 55,55 %).

    Every page, PDF, Excel file and status compares this rounded figure, so that no page shows
    "98,00 %" beside a verdict reached on 97,996.
    """
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
