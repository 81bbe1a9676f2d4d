"""How a checked members file is written: in bulk, keeping the members services' invariants.

OrmWriter works on any database (bulk_create / bulk_update in batches); CopyWriter is
PostgreSQL's fast path: new members, their periods, roles and trainings go in with COPY
(ids reserved from the sequence first, so no row has to be read back), and changes go
through a temporary table with UPDATE … FROM and INSERT … SELECT. Both write the same rows.
A write refused by a constraint raises Django's IntegrityError with either writer; the
importer's commit() then finds out what someone else wrote meanwhile.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone

from unionportal.pgcopy import LineStream
from unionportal.spreadsheets.spec import Progress

from ..models import BranchRole, Member, MemberRole, MembershipPeriod, MemberStatus, Training
from .plan import TRAINING_COURSE, MemberPlan, chunks


class OrmWriter:
    """bulk_create / bulk_update in batches: any database Django supports (SQLite in development)."""

    def __init__(self, plan: MemberPlan, progress: Progress) -> None:
        self.plan = plan
        self.progress = progress

    def write(self) -> None:
        plan, today = self.plan, self.plan.today
        now = timezone.now()
        done = 0
        total = len(plan.creates) + len(plan.changes)
        for chunk in chunks(plan.creates, 1000):
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
            MembershipPeriod.objects.bulk_create(
                [MembershipPeriod(member_id=m.pk, branch_id=m.branch_id, start_on=m.joined_on) for m in members]
            )
            MemberRole.objects.bulk_create(
                [
                    MemberRole(member_id=m.pk, branch_id=m.branch_id, role=m.role, start_on=m.joined_on)
                    for m in members
                    if m.role != BranchRole.MEMBER
                ]
            )
            Training.objects.bulk_create(
                [
                    Training(member_id=m.pk, course=TRAINING_COURSE, trained_on=m.last_trained_on)
                    for m in members
                    if m.last_trained_on is not None
                ]
            )
            done += len(chunk)
            self.progress("committing", done, total)

        fields = [
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "joined_on",
            "branch",
            "role",
            "last_trained_on",
            "updated_at",
        ]
        for chunk in chunks(plan.changes, 1000):
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
                fields,
            )
            for change in chunk:
                if change.first_period_id is not None:
                    MembershipPeriod.objects.filter(pk=change.first_period_id).update(start_on=change.joined_on)
            transfers = [c for c in chunk if c.transfer]
            MembershipPeriod.objects.filter(member_id__in=[c.member_id for c in transfers], end_on__isnull=True).update(
                end_on=today
            )
            MembershipPeriod.objects.bulk_create(
                [MembershipPeriod(member_id=c.member_id, branch_id=c.branch_id, start_on=today) for c in transfers]
            )
            MemberRole.objects.filter(
                member_id__in=[c.member_id for c in chunk if c.close_role], end_on__isnull=True
            ).update(end_on=today)
            MemberRole.objects.bulk_create(
                [
                    MemberRole(member_id=c.member_id, branch_id=c.branch_id, role=c.role, start_on=today)
                    for c in chunk
                    if c.open_role
                ]
            )
            Training.objects.bulk_create(
                [
                    Training(member_id=c.member_id, course=TRAINING_COURSE, trained_on=c.new_training)
                    for c in chunk
                    if c.new_training is not None
                ]
            )
            done += len(chunk)
            self.progress("committing", done, total)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


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

    def _copy(self, model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """COPY rows (values of `columns`) into the model's table; other columns get their field's default.

        The rows are formatted while they are sent: the server inserts one chunk while
        Python formats the next.
        """
        q = connection.ops.quote_name
        named = set(columns)
        rest = [f for f in model._meta.concrete_fields if f.column not in named and not f.primary_key]
        # get_default() is "" for a text column without NULL, None for a nullable one.
        tail = "".join("\t" + _copy_value(f.get_db_prep_save(f.get_default(), connection)) for f in rest) + "\n"
        lines = ("\t".join([_copy_value(value) for value in row]) + tail for row in rows)
        names = ", ".join(q(c) for c in [*columns, *(f.column for f in rest)])
        self.cursor.copy_expert(f"COPY {q(model._meta.db_table)} ({names}) FROM STDIN", LineStream(lines), 1 << 16)

    def _reserve_ids(self, model, count: int) -> list[int]:
        """Ids from the table's own sequence, so related rows can be written without reading any back."""
        self.cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in self.cursor.fetchall()]

    def _creates(self) -> None:
        creates = self.plan.creates
        now = timezone.now()
        ids = self._reserve_ids(Member, len(creates))
        self._copy(
            Member,
            [
                "id",
                "card_number",
                "full_name",
                "gender",
                "date_of_birth",
                "ethnicity",
                "joined_on",
                "status",
                "branch_id",
                "role",
                "last_trained_on",
                "created_at",
                "updated_at",
            ],
            (
                (
                    pk,
                    n.card_number,
                    n.full_name,
                    n.gender,
                    n.date_of_birth,
                    n.ethnicity,
                    n.joined_on,
                    MemberStatus.ACTIVE.value,
                    n.branch_id,
                    n.role,
                    n.trained_on,
                    now,
                    now,
                )
                for pk, n in zip(ids, creates, strict=True)
            ),
        )
        self._copy(
            MembershipPeriod,
            ["member_id", "branch_id", "start_on"],
            ((pk, n.branch_id, n.joined_on) for pk, n in zip(ids, creates, strict=True)),
        )
        self._copy(
            MemberRole,
            ["member_id", "branch_id", "role", "start_on"],
            (
                (pk, n.branch_id, n.role, n.joined_on)
                for pk, n in zip(ids, creates, strict=True)
                if n.role != BranchRole.MEMBER
            ),
        )
        self._copy(
            Training,
            ["member_id", "course", "trained_on"],
            (
                (pk, TRAINING_COURSE, n.trained_on)
                for pk, n in zip(ids, creates, strict=True)
                if n.trained_on is not None
            ),
        )

    def _changes(self) -> None:
        today = self.plan.today
        execute = self.cursor.execute
        execute("DROP TABLE IF EXISTS import_member_change")
        execute(
            "CREATE TEMPORARY TABLE import_member_change (member_id bigint, full_name varchar(255), gender varchar(8), "
            "date_of_birth date, ethnicity varchar(64), joined_on date, branch_id bigint, role varchar(16), "
            "last_trained_on date, transfer boolean, close_role boolean, open_role boolean, new_training date, "
            "first_period_id bigint) ON COMMIT DROP"
        )
        buffer = io.StringIO()
        for c in self.plan.changes:
            values = (
                c.member_id,
                c.full_name,
                c.gender,
                c.date_of_birth,
                c.ethnicity,
                c.joined_on,
                c.branch_id,
                c.role,
                c.last_trained_on,
                c.transfer,
                c.close_role,
                c.open_role,
                c.new_training,
                c.first_period_id,
            )
            buffer.write("\t".join([_copy_value(v) for v in values]) + "\n")
        buffer.seek(0)
        self.cursor.copy_expert("COPY import_member_change FROM STDIN", buffer)
        for statement, params in _change_statements(today):
            execute(statement, params)
        # New rows of the history for transfers and roles: through the ORM-free path, in bulk.
        self._copy(
            MembershipPeriod,
            ["member_id", "branch_id", "start_on"],
            ((c.member_id, c.branch_id, today) for c in self.plan.changes if c.transfer),
        )
        self._copy(
            MemberRole,
            ["member_id", "branch_id", "role", "start_on"],
            ((c.member_id, c.branch_id, c.role, today) for c in self.plan.changes if c.open_role),
        )
        self._copy(
            Training,
            ["member_id", "course", "trained_on"],
            ((c.member_id, TRAINING_COURSE, c.new_training) for c in self.plan.changes if c.new_training is not None),
        )


def _change_statements(today: datetime.date) -> list[tuple[str, list]]:
    """Set-based updates from import_member_change. Table names come from the models."""
    q = connection.ops.quote_name
    member, period, role = q(Member._meta.db_table), q(MembershipPeriod._meta.db_table), q(MemberRole._meta.db_table)
    return [
        (
            f"UPDATE {member} AS m SET full_name = c.full_name, gender = c.gender, "  # noqa: S608
            "date_of_birth = c.date_of_birth, ethnicity = c.ethnicity, joined_on = c.joined_on, "
            "branch_id = c.branch_id, role = c.role, last_trained_on = c.last_trained_on, updated_at = now() "
            "FROM import_member_change c WHERE m.id = c.member_id",
            [],
        ),
        (
            f"UPDATE {period} AS p SET start_on = c.joined_on FROM import_member_change c "  # noqa: S608
            "WHERE p.id = c.first_period_id",
            [],
        ),
        (
            f"UPDATE {period} AS p SET end_on = %s FROM import_member_change c "  # noqa: S608
            "WHERE c.transfer AND p.member_id = c.member_id AND p.end_on IS NULL",
            [today],
        ),
        (
            f"UPDATE {role} AS r SET end_on = %s FROM import_member_change c "  # noqa: S608
            "WHERE c.close_role AND r.member_id = c.member_id AND r.end_on IS NULL",
            [today],
        ),
    ]
