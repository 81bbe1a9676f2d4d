"""Excel import of members (đoàn viên) in bulk, and their export.

A members file can hold 100,000 rows, so this is the bulk write path of the members app:
validation parses every cell once (distinct values of repetitive columns once), then looks
every referenced branch and every card number up in bulk (one query per table, chunked so
SQLite's parameter limit holds); committing writes only what changed, with set-based SQL.
On PostgreSQL the rows go through COPY into temporary tables, then INSERT … ON CONFLICT and
UPDATE … FROM; elsewhere bulk_create / bulk_update in batches. Both keep the invariants the
members services keep:

- a new member has exactly one open MembershipPeriod, starting on the join date, at the branch;
- a role other than plain member is a MemberRole row (from the join date for a new member);
- a training date adds a Training row ("Tập huấn nghiệp vụ công tác công đoàn");
- Member.branch / role / last_trained_on are the current values of that history.

For an existing member (matched on the card number): another branch is a transfer (the open
period ends on the import day, a new one opens that day); another role closes the open
MemberRole and opens a new one that day; a training date not yet recorded adds a Training.
An empty optional cell (date of birth, ethnicity, training date) keeps what is recorded.
A row that changes nothing writes nothing, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from functools import partial
from operator import attrgetter

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.importers import organizations_by_code
from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, ValueMap
from unionportal.spreadsheets.errors import RowError, column_letter
from unionportal.spreadsheets.spec import (
    CHOICE,
    CODE,
    DATE,
    TEXT,
    BaseImporter,
    Column,
    CommitError,
    Counts,
    Progress,
    Validation,
    no_progress,
    sort_errors,
)

from ..models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, MemberStatus, Training
from .plan import TRAINING_COURSE, MemberChange, MemberPlan, NewMember, chunks
from .writers import CopyWriter, OrmWriter

__all__ = ["GENDERS", "ROLES", "TRAINING_COURSE", "MemberImporter"]

GENDERS = ValueMap([("Nam", Gender.MALE), ("Nữ", Gender.FEMALE)])

ROLES = ValueMap(
    [
        ("Chủ tịch", BranchRole.CHAIR),
        ("Phó Chủ tịch", BranchRole.VICE_CHAIR),
        ("Ủy viên Ban chấp hành", BranchRole.EXECUTIVE),
        ("Ủy viên Ủy ban kiểm tra", BranchRole.INSPECTION),
        ("Tổ trưởng", BranchRole.GROUP_LEADER),
        ("Đoàn viên", BranchRole.MEMBER),
    ],
    # The older spelling puts the tone mark on the y; NFC does not make the two equal.
    aliases={
        "Uỷ viên Ban chấp hành": BranchRole.EXECUTIVE,
        "Uỷ viên Uỷ ban kiểm tra": BranchRole.INSPECTION,
    },
)

DEFAULT_ETHNICITY = Member._meta.get_field("ethnicity").get_default()  # what a new member gets when the cell is empty
MINIMUM_AGE = 15  # the youngest a worker may be (Bộ luật Lao động), and so a member
MAXIMUM_AGE = 100
CONFEDERATION_FOUNDED = datetime.date(1929, 7, 28)


# As the members services have it: card numbers appear in URLs.
CARD_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9.\-]*")


def _card(raw) -> str:
    """A card number, in capitals as the members services store it."""
    value = cells.text(raw, max_length=32)
    if " " in value:
        raise CellError(
            "code_spaces",
            _("A card number has no spaces inside. Type it as: “%(clean)s”.") % {"clean": value.replace(" ", "")},
        )
    value = value.upper()
    if not CARD_NUMBER.fullmatch(value):
        raise CellError(
            "card_characters",
            _(
                "A card number has only letters, digits, dots and hyphens, and starts with a letter or a digit. Correct it."
            ),
        )
    return value


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _changed_meanwhile() -> RowError:
    return RowError(
        code="changed_meanwhile",
        message=_("Someone changed these members while the file was imported. Import the file again."),
    )


class MemberImporter(BaseImporter):
    kind = "members"
    sheet_title = "Đoàn viên"
    title = gettext_lazy("Members")
    notes = (
        gettext_lazy(
            "Import the base unions first: every member belongs to an active base union in the organizations you manage."
        ),
        gettext_lazy(
            "A member whose base union changes is transferred on the day of the import; a changed role starts that day too."
        ),
        gettext_lazy(
            "An empty date of birth, ethnicity or training date keeps what is recorded; a training date adds a training record."
        ),
    )
    columns = (
        Column(
            "card_number",
            "Số thẻ đoàn viên",
            CODE,
            _card,
            gettext_lazy(
                "The member's card number, unique. It identifies the row: importing a card that exists updates that member."
            ),
            example="0012345678",
            width=18,
        ),
        Column(
            "full_name",
            "Họ và tên",
            TEXT,
            partial(cells.text, max_length=255),
            gettext_lazy("Family name, middle name and given name, as on the card."),
            example="Nguyễn Thị Thanh Hương",
            width=30,
        ),
        Column(
            "gender",
            "Giới tính",
            CHOICE,
            partial(cells.choice, values=GENDERS),
            gettext_lazy("Chosen from the drop-down list."),
            example="Nữ",
            width=11,
            values=GENDERS,
        ),
        Column(
            "date_of_birth",
            "Ngày sinh",
            DATE,
            partial(cells.date, required=False),
            gettext_lazy("dd/mm/yyyy, before the join date; the member is at least 15 on joining. May be left empty."),
            example="20/11/1985",
            required=False,
            width=13,
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            TEXT,
            partial(cells.text, required=False, max_length=64),
            gettext_lazy("The member's ethnic group (Kinh, Tày, Nùng, …). May be left empty."),
            example="Tày",
            required=False,
            width=12,
        ),
        Column(
            "branch",
            "Mã CĐCS",
            CODE,
            cells.code,
            gettext_lazy("The code of the member's base union: an active base union in the organizations you manage."),
            example="HG-QB-TH01",
            width=16,
        ),
        Column(
            "joined_on",
            "Ngày vào công đoàn",
            DATE,
            cells.date,
            gettext_lazy("The date the member joined the union, dd/mm/yyyy, not in the future."),
            example="05/01/2010",
            width=20,
        ),
        Column(
            "role",
            "Chức vụ",
            CHOICE,
            partial(cells.choice, values=ROLES, blank=BranchRole.MEMBER),
            gettext_lazy("The member's role in the base union, chosen from the drop-down list. Empty means Đoàn viên."),
            example="Đoàn viên",
            required=False,
            width=26,
            values=ROLES,
        ),
        Column(
            "trained_on",
            "Ngày tập huấn",
            DATE,
            partial(cells.date, required=False),
            gettext_lazy(
                "The date of the member's last union training (tập huấn nghiệp vụ), dd/mm/yyyy. Empty: no training to record."
            ),
            example="12/06/2023",
            required=False,
            width=16,
        ),
    )

    def __init__(self, user=None, *, today: datetime.date | None = None, writer: str | None = None) -> None:
        super().__init__()
        self.user = user
        self.scope = scope_for(user) if user is not None else None
        self.today = today or timezone.localdate()
        # "copy" (PostgreSQL only) or "orm"; by default COPY on PostgreSQL, the ORM elsewhere.
        self.writer = writer or ("copy" if connection.vendor == "postgresql" else "orm")

    # --- validation -------------------------------------------------------------------------

    def validate(self, rows, *, formulas=None, progress: Progress = no_progress) -> Validation:
        total = len(rows)
        progress("validating", 0, total)
        parsed = list(self.parser.parse(rows, formulas=formulas or {}, progress=progress))
        today = self.today
        seen: dict[str, int] = {}
        for item in parsed:
            card, _name, _gender, born, _ethnicity, _branch, joined, _role, trained = item.values
            row = item.row
            if card:
                first = seen.setdefault(card, row)
                if first != row:
                    self.fail(
                        row,
                        "card_number",
                        "duplicate",
                        _(
                            "The card number %(card)s is also on row %(first)s. Each member takes one row: remove or correct the duplicate."
                        )
                        % {"card": card, "first": first},
                        card,
                    )
                    item.ok = False
            if born is not None:
                if born > today:
                    self.fail(
                        row,
                        "date_of_birth",
                        "birth_future",
                        _("The date of birth %(date)s is in the future. Check the year.") % {"date": _day(born)},
                        born,
                    )
                    item.ok = False
                elif _age(born, today) > MAXIMUM_AGE:
                    self.fail(
                        row,
                        "date_of_birth",
                        "too_old",
                        _("With a date of birth of %(date)s the member would be %(age)s years old. Check the year.")
                        % {"date": _day(born), "age": _age(born, today)},
                        born,
                    )
                    item.ok = False
            if joined is not None:
                if joined > today:
                    self.fail(
                        row,
                        "joined_on",
                        "date_future",
                        _("The join date %(date)s is in the future. Put the date the member actually joined.")
                        % {"date": _day(joined)},
                        joined,
                    )
                    item.ok = False
                elif joined < CONFEDERATION_FOUNDED:
                    self.fail(
                        row,
                        "joined_on",
                        "date_too_early",
                        _("The join date %(date)s is before the union existed (28/07/1929). Check the year.")
                        % {"date": _day(joined)},
                        joined,
                    )
                    item.ok = False
                elif born is not None and born <= today:
                    if born >= joined:
                        self.fail(
                            row,
                            "date_of_birth",
                            "born_after_joining",
                            _("The date of birth %(born)s is not before the join date %(joined)s. Check both dates.")
                            % {"born": _day(born), "joined": _day(joined)},
                            born,
                        )
                        item.ok = False
                    elif _age(born, joined) < MINIMUM_AGE:
                        self.fail(
                            row,
                            "date_of_birth",
                            "too_young",
                            _(
                                "On %(joined)s the member was %(age)s years old; members are at least %(minimum)s. Check the date of birth and the join date."
                            )
                            % {"joined": _day(joined), "age": _age(born, joined), "minimum": MINIMUM_AGE},
                            born,
                        )
                        item.ok = False
            if trained is not None and trained > today:
                self.fail(
                    row,
                    "trained_on",
                    "date_future",
                    _("The training date %(date)s is in the future. Put the date of a training that took place.")
                    % {"date": _day(trained)},
                    trained,
                )
                item.ok = False
            elif trained is not None and joined is not None and trained < joined:
                self.fail(
                    row,
                    "trained_on",
                    "trained_before_joining",
                    _("The training date %(date)s is before the join date %(joined)s. Check both dates.")
                    % {"date": _day(trained), "joined": _day(joined)},
                    trained,
                )
                item.ok = False

        progress("checking", total, total)
        branches = self._branches({item.values[5] for item in parsed if item.values[5]}, parsed)
        existing = self._existing(list(seen))
        plan = self._plan(parsed, branches, existing)
        errors = sort_errors(self.errors)
        counts = Counts(created=len(plan.creates), updated=len(plan.changes), unchanged=plan.unchanged)
        progress("checked", total, total)
        return Validation(rows=total, errors=errors, counts=counts, plan=None if errors else plan)

    def _branches(self, codes: set[str], parsed) -> dict[str, int]:
        """The id of each branch code that a member may be put in; an error on every row naming another."""
        found = organizations_by_code(codes)
        problems: dict[str, tuple[str, str]] = {}
        allowed: dict[str, int] = {}
        for code in codes:
            branch = found.get(code)
            if branch is None or (self.scope is not None and not self.scope.sees(branch)):
                problems[code] = (
                    "branch_unknown",
                    _(
                        "There is no base union with code %(code)s among the organizations you manage. Check the code, or import the base unions first."
                    )
                    % {"code": code},
                )
            elif branch.level.code != Level.BASE:
                problems[code] = (
                    "branch_not_base",
                    _(
                        "%(code)s (%(name)s) is not a base union: members belong to a base union. Put the code of the member's CĐCS."
                    )
                    % {"code": code, "name": branch.name},
                )
            elif not branch.is_active:
                problems[code] = (
                    "branch_inactive",
                    _(
                        "%(name)s is no longer active (%(status)s). Put the code of the base union the member belongs to now."
                    )
                    % {"name": branch.name, "status": branch.get_status_display()},
                )
            elif self.scope is not None and not self.scope.can(Action.EDIT_MEMBERS, branch):
                problems[code] = (
                    "branch_forbidden",
                    _("You may not edit the members of %(name)s. Leave these rows to that union's officers.")
                    % {"name": branch.name},
                )
            else:
                allowed[code] = branch.pk
        if problems:
            for item in parsed:
                problem = problems.get(item.values[5])
                if problem is not None:
                    self.fail(item.row, "branch", problem[0], problem[1], item.values[5])
                    item.ok = False
        return allowed

    def _existing(self, cards: list[str]) -> dict[str, tuple]:
        fields = (
            "pk",
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
        )
        existing: dict[str, tuple] = {}
        if connection.vendor == "postgresql":
            # One query, the card numbers as one array parameter (a 100,000-item IN list costs seconds).
            q = connection.ops.quote_name
            columns = ", ".join(
                q(Member._meta.get_field(f).column) if f != "pk" else q(Member._meta.pk.column) for f in fields
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM {q(Member._meta.db_table)} WHERE {q('card_number')} = ANY(%s)",  # noqa: S608
                    [cards],
                )
                for values in cursor.fetchall():
                    existing[values[1]] = values
            return existing
        for chunk in chunks(cards):
            for values in Member.objects.filter(card_number__in=chunk).order_by().values_list(*fields):
                existing[values[1]] = values
        return existing

    def _plan(self, parsed, branches: dict[str, int], existing: dict[str, tuple]) -> MemberPlan:
        today = self.today
        plan = MemberPlan(today=today)
        # Where existing members are now, to check the user may change them (one query).
        member_branch_ids = {values[8] for values in existing.values()}
        member_branches = {o.pk: o for o in Organization.objects.filter(pk__in=member_branch_ids).order_by()}
        editable: dict[int, bool] = {}
        for pk, branch in member_branches.items():
            editable[pk] = self.scope is None or self.scope.can(Action.EDIT_MEMBERS, branch)
        visible = {pk: self.scope is None or self.scope.sees(b) for pk, b in member_branches.items()}

        matched: list[tuple] = []  # (item, existing values, branch id)
        chairs: list[tuple[int, int | None, int]] = []  # (row, member id or None, branch id) of chairpersons
        stepping_down: set[int] = set()  # current chairpersons whose row gives another role or branch
        for item in parsed:
            card, name, gender, born, ethnicity, branch_code, joined, role, trained = item.values
            branch_id = branches.get(branch_code)
            current = existing.get(card) if card else None
            if current is not None:
                if not visible.get(current[8], False):
                    # Never say who the card belongs to: that member is outside the user's scope.
                    self.fail(
                        item.row,
                        "card_number",
                        "card_taken",
                        _(
                            "The card number %(card)s belongs to a member outside the organizations you manage. Check the number; if it is right, that member's union must transfer them."
                        )
                        % {"card": card},
                        card,
                    )
                    item.ok = False
                    continue
                if not editable.get(current[8], False):
                    self.fail(
                        item.row,
                        "card_number",
                        "card_forbidden",
                        _(
                            "The member with card %(card)s belongs to %(branch)s, whose members you may not edit. Remove this row."
                        )
                        % {"card": card, "branch": member_branches[current[8]].name},
                        card,
                    )
                    item.ok = False
                    continue
                if current[7] != MemberStatus.ACTIVE:
                    self.fail(
                        item.row,
                        "card_number",
                        "member_inactive",
                        _(
                            "The member with card %(card)s is no longer an active member (%(status)s). Re-admit them on their page, or remove this row."
                        )
                        % {"card": card, "status": MemberStatus(current[7]).label},
                        card,
                    )
                    item.ok = False
                    continue
                if born is None and current[4] is not None and joined is not None and current[4] >= joined:
                    self.fail(
                        item.row,
                        "joined_on",
                        "born_after_joining",
                        _(
                            "The join date %(joined)s is not after the recorded date of birth %(born)s. Check the join date."
                        )
                        % {"joined": _day(joined), "born": _day(current[4])},
                        joined,
                    )
                    item.ok = False
                    continue
            if not item.ok:
                continue
            if current is None:
                if role == BranchRole.CHAIR:
                    chairs.append((item.row, None, branch_id))
                plan.creates.append(
                    NewMember(
                        card,
                        name,
                        gender,
                        born,
                        ethnicity or DEFAULT_ETHNICITY,
                        branch_id,
                        joined,
                        role,
                        trained,
                        item.row,
                    )
                )
            else:
                matched.append((item, current, branch_id))

        # In card number order: two imports adding some of the same members at once then take
        # the card numbers in the same order, so one waits for the other and is refused on those
        # rows, where in file order the two could each hold a card the other needs (a deadlock).
        plan.creates.sort(key=attrgetter("card_number"))

        for item, current, branch_id in matched:
            role = item.values[7]
            if role == BranchRole.CHAIR:
                chairs.append((item.row, current[0], branch_id))
            elif current[9] == BranchRole.CHAIR:
                stepping_down.add(current[0])
            if branch_id != current[8] and current[9] == BranchRole.CHAIR:
                stepping_down.add(current[0])
        self._check_chairs(chairs, stepping_down)

        trainings = self._recorded_trainings(matched)
        first_periods = self._first_periods(
            [current[0] for item, current, _b in matched if item.values[6] != current[6]]
        )
        for item, current, branch_id in matched:
            card, name, gender, born, ethnicity, _code, joined, role, trained = item.values
            (
                pk,
                _card_number,
                old_name,
                old_gender,
                old_born,
                old_ethnicity,
                old_joined,
                _status,
                old_branch,
                old_role,
                old_trained,
            ) = current
            born = born if born is not None else old_born
            ethnicity = ethnicity or old_ethnicity
            transfer = branch_id != old_branch
            role_moves = transfer or role != old_role
            new_training = None
            last_trained = old_trained
            if trained is not None:
                if trained != old_trained and (pk, trained) not in trainings:
                    new_training = trained
                if old_trained is None or trained > old_trained:
                    last_trained = trained
            first_period_id = None
            if joined != old_joined:
                first = first_periods.get(pk)
                if first is not None:
                    first_period_id, first_end = first
                    if first_end is not None and joined > first_end:
                        self.fail(
                            item.row,
                            "joined_on",
                            "joined_after_transfer",
                            _("The join date %(date)s is after the member's first transfer (%(end)s). Check the date.")
                            % {"date": _day(joined), "end": _day(first_end)},
                            joined,
                        )
                        continue
            changed = (name, gender, born, ethnicity, joined, branch_id, role, last_trained) != (
                old_name,
                old_gender,
                old_born,
                old_ethnicity,
                old_joined,
                old_branch,
                old_role,
                old_trained,
            )
            if not changed and new_training is None:
                plan.unchanged += 1
                continue
            plan.changes.append(
                MemberChange(
                    member_id=pk,
                    full_name=name,
                    gender=gender,
                    date_of_birth=born,
                    ethnicity=ethnicity,
                    joined_on=joined,
                    branch_id=branch_id,
                    role=role,
                    last_trained_on=last_trained,
                    transfer=transfer,
                    close_role=role_moves and old_role != BranchRole.MEMBER,
                    open_role=role_moves and role != BranchRole.MEMBER,
                    new_training=new_training,
                    first_period_id=first_period_id,
                )
            )
        return plan

    def _check_chairs(self, chairs: list[tuple[int, int | None, int]], stepping_down: set[int]) -> None:
        """A base union has one chairperson at a time (as member_set_role has it)."""
        if not chairs:
            return
        first_row: dict[int, int] = {}
        branch_ids = {branch_id for _row, _member, branch_id in chairs}
        names = dict(Organization.objects.filter(pk__in=branch_ids).values_list("pk", "name"))
        current = {
            branch_id: (member_id, name, card)
            for member_id, branch_id, name, card in MemberRole.objects.open()
            .filter(role=BranchRole.CHAIR, branch_id__in=branch_ids)
            .values_list("member_id", "branch_id", "member__full_name", "member__card_number")
        }
        for row, member_id, branch_id in chairs:
            first = first_row.setdefault(branch_id, row)
            if first != row:
                self.fail(
                    row,
                    "role",
                    "second_chair",
                    _(
                        "Row %(first)s already makes someone the chairperson of %(branch)s: a base union has one chairperson at a time."
                    )
                    % {"first": first, "branch": names[branch_id]},
                    ROLES.label(BranchRole.CHAIR),
                )
                continue
            holder = current.get(branch_id)
            if holder is not None and holder[0] != member_id and holder[0] not in stepping_down:
                self.fail(
                    row,
                    "role",
                    "second_chair",
                    _(
                        "%(name)s (card %(card)s) is the chairperson of %(branch)s: change their role first, in this file or on their page."
                    )
                    % {"name": holder[1], "card": holder[2], "branch": names[branch_id]},
                    ROLES.label(BranchRole.CHAIR),
                )

    def _recorded_trainings(self, matched: list[tuple]) -> set[tuple[int, datetime.date]]:
        """(member, day) of the trainings already recorded for the training dates of the file."""
        wanted = [
            current[0] for item, current, _b in matched if item.values[8] is not None and item.values[8] != current[10]
        ]
        recorded: set[tuple[int, datetime.date]] = set()
        for chunk in chunks(wanted):
            recorded.update(
                Training.objects.filter(member_id__in=chunk).order_by().values_list("member_id", "trained_on")
            )
        return recorded

    def _first_periods(self, member_ids: list[int]) -> dict[int, tuple[int, datetime.date | None]]:
        """Each member's earliest period (id, end), for members whose join date changes."""
        first: dict[int, tuple[int, datetime.date, datetime.date | None]] = {}
        for chunk in chunks(member_ids):
            rows = (
                MembershipPeriod.objects.filter(member_id__in=chunk)
                .order_by()
                .values_list("member_id", "pk", "start_on", "end_on")
            )
            for member_id, pk, start_on, end_on in rows:
                if member_id not in first or start_on < first[member_id][1]:
                    first[member_id] = (pk, start_on, end_on)
        return {member_id: (pk, end_on) for member_id, (pk, _start, end_on) in first.items()}

    # --- commit -----------------------------------------------------------------------------

    @transaction.atomic
    def commit(self, validation: Validation, *, progress: Progress = no_progress) -> Counts:
        plan: MemberPlan = validation.plan
        total = len(plan.creates) + len(plan.changes)
        progress("committing", 0, total)
        writer = CopyWriter if self.writer == "copy" else OrmWriter
        try:
            # A savepoint: once a write is refused, the transaction can still look up why.
            with transaction.atomic():
                writer(plan, progress).write()
        except IntegrityError as refusal:
            # Only a write by someone else since the check can break a constraint here.
            raise CommitError(self._added_meanwhile(plan) or [_changed_meanwhile()]) from refusal
        progress("committed", total, total)
        return validation.counts

    def _added_meanwhile(self, plan: MemberPlan) -> list[RowError]:
        """An error on each row whose new member someone else added after the check (another import, say)."""
        taken = self._existing([new.card_number for new in plan.creates])
        index = self.index["card_number"]
        return sort_errors(
            [
                RowError(
                    code="added_meanwhile",
                    message=_(
                        "Someone else added this member while the file was being imported. Upload the file again."
                    ),
                    row=new.row,
                    column=column_letter(index),
                    header=self.columns[index].header,
                    value=new.card_number,
                )
                for new in plan.creates
                if new.card_number in taken
            ]
        )

    # --- export -----------------------------------------------------------------------------

    def export_rows(self, under: Organization | None) -> Iterator[list]:
        queryset = Member.objects.filter(status=MemberStatus.ACTIVE)
        if under is not None:
            queryset = queryset.within(under)
        if self.scope is not None:
            queryset = queryset.filter(self.scope.q("branch__path"))
        rows = queryset.order_by("card_number").values_list(
            "card_number",
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "branch__code",
            "joined_on",
            "role",
            "last_trained_on",
        )
        gender_label, role_label = GENDERS.label, ROLES.label
        for card, name, gender, born, ethnicity, code, joined, role, trained in rows.iterator(chunk_size=5000):
            yield [card, name, gender_label(gender), born, ethnicity, code, joined, role_label(role), trained]
