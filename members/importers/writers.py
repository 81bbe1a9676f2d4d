"""How a checked members file is written: in bulk, with the history members.history says.

OrmWriter works on any database (bulk_create / bulk_update in batches, history.apply);
CopyWriter is PostgreSQL's fast path: new members go in with COPY (ids reserved from the
sequence first, so no row has to be read back), changes go through a temporary table with
UPDATE … FROM, and the history rows of both (history.rows) with COPY and UPDATE … FROM.
Both write the same rows. For the new members CopyWriter also does two things the database
would otherwise do once per row: it records them in the audit trail itself, one event per
branch and run of ids (unionportal/bulk_trail.py), and it checks their foreign keys itself,
once per branch, where the database role may skip its per-row checks (pgcopy.own_foreign_key_checks). A write refused by a constraint raises Django's IntegrityError
with either writer; the importer's commit() then finds out what someone else wrote meanwhile.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection
from django.utils import timezone

from unionportal.bulk_trail import BulkTrail
from unionportal.pgcopy import LineStream, copy_line, own_foreign_key_checks
from unionportal.pgcopy import copy_value as _copy_value
from unionportal.spreadsheets.spec import Progress

from .. import history
from ..models import Member, MemberStatus
from .plan import MemberChange, MemberPlan, NewMember, chunks


def _admission(member_id: int, new: NewMember) -> history.Delta:
    return history.on_admission(
        member_id=member_id, branch_id=new.branch_id, joined_on=new.joined_on, role=new.role, trained_on=new.trained_on
    )


class OrmWriter:
    """bulk_create / bulk_update in batches: any database Django supports (SQLite in development)."""

    def __init__(self, plan: MemberPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress
        self.done = 0

    def write(self) -> None:
        now = timezone.now()
        for chunk in chunks(self.plan.creates, 1000):
            self._creates(chunk)
        for chunk in chunks(self.plan.changes, 1000):
            self._changes(chunk, now)

    def _advance(self, count: int) -> None:
        self.done += count
        self.progress("committing", self.done, len(self.plan.creates) + len(self.plan.changes))

    def _creates(self, chunk: Sequence[NewMember]) -> None:
        members = Member.objects.bulk_create(
            [
                Member(
                    card_number=new.card_number,
                    full_name=new.full_name,
                    gender=new.gender,
                    date_of_birth=new.date_of_birth,
                    ethnicity=new.ethnicity,
                    joined_on=new.joined_on,
                    status=MemberStatus.ACTIVE,
                    branch_id=new.branch_id,
                    role=new.role,
                    last_trained_on=new.trained_on,
                )
                for new in chunk
            ]
        )
        history.apply(_admission(member.pk, new) for member, new in zip(members, chunk, strict=True))
        self._advance(len(chunk))

    def _changes(self, chunk: Sequence[MemberChange], now: datetime.datetime) -> None:
        Member.objects.bulk_update(
            [
                Member(
                    pk=c.member_id,
                    full_name=c.full_name,
                    gender=c.gender,
                    date_of_birth=c.date_of_birth,
                    ethnicity=c.ethnicity,
                    joined_on=c.joined_on,
                    branch_id=c.branch_id,
                    role=c.role,
                    last_trained_on=c.last_trained_on,
                    updated_at=now,
                )
                for c in chunk
            ],
            [
                "full_name",
                "gender",
                "date_of_birth",
                "ethnicity",
                "joined_on",
                "branch",
                "role",
                "last_trained_on",
                "updated_at",
            ],
        )
        history.apply(c.history for c in chunk)
        self._advance(len(chunk))


# --- COPY (PostgreSQL) ------------------------------------------------------------------------


def defaults(model, columns: Sequence[str], same: dict | None = None) -> dict:
    """`same` and, for the model's other columns, their field's default, as the database takes them."""
    constant = dict(same or {})
    named = {*columns, *constant}
    for f in model._meta.concrete_fields:
        if f.column not in named and not f.primary_key:
            # get_default() is "" for a text column without NULL, None for a nullable one.
            constant[f.column] = f.get_db_prep_save(f.get_default(), connection)
    return constant


def copy_rows(cursor, model, columns: Sequence[str], rows: Iterable[Sequence], *, same: dict | None = None) -> None:
    """COPY rows (values of `columns`) into the model's table.

    The columns in `same` take that value on every row, and the model's other columns their
    field's default: both are formatted once. The rows are formatted while they are sent:
    the server inserts one chunk while Python formats the next.
    """
    q = connection.ops.quote_name
    constant = defaults(model, columns, same)
    tail = "".join("\t" + _copy_value(value) for value in constant.values()) + "\n"
    lines = (copy_line(row) + tail for row in rows)
    names = ", ".join(q(c) for c in [*columns, *constant])
    cursor.copy_expert(f"COPY {q(model._meta.db_table)} ({names}) FROM STDIN", LineStream(lines), 1 << 16)


def copy_into_temporary_table(cursor, table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence]) -> None:
    """A temporary table (name, SQL type) of these rows, dropped at the commit."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)}) ON COMMIT DROP"
    )
    buffer = io.StringIO()
    for row in rows:
        buffer.write(copy_line(row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} FROM STDIN", buffer)


def copy_history(cursor, deltas: Iterable[history.Delta]) -> None:
    """Write the history rows of `deltas` as history.rows gives them: the same rows as history.apply."""
    write_history(cursor, history.rows(deltas))


def write_history(cursor, copy: history.CopyRows) -> None:
    """Write history rows gathered beforehand (history.CopyRows)."""
    if copy.updates:
        copy_into_temporary_table(cursor, "import_history_change", history.UPDATE_COLUMNS, copy.updates)
        for statement in history.update_statements("import_history_change"):
            cursor.execute(statement)
    for model, columns, rows in copy.inserts():
        copy_rows(cursor, model, columns, rows)


# The columns of a new member's row that differ from one member to the next, and those of them
# the audit trail holds per row (the id and the branch are the event's).
TRAIL_COLUMNS = (
    "card_number",
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "joined_on",
    "role",
    "last_trained_on",
)
MEMBER_COLUMNS = ("id", *TRAIL_COLUMNS, "branch_id")

# The temporary table of the changed members' rows.
MEMBER_CHANGE_COLUMNS = (
    ("member_id", "bigint"),
    ("full_name", "varchar(255)"),
    ("gender", "varchar(8)"),
    ("date_of_birth", "date"),
    ("ethnicity", "varchar(64)"),
    ("joined_on", "date"),
    ("branch_id", "bigint"),
    ("role", "varchar(16)"),
    ("last_trained_on", "date"),
)


class CopyWriter:
    """PostgreSQL: COPY straight into the tables, then set-based statements for the changes."""

    def __init__(self, plan: MemberPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress

    def write(self) -> None:
        total = len(self.plan.creates) + len(self.plan.changes)
        # copy_expert is psycopg2's own, not wrapped by Django: without this, a COPY refused by
        # a constraint raises psycopg2's UniqueViolation rather than Django's IntegrityError.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            self.cursor = cursor
            # The import is one transaction either way (all or nothing); not waiting for the
            # log to reach the disk at its commit saves a second on a 100,000-row file, at the
            # price of losing the last commit if the server itself crashes in that instant.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if self.plan.creates:
                self._creates()
                self.progress("committing", len(self.plan.creates), total)
            if self.plan.changes:
                self._changes()

    def _reserve_ids(self, model, count: int) -> Sequence[int]:
        """Ids from the table's own sequence, so related rows can be written without reading any back.

        Taken in one statement; handed back as a range when they follow each other (nobody
        else took one meanwhile), so that 100,000 ids are two numbers on the wire, not a list."""
        if not count:
            return []
        # The sequence is named once: pg_get_serial_sequence() on every row cost 10 times nextval() itself.
        self.cursor.execute(
            "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS name), "
            "taken AS (SELECT nextval(sequence.name) AS id FROM sequence, generate_series(1, %s)) "
            "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
            "ELSE array_agg(id ORDER BY id) END FROM taken",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        first, last, ids = self.cursor.fetchone()
        return range(first, last + 1) if ids is None else ids

    def _creates(self) -> None:
        # By branch, so that each branch's new members take consecutive ids: one audit event a branch.
        creates = sorted(self.plan.creates, key=lambda new: new.branch_id)
        now = timezone.now()
        ids = self._reserve_ids(Member, len(creates))
        same = {"status": MemberStatus.ACTIVE.value, "created_at": now, "updated_at": now}
        # The trail holds what the trigger would: every column but updated_at (audit.triggers.TRACKED).
        recorded = defaults(Member, MEMBER_COLUMNS, same)
        del recorded["updated_at"]
        with own_foreign_key_checks(self.cursor), BulkTrail(self.cursor) as trail:
            self._lock_branches({new.branch_id for new in creates})
            members = trail.rows(
                Member._meta.db_table, "member", columns=TRAIL_COLUMNS, same=recorded, organization_column="branch_id"
            )

            # Their history rows are gathered while the members' COPY runs, the server busy inserting them.
            admissions = history.CopyRows()

            def rows():
                for pk, n in zip(ids, creates, strict=True):
                    admissions.add(_admission(pk, n))
                    # Dates as text once, for the COPY and the trail's JSON alike.
                    born, trained = n.date_of_birth, n.trained_on
                    values = (
                        n.card_number,
                        n.full_name,
                        n.gender,
                        born.isoformat() if born is not None else None,
                        n.ethnicity,
                        n.joined_on.isoformat(),
                        n.role,
                        trained.isoformat() if trained is not None else None,
                    )
                    members.add(pk, n.branch_id, values)
                    yield (pk, *values, n.branch_id)

            copy_rows(self.cursor, Member, MEMBER_COLUMNS, rows(), same=same)
            write_history(self.cursor, admissions)

    def _lock_branches(self, branch_ids: set[int]) -> None:
        """The branches of the new members, held until the commit: nobody can delete one meanwhile.

        The foreign-key check the database makes per row, made here once per branch: a branch
        deleted since the file was checked refuses the write as the database would have."""
        table = connection.ops.quote_name(Member._meta.get_field("branch").related_model._meta.db_table)
        self.cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) AS held",  # noqa: S608
            [sorted(branch_ids)],
        )
        if self.cursor.fetchone()[0] != len(branch_ids):
            raise IntegrityError("a branch of the new members was deleted after the file was checked")

    def _changes(self) -> None:
        changes = self.plan.changes
        rows = (
            (
                c.member_id,
                c.full_name,
                c.gender,
                c.date_of_birth,
                c.ethnicity,
                c.joined_on,
                c.branch_id,
                c.role,
                c.last_trained_on,
            )
            for c in changes
        )
        copy_into_temporary_table(self.cursor, "import_member_change", MEMBER_CHANGE_COLUMNS, rows)
        q = connection.ops.quote_name
        self.cursor.execute(
            f"UPDATE {q(Member._meta.db_table)} AS m SET full_name = c.full_name, gender = c.gender, "  # noqa: S608
            "date_of_birth = c.date_of_birth, ethnicity = c.ethnicity, joined_on = c.joined_on, "
            "branch_id = c.branch_id, role = c.role, last_trained_on = c.last_trained_on, updated_at = now() "
            "FROM import_member_change c WHERE m.id = c.member_id"
        )
        copy_history(self.cursor, (c.history for c in changes))
