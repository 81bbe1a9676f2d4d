"""Rows written straight into a saved workbook read back as the cells openpyxl would have written."""

import openpyxl
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from reports.renderers.xlsx_rows import append_rows

ROWS = [
    ("A-01", "CĐCS Trường <THCS> & Mầm non", " leading space", 77, 53.98, None, True),
    ("A-02", "=SUM(A1:A2)", "bell\x07gone", 0, 0.5, 12, False),
]


def _saved(tmp_path):
    workbook = Workbook(write_only=True)
    first = workbook.create_sheet("Tổng hợp")
    first.append(["untouched"])
    sheet = workbook.create_sheet("CĐCS")
    sheet.append(["Mã", "Tên", "Ghi chú", "Số", "Tỷ lệ", "Trống", "Có"])
    target = tmp_path / "book.xlsx"
    workbook.save(target)
    return target


def test_the_rows_follow_the_header_with_text_as_text_and_numbers_as_numbers(tmp_path):
    target = _saved(tmp_path)
    assert append_rows(target, "CĐCS", iter(ROWS), first_row=2) == 2
    book = openpyxl.load_workbook(target)
    assert book["Tổng hợp"]["A1"].value == "untouched"
    rows = [[c.value for c in row] for row in book["CĐCS"].iter_rows(min_row=2)]
    assert rows == [
        ["A-01", "CĐCS Trường <THCS> & Mầm non", " leading space", 77, 53.98, None, True],
        # A text that looks like a formula stays text; a control character XML cannot hold is dropped.
        ["A-02", "=SUM(A1:A2)", "bellgone", 0, 0.5, 12, False],
    ]
    assert book["CĐCS"]["D2"].data_type == "n" and book["CĐCS"]["B3"].data_type == "s"


def test_the_import_reader_reads_them_too(tmp_path):
    target = _saved(tmp_path)
    append_rows(target, "CĐCS", iter(ROWS), first_row=2)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("CĐCS").to_python()
    assert rows[1][:5] == ["A-01", "CĐCS Trường <THCS> & Mầm non", " leading space", 77, 53.98]
    assert len(rows) == 3
