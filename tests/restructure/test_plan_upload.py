"""A plan uploaded as Excel: the template with its instructions, and all-or-nothing with every error listed."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from restructure.excel import COLUMNS
from tests.sheets import workbook

from .helpers import make_plan

HEADERS = [column.header for column in COLUMNS]
REFORM_ROWS = [
    ["Thành lập", "", "XP", "XP-KV1", "Công đoàn khu vực 1", "", "", ""],
    ["Giải thể", "XP-A", "XP-KV1", "", "", "", "", ""],
    ["Giải thể", "XP-B", "XP-KV1", "", "", "", "", "XP-B-01=XP-KV1"],
]


def _file(rows: list[list], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ke-hoach.xlsx", buffer.getvalue())


def _upload(cast, login, plan, upload):
    return login(cast.provincial).post(reverse("restructure:upload", kwargs={"pk": plan.pk}), {"file": upload})


def _draft(cast):
    return make_plan(cast, [{"kind": "rename", "codes": ["XP-A"], "new_name": "Tên cũ của kế hoạch"}])


def _operations(plan):
    return list(plan.operations.values_list("kind", "codes", "target", "new_code", "new_name", "successors"))


def test_the_template_has_the_columns_and_an_instructions_sheet(cast, login):
    response = login(cast.owner).get(reverse("restructure:template"))

    book = workbook(b"".join(response.streaming_content))
    assert book.sheetnames == ["Kế hoạch", "Hướng dẫn"]
    assert [cell.value for cell in book["Kế hoạch"][1]] == HEADERS


def test_an_uploaded_plan_replaces_the_drafts_operations(cast, login):
    plan = _draft(cast)

    response = _upload(cast, login, plan, _file(REFORM_ROWS))

    assert response.status_code == 302
    assert _operations(plan) == [
        ("create", [], "XP", "XP-KV1", "Công đoàn khu vực 1", {}),
        ("dissolve", ["XP-A"], "XP-KV1", "", "", {}),
        ("dissolve", ["XP-B"], "XP-KV1", "", "", {"XP-B-01": "XP-KV1"}),
    ]


def test_unknown_codes_are_listed_and_nothing_changes(cast, login):
    plan = _draft(cast)
    before = _operations(plan)

    response = _upload(
        cast, login, plan, _file([*REFORM_ROWS, ["Chuyển tổ chức cấp trên", "XP-Q", "XP-Z", "", "", "", "", ""]])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Không có tổ chức nào mang mã XP-Q." in page and "Không có tổ chức nào mang mã XP-Z." in page
    assert _operations(plan) == before


def test_a_missing_column_is_refused_and_nothing_changes(cast, login):
    plan = _draft(cast)
    before = _operations(plan)

    response = _upload(cast, login, plan, _file([row[:-1] for row in REFORM_ROWS], headers=HEADERS[:-1]))

    assert "cột H phải là “Nơi nhận của đơn vị trực thuộc” nhưng đang để trống" in response.content.decode()
    assert response.status_code == 200
    assert _operations(plan) == before


def test_a_formula_is_refused_and_nothing_changes(cast, login):
    plan = _draft(cast)
    before = _operations(plan)
    rows = [*REFORM_ROWS[:2], ["Giải thể", "XP-B", '=UPPER("xp-kv1")', "", "", "", "", ""]]

    response = _upload(cast, login, plan, _file(rows))

    assert "Ô chứa công thức." in response.content.decode()
    assert _operations(plan) == before


def test_an_uploaded_plan_previews_applies_and_reverses_on_the_pages(cast, login):
    from organizations.models import Organization

    plan = _draft(cast)
    client = login(cast.provincial)
    _upload(cast, login, plan, _file(REFORM_ROWS))
    detail = client.get(reverse("restructure:detail", kwargs={"pk": plan.pk})).content.decode()
    assert "Công đoàn khu vực 1" in detail and "Chưa thể áp dụng" not in detail

    client.post(reverse("restructure:apply", kwargs={"pk": plan.pk}), {"confirm": "1"})
    assert Organization.objects.get(code="XP-A-01").parent().code == "XP-KV1"
    client.post(reverse("restructure:reverse", kwargs={"pk": plan.pk}), {"confirm": "1"})

    assert Organization.objects.get(code="XP-A-01").parent().code == "XP-A"
    assert Organization.objects.get(code="XP-A").status == "active"
