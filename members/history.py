"""What each event in a member's life writes to their history: the one place that says it.

A member's history is three tables: where they belonged (MembershipPeriod), the roles they
held in their branch (MemberRole) and the trainings they attended (Training). Three fields
of Member sum it up: branch, role and last_trained_on. The history is the truth for dates.

The rules are pure functions, one per event. Each takes what is known of one member and
returns a Delta: the rows to open, close or move, and the summary fields that change.

- on_admission: a new member;
- on_change: what the members import finds in a row (a transfer, a new role, a training);
- on_transfer, on_role, on_exit, on_training: the members services' dated operations;
- on_move, on_dissolution: restructuring (branches merged, split or dissolved).

Two appliers write deltas:

- apply(deltas): through the ORM, for the members services (one delta) and the importer's
  OrmWriter (a chunk);
- rows(deltas): the rows the importer's CopyWriter sends to PostgreSQL with COPY, and the
  updates it runs with UPDATE … FROM a temporary table (update_statements).

Periods and roles are half-open, [start_on, end_on). A row closed on a day ends that day,
and the row that follows it starts that same day, so a member is in exactly one branch on
every day. An open row always ends on or after its start (a database constraint).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model, Q

from .models import BranchRole, MemberRole, MembershipPeriod, Training

MEMBER = BranchRole.MEMBER.value  # a plain member: no role row (a plain str, for the bulk paths)

# The course of a training date given in a members file, or by the admin import.
TRAINING_COURSE = "Tập huấn nghiệp vụ công tác công đoàn"


@dataclass(slots=True)
class TrainingRow:
    """A Training record."""

    course: str
    trained_on: datetime.date
    organizer: str = ""


@dataclass(slots=True)
class Delta:
    """What one event writes to one member's history.

    branch_id, role and last_trained_on are the member's after the event (what the Member
    row says), or None where the event leaves them as they are. The member row is written
    by the caller, with the member's other fields; the appliers write the history rows.
    A period that opens is in branch_id, a role that opens is `role` in branch_id.
    """

    member_id: int
    branch_id: int | None = None
    role: str | None = None
    last_trained_on: datetime.date | None = None
    # (period id, start): a corrected join date moves the start of the member's first period.
    restart_period: tuple[int, datetime.date] | None = None
    # A branch id: the open period moves to that branch, keeping its dates.
    move_period_to: int | None = None
    close_period_on: datetime.date | None = None  # the open period ends that day
    close_role_on: datetime.date | None = None  # the open role ends that day
    open_period_on: datetime.date | None = None  # a period in branch_id starts that day
    note: str = ""  # of that period
    open_role_on: datetime.date | None = None  # `role` in branch_id starts that day
    training: TrainingRow | None = None


# --- the rules --------------------------------------------------------------------------------


def later(last_trained_on: datetime.date | None, trained_on: datetime.date | None) -> datetime.date | None:
    """Member.last_trained_on only moves forward: an older training is recorded, the date stays."""
    if last_trained_on is None or (trained_on is not None and trained_on > last_trained_on):
        return trained_on
    return last_trained_on


def trained_before(day: datetime.date) -> Q:
    """The same rule in SQL: the members whose last_trained_on a training on `day` moves forward."""
    return Q(last_trained_on__isnull=True) | Q(last_trained_on__lt=day)


def _role_starts(role: str, on: datetime.date) -> datetime.date | None:
    """The day a role row starts: a plain member has none."""
    return on if role != MEMBER else None


def _training(trained_on: datetime.date | None, recorded: bool, course: str, organizer: str) -> TrainingRow | None:
    return TrainingRow(course, trained_on, organizer) if trained_on is not None and not recorded else None


def on_admission(
    *,
    member_id: int,
    branch_id: int,
    joined_on: datetime.date,
    role: str,
    trained_on: datetime.date | None = None,
    course: str = TRAINING_COURSE,
    organizer: str = "",
) -> Delta:
    """A new member: a period in their branch from the join date, their role from that day
    (none for a plain member), and a record of the training they bring."""
    return Delta(
        member_id,
        branch_id,
        role,
        trained_on,
        open_period_on=joined_on,
        open_role_on=_role_starts(role, joined_on),
        training=_training(trained_on, False, course, organizer),
    )


def _transfers(delta: Delta, on: datetime.date, note: str = "") -> Delta:
    """A transfer: the open period ends `on` and one in the new branch starts that day."""
    delta.close_period_on = on
    delta.open_period_on = on
    delta.note = note
    return delta


def _role_ends(delta: Delta, old_role: str, on: datetime.date) -> Delta:
    """The open role ends `on` (a plain member has none)."""
    delta.close_role_on = on if old_role != MEMBER else None
    return delta


def _role_moves(delta: Delta, old_role: str, on: datetime.date) -> Delta:
    """The open role ends `on`, and the new one (none for a plain member) starts that day."""
    delta.open_role_on = _role_starts(delta.role, on)
    return _role_ends(delta, old_role, on)


def on_change(
    *,
    member_id: int,
    old_branch_id: int,
    branch_id: int,
    old_role: str,
    role: str,
    on: datetime.date,
    last_trained_on: datetime.date | None = None,
    trained_on: datetime.date | None = None,
    recorded: bool = False,
    course: str = TRAINING_COURSE,
    first_period: tuple[int, datetime.date] | None = None,
) -> Delta:
    """A recorded member whose branch, role and training a members file gives anew, effective `on`.

    Another branch is a transfer. A role belongs to a branch: on a transfer, or when the role
    is another, the role moves (a chairperson who changes branch is chairperson there from
    `on`). A training not yet `recorded` adds a record; last_trained_on only moves forward.
    `first_period` (id, new join date) moves the start of the first period with the join date.
    """
    delta = Delta(
        member_id,
        branch_id,
        role,
        later(last_trained_on, trained_on),
        restart_period=first_period,
        training=_training(trained_on, recorded, course, ""),
    )
    transfer = branch_id != old_branch_id
    if transfer:
        _transfers(delta, on)
    if transfer or role != old_role:
        _role_moves(delta, old_role, on)
    return delta


def on_transfer(*, member_id: int, old_role: str, to_branch_id: int, on: datetime.date, note: str = "") -> Delta:
    """A move to another base union on the portal (chuyển sinh hoạt): they arrive as a plain member."""
    return _role_moves(_transfers(Delta(member_id, to_branch_id, MEMBER), on, note), old_role, on)


def on_role(*, member_id: int, branch_id: int, old_role: str, role: str, on: datetime.date) -> Delta:
    """A new role in the member's branch from `on` (BranchRole.MEMBER: the current role ends)."""
    return _role_moves(Delta(member_id, branch_id, role), old_role, on)


def on_exit(*, member_id: int, old_role: str, on: datetime.date) -> Delta:
    """The member's time in the union ends `on`: their period and their role end that day."""
    return _role_ends(Delta(member_id, role=MEMBER, close_period_on=on), old_role, on)


def on_training(
    *, member_id: int, last_trained_on: datetime.date | None, training: TrainingRow, recorded: bool = False
) -> Delta:
    """A training attended: a record, unless already `recorded`; last_trained_on only moves forward."""
    return Delta(
        member_id,
        last_trained_on=later(last_trained_on, training.trained_on),
        training=None if recorded else training,
    )


def on_move(
    *,
    member_id: int,
    period_started_on: datetime.date | None,
    role_started_on: datetime.date | None,
    to_branch_id: int,
    on: datetime.date,
    note: str = "",
) -> Delta:
    """The member's branch is merged or split into `to_branch_id` on `on`.

    The open period ends that day and one in the new branch begins, as on any transfer; a
    period begun on or after that day simply moves to the new branch. The role ends (the new
    branch elects its committee): on `on`, or on its own start if that is later.
    """
    delta = Delta(
        member_id,
        to_branch_id,
        MEMBER,
        close_role_on=max(role_started_on, on) if role_started_on is not None else None,
    )
    if period_started_on is not None and period_started_on >= on:
        delta.move_period_to = to_branch_id
    elif period_started_on is not None:
        _transfers(delta, on, note)
    return delta


def on_dissolution(
    *, member_id: int, period_started_on: datetime.date | None, role_started_on: datetime.date | None, on: datetime.date
) -> Delta:
    """The member's branch is dissolved on `on`: their period and role end that day, or on their own start if later."""
    return Delta(
        member_id,
        role=MEMBER,
        close_period_on=max(period_started_on, on) if period_started_on is not None else None,
        close_role_on=max(role_started_on, on) if role_started_on is not None else None,
    )


# --- the ORM applier --------------------------------------------------------------------------


@dataclass
class Written:
    """The rows apply() created."""

    periods: list[MembershipPeriod] = field(default_factory=list)
    roles: list[MemberRole] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)


def apply(deltas: Iterable[Delta], *, clean: bool = False, batch_size: int = 1000) -> Written:
    """Write the history rows of `deltas` through the ORM, in bulk: a few statements for any number.

    A member's open period closes before the next one opens, and so does their role (one
    open row of each per member). `clean` validates every new row first (full_clean,
    without a query per row), so that nothing is written when one is refused.
    """
    deltas = list(deltas)
    written = Written(
        periods=[
            MembershipPeriod(member_id=d.member_id, branch_id=d.branch_id, start_on=d.open_period_on, note=d.note)
            for d in deltas
            if d.open_period_on is not None
        ],
        roles=[
            MemberRole(member_id=d.member_id, branch_id=d.branch_id, role=d.role, start_on=d.open_role_on)
            for d in deltas
            if d.open_role_on is not None
        ],
        trainings=[
            Training(member_id=d.member_id, course=t.course, trained_on=t.trained_on, organizer=t.organizer)
            for d in deltas
            if (t := d.training) is not None
        ],
    )
    if clean:
        for row in [*written.periods, *written.roles, *written.trainings]:
            # The members exist and uniqueness is the caller's to settle: no query per row.
            row.full_clean(exclude=["member"], validate_unique=False, validate_constraints=False)
    for period_id, start_on in (d.restart_period for d in deltas if d.restart_period is not None):
        MembershipPeriod.objects.filter(pk=period_id).update(start_on=start_on)
    for branch_id, member_ids in _grouped((d.move_period_to, d.member_id) for d in deltas).items():
        MembershipPeriod.objects.filter(member_id__in=member_ids, end_on__isnull=True).update(branch_id=branch_id)
    _close(MembershipPeriod, ((d.close_period_on, d.member_id) for d in deltas))
    _create(written.periods, batch_size)
    _close(MemberRole, ((d.close_role_on, d.member_id) for d in deltas))
    _create(written.roles, batch_size)
    _create(written.trainings, batch_size)
    return written


def open_starts(member_ids: list[int]) -> tuple[dict[int, datetime.date], dict[int, datetime.date]]:
    """When each member's open period and open role began: what on_move and on_dissolution need to know."""
    periods = MembershipPeriod.objects.open().filter(member_id__in=member_ids).values_list("member_id", "start_on")
    roles = MemberRole.objects.open().filter(member_id__in=member_ids).values_list("member_id", "start_on")
    return dict(periods), dict(roles)


def _create(rows: list[Model], batch_size: int) -> None:
    if rows:
        type(rows[0]).objects.bulk_create(rows, batch_size=batch_size)


def _grouped(pairs: Iterable[tuple]) -> dict:
    """{key: [member ids]} of the (key, member id) pairs whose key is not None."""
    groups: dict = defaultdict(list)
    for key, member_id in pairs:
        if key is not None:
            groups[key].append(member_id)
    return groups


def _close(model: type[Model], closes: Iterable[tuple[datetime.date | None, int]]) -> None:
    """End the open row of each member on its day: one UPDATE per distinct day."""
    for day, member_ids in _grouped(closes).items():
        model.objects.filter(member_id__in=member_ids, end_on__isnull=True).update(end_on=day)


# --- the COPY applier (PostgreSQL) ------------------------------------------------------------

# The temporary table the updates of a delta go through, one row per delta that has any.
UPDATE_COLUMNS = (
    ("member_id", "bigint"),
    ("restart_period_id", "bigint"),
    ("restart_on", "date"),
    ("move_period_to", "bigint"),
    ("close_period_on", "date"),
    ("close_role_on", "date"),
)


@dataclass
class CopyRows:
    """The history rows of some deltas, as the COPY writer sends them."""

    # One row (UPDATE_COLUMNS) per delta that changes existing rows, for update_statements.
    updates: list[tuple] = field(default_factory=list)
    periods: list[tuple] = field(default_factory=list)
    roles: list[tuple] = field(default_factory=list)
    trainings: list[tuple] = field(default_factory=list)

    def inserts(self) -> list[tuple[type[Model], tuple[str, ...], list[tuple]]]:
        """(model, columns, rows) to COPY, after the updates (which close rows before their successors open)."""
        return [
            (MembershipPeriod, ("member_id", "branch_id", "start_on", "note"), self.periods),
            (MemberRole, ("member_id", "branch_id", "role", "start_on"), self.roles),
            (Training, ("member_id", "course", "trained_on", "organizer"), self.trainings),
        ]

    def add(self, d: Delta) -> None:
        """The rows apply() would write for one delta, as tuples."""
        if d.restart_period or d.move_period_to or d.close_period_on or d.close_role_on:
            restart_id, restart_on = d.restart_period or (None, None)
            self.updates.append(
                (d.member_id, restart_id, restart_on, d.move_period_to, d.close_period_on, d.close_role_on)
            )
        if d.open_period_on:
            self.periods.append((d.member_id, d.branch_id, d.open_period_on, d.note))
        if d.open_role_on:
            self.roles.append((d.member_id, d.branch_id, d.role, d.open_role_on))
        if (t := d.training) is not None:
            self.trainings.append((d.member_id, t.course, t.trained_on, t.organizer))


def rows(deltas: Iterable[Delta]) -> CopyRows:
    """The rows apply() would write for `deltas`, as tuples: one pass, so deltas may come from a generator."""
    copy = CopyRows()
    for d in deltas:
        copy.add(d)
    return copy


def update_statements(table: str) -> list[str]:
    """The set-based updates from `table` (UPDATE_COLUMNS, filled with CopyRows.updates), in order."""
    q = connection.ops.quote_name
    period, role = q(MembershipPeriod._meta.db_table), q(MemberRole._meta.db_table)
    return [
        f"UPDATE {period} AS p SET start_on = c.restart_on FROM {table} c "  # noqa: S608
        "WHERE p.id = c.restart_period_id",
        f"UPDATE {period} AS p SET branch_id = c.move_period_to FROM {table} c "  # noqa: S608
        "WHERE c.move_period_to IS NOT NULL AND p.member_id = c.member_id AND p.end_on IS NULL",
        f"UPDATE {period} AS p SET end_on = c.close_period_on FROM {table} c "  # noqa: S608
        "WHERE c.close_period_on IS NOT NULL AND p.member_id = c.member_id AND p.end_on IS NULL",
        f"UPDATE {role} AS r SET end_on = c.close_role_on FROM {table} c "  # noqa: S608
        "WHERE c.close_role_on IS NOT NULL AND r.member_id = c.member_id AND r.end_on IS NULL",
    ]
