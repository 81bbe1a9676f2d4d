"""The report's Excel file writes what users typed as text, never as a formula: live, frozen, and the raw rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from indicators.models import Indicator, ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from reports import services
from reports.renderers.xlsx_rows import append_rows
from tests.reports.test_report_data import setup_program
from tests.sheets import STARTS, as_read, formulas_in, hostile, texts, workbook

EXPORT = {"code": "XP-A", "program": "XP-CTR", "period": "2024"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def hostile_report(cast, start: str) -> tuple[dict[str, str], ReportingPeriod]:
    """The cast's district report, with every text a user types there beginning with `start`."""
    typed = {
        "district": hostile(start, "district"),
        "branch": hostile(start, "branch"),
        "branch_code": f"{start}SUM(9)",
        "program_number": f"{start}1/CTr",
        "program": hostile(start, "program"),
        "indicator": hostile(start, "indicator"),
        "unit": f"{start}1%",
    }
    Organization.objects.filter(pk=cast.district.pk).update(name=typed["district"])
    Organization.objects.filter(pk=cast.branch.pk).update(name=typed["branch"], code=typed["branch_code"])
    cast.district.refresh_from_db()
    cast.branch.refresh_from_db()
    prog, year = setup_program(cast)
    Program.objects.filter(pk=prog.pk).update(number=typed["program_number"], title=typed["program"])
    Indicator.objects.filter(program=prog, code="1").update(name=typed["indicator"], unit=typed["unit"])
    return typed, year


def assert_written_as_text(content: bytes, typed: dict[str, str]) -> None:
    assert formulas_in(content) == []
    book = workbook(content)
    read = {key: as_read(value) for key, value in typed.items()}
    summary, children, branches = book["Tổng hợp"], book["Đơn vị trực thuộc"], book["CĐCS"]
    for sheet in (summary, children, branches):
        assert sheet["A2"].value == f"{read['district']} (XP-A)"
        assert sheet["A3"].value == f"{read['program_number']} {read['program']}"
    assert [summary["C7"].value, summary["D7"].value] == [read["indicator"], read["unit"]]
    assert {read["branch_code"], read["branch"], read["indicator"]} <= texts(children)
    assert f"1. {read['indicator']}" in texts(branches)  # a column's header
    by_code = {row[0].value: row for row in branches.iter_rows(min_row=7)}
    branch_row = by_code[read["branch_code"]]
    assert [branch_row[1].value, branch_row[2].value] == [read["branch"], read["district"]]
    assert all(cell.data_type in ("s", "n") for sheet in book for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("start", STARTS)
def test_the_live_excel_file_writes_names_beginning_like_a_formula_as_text(cast, login, start):
    typed, _year = hostile_report(cast, start)
    response = login(cast.owner).get(reverse("reports:export_xlsx", kwargs=EXPORT) + "?live=1")
    assert response.status_code == 200
    assert_written_as_text(response.content, typed)


@pytest.mark.parametrize("start", STARTS)
def test_the_excel_file_of_a_frozen_version_writes_them_as_text_too(cast, login, start):
    typed, year = hostile_report(cast, start)
    services.period_accepted(organization=cast.district, period=year)
    Organization.objects.filter(pk=cast.branch.pk).update(name="CĐCS đổi tên sau khi chốt")
    response = login(cast.owner).get(reverse("reports:export_xlsx", kwargs=EXPORT))  # the latest frozen copy
    assert response.status_code == 200
    assert_written_as_text(response.content, typed)


@pytest.mark.parametrize("start", STARTS)
def test_raw_rows_are_inline_strings_that_read_back_as_typed(tmp_path, start):
    target = tmp_path / "book.xlsx"
    book = Workbook(write_only=True)
    book.create_sheet("CĐCS").append(["Mã", "Tên"])
    book.save(target)
    typed = hostile(start, "branch")
    append_rows(target, "CĐCS", iter([(f"{start}SUM(9)", typed, 3)]), first_row=2)
    assert formulas_in(target) == []
    row = list(workbook(target)["CĐCS"].iter_rows(min_row=2))[0]
    assert [cell.value for cell in row] == [as_read(f"{start}SUM(9)"), as_read(typed), 3]
    assert [cell.data_type for cell in row] == ["s", "s", "n"]
    read = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("CĐCS").to_python()
    assert read[1][:2] == [as_read(f"{start}SUM(9)"), as_read(typed)]
