"""What a kind of file is made of (its columns) and what importing it gives back.

An importer (organizations/importers.py, members/importers.py) declares its columns once;
the template, the export, the header check and the instructions sheet all come from them,
so the four cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from django.utils.translation import gettext as _

from .cells import FIX_KINDS, CellError, ValueMap, noting_fixes
from .errors import RowError, column_letter, shown
from .frames import plain

TEXT, CODE, INTEGER, DATE, CHOICE = "text", "code", "integer", "date", "choice"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed by the file format (Vietnamese), never translated
    kind: str  # TEXT, CODE, INTEGER, DATE or CHOICE: how the writer formats the cells
    parse: Callable[[Any], Any]  # raw cell -> value, or raises CellError
    help: Any  # a lazy, translated description for the instructions sheet
    example: str = ""
    required: bool = True
    width: int = 20
    values: ValueMap | None = None  # the drop-down list of a CHOICE column


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class Validation:
    """What validating a file found: its errors, or (when there are none) a plan to commit."""

    rows: int
    errors: list[RowError]
    counts: Counts  # what committing would do
    plan: Any = None  # the importer's own plan, handed back to its commit()
    fixes: list[Fix] = field(default_factory=list)  # what was put right on the way in
    diffs: list[Diff] = field(default_factory=list)  # what the updated rows change (the first MAX_DIFFS)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Fix:
    """How many cells of a column a kind of fix (cells.FIX_KINDS) put right."""

    column: str  # the letter
    header: str
    kind: str
    count: int

    def as_dict(self) -> dict:
        return {"column": self.column, "header": self.header, "kind": self.kind, "count": self.count}


# The changes of updated rows kept for the preview: enough to page through, bounded for a huge file.
MAX_DIFFS = 5_000


@dataclass(frozen=True)
class Diff:
    """One field an import changes on a recorded row: where, which field, what it was, what it becomes."""

    row: int
    key: str  # what identifies the record to a person (a card number, a code)
    header: str
    old: str
    new: str

    def as_dict(self) -> dict:
        return {"row": self.row, "key": self.key, "header": self.header, "old": self.old, "new": self.new}


class CommitError(Exception):
    """A write was refused while committing (the data changed since validation, say): nothing is kept."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def sort_errors(errors: list[RowError]) -> list[RowError]:
    """Problems of the whole file first, then by row and column, as a person reads the sheet."""
    return sorted(errors, key=lambda e: (e.row or 0, len(e.column), e.column))


Progress = Callable[[str, int, int], None]  # (phase, done, total)


def no_progress(phase: str, done: int, total: int) -> None:
    return None


class Importer(Protocol):
    kind: ClassVar[str]
    sheet_title: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]

    def validate(
        self, rows: list[tuple[int, list]], *, formulas: dict[int, set[int]], progress: Progress
    ) -> Validation: ...

    def commit(self, validation: Validation) -> Counts: ...

    def export_rows(self, under) -> Iterable[list]: ...


@dataclass(slots=True)
class ParsedRow:
    row: int
    values: list
    ok: bool


@dataclass
class RowParser:
    """Parses every cell of every row with the columns' parsers, collecting errors.

    Parsing goes column by column, and each distinct value of a column is parsed once: a
    100,000-row members file has a few dozen branch codes and a few thousand dates, and a
    column-wise pass runs in list comprehensions rather than in a Python loop per cell.
    """

    columns: tuple[Column, ...]
    errors: list[RowError] = field(default_factory=list)
    # column index -> kind of fix -> how many cells of the column it put right (rows with an error too).
    fixed: dict[int, Counter] = field(default_factory=dict)

    def fixes(self) -> list[Fix]:
        """The fixes made, column by column in the file's order, the kinds in FIX_KINDS's order."""
        return [
            Fix(column_letter(index), self.columns[index].header, kind, self.fixed[index][kind])
            for index in sorted(self.fixed)
            for kind in FIX_KINDS
            if self.fixed[index][kind]
        ]

    def error(self, row: int | None, index: int | None, code: str, message: str, value: Any = "") -> None:
        if index is None:
            self.errors.append(RowError(code=code, message=message, row=row, value=shown(value)))
            return
        column = self.columns[index]
        self.errors.append(
            RowError(
                code=code,
                message=message,
                row=row,
                column=column_letter(index),
                header=column.header,
                value=shown(value),
            )
        )

    def parse(
        self,
        rows,
        *,
        formulas: dict[int, set[int]],
        progress: Progress = no_progress,
    ) -> list[ParsedRow]:
        """Every row parsed. `rows`: a list of (row number, cells), or rows being read (reader.StreamedRows),
        parsed a chunk at a time as they come, while the reader sends the next. A cell may be a date
        or time tagged as the reader sends it (frames.py): each distinct one is made a date once."""
        total = len(rows)
        chunks = rows.chunks() if hasattr(rows, "chunks") else [rows]
        parsed: list[ParsedRow] = []
        for chunk in chunks:
            parsed += self._parse_rows(chunk, formulas, progress, done=len(parsed), total=total)
        return parsed

    def _parse_rows(
        self, rows: list[tuple[int, list]], formulas: dict[int, set[int]], progress: Progress, *, done: int, total: int
    ) -> list[ParsedRow]:
        count = len(rows)
        ok = [True] * count
        parsed_columns = []
        for index, column in enumerate(self.columns):
            raws = [cells[index] for _row, cells in rows]
            values, fixes, failed = _parse_column(column.parse, raws)
            if fixes:
                self._count_fixes(index, raws, fixes)
            for position in [k for k, value in enumerate(values) if value.__class__ is CellError] if failed else ():
                problem = values[position]
                self.error(rows[position][0], index, problem.code, problem.message, plain(raws[position]))
                values[position] = None
                ok[position] = False
            parsed_columns.append(values)
            progress("validating", done + count * (index + 1) // len(self.columns), total)
        if formulas:
            positions = {row: position for position, (row, _cells) in enumerate(rows)}
            for row, indexes in sorted(formulas.items()):
                position = positions.get(row)
                if position is None:
                    continue
                for index in sorted(indexes):
                    if index >= len(self.columns):
                        continue
                    # The formula is the problem to report, whatever its value parses to.
                    self.errors[:] = [e for e in self.errors if not (e.row == row and e.column == column_letter(index))]
                    self.formula(row, index, plain(rows[position][1][index]))
                    parsed_columns[index][position] = None
                    ok[position] = False
        return [
            ParsedRow(row, list(values), good)
            for (row, _cells), values, good in zip(rows, zip(*parsed_columns, strict=True), ok, strict=True)
        ]

    def _count_fixes(self, index: int, raws: list, fixes: dict[Any, tuple[str, ...]]) -> None:
        times = Counter(raws)
        counted = self.fixed.setdefault(index, Counter())
        for raw, kinds in fixes.items():
            for kind in kinds:
                counted[kind] += times[raw]

    def formula(self, row: int, index: int, raw: Any) -> None:
        self.error(
            row,
            index,
            "formula",
            _("The cell holds a formula. Type the value itself (copy the column, then Paste Special > Values)."),
            raw,
        )


def _parse_column(parse: Callable[[Any], Any], raws: list) -> tuple[list, dict[Any, tuple[str, ...]], bool]:
    """parse() of every value, or the CellError it raised, each distinct value parsed once; the
    kinds of fix each distinct value that parsed needed (cells.note_fix); and whether any failed."""
    fixes: dict[Any, tuple[str, ...]] = {}
    distinct = set(raws)
    with noting_fixes() as noted:
        # True == 1 == 1.0 would share one parse: go cell by cell in a (rare) column holding a true/false.
        if (True in distinct or False in distinct) and any(raw.__class__ is bool for raw in raws):
            values = []
            for raw in raws:
                noted.clear()
                values.append(_attempt(parse, plain(raw)))
                if noted and values[-1].__class__ is not CellError:
                    fixes[raw] = tuple(noted)
            return values, fixes, any(value.__class__ is CellError for value in values)
        outcomes = {}
        failed = False
        for raw in distinct:
            noted.clear()
            outcomes[raw] = outcome = _attempt(parse, plain(raw))
            if outcome.__class__ is CellError:
                failed = True
            elif noted:
                fixes[raw] = tuple(noted)
    return list(map(outcomes.__getitem__, raws)), fixes, failed


def _attempt(parse: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return parse(raw)
    except CellError as problem:
        return problem


class BaseImporter:
    """What every importer shares: its columns, its parser, and errors named by column key."""

    kind: ClassVar[str]
    sheet_title: ClassVar[str]
    title: ClassVar[Any]
    columns: ClassVar[tuple[Column, ...]]
    notes: ClassVar[tuple[Any, ...]] = ()
    # Set by commit() when it brought the figures computed from its rows up to date itself, in its
    # transaction (the members importer's new members): no refresh is queued for them.
    figures_kept: bool = False

    def __init__(self) -> None:
        self.parser = RowParser(self.columns)
        self.index = {column.key: i for i, column in enumerate(self.columns)}

    @property
    def errors(self) -> list[RowError]:
        return self.parser.errors

    def fail(self, row: int, key: str, code: str, message: str, value: Any = "") -> None:
        self.parser.error(row, self.index[key], code, message, value)

    def header_of(self, key: str) -> str:
        return self.columns[self.index[key]].header

    def touched(self, validation: Validation) -> set[int] | None:
        """The ids of the organizations whose rows the commit writes, when the importer knows them:
        the figures' refresh that follows covers those and the bodies above. None: anywhere the
        user may write."""
        return None
