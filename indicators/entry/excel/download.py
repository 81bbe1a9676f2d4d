"""The grid of one organization and period as an .xlsx, with its current figures."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from organizations.models import Organization
from unionportal.spreadsheets.writer import write_workbook

from ...models import DataElement, DataValue, ReportingPeriod, ValueType
from .layout import CODES_MARK, CODES_NOTE, FIRST_DATA_ROW, NO, NOT_APPLICABLE_FILL, SHEET_TITLE, YES, layout_for


def _shown_value(element: DataElement, value: DataValue | None):
    raw = value.raw if value is not None else None
    if raw is None:
        return None
    if element.value_type == ValueType.BOOLEAN:
        return YES if raw else NO
    if element.value_type == ValueType.CHOICE:
        return element.choice_label(raw)
    number = Decimal(raw)
    return int(number) if number == number.to_integral_value() else float(number)


def _print_on_a4_landscape(sheet) -> None:
    """A grid is wide: printed across an A4 page turned sideways, every column on it, as many pages down as needed."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"  # the headers on every page


def write_grid(target: IO[bytes], organization: Organization, period: ReportingPeriod) -> int:
    """The grid as an .xlsx (see the module's docstring); returns the number of bodies written."""
    with translation.override("vi"):  # the instructions describe the columns in Vietnamese
        layout = layout_for(organization, period)
    grid = layout.grid
    values = {}
    not_applicable: list[tuple[int, int]] = []  # (row, column index) of the greyed-out cells
    for row in grid.rows:
        for element, cell in zip(grid.columns, row.cells, strict=True):
            values[(row.organization.pk, element.pk)] = cell
    if grid.own is not None:
        for cell in grid.own.cells:
            values[(organization.pk, cell.element.pk)] = cell
    rows: list[list] = [[CODES_MARK, CODES_NOTE, *(e.code for e in layout.elements)]]
    for number, body in enumerate(layout.bodies, start=FIRST_DATA_ROW):
        line = [body.code, body.display_name]
        for index, element in enumerate(layout.elements):
            cell = values.get((body.pk, element.pk))
            if cell is None:
                not_applicable.append((number, index + 2))
            line.append(_shown_value(element, cell.value) if cell is not None else None)
        rows.append(line)
    with translation.override("vi"):
        title = _("Figures for %(period)s · %(name)s") % {"period": period.label, "name": organization.display_name}
        notes = (
            _("Row 2 is hidden: it holds the code of each figure. Do not change or delete it."),
            _("One row per base union, matched on its code (column A); do not add base unions."),
            _("The last row holds the figures of the upper-level union itself, when it has any."),
            _("Grey cells: the figure does not apply to that body. Leave them empty."),
            _("An empty cell clears the figure saved in the portal; a cell left as downloaded changes nothing."),
            _("The figures are not imported while the period is locked (submitted or accepted) or not started."),
        )
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        columns=layout.columns,
        sheet_title=SHEET_TITLE,
        title=title,
        author=organization.name,
        notes=notes,
        rows=rows,
        first_data_row=FIRST_DATA_ROW,  # the drop-down lists start below the hidden row of codes
    )
    # The writer streams; the finishing touches (hidden row, grey cells, panes, printing) need the full model.
    buffer.seek(0)
    workbook = load_workbook(buffer)
    sheet = workbook.worksheets[0]
    sheet.row_dimensions[2].hidden = True
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    _print_on_a4_landscape(sheet)
    for number, index in not_applicable:
        sheet.cell(row=number, column=index + 1).fill = NOT_APPLICABLE_FILL
    workbook.save(target)
    return len(layout.bodies)
