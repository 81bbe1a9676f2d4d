"""Excel import of members (đoàn viên) in bulk, and their export.

A members file can hold 100,000 rows, so this is the bulk write path of the members app.
A file goes through the package in this order:

- columns.py: the columns, their parsers (each distinct value of a column parsed once) and
  the fixed labels of the choice columns;
- checks.py: each row on its own (a card number once per file, plausible dates in order);
- lookups.py: every referenced branch and card number looked up in bulk, one query per table;
- planner.py: each row matched to the recorded member with its card number, refused, or
  planned as a new member or a change (plan.py);
- writers.py: the plan written with COPY and UPDATE … FROM on PostgreSQL, bulk_create and
  bulk_update in batches elsewhere.

What the rows write to the members' history is members.history's to say, as for the
members services:

- a new member has one open MembershipPeriod, from the join date, at the branch; a role
  other than plain member is a MemberRole from that day; a training date adds a Training
  ("Tập huấn nghiệp vụ công tác công đoàn");
- for a recorded member, another branch is a transfer (the open period ends on the import
  day, a new one opens that day); another role closes the open MemberRole and opens the
  new one that day; a training date not yet recorded adds a Training;
- Member.branch / role / last_trained_on are the current values of that history.

An empty optional cell (date of birth, ethnicity, training date) keeps what is recorded.
A row that changes nothing writes nothing, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Organization
from organizations.permissions import scope_for
from unionportal.spreadsheets.errors import RowError, column_letter
from unionportal.spreadsheets.spec import (
    BaseImporter,
    CommitError,
    Counts,
    ParsedRow,
    Progress,
    Validation,
    no_progress,
    sort_errors,
)

from .. import hooks
from ..history import MEMBER, TRAINING_COURSE
from ..models import Member, MemberStatus
from .checks import check_rows
from .columns import COLUMNS, GENDERS, NOTES, ROLES
from .lookups import allowed_branches, existing_members
from .plan import MemberPlan
from .planner import Planner
from .writers import CopyWriter, OrmWriter

__all__ = ["GENDERS", "ROLES", "TRAINING_COURSE", "MemberImporter"]


def _admitted(creates) -> dict[tuple, int]:
    """The new members as members.hooks.members_admitted describes them, those alike counted together."""
    admitted: dict[tuple, int] = {}
    for new in creates:
        key = (new.branch_id, new.gender, None if new.role == MEMBER else new.role, new.joined_on, new.trained_on)
        admitted[key] = admitted.get(key, 0) + 1
    return admitted


def _changed_meanwhile() -> RowError:
    return RowError(
        code="changed_meanwhile",
        message=_("Someone changed these members while the file was imported. Import the file again."),
    )


class MemberImporter(BaseImporter):
    kind = "members"
    sheet_title = "Đoàn viên"
    title = gettext_lazy("Members")
    notes = NOTES
    columns = COLUMNS

    def __init__(self, user=None, *, today: datetime.date | None = None, writer: str | None = None) -> None:
        super().__init__()
        self.user = user
        self.scope = scope_for(user) if user is not None else None
        self.today = today or timezone.localdate()
        # "copy" (PostgreSQL only) or "orm"; by default COPY on PostgreSQL, the ORM elsewhere.
        self.writer = writer or ("copy" if connection.vendor == "postgresql" else "orm")

    # --- validation -------------------------------------------------------------------------

    def validate(self, rows, *, formulas=None, progress: Progress = no_progress) -> Validation:
        """Check every row on its own (checks.py), then against the database (lookups.py), then plan (planner.py)."""
        total = len(rows)
        progress("validating", 0, total)
        parsed = list(self.parser.parse(rows, formulas=formulas or {}, progress=progress))
        cards = check_rows(parsed, today=self.today, refuse=self._refuse)
        progress("checking", total, total)
        codes = {item.values[5] for item in parsed if item.values[5]}
        branches = allowed_branches(codes, parsed, scope=self.scope, refuse=self._refuse)
        existing = existing_members(cards)
        planner = Planner(scope=self.scope, today=self.today, fail=self.fail, refuse=self._refuse)
        plan = planner.plan(parsed, branches, existing)
        errors = sort_errors(self.errors)
        counts = Counts(created=len(plan.creates), updated=len(plan.changes), unchanged=plan.unchanged)
        progress("checked", total, total)
        return Validation(
            rows=total,
            errors=errors,
            counts=counts,
            plan=None if errors else plan,
            fixes=self.parser.fixes(),
            diffs=[] if errors else plan.diffs,
        )

    def _refuse(self, item: ParsedRow, key: str, code: str, message: str, value: Any = "") -> None:
        """An error on the row's cell; the row is not written."""
        self.fail(item.row, key, code, message, value)
        item.ok = False

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
        if plan.creates and not plan.changes:
            # New members only: the figures above them can take them in now (members.hooks).
            counted = hooks.members_admitted.run(admitted=_admitted(plan.creates))
            self.figures_kept = bool(counted) and all(counted)
        progress("committed", total, total)
        return validation.counts

    def touched(self, validation: Validation) -> set[int] | None:
        return set(validation.plan.touched)

    def _added_meanwhile(self, plan: MemberPlan) -> list[RowError]:
        """An error on each row whose new member someone else added after the check (another import, say)."""
        taken = existing_members([new.card_number for new in plan.creates])
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
