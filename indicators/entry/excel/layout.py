"""The columns of a grid's file (one per figure, after the base union's code and name) and its rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.styles import PatternFill

from organizations.models import Organization
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, ValueMap
from unionportal.spreadsheets.errors import shown
from unionportal.spreadsheets.spec import CHOICE, CODE, TEXT, Column

from ...models import DataElement, ReportingPeriod, ValueType
from ..rules import parse_value
from ..selectors import Grid, grid_for

SHEET_TITLE = "Số liệu"


CODE_HEADER = "Mã CĐCS"


NAME_HEADER = "Tên CĐCS"


CODES_MARK = "Mã chỉ tiêu"  # column A of the hidden second row


CODES_NOTE = "Dòng ẩn: mã chỉ tiêu, không sửa"


NUMBER = "number"  # a column kind of this file only: the writer writes the value as it is


YES, NO = "Có", "Không"


YES_NO = ValueMap([(YES, "true"), (NO, "false")])


NOT_APPLICABLE_FILL = PatternFill("solid", fgColor="D9D9D9")


FIRST_DATA_ROW = 3  # after the headers and the hidden row of codes


class Blank:
    """An empty cell: leaves an empty value alone, clears a saved one."""


BLANK = Blank()


@dataclass(frozen=True)
class Layout:
    """The columns of a grid's file and the bodies of its rows."""

    grid: Grid
    elements: list[DataElement]  # the branches' figures, then the organization's own
    columns: tuple[Column, ...]
    bodies: list[Organization]  # the branches, then the organization itself when it has own figures


def layout_for(organization: Organization, period: ReportingPeriod) -> Layout:
    grid = grid_for(organization, period)
    own_elements = [cell.element for cell in grid.own.cells] if grid.own is not None else []
    elements = [*grid.columns, *(e for e in own_elements if e not in grid.columns)]
    columns = (
        Column(
            CODE_HEADER, CODE_HEADER, CODE, cells.code, _("The code of the base union. Do not change it."), width=14
        ),
        Column(NAME_HEADER, NAME_HEADER, TEXT, _any, _("The name of the base union, to read: not imported."), width=36),
        *(_element_column(element) for element in elements),
    )
    bodies = [row.organization for row in grid.rows]
    if own_elements:
        bodies.append(organization)
    return Layout(grid=grid, elements=elements, columns=columns, bodies=bodies)


def _any(raw):
    return raw


def _element_column(element: DataElement) -> Column:
    if element.value_type == ValueType.CHOICE:
        kind, values = CHOICE, ValueMap([(c["label"], c["code"]) for c in element.choices])
        how = _("Choose from the list: %(choices)s.") % {"choices": "; ".join(values.labels)}
    elif element.value_type == ValueType.BOOLEAN:
        kind, values, how = CHOICE, YES_NO, _("Choose “Có” (yes) or “Không” (no) from the list.")
    else:
        kind, values, how = NUMBER, None, _("A number, typed as a number (12.5 or 1234).")
        if element.unit:
            how = f"{how} {_('Unit: %(unit)s.') % {'unit': element.unit}}"
    help_text = f"{element.name} ({_('code')}: {element.code}). {how}"
    if element.required:
        help_text = f"{help_text} {_('Once filled in, it cannot be emptied.')}"
    return Column(
        key=element.code,
        header=element.short_name,
        kind=kind,
        parse=_parser(element),
        help=help_text,
        required=False,
        width=max(12, min(len(element.short_name) + 4, 30)),
        values=values,
    )


def _parser(element: DataElement):
    def parse(raw):
        if cells.is_blank(raw):
            return BLANK
        try:
            return parse_value(element, _typed(element, raw))
        except ValidationError as refusal:
            raise CellError("invalid", " ".join(refusal.messages))

    return parse


def _typed(element: DataElement, raw):
    """A cell as parse_value reads it: text put right as the importers do (cells.tidy: NFC, spaces) without the
    formula apostrophe, a number stored as text noted as read; 2.0 as 2 for a choice."""
    if isinstance(raw, str):
        value = cells.tidy(cells.unescape(raw))
        if value and element.is_numeric:
            cells.note_fix(cells.NUMBER_TEXT)
        return value
    if isinstance(raw, float) and not element.is_numeric and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.date | datetime.timedelta):
        return shown(raw)
    return raw


def is_codes_row(row_cells: list) -> bool:
    first = row_cells[0] if row_cells else ""
    return isinstance(first, str) and " ".join(first.split()).casefold() == CODES_MARK.casefold()
