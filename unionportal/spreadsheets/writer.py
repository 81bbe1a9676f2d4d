"""Templates and exports (openpyxl, write-only mode so a 100,000-row export stays small in memory).

A template is an export with no rows: the same first sheet (headers styled and frozen,
widths, drop-down lists on the choice columns, text format on code columns so Excel keeps
leading zeros) and a second sheet, "Hướng dẫn", describing every column. What an export
writes imports back unchanged.

Text typed by users is written through safe_text: in the data rows, text beginning with
= + - @ (or a tab or a line break) gets an apostrophe before it, which the import takes off
again; headers and instructions are written as exactly their text, in cells typed as text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import safe_text
from .errors import column_letter
from .properties import describe
from .safe_text import escape
from .spec import CHOICE, CODE, DATE, INTEGER, TEXT, Column

INSTRUCTIONS_TITLE = "Hướng dẫn"
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_workbook(
    target: str | IO[bytes],
    *,
    columns: tuple[Column, ...],
    sheet_title: str,
    title: str,
    author: str,
    notes: Iterable[str] = (),
    rows: Iterable[list] = (),
    first_data_row: int = 2,
) -> int:
    """Write the data sheet (headers, then `rows`) and the instructions sheet; return the rows written.

    The instructions are written in Vietnamese whatever the interface language, like the headers.
    `title` and `author` (the issuing body) go into the workbook's properties too. The drop-down
    lists start at `first_data_row`: a grid's file has a hidden row of codes before its data.
    """
    workbook = Workbook(write_only=True)
    describe(workbook, title=title, author=author)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        dimension = sheet.column_dimensions[column_letter(index)]
        dimension.width = column.width
        if column.kind == CODE:
            dimension.number_format = "@"
        elif column.kind == DATE:
            dimension.number_format = DATE_FORMAT
    with translation.override("vi"):
        for index, column in enumerate(columns):
            if column.kind == CHOICE and column.values is not None:
                sheet.data_validations.append(_validation(index, column, first_row=first_data_row))
        sheet.append([_header_cell(sheet, column.header) for column in columns])
        written = 0
        kinds = [column.kind for column in columns]
        for row in rows:
            sheet.append([_cell(sheet, kind, value) for kind, value in zip(kinds, row, strict=True)])
            written += 1
        _instructions(workbook, columns=columns, title=title, notes=notes)
    workbook.save(target)
    return written


def _header_cell(sheet, header: str) -> WriteOnlyCell:
    # Exactly the header (a grid's column is headed by a figure's short name), so the import matches it.
    cell = safe_text.text_cell(sheet, header)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _cell(sheet, kind: str, value):
    if value is None or value == "":
        return None
    if kind in (TEXT, CODE, CHOICE):
        return safe_text.escaped(sheet, str(value))
    if kind == DATE and isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if kind == INTEGER:
        return int(value)
    if isinstance(value, str):
        # Text in a column of another kind (the grid's hidden row of figure codes) is compared as it is.
        return safe_text.text(sheet, value)
    return value


def _validation(index: int, column: Column, *, first_row: int) -> DataValidation:
    letter = column_letter(index)
    validation = DataValidation(
        type="list",
        formula1=safe_text.list_formula(column.values.labels),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Value not in the list"),
        error=_("Choose one of the values of the drop-down list."),
        showInputMessage=True,
        promptTitle=column.header[:32],
        prompt="; ".join(column.values.labels)[:255],
    )
    validation.add(f"{letter}{first_row}:{letter}1048576")
    return validation


def _instructions(workbook: Workbook, *, columns: tuple[Column, ...], title: str, notes: Iterable[str]) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_TITLE)
    for letter, width in zip("ABCDE", (8, 26, 12, 70, 26), strict=True):
        sheet.column_dimensions[letter].width = width

    def cell(value, font=None, wrap=False):
        # A column's help quotes the names of figures (the grid's): text, whatever it begins with.
        result = safe_text.text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
        if font is not None:
            result.font = font
        if wrap:
            result.alignment = WRAP
        return result

    sheet.append([cell(title, TITLE_FONT)])
    general = [
        _(
            "Fill in the first sheet only, one record per row, from row 2. Do not change, move or rename the headers of row 1."
        ),
        _("Type values, not formulas. Dates are written dd/mm/yyyy (for example 05/01/2021) or typed as dates."),
        _("Choose the values of the columns with a drop-down list from the list; do not type other words."),
        _("No spaces at the start or the end of a cell, and no double spaces: the import refuses them."),
        _("Importing the same file again changes nothing: rows are matched on their code (or card number)."),
        _(
            "A file with any error imports nothing: the preview lists every error with its row and column; fix them and upload the file again."
        ),
        *notes,
    ]
    for line in general:
        sheet.append([cell("•"), cell(line, wrap=False)])
    sheet.append([])
    sheet.append(
        [
            cell(_("Column"), BOLD),
            cell(_("Header"), BOLD),
            cell(_("Required"), BOLD),
            cell(_("How to fill it in"), BOLD),
            cell(_("Example"), BOLD),
        ]
    )
    for index, column in enumerate(columns):
        sheet.append(
            [
                cell(column_letter(index)),
                cell(column.header, BOLD),
                cell(_("Yes") if column.required else _("No")),
                cell(str(column.help), wrap=True),
                cell(escape(column.example)),
            ]
        )
