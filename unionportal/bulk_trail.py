"""A bulk writer's own audit trail, in place of one trigger-written event per row (PostgreSQL).

    with BulkTrail(cursor) as trail:        # the audit triggers are off for these statements
        members = trail.rows("members_member", "member", columns=..., same=..., organization_column="branch_id")
        ...COPY the new rows, and for each: members.add(row_id, branch_id, values)...
    # on leaving: one event per organization and run of consecutive ids, as the acting user

The triggers (audit/triggers.py) write one event per row: for a COPY of 100,000 new members
that is 100,000 more rows, three index entries and a to_jsonb() each, about as long as the
COPY of the members themselves. A writer that knows what it wrote records it instead as one
event per organization and run of consecutive ids (at most RUN rows): `row_id` …
`last_row_id`, with `after` holding the columns once, the values every row shares, and each
row's own values. The history pages read such an event as a creation of every row it covers.
Only creations: an update or a deletion is recorded by the triggers, as everywhere else.

Like acting.py it lives in the core, so that any app's bulk writer can use it, and knows the
audit app only by its table's and settings' names.
"""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from .pgcopy import ByteLines, copy_line

EVENT_TABLE = "audit_auditevent"
COLUMNS = ("at", "actor_id", "context", "table_name", "action", "row_id", "last_row_id")
COLUMNS += ("subject", "subject_id", "organization_id", "before", "after")
# Rows per event: a member's history page reads its event's values whole, so they stay small.
RUN = 2000


def _json(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


@dataclass
class _Run:
    table: str
    subject: str
    organization_id: int | None
    columns: Sequence[str]
    same: dict
    first: int
    last: int
    rows: list = field(default_factory=list)
    packed: bytes = b""  # the event's values as JSON, once the run is complete

    def close(self) -> None:
        """The run's values as JSON now, so that the rows' objects can go, kept compressed until
        they are written: as a Python string holding Vietnamese letters (two bytes a character)
        the JSON of 100,000 members took 20 MB; compressed, about 3."""
        if not self.packed:
            whole = {"columns": list(self.columns), "same": self.same, "rows": self.rows}
            self.packed = zlib.compress(json.dumps(whole, ensure_ascii=False, default=_json).encode(), 1)
            self.rows = []

    def copy_text(self) -> bytes:
        """The JSON as a value of COPY's text format, in UTF-8 as it was packed: JSON writes no tab or line
        end of its own (it escapes them), so only its backslashes are doubled."""
        return zlib.decompress(self.packed).replace(b"\\", b"\\\\")


class Rows:
    """The new rows of one table, added one by one as they are written (see BulkTrail.rows)."""

    def __init__(self, trail: BulkTrail, table: str, subject: str, columns, same: dict, organization_column) -> None:
        self.trail, self.table, self.subject = trail, table, subject
        self.columns, self.same, self.organization_column = tuple(columns), same, organization_column
        self.run: _Run | None = None

    def add(self, row_id: int, organization_id: int | None, values: Sequence) -> None:
        run = self.run
        if run is None or row_id != run.last + 1 or organization_id != run.organization_id or len(run.rows) >= RUN:
            same = (
                self.same
                if self.organization_column is None
                else {**self.same, self.organization_column: organization_id}
            )
            if run is not None:
                run.close()
            run = self.run = _Run(self.table, self.subject, organization_id, self.columns, same, row_id, row_id - 1)
            self.trail.runs.append(run)
        run.last = row_id
        run.rows.append(values)


class BulkTrail:
    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.runs: list[_Run] = []

    def __enter__(self) -> BulkTrail:
        # The trail's own state (on, or paused by unionportal.acting.paused) decides whether the
        # events are written; the triggers are off only until this block ends (or its savepoint
        # is rolled back, which undoes the setting as well).
        self.cursor.execute(
            "SELECT COALESCE(current_setting('unionportal.audit', true), ''),"
            " set_config('unionportal.audit', 'off', true)"
        )
        self.previous = self.cursor.fetchone()[0]
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            return  # the transaction is aborted: its rollback undoes the setting
        self.cursor.execute("SELECT set_config('unionportal.audit', %s, true)", [self.previous])
        if self.previous != "off" and self.runs:
            self._write()

    def rows(
        self,
        table: str,
        subject: str,
        *,
        columns: Sequence[str],
        same: dict | None = None,
        organization_column: str | None = None,
    ) -> Rows:
        """Where to add the rows created in `table`: each its id, its organization and its values of
        `columns`; the rows' other columns are those of `same`, and `organization_column` the
        organization's id. The rows are their own subject: their history is keyed by their id."""
        return Rows(self, table, subject, columns, same or {}, organization_column)

    def _write(self) -> None:
        # One COPY of the events, all with the transaction's time and the acting user and context.
        self.cursor.execute(
            "SELECT now(), NULLIF(current_setting('unionportal.actor', true), '')::bigint,"
            " COALESCE(current_setting('unionportal.context', true), '')"
        )
        at, actor, context = self.cursor.fetchone()
        for run in self.runs:
            run.close()
        # Each event a line of bytes: its JSON (up to a few hundred KB) is not decoded to text to be encoded again.
        lines = (
            copy_line(
                (at, actor, context, run.table, "create", run.first, run.last, run.subject, None, run.organization_id)
            ).encode()
            + b"\t\\N\t"  # before: none
            + run.copy_text()
            + b"\n"
            for run in self.runs
        )
        self.cursor.copy_expert(f"COPY {EVENT_TABLE} ({', '.join(COLUMNS)}) FROM STDIN", ByteLines(lines))
        self.runs = []
