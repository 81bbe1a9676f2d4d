"""From checked rows to a MemberPlan: new members, changes to recorded ones, and the refusals between.

A row is matched to the recorded member with its card number. The user must be allowed to
change that member; a base union keeps one chairperson; a corrected join date may not pass
the member's first transfer. What a change writes to the history is members.history's rule
(on_change), applied here to each matched row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.permissions import Action, UserScope
from unionportal.spreadsheets.spec import MAX_DIFFS, Diff, ParsedRow

from .. import history
from ..models import BranchRole, MemberRole, MemberStatus
from .checks import Refuse
from .columns import COLUMNS, DEFAULT_ETHNICITY, GENDERS, ROLES, day
from .lookups import first_periods, recorded_trainings
from .plan import (
    BORN,
    BRANCH,
    CARD,
    ETHNICITY,
    GENDER,
    JOINED,
    NAME,
    PK,
    ROLE,
    STATUS,
    TRAINED,
    Current,
    MemberChange,
    MemberPlan,
    NewMember,
)

Fail = Callable[[int, str, str, str, Any], None]  # (row, column key, code, message, value)
Chair = tuple[int, int | None, int]  # (row, member id or None for a new member, branch id)


ACTIVE = MemberStatus.ACTIVE.value


class Match(NamedTuple):
    """A row of the file and the recorded member it names."""

    item: ParsedRow
    current: Current
    branch_id: int


@dataclass
class MemberBranches:
    """Where the matched members are now, and which of those branches the user may see and edit."""

    branches: dict[int, Organization]
    visible: set[int]
    editable: set[int]


class Planner:
    def __init__(self, *, scope: UserScope | None, today: datetime.date, fail: Fail, refuse: Refuse) -> None:
        self.scope = scope
        self.today = today
        self.fail = fail
        self.refuse = refuse

    def plan(self, parsed: list[ParsedRow], branches: dict[str, int], existing: dict[str, Current]) -> MemberPlan:
        plan = MemberPlan(today=self.today)
        matched = self._match(parsed, branches, existing, plan)
        new_chairs = [(new.row, None, new.branch_id) for new in plan.creates if new.role == BranchRole.CHAIR]
        # In card number order: two imports adding some of the same members at once then take
        # the card numbers in the same order, so one waits for the other and is refused on those
        # rows, where in file order the two could each hold a card the other needs (a deadlock).
        plan.creates.sort(key=attrgetter("card_number"))
        self._check_chairs(new_chairs, matched)
        self._changes(plan, matched)
        if plan.changes:
            codes = {pk: code for code, pk in branches.items()}
            codes.update({pk: branch.code for pk, branch in self._where_of.branches.items()})
            plan.diffs = _diffs(plan, matched, codes)
        return plan

    # --- matching ---------------------------------------------------------------------------

    def _match(
        self, parsed: list[ParsedRow], branches: dict[str, int], existing: dict[str, Current], plan: MemberPlan
    ) -> list[Match]:
        """New members go into the plan; the rows of recorded members are matched to them, or refused."""
        where = self._where_of = self._where(existing)
        matched: list[Match] = []
        for item in parsed:
            card, name, gender, born, ethnicity, branch_code, joined, role, trained = item.values
            current = existing.get(card) if card else None
            if current is not None:
                refusal = self._refusal(card, born, joined, current, where)
                if refusal is not None:
                    self.refuse(item, *refusal)
                    continue
            if not item.ok:
                continue
            branch_id = branches.get(branch_code)
            if current is None:
                new = NewMember(
                    card, name, gender, born, ethnicity or DEFAULT_ETHNICITY, branch_id, joined, role, trained, item.row
                )
                plan.creates.append(new)
                plan.touched.add(branch_id)
            else:
                matched.append(Match(item, current, branch_id))
        return matched

    def _where(self, existing: dict[str, Current]) -> MemberBranches:
        # Where existing members are now, to check the user may change them (one query).
        ids = {current[BRANCH] for current in existing.values()}
        branches = {o.pk: o for o in Organization.objects.filter(pk__in=ids).order_by()}
        scope = self.scope
        return MemberBranches(
            branches=branches,
            visible={pk for pk, b in branches.items() if scope is None or scope.sees(b)},
            editable={pk for pk, b in branches.items() if scope is None or scope.can(Action.EDIT_MEMBERS, b)},
        )

    def _refusal(
        self,
        card: str,
        born: datetime.date | None,
        joined: datetime.date | None,
        current: Current,
        where: MemberBranches,
    ) -> tuple[str, str, str, Any] | None:
        """(column key, code, message, value) of why the row may not change the member it names, or None."""
        if current[BRANCH] not in where.visible:
            # Never say who the card belongs to: that member is outside the user's scope.
            message = _(
                "The card number %(card)s belongs to a member outside the organizations you manage. Check the number; if it is right, that member's union must transfer them."
            ) % {"card": card}
            return ("card_number", "card_taken", message, card)
        if current[BRANCH] not in where.editable:
            message = _(
                "The member with card %(card)s belongs to %(branch)s, whose members you may not edit. Remove this row."
            ) % {"card": card, "branch": where.branches[current[BRANCH]].name}
            return ("card_number", "card_forbidden", message, card)
        if current[STATUS] != ACTIVE:
            message = _(
                "The member with card %(card)s is no longer an active member (%(status)s). Re-admit them on their page, or remove this row."
            ) % {"card": card, "status": MemberStatus(current[STATUS]).label}
            return ("card_number", "member_inactive", message, card)
        recorded_birth = current[BORN]
        if born is None and recorded_birth is not None and joined is not None and recorded_birth >= joined:
            message = _(
                "The join date %(joined)s is not after the recorded date of birth %(born)s. Check the join date."
            ) % {"joined": day(joined), "born": day(recorded_birth)}
            return ("joined_on", "born_after_joining", message, joined)
        return None

    # --- one chairperson per base union -----------------------------------------------------

    def _check_chairs(self, new_chairs: list[Chair], matched: list[Match]) -> None:
        """A base union has one chairperson at a time (as member_set_role has it)."""
        chairs = list(new_chairs)
        stepping_down: set[int] = set()  # current chairpersons whose row gives another role or branch
        for match in matched:
            role, current = match.item.values[7], match.current
            if role == BranchRole.CHAIR:
                chairs.append((match.item.row, current[PK], match.branch_id))
            elif current[ROLE] == BranchRole.CHAIR:
                stepping_down.add(current[PK])
            if match.branch_id != current[BRANCH] and current[ROLE] == BranchRole.CHAIR:
                stepping_down.add(current[PK])
        if chairs:
            self._refuse_second_chairs(chairs, stepping_down)

    def _refuse_second_chairs(self, chairs: list[Chair], stepping_down: set[int]) -> None:
        first_row: dict[int, int] = {}
        branch_ids = {branch_id for _row, _member, branch_id in chairs}
        names = dict(Organization.objects.filter(pk__in=branch_ids).values_list("pk", "name"))
        current = {
            branch_id: (member_id, name, card)
            for member_id, branch_id, name, card in MemberRole.objects.open()
            .filter(role=BranchRole.CHAIR, branch_id__in=branch_ids)
            .values_list("member_id", "branch_id", "member__full_name", "member__card_number")
        }
        chair_label = ROLES.label(BranchRole.CHAIR)
        for row, member_id, branch_id in chairs:
            first = first_row.setdefault(branch_id, row)
            if first != row:
                message = _(
                    "Row %(first)s already makes someone the chairperson of %(branch)s: a base union has one chairperson at a time."
                ) % {"first": first, "branch": names[branch_id]}
                self.fail(row, "role", "second_chair", message, chair_label)
                continue
            holder = current.get(branch_id)
            if holder is not None and holder[0] != member_id and holder[0] not in stepping_down:
                message = _(
                    "%(name)s (card %(card)s) is the chairperson of %(branch)s: change their role first, in this file or on their page."
                ) % {"name": holder[1], "card": holder[2], "branch": names[branch_id]}
                self.fail(row, "role", "second_chair", message, chair_label)

    # --- changes ----------------------------------------------------------------------------

    def _changes(self, plan: MemberPlan, matched: list[Match]) -> None:
        """A MemberChange for each matched row that changes something; the others count as unchanged."""
        trainings = recorded_trainings(
            [m.current[PK] for m in matched if m.item.values[8] is not None and m.item.values[8] != m.current[TRAINED]]
        )
        firsts = first_periods([m.current[PK] for m in matched if m.item.values[6] != m.current[JOINED]])
        for match in matched:
            first = firsts.get(match.current[PK]) if match.item.values[6] != match.current[JOINED] else None
            if first is not None and self._joined_after_first_transfer(match, first[1]):
                continue
            change = _change(match, self.today, trainings, first[0] if first is not None else None)
            if change is None:
                plan.unchanged += 1
            else:
                plan.changes.append(change)
                plan.touched.update((match.current[BRANCH], change.branch_id))

    def _joined_after_first_transfer(self, match: Match, first_end: datetime.date | None) -> bool:
        joined = match.item.values[6]
        if first_end is None or joined <= first_end:
            return False
        message = _("The join date %(date)s is after the member's first transfer (%(end)s). Check the date.") % {
            "date": day(joined),
            "end": day(first_end),
        }
        self.fail(match.item.row, "joined_on", "joined_after_transfer", message, joined)
        return True


def _change(
    match: Match, today: datetime.date, trainings: set[tuple[int, datetime.date]], first_period_id: int | None
) -> MemberChange | None:
    """The change a matched row makes, or None when it changes nothing (an empty optional cell keeps what is recorded)."""
    _card, name, gender, born, ethnicity, _code, joined, role, trained = match.item.values
    old = match.current
    born = born if born is not None else old[BORN]
    ethnicity = ethnicity or old[ETHNICITY]
    row = (name, gender, born, ethnicity, joined, match.branch_id, role)
    recorded = (old[NAME], old[GENDER], old[BORN], old[ETHNICITY], old[JOINED], old[BRANCH], old[ROLE])
    if row == recorded and (trained is None or trained == old[TRAINED]):
        return None  # the row says what is recorded (most rows of a file exported and imported back)
    delta = history.on_change(
        member_id=old[PK],
        old_branch_id=old[BRANCH],
        branch_id=match.branch_id,
        old_role=old[ROLE],
        role=role,
        on=today,
        last_trained_on=old[TRAINED],
        trained_on=trained,
        recorded=trained == old[TRAINED] or (old[PK], trained) in trainings,
        first_period=(first_period_id, joined) if first_period_id is not None else None,
    )
    if row == recorded and delta.last_trained_on == old[TRAINED] and delta.training is None:
        return None  # an older training, already recorded
    return MemberChange(old[PK], *row, delta.last_trained_on, history=delta)


# The fields a change can touch, as MemberChange and Current name them, with the column they come from.
_DIFFED = (
    ("full_name", NAME, "full_name"),
    ("gender", GENDER, "gender"),
    ("date_of_birth", BORN, "date_of_birth"),
    ("ethnicity", ETHNICITY, "ethnicity"),
    ("joined_on", JOINED, "joined_on"),
    ("branch_id", BRANCH, "branch"),
    ("role", ROLE, "role"),
    ("last_trained_on", TRAINED, "trained_on"),
)
_HEADERS = {column.key: column.header for column in COLUMNS}


def _diffs(plan: MemberPlan, matched: list[Match], codes: dict[int, str]) -> list[Diff]:
    """Field by field, what the first MAX_DIFFS changes of the plan change, as the file writes them."""
    rows = {match.current[PK]: (match.item.row, match.current) for match in matched}
    shown = {
        "gender": GENDERS.label,
        "role": ROLES.label,
        "branch_id": lambda pk: codes.get(pk, ""),
    }
    diffs: list[Diff] = []
    for change in plan.changes:
        row, old = rows[change.member_id]
        for name, position, key in _DIFFED:
            before, after = old[position], getattr(change, name)
            if before == after:
                continue
            show = shown.get(name, _shown)
            diffs.append(Diff(row, old[CARD], _HEADERS[key], show(before), show(after)))
            if len(diffs) >= MAX_DIFFS:
                return diffs
    return diffs


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)
