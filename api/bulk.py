"""The members' bulk upsert through the API: the Excel import's own importer, fed JSON rows.

    outcome = members_bulk_upsert(user=user, rows=[{"card_number": …, …}, …], context="api:name", commit=True)

The rows are JSON objects with the keys of the import's columns (members.importers.columns:
card_number, full_name, gender, date_of_birth, ethnicity, branch, joined_on, role, trained_on),
the values as one would type them in the file ("Nữ", "05/01/2010"; ISO dates "2010-01-05" too).
Row n is the n-th object (from 1). Everything else is the import's pipeline, as in
imports.services.import_file: every row checked, nothing written unless no row has an error,
the write in one transaction, the same history rules, and the dashboards told once it commits.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from members.importers import MemberImporter
from organizations.hooks import registry_changed
from organizations.models import Organization
from organizations.permissions import scope_for
from unionportal.acting import acting
from unionportal.spreadsheets.errors import RowError, shown
from unionportal.spreadsheets.spec import DATE, CommitError, Counts

KEYS = tuple(column.key for column in MemberImporter.columns)
_DATE_KEYS = frozenset(column.key for column in MemberImporter.columns if column.kind == DATE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LETTER_TO_KEY = {chr(65 + index): key for index, key in enumerate(KEYS)}


@dataclass
class BulkOutcome:
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    committed: bool = False


def _row_error(error: RowError) -> dict:
    """One row's problem as the Excel import says it, with the JSON key as the column."""
    return {
        "row": error.row,
        "column": _LETTER_TO_KEY.get(error.column, error.column) or None,
        "header": error.header,
        "value": error.value,
        "code": error.code,
        "message": error.message,
    }


_SCALARS = (str, int, float, bool)


def _column(key: str, values: list) -> list:
    """One column's cells as the importer reads a sheet's: "" for null, ISO dates as dates, other values as sent.

    Column by column and each distinct value once, as the importer parses: 100,000 rows are 900,000 cells.
    """
    values = ["" if v is None else (v if v.__class__ in _SCALARS else str(v)) for v in values]
    if key not in _DATE_KEYS:
        return values
    as_dates = {}
    for value in set(values):
        if value.__class__ is str and _ISO_DATE.fullmatch(value):
            with contextlib.suppress(ValueError):  # else the importer says what is wrong with it
                as_dates[value] = datetime.date.fromisoformat(value)
    return [as_dates.get(v, v) for v in values] if as_dates else values


def as_sheet_rows(rows: list) -> tuple[list[tuple[int, tuple]], list[RowError]]:
    """The JSON rows as the importer reads a sheet's: [(row number, (cell per column))], and what is not a row."""
    errors = []
    known = frozenset(KEYS)
    for number, row in enumerate(rows, start=1):
        if row.__class__ is not dict:
            errors.append(
                RowError(code="not_an_object", message=_("Each row is a JSON object of column: value."), row=number)
            )
        elif row.keys() - known:
            errors.extend(
                RowError(
                    code="unknown_column",
                    message=_("Unknown column “%(key)s”. The columns are: %(keys)s.")
                    % {"key": key, "keys": ", ".join(KEYS)},
                    row=number,
                    column=str(key),
                    value=shown(row[key]),
                )
                for key in sorted(row.keys() - known)
            )
    if errors:
        return [], errors
    columns = [_column(key, [row.get(key) for row in rows]) for key in KEYS]
    return list(zip(range(1, len(rows) + 1), zip(*columns, strict=True), strict=True)), []


@contextlib.contextmanager
def _without_cyclic_gc():
    """As the Excel import does: 100,000 rows make millions of small objects and no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def members_bulk_upsert(
    *, user, rows: list, context: str, commit: bool = True, precondition: Callable[[], None] | None = None
) -> BulkOutcome:
    """Check every row and, when `commit` and no row has an error, write them all in one transaction.

    `precondition()` runs first inside that transaction (the If-Match of the call): what it raises
    refuses the call before anything is written.
    """
    sheet_rows, shape_errors = as_sheet_rows(rows)
    if shape_errors:
        return BulkOutcome(rows=len(rows), errors=[_row_error(e) for e in shape_errors])
    with _without_cyclic_gc():
        importer = MemberImporter(user)
        if not commit:
            validation = importer.validate(sheet_rows)
            return BulkOutcome(
                rows=len(rows), errors=[_row_error(e) for e in validation.errors], counts=validation.counts
            )
        try:
            with transaction.atomic(), acting(user, context):
                if precondition is not None:
                    precondition()
                validation = importer.validate(sheet_rows)
                if not validation.ok:
                    return BulkOutcome(rows=len(rows), errors=[_row_error(e) for e in validation.errors])
                counts = importer.commit(validation)
                if not importer.figures_kept:  # new members only: counted into the figures in this transaction
                    registry_changed.run_on_commit(within=_subtrees(user), changed=[MemberImporter.kind])
        except CommitError as problem:
            return BulkOutcome(rows=len(rows), errors=[_row_error(e) for e in problem.errors])
    return BulkOutcome(rows=len(rows), counts=counts, committed=True)


def _subtrees(user) -> list[Organization | None]:
    """Where the rows can have been written: the user's subtrees (None, everywhere, for a superuser)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return [None]
    return list(Organization.objects.filter(path__in=scope.root_paths))
