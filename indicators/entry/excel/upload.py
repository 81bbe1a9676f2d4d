"""Reading a filled-in grid file back: every cell and row checked, then every changed cell written, or nothing.

`import_grid` is called by entry.services.grid_import, inside its transaction: the period is
opened, the grid's lock checked (rules.lock_of), the file read and checked against the grid
(its columns, its bodies, each cell with rules.parse_value, each row with the cross-field
rules on the file's figures falling back on the saved ones); with a single error nothing is
written and every error is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations.models import Organization
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.errors import RowError, SpreadsheetError, shown
from unionportal.spreadsheets.reader import read_sheet
from unionportal.spreadsheets.spec import Fix, RowParser, sort_errors

from ...models import DataElement, DataValue, ReportingPeriod
from ..rules import CLOSED, apply_value, broken_rules, is_empty, lock_of, parse_value, rules_touching
from .layout import BLANK, Layout, is_codes_row, layout_for


@dataclass
class Upload:
    errors: list[RowError] = field(default_factory=list)
    changed: int = 0
    unchanged: int = 0
    element_ids: set[int] = field(default_factory=set)
    fixes: list[Fix] = field(default_factory=list)  # what was put right on the way in (spreadsheets.notes)

    @property
    def ok(self) -> bool:
        return not self.errors


def file_error(code: str, message: str) -> Upload:
    return Upload(errors=[RowError(code=code, message=message)])


def import_grid(path, organization: Organization, period: ReportingPeriod, *, by) -> Upload:
    """Check the file at `path` against the grid (its period saved); write every changed cell if there is no error."""
    if reason := lock_of(organization, period):
        if reason == CLOSED:
            return file_error("locked", _("This period has not started yet: it is closed for entry."))
        return file_error(
            "locked",
            _("The figures of this period have been submitted and are locked: the file was not imported."),
        )
    layout = layout_for(organization, period)
    try:
        sheet = read_sheet(path, layout.columns)
    except SpreadsheetError as problem:
        return Upload(errors=problem.errors)
    rows = _data_rows(sheet.rows, layout)
    if isinstance(rows, Upload):
        return rows
    check = _Check(layout, period, by, RowParser(layout.columns))
    for line, raw_row in zip(check.parser.parse(rows, formulas=sheet.formulas), rows, strict=True):
        check.row(line, raw_row)
    if check.parser.errors:
        return Upload(errors=sort_errors(check.parser.errors))
    upload = check.write()
    upload.fixes = check.parser.fixes()
    return upload


def _data_rows(rows: list, layout: Layout) -> list | Upload:
    """The rows of base unions, once the hidden row of codes says the columns are this grid's."""
    marks = [r for r in rows if is_codes_row(r[1])]
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
        rows = [r for r in rows if not is_codes_row(r[1])]
    if not rows:
        return file_error("no_rows", _("The file has no base union rows. Fill in the downloaded file."))
    return rows


class _Check:
    """The file's rows checked one by one against the grid and what is saved; the cells to write."""

    def __init__(self, layout: Layout, period: ReportingPeriod, by, parser: RowParser) -> None:
        self.layout, self.period, self.by, self.parser = layout, period, by, parser
        self.by_code = {body.code.upper(): body for body in layout.bodies}
        # Every element: the rules fall back on saved figures outside the file too.
        self.saved = {
            (v.organization_id, v.element_id): v
            for v in DataValue.objects.select_for_update().filter(period=period, organization__in=layout.bodies)
        }
        self.rules = rules_touching(layout.elements)
        self.index_of = {element.pk: i + 2 for i, element in enumerate(layout.elements)}
        self.seen: dict[int, int] = {}
        self.upload = Upload()
        self.creates: list[DataValue] = []
        self.updates: list[DataValue] = []

    def row(self, line, raw_row) -> None:
        number, raw_cells = raw_row
        body = self._body(number, line.values[0], raw_cells)
        if body is None:
            return
        numbers = {eid: v.number for (oid, eid), v in self.saved.items() if oid == body.pk and v.number is not None}
        changes = [
            change
            for element in self.layout.elements
            if (change := self._cell(number, body, element, line, raw_cells, numbers)) is not None
        ]
        changed_ids = {element.pk for element, _value, _current in changes}
        for rule in broken_rules(self.rules, numbers, changed_ids):
            at = rule.element_id if rule.element_id in changed_ids else rule.other_id
            index = self.index_of.get(at, self.index_of.get(rule.element_id, 0))
            self.parser.error(number, index, "rule", rule.message, raw_cells[index])
        for element, value, current in changes:
            self._keep(body, element, value, current)

    def _body(self, number: int, code, raw_cells) -> Organization | None:
        """The base union of the row, or None (reported, or already reported by the parser)."""
        if code is None:
            return None
        body = self.by_code.get(code)
        if body is None:
            message = _(
                "No base union with this code in this grid. Check the code against the downloaded file; "
                "a new base union is added in the registry first."
            )
            self.parser.error(number, 0, "unknown_branch", message, raw_cells[0])
            return None
        if body.pk in self.seen:
            message = _("This base union is already on row %(row)s. Keep one row per base union.") % {
                "row": self.seen[body.pk]
            }
            self.parser.error(number, 0, "duplicate_branch", message, raw_cells[0])
            return None
        self.seen[body.pk] = number
        return body

    def _cell(self, number: int, body, element: DataElement, line, raw_cells, numbers: dict):
        """(element, fields, saved value) when the cell changes the figure; None otherwise (or on an error)."""
        index = self.index_of[element.pk]
        value, raw = line.values[index], raw_cells[index]
        if not element.applies_to(body):
            if not cells.is_blank(raw):
                message = _("This figure does not apply to this body (grey cell): empty the cell.")
                self.parser.error(number, index, "not_applicable", message, raw)
            return None
        if value is None:
            return None  # a parse error, already reported
        current = self.saved.get((body.pk, element.pk))
        if value is BLANK:
            if current is None or current.raw is None:
                return None
            try:
                value = parse_value(element, "")
            except ValidationError as refusal:
                self.parser.error(number, index, "required", " ".join(refusal.messages), raw)
                return None
        if current is not None and all(getattr(current, name) == new for name, new in value.items()):
            self.upload.unchanged += 1
            return None
        if current is None and is_empty(value):
            return None
        if element.is_numeric:
            numbers[element.pk] = value["number"]
            if value["number"] is None:
                numbers.pop(element.pk)
        return element, value, current

    def _keep(self, body, element: DataElement, value: dict, current: DataValue | None) -> None:
        if current is None:
            self.creates.append(
                DataValue(element=element, organization=body, period=self.period, updated_by=self.by, **value)
            )
        else:
            apply_value(current, value, self.by)
            self.updates.append(current)
        self.upload.element_ids.add(element.pk)

    def write(self) -> Upload:
        DataValue.objects.bulk_create(self.creates)
        DataValue.objects.bulk_update(
            self.updates, ["number", "boolean", "choice", "version", "updated_by", "updated_at"]
        )
        self.upload.changed = len(self.creates) + len(self.updates)
        return self.upload
