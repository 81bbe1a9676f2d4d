"""The Excel workbook of a report (openpyxl): the same content as the PDF, one sheet per level.

Sheets: "Tổng hợp" (the body's figures), "Đơn vị trực thuộc" (each child's figures),
"CĐCS" (every base union below, one row each, with the figures a branch has). Numbers
are numeric cells with Vietnamese number formats (Excel shows them with the reader's
separators); header rows are frozen; columns sized; pages set up to print on A4. The
workbook is written in write-only mode, so a sheet of 135,000 branches streams to disk
instead of being held in memory.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from indicators.engine import ZERO, from_parts, measure_by_organization
from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.models import Level, Organization

from ..data import ReportData
from .pdf import STATUS_WORDS

HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
STATUS_FILL = {
    "achieved": "DFF0E3",
    "on_track": "DCE9F7",
    "at_risk": "FCEFD5",
    "not_achieved": "F8DCE0",
    "no_data": "EEEEEE",
}
COMPARISON = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "=", "range": "từ … đến"}
# Figures that mean something for one base union (a share of workplaces does not).
BRANCH_MEASURES = {
    Measure.ORGANIZATIONS_SHARE,
    Measure.ORGANIZATIONS_COUNT,
    Measure.PEOPLE_TRAINED_SHARE,
    Measure.MEMBERS_STOCK,
    Measure.MEMBERS_JOINED,
    Measure.MEMBERS_LEFT,
    Measure.REPORTED_SUM,
    Measure.REPORTED_RATIO,
}


def _cell(sheet: Worksheet, value, *, fmt: str | None = None, bold=False, fill: str | None = None, wrap=False):
    if isinstance(value, Decimal):
        value = float(value) if value != value.to_integral_value() else int(value)
    cell = WriteOnlyCell(sheet, value=value)
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
        cell = WriteOnlyCell(sheet, value=title)
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


def _title_rows(sheet: Worksheet, data: ReportData, title: str) -> None:
    rows = [
        [title],
        [f"{data.organization['name']} ({data.organization['code']})"],
        [f"{data.program['number'] + ' ' if data.program['number'] else ''}{data.program['title']}"],
        [f"Kỳ báo cáo: {data.period['label']} ({data.period['code']})"],
        [],
    ]
    for row in rows:
        if row:
            cell = WriteOnlyCell(sheet, value=row[0])
            cell.font = Font(bold=row is rows[0], size=13 if row is rows[0] else 11)
            sheet.append([cell])
        else:
            sheet.append([])


def _summary(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Tổng hợp")
    widths = [7, 9, 60, 12, 10, 14, 14, 14, 10, 22]
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW)
    _title_rows(sheet, data, "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
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
                "Thực hiện",
                "Chênh lệch",
                "% đạt",
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
                _cell(sheet, f.actual, fmt=_number_format(f.actual)),
                _cell(sheet, f.gap, fmt=DECIMAL),
                _cell(sheet, f.percent_achieved, fmt="0.0"),
                _cell(sheet, STATUS_WORDS[f.status], fill=STATUS_FILL[f.status]),
            ]
        )


def _children(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet("Đơn vị trực thuộc")
    widths = [14, 42, 9, 50, 14, 14, 22]
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW, landscape=True)
    _title_rows(sheet, data, "KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC")
    sheet.append(
        _header(sheet, ["Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Thực hiện", "Đánh giá"])
    )
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
                    _cell(sheet, figure.target, fmt=_number_format(figure.target)),
                    _cell(sheet, figure.actual, fmt=_number_format(figure.actual)),
                    _cell(sheet, STATUS_WORDS[figure.status], fill=STATUS_FILL[figure.status]),
                ]
            )


def _fits_a_branch(indicator: Indicator) -> bool:
    if indicator.measure not in BRANCH_MEASURES:
        return False
    if indicator.level_id and indicator.level.code != Level.BASE:
        return False
    return not indicator.element_id or indicator.element.level.code == Level.BASE


def _branches(workbook: Workbook, data: ReportData, organization: Organization, indicators, period: ReportingPeriod):
    """Every base union below the body, one row each: grouped queries per indicator, streamed rows."""
    sheet = workbook.create_sheet("CĐCS")
    branch_indicators = [
        i for i in indicators if i.measure in BRANCH_MEASURES and (not i.level_id or i.level.code == Level.BASE)
    ]
    widths = [16, 48, 30, 22] + [14] * len(branch_indicators)
    # A write-only sheet streams: widths and panes first, then the rows.
    _setup(sheet, widths, HEADER_ROW, landscape=True)
    _title_rows(sheet, data, "SỐ LIỆU TỪNG CÔNG ĐOÀN CƠ SỞ")
    sheet.append(
        _header(
            sheet,
            ["Mã CĐCS", "Tên CĐCS", "Công đoàn cấp trên", "Khu vực"]
            + [f"{i.code}. {i.name}" for i in branch_indicators],
        )
    )
    figures = [measure_by_organization(i, period, within=organization) for i in branch_indicators]
    empty = [from_parts(i, ZERO, period) for i in branch_indicators]
    branches = (
        Organization.objects.filter(path__startswith=organization.path, level__code=Level.BASE, status="active")
        .order_by("path")
        .values_list("pk", "code", "name", "sector", "path")
    )
    parents = dict(
        Organization.objects.filter(
            path__startswith=organization.path, level__rank__lt=Level.objects.get(code=Level.BASE).rank
        ).values_list("path", "name")
    )
    # The sector names as the import templates write them (fixed Vietnamese, not the UI's language).
    sector_names = {
        "hcsn": "Hành chính sự nghiệp",
        "school": "Trường học",
        "state_enterprise": "Doanh nghiệp nhà nước",
        "non_state_enterprise": "Doanh nghiệp ngoài nhà nước",
        "cooperative": "Hợp tác xã",
    }
    for pk, code, name, sector, path in branches.iterator(chunk_size=5000):
        row = [code, name, parents.get(path[: -Organization.steplen], ""), sector_names.get(sector, "")]
        for index, by_org in enumerate(figures):
            value = by_org.get(pk, empty[index]).value
            row.append(
                float(value)
                if value is not None and value != int(value)
                else (int(value) if value is not None else None)
            )
        sheet.append(row)


def render_xlsx(
    data: ReportData,
    organization: Organization,
    indicators: list[Indicator],
    period: ReportingPeriod,
    target: Path | str,
) -> None:
    workbook = Workbook(write_only=True)
    _summary(workbook, data)
    if data.children:
        _children(workbook, data)
    _branches(workbook, data, organization, indicators, period)
    workbook.save(str(target))
