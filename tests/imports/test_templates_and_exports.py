"""The three templates and the exports: exact headers, an instructions sheet, drop-down lists, escaped formulas."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from imports.services import export_file, import_file, template_file
from members.models import Member
from unionportal.spreadsheets.cells import unescape
from unionportal.spreadsheets.writer import escape

from .files import HEADERS, Literal

D = datetime.date

CHOICES = {
    "workplaces": {
        "C": [
            "Cơ quan hành chính",
            "Đơn vị sự nghiệp",
            "Trường học",
            "Doanh nghiệp nhà nước",
            "Doanh nghiệp ngoài nhà nước",
            "Doanh nghiệp FDI",
            "Hợp tác xã",
        ]
    },
    "branches": {
        "D": [
            "Hành chính sự nghiệp",
            "Trường học",
            "Doanh nghiệp nhà nước",
            "Doanh nghiệp ngoài nhà nước",
            "Hợp tác xã",
        ]
    },
    "members": {
        "C": ["Nam", "Nữ"],
        "H": ["Chủ tịch", "Phó Chủ tịch", "Ủy viên Ban chấp hành", "Ủy viên Ủy ban kiểm tra", "Tổ trưởng", "Đoàn viên"],
    },
}


def _template(kind: str):
    buffer = io.BytesIO()
    template_file(kind, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


@pytest.mark.parametrize("kind", ["workplaces", "branches", "members"])
def test_a_template_has_the_exact_headers_an_instructions_sheet_and_drop_down_lists(kind):
    workbook = _template(kind)
    data, instructions = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADERS[kind]
    assert data.max_row == 1
    assert data.freeze_panes == "A2"
    assert instructions.title == "Hướng dẫn"
    described = {row[1] for row in instructions.iter_rows(values_only=True) if len(row) > 1}
    assert set(HEADERS[kind]) <= described
    lists = {}
    for validation in data.data_validations.dataValidation:
        assert validation.type == "list" and validation.showErrorMessage
        lists[str(validation.sqref).split(":")[0].rstrip("0123456789")] = validation.formula1.strip('"').split(",")
    assert lists == CHOICES[kind]


def test_the_template_download_is_an_xlsx_for_any_logged_in_user(cast, login):
    response = login(cast.colleague).get("/imports/members/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS["members"]
    # Issued by the user's own body, under a title saying what it is.
    assert workbook.properties.creator == "LĐLĐ huyện A"
    assert workbook.properties.title == "Tệp mẫu nhập dữ liệu: Đoàn viên"


def test_a_template_written_without_a_user_is_issued_by_the_portal():
    properties = _template("branches").properties
    assert properties.creator == "UnionPortal" and properties.title == "Tệp mẫu nhập dữ liệu: Công đoàn cơ sở"


def test_an_export_is_authored_by_the_body_it_is_about(cast):
    buffer = io.BytesIO()
    export_file("branches", buffer, user=cast.owner, under=cast.district)
    properties = load_workbook(io.BytesIO(buffer.getvalue())).properties
    assert properties.creator == "LĐLĐ huyện A" and properties.title.startswith("Tệp mẫu nhập dữ liệu: ")
    buffer = io.BytesIO()
    export_file("branches", buffer, user=cast.provincial)
    assert load_workbook(io.BytesIO(buffer.getvalue())).properties.creator == "LĐLĐ tỉnh Thử"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-5", "@SUM(A1)", "'=quoted", "plain", "'plain"])
def test_escape_and_unescape_give_back_the_text(text):
    assert unescape(escape(text)) == text
    assert not escape(text).startswith(("=", "+", "-", "@"))


def test_formula_like_text_is_escaped_on_export_and_restored_on_import(cast, xlsx, tmp_path):
    rows = [
        [
            "DV001",
            Literal('=HYPERLINK("http://x","bấm")'),
            "Nam",
            D(1980, 1, 1),
            Literal("-Kinh"),
            "XP-A-01",
            D(2005, 1, 1),
            None,
            None,
        ]
    ]
    import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    member = Member.objects.get(card_number="DV001")
    assert member.full_name == '=HYPERLINK("http://x","bấm")'

    exported = tmp_path / "export.xlsx"
    export_file("members", exported, user=cast.owner, under=cast.district)
    sheet = load_workbook(exported).worksheets[0]
    assert sheet["B2"].value == '\'=HYPERLINK("http://x","bấm")'
    assert sheet["B2"].data_type == "s"  # text, never a formula
    assert sheet["E2"].value == "'-Kinh"

    outcome = import_file("members", exported, user=cast.owner, commit=True)
    assert outcome.counts.unchanged == 1
    assert Member.objects.get(card_number="DV001").full_name == member.full_name


def test_an_export_writes_dates_as_dates_and_choices_as_their_labels(cast, xlsx, tmp_path):
    rows = [["DV001", "Lò Thị Mai", "Nữ", "20/11/1985", "Thái", "XP-A-01", "05/01/2010", "Tổ trưởng", "12/06/2023"]]
    import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    exported = tmp_path / "export.xlsx"
    export_file("members", exported, user=cast.owner, under=cast.district)
    workbook = load_workbook(exported)
    values = [cell.value for cell in workbook.worksheets[0][2]]
    assert values[:3] == ["DV001", "Lò Thị Mai", "Nữ"]
    assert values[3].date() == D(1985, 11, 20)
    assert workbook.worksheets[0]["D2"].number_format == "DD/MM/YYYY"
    assert values[5:8] == ["XP-A-01", values[6], "Tổ trưởng"]
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS["members"]
    assert workbook.sheetnames[1] == "Hướng dẫn"


def test_an_export_of_a_subtree_holds_only_that_subtree(cast, xlsx, tmp_path):
    import_file(
        "members",
        xlsx("members", [["DV001", "Lò Thị Mai", "Nữ", None, None, "XP-A-01", "05/01/2010", None, None]]),
        user=cast.owner,
        commit=True,
    )
    import_file(
        "members",
        xlsx("members", [["DV002", "Hà Văn Bình", "Nam", None, None, "XP-B-01", "05/01/2010", None, None]]),
        user=cast.outsider,
        commit=True,
    )
    exported = tmp_path / "province.xlsx"
    assert export_file("members", exported, user=cast.provincial, under=cast.district) == 1
    assert export_file("members", exported, user=cast.provincial, under=cast.province) == 2
    assert export_file("members", exported, user=cast.owner, under=None) == 1
