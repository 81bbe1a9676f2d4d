"""The data-entry grid as an Excel file: download it, fill it in, upload it back (all or nothing).

The workbook's first sheet is the grid of one organization for one period:

* row 1: ``Mã CĐCS | Tên CĐCS | <one column per figure, headed by its short name>``;
* row 2 (hidden): ``Mã chỉ tiêu | … | <the figure's code>`` — how an upload knows which
  column is which figure; an upload whose codes differ from the grid's is refused whole;
* one row per base union of the grid, then (for an upper-level union) one row for the
  union itself, holding its own figures in the columns on the right. Cells whose figure
  does not apply to the row's body are greyed out and must stay empty.

The second sheet, "Hướng dẫn", says how to fill it in (unionportal/spreadsheets/writer.py).

An upload is checked cell by cell (rules.parse_value) and row by row (the cross-field
rules, against the file's values of the same row, falling back to the saved ones); any
error means nothing is written. Otherwise the changed cells are written in one
transaction. An empty cell clears a saved value (as emptying a grid cell does) and leaves
an empty one alone; uploading the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from organizations.models import Organization
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, ValueMap
from unionportal.spreadsheets.errors import RowError, SpreadsheetError, shown
from unionportal.spreadsheets.reader import read_sheet
from unionportal.spreadsheets.spec import CHOICE, CODE, TEXT, Column, RowParser, sort_errors
from unionportal.spreadsheets.writer import write_workbook

from ..models import DataElement, DataElementRule, DataValue, ReportingPeriod, ValueType
from ..workflow.selectors import is_locked
from .rules import parse_value
from .selectors import Grid, grid_for

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


# --- the layout -------------------------------------------------------------------------------


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
    """A cell as parse_value reads it: text in NFC without the formula apostrophe; 2.0 as 2 for a choice."""
    if isinstance(raw, str):
        return cells.unescape(unicodedata.normalize("NFC", raw))
    if isinstance(raw, float) and not element.is_numeric and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.date | datetime.timedelta):
        return shown(raw)
    return raw


# --- the download -----------------------------------------------------------------------------


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
    write_workbook(buffer, columns=layout.columns, sheet_title=SHEET_TITLE, title=title, notes=notes, rows=rows)
    # The writer streams; the finishing touches (hidden row, grey cells, panes) need the full model.
    buffer.seek(0)
    workbook = load_workbook(buffer)
    sheet = workbook.worksheets[0]
    sheet.row_dimensions[2].hidden = True
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    for number, index in not_applicable:
        sheet.cell(row=number, column=index + 1).fill = NOT_APPLICABLE_FILL
    workbook.save(target)
    return len(layout.bodies)


# --- the upload -------------------------------------------------------------------------------


@dataclass
class Upload:
    errors: list[RowError] = field(default_factory=list)
    changed: int = 0
    unchanged: int = 0
    element_ids: set[int] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors


def file_error(code: str, message: str) -> Upload:
    return Upload(errors=[RowError(code=code, message=message)])


def refused_because(organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None) -> str:
    """Why the grid cannot take an upload now, or ""."""
    if not period.is_open(today):
        return _("This period has not started yet: it is closed for entry.")
    if is_locked(organization, period):
        return _("The figures of this period have been submitted and are locked: the file was not imported.")
    return ""


def import_grid(path, organization: Organization, period: ReportingPeriod, *, by) -> Upload:
    """Check the file at `path` against the grid; write every changed cell when there is no error at all."""
    if reason := refused_because(organization, period):
        return file_error("locked", reason)
    try:
        with transaction.atomic():
            upload = _import(path, organization, period, by=by)
            if not upload.ok:
                transaction.set_rollback(True)
    except IntegrityError:
        return file_error(
            "conflict",
            _("Someone saved figures of this grid while the file was being imported. Upload the file again."),
        )
    return upload


def _import(path, organization: Organization, period: ReportingPeriod, *, by) -> Upload:
    layout = layout_for(organization, period)
    try:
        sheet = read_sheet(path, layout.columns)
    except SpreadsheetError as problem:
        return Upload(errors=problem.errors)
    rows = sheet.rows
    marks = [r for r in rows if _is_codes_row(r[1])]
    if marks:
        # A code in a drop-down column is written escaped like any text there ("-x" as "'-x").
        found = [cells.unescape(" ".join(shown(c).split())) for c in marks[0][1][2:]]
        if found != [e.code for e in layout.elements]:
            return file_error(
                "columns",
                _(
                    "The columns of the file are not those of this grid (the figures to report have changed, "
                    "or columns were moved). Download the Excel file of this grid again and copy your figures into it."
                ),
            )
        rows = [r for r in rows if not _is_codes_row(r[1])]
    if not rows:
        return file_error("no_rows", _("The file has no base union rows. Fill in the downloaded file."))
    parser = RowParser(layout.columns)
    parsed = parser.parse(rows, formulas=sheet.formulas)
    errors = parser.errors
    by_code = {body.code.upper(): body for body in layout.bodies}
    saved = {
        (v.organization_id, v.element_id): v
        for v in DataValue.objects.select_for_update().filter(
            period=period, organization__in=layout.bodies
        )  # every element: the rules fall back on saved figures outside the file too
    }
    rules = list(DataElementRule.objects.filter(element__in=layout.elements).select_related("element", "other"))
    rules += [
        r
        for r in DataElementRule.objects.filter(other__in=layout.elements).select_related("element", "other")
        if r.element not in layout.elements
    ]
    index_of = {element.pk: i + 2 for i, element in enumerate(layout.elements)}
    seen: dict[int, int] = {}
    upload = Upload()
    creates: list[DataValue] = []
    updates: list[DataValue] = []
    now = timezone.now()

    def fail(row: int, index: int, code: str, message: str, value) -> None:
        parser.error(row, index, code, message, value)

    for line, raw_row in zip(parsed, rows, strict=True):
        number, raw_cells = raw_row
        code = line.values[0]
        if code is None:
            continue  # already reported by the parser
        body = by_code.get(code)
        if body is None:
            fail(
                number,
                0,
                "unknown_branch",
                _(
                    "No base union with this code in this grid. Check the code against the downloaded file; "
                    "a new base union is added in the registry first."
                ),
                raw_cells[0],
            )
            continue
        if body.pk in seen:
            fail(
                number,
                0,
                "duplicate_branch",
                _("This base union is already on row %(row)s. Keep one row per base union.") % {"row": seen[body.pk]},
                raw_cells[0],
            )
            continue
        seen[body.pk] = number
        numbers = {eid: v.number for (oid, eid), v in saved.items() if oid == body.pk and v.number is not None}
        changed_ids: set[int] = set()
        row_changes: list[tuple[DataElement, dict, DataValue | None]] = []
        for element in layout.elements:
            index = index_of[element.pk]
            value = line.values[index]
            raw = raw_cells[index]
            if not element.applies_to(body):
                if not cells.is_blank(raw):
                    fail(
                        number,
                        index,
                        "not_applicable",
                        _("This figure does not apply to this body (grey cell): empty the cell."),
                        raw,
                    )
                continue
            if value is None:
                continue  # a parse error, already reported
            current = saved.get((body.pk, element.pk))
            if value is BLANK:
                if current is None or current.raw is None:
                    continue
                try:
                    value = parse_value(element, "")
                except ValidationError as refusal:
                    fail(number, index, "required", " ".join(refusal.messages), raw)
                    continue
            if current is not None and all(getattr(current, name) == new for name, new in value.items()):
                upload.unchanged += 1
                continue
            if current is None and value["number"] is None and value["boolean"] is None and not value["choice"]:
                continue
            if element.is_numeric:
                numbers[element.pk] = value["number"]
                if value["number"] is None:
                    numbers.pop(element.pk)
            changed_ids.add(element.pk)
            row_changes.append((element, value, current))
        for rule in rules:
            if not ({rule.element_id, rule.other_id} & changed_ids):
                continue
            left, right = numbers.get(rule.element_id), numbers.get(rule.other_id)
            if left is None or right is None or rule.holds(left, right):
                continue
            at = rule.element_id if rule.element_id in changed_ids else rule.other_id
            index = index_of.get(at, index_of.get(rule.element_id, 0))
            fail(number, index, "rule", rule.message, raw_cells[index])
        for element, value, current in row_changes:
            if current is None:
                creates.append(DataValue(element=element, organization=body, period=period, updated_by=by, **value))
            else:
                for name, new in value.items():
                    setattr(current, name, new)
                current.version += 1
                current.updated_by = by
                current.updated_at = now
                updates.append(current)
            upload.element_ids.add(element.pk)
    if errors:
        return Upload(errors=sort_errors(errors))
    DataValue.objects.bulk_create(creates)
    DataValue.objects.bulk_update(updates, ["number", "boolean", "choice", "version", "updated_by", "updated_at"])
    upload.changed = len(creates) + len(updates)
    return upload


def _is_codes_row(row_cells: list) -> bool:
    first = row_cells[0] if row_cells else ""
    return isinstance(first, str) and " ".join(first.split()).casefold() == CODES_MARK.casefold()
