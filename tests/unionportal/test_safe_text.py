"""The one rule for text in the portal's spreadsheets: text stays text, and a file always opens."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.sheets import STARTS, as_read, formulas_in, hostile, workbook
from unionportal.spreadsheets import safe_text
from unionportal.spreadsheets.spec import TEXT, Column
from unionportal.spreadsheets.writer import write_workbook


def saved(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Trang")
    for row in rows:
        sheet.append([value(sheet) if callable(value) else value for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("text", [*(hostile(start, "x") for start in STARTS), "\n=1", "'=quoted", "plain", "'plain"])
def test_escaping_then_unescaping_gives_back_the_text(text):
    assert safe_text.unescape(safe_text.escape(text)) == text
    assert not safe_text.escape(text).startswith(safe_text.FORMULA_STARTS)


@pytest.mark.parametrize("text", [*(hostile(start, "x") for start in STARTS), "=", "#N/A", "#DIV/0!", "plain"])
def test_a_text_cell_holds_exactly_the_text_whatever_it_begins_with(text):
    content = saved(
        [
            [lambda sheet: safe_text.text_cell(sheet, text)],
            [lambda sheet: safe_text.text(sheet, text)],
            [lambda sheet: safe_text.escaped(sheet, text)],
        ]
    )
    assert formulas_in(content) == []
    cells = [row[0] for row in workbook(content)["Trang"].iter_rows()]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert [cell.value for cell in cells] == [as_read(text), as_read(text), as_read(safe_text.escape(text))]


def test_characters_a_worksheet_cannot_hold_are_dropped_rather_than_refusing_the_file():
    columns = (Column("name", "Họ và tên", TEXT, str, "Họ và tên"),)
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        columns=columns,
        sheet_title="Dữ liệu",
        title="Thử",
        author="LĐLĐ huyện Quang Bình",
        rows=[["Lò\x07 Thị\x1b Mai"], ["\x00=1"]],
    )
    sheet = workbook(buffer.getvalue()).worksheets[0]
    assert [sheet["A2"].value, sheet["A3"].value] == ["Lò Thị Mai", "'=1"]


def test_a_raw_cell_is_an_inline_string_with_its_markup_escaped():
    assert safe_text.inline_string("B7", '=A1<2 & "x"') == (
        '<c r="B7" t="inlineStr"><is><t>=A1&lt;2 &amp; "x"</t></is></c>'
    )
    assert (
        safe_text.inline_string("A1", "\tx\x07")
        == '<c r="A1" t="inlineStr"><is><t xml:space="preserve">\tx</t></is></c>'
    )


def test_a_drop_down_list_keeps_its_labels_inside_one_string():
    assert safe_text.list_formula(["Có", "Không"]) == '"Có,Không"'
    assert safe_text.list_formula(['a"),HYPERLINK("http://x']) == '"a""),HYPERLINK(""http://x"'
