"""The "Nhiệm vụ" sheet of a report's workbook: each task, each responsible body's status, result and evidence."""

from __future__ import annotations

from openpyxl import Workbook

from ..data import ReportData
from .xlsx import HEADER_ROW, _cell, _header, _setup, _title_rows

TASKS_SHEET = "Nhiệm vụ"
TASK_FILL = {"done": "DFF0E3", "in_progress": "DCE9F7", "not_started": "FCEFD5", "not_done": "F8DCE0"}


def tasks_sheet(workbook: Workbook, data: ReportData) -> None:
    """One row per (task, responsible body); nothing when the program has no task reported on here."""
    if not data.tasks:
        return
    sheet = workbook.create_sheet(TASKS_SHEET)
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, [6, 50, 14, 36, 18, 60, 40], HEADER_ROW, landscape=True)
    _title_rows(sheet, data, "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP")
    sheet.append(
        _header(sheet, ["STT", "Nhiệm vụ", "Mã đơn vị", "Đơn vị thực hiện", "Tình trạng", "Kết quả", "Minh chứng"])
    )
    for number, task in enumerate(data.tasks, start=1):
        for line in task.lines:
            sheet.append(
                [
                    _cell(sheet, number),
                    _cell(sheet, task.title, wrap=True),
                    _cell(sheet, line.organization),
                    _cell(sheet, line.name, wrap=True),
                    _cell(sheet, line.status_words, fill=TASK_FILL.get(line.status, "EEEEEE")),
                    _cell(sheet, line.result, wrap=True),
                    _cell(sheet, "; ".join(line.evidence), wrap=True),
                ]
            )
