"""A card number typed as the registry stores it is taken as it is; anything else goes through the
text's fixes and checks (members/importers/columns.card), with the same result either way."""

from __future__ import annotations

import pytest

from members.importers.columns import card
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, noting_fixes


def by_the_text_checks(raw):
    """What card() gives without its shortcut: the cell as text, in capitals, checked."""
    value = cells.text(raw, max_length=32).upper()
    if " " in value or not value or not (value[0].isascii() and value[0].isalnum()):
        raise CellError("invalid", value)
    if not all(c.isascii() and (c.isalnum() or c in ".-") for c in value):
        raise CellError("invalid", value)
    return value


@pytest.mark.parametrize(
    "raw",
    ["DV001", "HG10012345", "A", "9-1.2", "D" * 32, "dv001", " DV001", "DV001 ", "DV\u00a0001", "'DV001",
     "ＤＶ001", "Đ001", "DV_001", 12345.0, 7, "D" * 33, "-DV1", ".DV1", "DV 001", "DV001\n", ""],
)  # fmt: skip
def test_each_card_is_what_the_text_checks_give_with_the_same_fixes(raw):
    with noting_fixes() as noted:
        try:
            found = card(raw)
        except CellError:
            found = CellError
    with noting_fixes() as expected_noted:
        try:
            expected = by_the_text_checks(raw)
        except CellError:
            expected = CellError
    assert (found, noted) == (expected, expected_noted)
