"""guard.inspect: where the cells are and which hold formulas, however the sheet is written,
and the same answers from the fast scan as from the exact one."""

from __future__ import annotations

import pytest

from tests.hostile import MAIN, raw_xlsx, sheet_xml
from unionportal.spreadsheets import archive, guard
from unionportal.spreadsheets.guard import Limits, Refused, inspect

PLAIN = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" s="1"/></row>'
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>A2+1</f><v>2</v></c><c r="D2" s="3"/></row>'
    '<row r="7"><c r="E7" t="str"><f>"x"</f><v>x</v></c></row>'
)
# The same cells written every other way a producer may: no references, other attribute
# order, a namespace prefix, other white space.
VARIANTS = {
    "plain": sheet_xml(PLAIN),
    "no references": sheet_xml(
        '<row><c t="inlineStr"><is><t>a</t></is></c><c/><c s="1"/></row>'
        '<row><c><v>1</v></c><c><f>A2+1</f><v>2</v></c><c/><c s="3"/></row>'
        '<row r="7"><c/><c/><c/><c/><c t="str"><f>"x"</f><v>x</v></c></row>'
    ),
    "attributes in another order": sheet_xml(
        PLAIN.replace('<c r="B2">', '<c s="0" r="B2">').replace('<c r="E7" t="str">', '<c t="str" r="E7">')
    ),
    "a namespace prefix": (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        + PLAIN.replace("<row", "<x:row")
        .replace("</row", "</x:row")
        .replace("<c ", "<x:c ")
        .replace("</c>", "</x:c>")
        .replace("<f>", "<x:f>")
        .replace("</f>", "</x:f>")
        + "</x:sheetData></x:worksheet>"
    ),
    "line breaks inside tags": sheet_xml(PLAIN.replace('<c r="B2">', '<c\n r="B2">')),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_way_of_writing_a_sheet_gives_the_same_cells_and_formulas(tmp_path, name):
    inspection = inspect(raw_xlsx(tmp_path / "f.xlsx", sheet=VARIANTS[name]), Limits())
    assert (inspection.cells, inspection.last_row, inspection.last_column) == (4, 7, 5)
    assert inspection.formulas == {2: {1}, 7: {4}}


def test_the_fast_scan_and_the_exact_scan_agree_across_chunks(tmp_path, monkeypatch):
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" s="1"/>'
        + (f'<c r="C{n}"><f>A{n}*2</f><v>{2 * n}</v></c>' if n % 997 == 0 else "")
        + "</row>"
        for n in range(1, 30_000)
    )
    path = raw_xlsx(tmp_path / "f.xlsx", sheet=sheet_xml(rows))
    monkeypatch.setattr(archive, "CHUNK", 64 * 1024)  # many chunk boundaries, cells cut across them
    fast = inspect(path, Limits())
    monkeypatch.setattr(guard, "_FastSheetScan", guard._SheetScan)
    exact = inspect(path, Limits())
    assert (fast.cells, fast.last_row, fast.last_column) == (exact.cells, exact.last_row, exact.last_column)
    assert fast.formulas == exact.formulas == {n: {2} for n in range(997, 30_000, 997)}


def test_an_empty_styled_cell_far_away_is_not_content(tmp_path):
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="150000"><c r="CV150000" s="4"/></row>')
    inspection = inspect(raw_xlsx(tmp_path / "f.xlsx", sheet=sheet), Limits())
    assert (inspection.last_row, inspection.last_column) == (1, 1)


def test_limits_come_from_the_settings(settings):
    from unionportal.spreadsheets.reader import limits

    settings.SPREADSHEET_LIMITS = {"rows": 10, "columns": 5, "not a limit": 1}
    assert (limits().rows, limits().columns, limits().memory_bytes) == (10, 5, Limits().memory_bytes)


def test_a_lower_row_limit_refuses_at_its_own_figure(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 13))
    with pytest.raises(Refused) as refused:
        inspect(raw_xlsx(tmp_path / "f.xlsx", sheet=sheet_xml(rows)), Limits(rows=10))
    assert refused.value.code == "too_many_rows" and refused.value.params["cell"] == "A12"
