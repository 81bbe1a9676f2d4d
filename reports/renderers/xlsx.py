"""The Excel workbook of a report (openpyxl): the same content as the PDF, one sheet per level.

Sheets: "Tổng hợp" (the body's figures), "Đơn vị trực thuộc" (each child's figures),
"CĐCS" (every base union below, one row each, with the figures a branch has). Numbers
are numeric cells with Vietnamese number formats (Excel shows them with the reader's
separators); header rows are frozen; columns sized; pages set up to print on A4. The
workbook is written in write-only mode, and the rows of the "CĐCS" sheet (135,000 for the
country) are streamed into the saved file as plain SpreadsheetML (xlsx_rows.py), so they are
never held in memory. The branches' figures are live, or a frozen version's own copy of them
(reports/branch_table.py). Every text is written as exactly that text, never as a formula
(unionportal/spreadsheets/safe_text.py): names are typed by users.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import Indicator, ReportingPeriod
from indicators.status import STATUS_INFO
from organizations.models import Organization
from unionportal.spreadsheets.properties import describe
from unionportal.spreadsheets.safe_text import text_cell

from .. import branch_table
from ..branch_table import BranchTable
from ..data import ReportData
from .pdf import status_words
from .xlsx_rows import append_rows

HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
# The fills of the one table of statuses (indicators/status.py).
STATUS_FILL = {code: info.fill for code, info in STATUS_INFO.items()}
COMPARISON = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "=", "range": "từ … đến"}


def _cell(sheet: Worksheet, value, *, fmt: str | None = None, bold=False, fill: str | None = None, wrap=False):
    if isinstance(value, Decimal):
        value = float(value) if value != value.to_integral_value() else int(value)
    cell = text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = HEADER_FONT
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if wrap:
        cell.alignment = WRAP
    cell.border = BORDER
    return cell


def _header(sheet: Worksheet, titles: list[str]) -> list:
    cells = []
    for title in titles:
        cell = text_cell(sheet, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cells.append(cell)
    return cells


def _number_format(value) -> str:
    if value is None:
        return INTEGER
    return INTEGER if Decimal(value) == Decimal(value).to_integral_value() else DECIMAL


def _places(decimals: int, value) -> str:
    """The actual as written: two places for a share or an average (55,56), else as the value needs."""
    return DECIMAL if decimals else _number_format(value)


def _setup(sheet: Worksheet, widths: list[int], title_rows: int, *, landscape: bool = False) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column(index)].width = width
    sheet.freeze_panes = f"A{title_rows + 1}"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{title_rows}:{title_rows}"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HEADER_ROW = 6  # five lines of title, then the header row


def _title_rows(sheet: Worksheet, data: ReportData, title: str, note: str = "") -> None:
    rows = [
        [title],
        [f"{data.organization['name']} ({data.organization['code']})"],
        [f"{data.program['number'] + ' ' if data.program['number'] else ''}{data.program['title']}"],
        [f"Kỳ báo cáo: {data.period['label']} ({data.period['code']})"],
        [note] if note else [],
    ]
    for row in rows:
        if row:
            cell = text_cell(sheet, row[0])
            cell.font = Font(bold=row is rows[0], size=13 if row is rows[0] else 11)
            sheet.append([cell])
        else:
            sheet.append([])


def _summary(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Tổng hợp")
    widths = [7, 9, 60, 12, 10, 14, 12, 14, 14, 10, 11, 11, 22]
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW)
    _title_rows(sheet, data, "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", data.coverage_sentence())
    sheet.append(
        _header(
            sheet,
            [
                "STT",
                "Mã",
                "Chỉ tiêu",
                "Đơn vị tính",
                "So sánh",
                "Chỉ tiêu đề ra",
                "Cận trên",
                "Thực hiện",
                "Chênh lệch",
                "% đạt",
                "Đơn vị đã báo cáo",
                "Đơn vị phải báo cáo",
                "Đánh giá",
            ],
        )
    )
    for number, ind in enumerate(data.indicators, start=1):
        f = ind.figure
        sheet.append(
            [
                _cell(sheet, number),
                _cell(sheet, ind.code),
                _cell(sheet, ind.name, wrap=True),
                _cell(sheet, ind.unit),
                _cell(sheet, COMPARISON.get(f.comparison or "", "")),
                _cell(sheet, f.target, fmt=_number_format(f.target)),
                _cell(sheet, f.target_max, fmt=_number_format(f.target_max)),
                _cell(sheet, f.actual, fmt=_places(ind.decimals, f.actual)),
                _cell(sheet, f.gap, fmt=DECIMAL),
                _cell(sheet, f.percent_achieved, fmt="0.0"),
                _cell(sheet, f.reported, fmt=INTEGER),
                _cell(sheet, f.expected, fmt=INTEGER),
                _cell(sheet, status_words(f), fill=STATUS_FILL[f.status]),
            ]
        )


def _target_cell(sheet, figure):
    """A child's own target; a child with no allocation says so rather than leave the cell empty."""
    if figure.target is None and figure.unallocated:
        return _cell(sheet, "chưa phân bổ chỉ tiêu")
    return _cell(sheet, figure.target, fmt=_number_format(figure.target))


def _children(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Đơn vị trực thuộc")
    widths = [14, 42, 9, 50, 14, 12, 14, 11, 11, 22]
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW, landscape=True)
    _title_rows(sheet, data, "KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC")
    titles = ["Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Cận trên", "Thực hiện"]
    sheet.append(_header(sheet, [*titles, "Đơn vị đã báo cáo", "Đơn vị phải báo cáo", "Đánh giá"]))
    for child in data.children:
        for ind in data.indicators:
            figure = next((f for f in ind.children if f.organization == child["code"]), None)
            if figure is None:
                continue
            sheet.append(
                [
                    _cell(sheet, child["code"]),
                    _cell(sheet, child["name"]),
                    _cell(sheet, ind.code),
                    _cell(sheet, ind.name),
                    _target_cell(sheet, figure),
                    _cell(sheet, figure.target_max, fmt=_number_format(figure.target_max)),
                    _cell(sheet, figure.actual, fmt=_places(ind.decimals, figure.actual)),
                    _cell(sheet, figure.reported, fmt=INTEGER),
                    _cell(sheet, figure.expected, fmt=INTEGER),
                    _cell(sheet, status_words(figure), fill=STATUS_FILL[figure.status]),
                ]
            )


# The sector names as the import templates write them (fixed Vietnamese, not the UI's language).
SECTOR_NAMES = {
    "hcsn": "Hành chính sự nghiệp",
    "school": "Trường học",
    "state_enterprise": "Doanh nghiệp nhà nước",
    "non_state_enterprise": "Doanh nghiệp ngoài nhà nước",
    "cooperative": "Hợp tác xã",
}
BRANCHES_SHEET = "CĐCS"
LIVE_BRANCHES_NOTE = (
    "Bản chốt này được lập trước khi hệ thống lưu số liệu từng CĐCS: các số liệu dưới đây là số liệu hiện tại."
)


def _branches(workbook: Workbook, data: ReportData, table: BranchTable, *, frozen_report: bool) -> None:
    """The sheet of every base union below the body: titles and header here, the rows after saving."""
    sheet = workbook.create_sheet(BRANCHES_SHEET)
    widths = [16, 48, 30, 22] + [14] * len(table.columns)
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW, landscape=True)
    # A version frozen before the branches' figures were kept with it: say these are today's.
    note = LIVE_BRANCHES_NOTE if frozen_report and not table.frozen else ""
    _title_rows(sheet, data, "SỐ LIỆU TỪNG CÔNG ĐOÀN CƠ SỞ", note)
    sheet.append(
        _header(
            sheet,
            ["Mã CĐCS", "Tên CĐCS", "Công đoàn cấp trên", "Khu vực"] + [f"{c.code}. {c.name}" for c in table.columns],
        )
    )


def _branch_rows(table: BranchTable):
    for code, name, parent, sector, *values in table.rows:
        yield (code, name, parent, SECTOR_NAMES.get(sector, ""), *values)


def render_xlsx(
    data: ReportData,
    organization: Organization,
    indicators: list[Indicator],
    period: ReportingPeriod,
    target: Path | str,
    *,
    branches: BranchTable | None = None,
    frozen: bool = False,
) -> None:
    """The workbook; `branches` is the frozen version's table of base unions (live when None).
    `frozen` says the figures are a frozen version's, so live branch figures get a warning."""
    table = branches or branch_table.live(organization, indicators, period)
    workbook = Workbook(write_only=True)
    # Title and author as the Word file has them: the report of the body, which issues it.
    describe(
        workbook,
        title=f"Báo cáo kết quả thực hiện các chỉ tiêu: {data.program['title']}, {data.period['label']}",
        author=data.organization["name"],
    )
    _summary(workbook, data)
    if data.children:
        _children(workbook, data)
    # The tasks' sheet uses this module's cell helpers: imported here, not at the top, to avoid a cycle.
    from .xlsx_tasks import tasks_sheet

    tasks_sheet(workbook, data)
    _branches(workbook, data, table, frozen_report=frozen)
    workbook.save(str(target))
    # A row per base union (135,000 for the country): written straight into the saved sheet.
    append_rows(target, BRANCHES_SHEET, _branch_rows(table), first_row=HEADER_ROW + 1)
