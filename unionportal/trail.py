"""Audit events that a bulk writer COPYs itself, in the triggers' stead (PostgreSQL).

The audit triggers (audit/triggers.py) record every write of a tracked table. For the
rows that an import COPYs by the hundred thousand, the trigger's work (the statement's
transition table, then to_jsonb of every row and the keys read back out of it) costs more
than writing the rows themselves. Such a writer records them itself:

    with trail.recorded_here(cursor, [Member, MemberRole]) as events:
        ...COPY the members and roles, with their ids...
        events.copy(cursor, [events.created(Member, columns, rows), ...])

- Inside the block the triggers skip the INSERTs into those tables: a setting that the
  trigger reads, set with set_config(…, true), i.e. SET LOCAL: it ends with the block and,
  whatever happens, with the transaction; no other transaction and no other table is
  affected, and updates and deletes of the same tables are still recorded by the triggers.
- The events are those the trigger would write, row for row: same time (the transaction's
  now()), user and context (unionportal.acting), subject, organization, and the row
  minus the table's ignored columns as `after` (tests/audit compares the two).
- While the trail is paused (acting.paused), `events` is None and nothing is recorded.

How each table's events are filed is the audit app's to say (its TRACKED list): it
registers them here at start-up (audit/apps.py), since this core knows audit only by names.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C encoder, non-ASCII kept

from django.db import DatabaseError

from unionportal.pgcopy import LineStream

EVENT_TABLE = "audit_auditevent"
EVENT_COLUMNS = "at, actor_id, context, table_name, action, row_id, subject, subject_id, organization_id, after"
# The setting the PostgreSQL trigger reads: tables whose INSERTs the current transaction records itself.
SETTING = "unionportal.recorded"


@dataclass(frozen=True)
class Filing:
    """How the trail files a table's events (audit.triggers.Tracked)."""

    subject: str
    subject_key: str
    scope: tuple[str, ...]
    ignored: tuple[str, ...]


FILINGS: dict[str, Filing] = {}


def register(table: str, filing: Filing) -> None:
    FILINGS[table] = filing


def _json(value) -> str:
    """A value as to_jsonb writes it (jsonb keeps values, not text: only the value must match)."""
    if value is None:
        return "null"
    cls = value.__class__
    if cls is str:
        return encode_basestring(value)
    if cls is bool:
        return "true" if value else "false"
    if cls is int or cls is Decimal or cls is float:
        return str(value)
    if isinstance(value, datetime.date):  # dates and datetimes (aware, in UTC as the connection's)
        return '"' + value.isoformat() + '"'
    return encode_basestring(str(value))


def _copy_text(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


NULL = "\\N"  # COPY's NULL


class Events:
    """The creation events of rows a writer COPYs, as COPY lines for the audit table."""

    def __init__(self, at: datetime.datetime, actor: str, context: str) -> None:
        self.head = "\t".join([at.isoformat(), actor or NULL, _copy_text(context)]) + "\t"

    def created(
        self, model, columns: Sequence[str], rows: Iterable[Sequence], *, same: dict | None = None
    ) -> Iterator[str]:
        """One line per row: `columns` are the row's values (its id among them), `same` those every row shares.

        Together they are every column of the table: the row as the trigger sees it."""
        table = model._meta.db_table
        filing = FILINGS[table]
        same = same or {}
        missing = {f.column for f in model._meta.concrete_fields} - {*columns, *same}
        assert not missing, f"the events of {table} need every column; missing {sorted(missing)}"
        at = {column: k for k, column in enumerate(columns)}
        row_id, subject_id = at["id"], at[filing.subject_key]
        scopes = [at[column] for column in filing.scope]
        keys = [(k, encode_basestring(c) + ": ") for k, c in enumerate(columns) if c not in filing.ignored]
        shared = "".join(
            ", " + encode_basestring(c) + ": " + _json(v) for c, v in same.items() if c not in filing.ignored
        )
        head = f"{self.head}{table}\tcreate\t"
        subject = f"\t{filing.subject}\t"
        tail = _copy_text(shared) + "}\n"
        for row in rows:
            after = "{" + ", ".join([key + _json(row[k]) for k, key in keys])
            if "\\" in after:
                after = after.replace("\\", "\\\\")
            organization = next((row[k] for k in scopes if row[k] is not None), None)
            yield (
                f"{head}{row[row_id]}{subject}{row[subject_id]}\t"
                f"{NULL if organization is None else organization}\t{after}{tail}"
            )

    def copy(self, cursor, lines: Iterable[Iterable[str]]) -> None:
        """COPY these lines (several tables' in one statement) into the audit table."""
        chained = (line for part in lines for line in part)
        cursor.copy_expert(f"COPY {EVENT_TABLE} ({EVENT_COLUMNS}) FROM STDIN", LineStream(chained), 1 << 16)


@contextmanager
def recorded_here(cursor, models: Sequence) -> Iterator[Events | None]:
    """Inside: the triggers leave the INSERTs into these models' tables to the caller (see the module)."""
    tables = [m._meta.db_table for m in models if m._meta.db_table in FILINGS]
    cursor.execute(
        "SELECT now(), current_setting('unionportal.actor', true), current_setting('unionportal.context', true),"
        " current_setting('unionportal.audit', true), set_config(%s, %s, true)",
        [SETTING, ",".join(tables)],
    )
    at, actor, context, audit, _set = cursor.fetchone()
    try:
        yield None if audit == "off" else Events(at, actor or "", context or "")
    finally:
        # In an aborted transaction this fails; its rollback ends the setting anyway.
        with contextlib.suppress(DatabaseError):
            cursor.execute("SELECT set_config(%s, '', true)", [SETTING])
