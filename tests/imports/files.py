"""Real .xlsx files for the import tests, written with openpyxl (never a mock of the library)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from members.models import Member, MemberRole, MembershipPeriod, Training
from organizations.models import Organization, RestructuringLink, RestructuringOperation, Workplace

# The headers as the issue fixes them, written out here so the tests check the format itself.
HEADERS = {
    "workplaces": ["Mã đơn vị", "Tên đơn vị", "Loại hình", "Số lao động", "Số lao động nữ", "Mã công đoàn cấp trên"],
    "branches": ["Mã CĐCS", "Tên CĐCS", "Mã công đoàn cấp trên", "Khu vực", "Ngày thành lập", "Mã đơn vị"],
    "members": [
        "Số thẻ đoàn viên",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Dân tộc",
        "Mã CĐCS",
        "Ngày vào công đoàn",
        "Chức vụ",
        "Ngày tập huấn",
    ],
}


class Literal(str):
    """Text written as text even when it begins with "=" (openpyxl would make it a formula)."""


def write_xlsx(path: Path, rows: list[list], *, kind: str | None = None, headers: list | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    if headers is None and kind is not None:
        headers = HEADERS[kind]
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append([str(v) if isinstance(v, Literal) else v for v in row])
        for index, value in enumerate(row, start=1):
            if isinstance(value, Literal):
                cell = sheet.cell(row=sheet.max_row, column=index)
                cell.value = str(value)
                cell.data_type = "s"
    workbook.save(path)
    return path


MODELS = [
    Organization,
    Workplace,
    RestructuringOperation,
    RestructuringLink,
    Member,
    MembershipPeriod,
    MemberRole,
    Training,
]


def snapshot() -> dict:
    """Every row of every table an import may write: equal snapshots mean nothing changed."""
    return {model.__name__: sorted(map(repr, model.objects.order_by().values_list())) for model in MODELS}
