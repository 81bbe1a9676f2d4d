"""What validation reads from the database, in bulk: one query per table, whatever the file's size.

Lookups by lists of ids go in chunks (plan.CHUNK) to keep under SQLite's parameter limit;
on PostgreSQL the card numbers go as one array parameter.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils.translation import gettext as _

from organizations.importers import organizations_by_code
from organizations.models import Level, Organization
from organizations.permissions import Action, UserScope
from unionportal.pgcopy import text_array

from ..models import Member, MembershipPeriod, Training
from .checks import Refuse
from .plan import CURRENT_FIELDS, Current, chunks


def existing_members(cards: list[str]) -> dict[str, Current]:
    """The recorded members with these card numbers, by card number."""
    fields = CURRENT_FIELDS
    if connection.vendor == "postgresql":
        # One query, the card numbers as one array literal (a 100,000-item IN list costs seconds,
        # a Python list as the parameter a quarter of a second: pgcopy.text_array).
        q = connection.ops.quote_name
        columns = ", ".join(
            q(Member._meta.get_field(f).column) if f != "pk" else q(Member._meta.pk.column) for f in fields
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {q(Member._meta.db_table)} WHERE {q('card_number')} = ANY(%s::text[])",  # noqa: S608
                [text_array(cards)],
            )
            return {values[1]: values for values in cursor.fetchall()}
    existing: dict[str, Current] = {}
    for chunk in chunks(cards):
        for values in Member.objects.filter(card_number__in=chunk).order_by().values_list(*fields):
            existing[values[1]] = values
    return existing


def allowed_branches(codes: set[str], parsed, *, scope: UserScope | None, refuse: Refuse) -> dict[str, int]:
    """The id of each branch code that a member may be put in; an error on every row naming another."""
    found = organizations_by_code(codes)
    problems: dict[str, tuple[str, str]] = {}
    allowed: dict[str, int] = {}
    for code in codes:
        branch = found.get(code)
        problem = _branch_problem(code, branch, scope)
        if problem is None:
            allowed[code] = branch.pk
        else:
            problems[code] = problem
    if problems:
        for item in parsed:
            problem = problems.get(item.values[5])
            if problem is not None:
                refuse(item, "branch", problem[0], problem[1], item.values[5])
    return allowed


def _branch_problem(code: str, branch: Organization | None, scope: UserScope | None) -> tuple[str, str] | None:
    """(code, message) of why members may not be put in this branch, or None."""
    if branch is None or (scope is not None and not scope.sees(branch)):
        return (
            "branch_unknown",
            _(
                "There is no base union with code %(code)s among the organizations you manage. Check the code, or import the base unions first."
            )
            % {"code": code},
        )
    if branch.level.code != Level.BASE:
        return (
            "branch_not_base",
            _(
                "%(code)s (%(name)s) is not a base union: members belong to a base union. Put the code of the member's CĐCS."
            )
            % {"code": code, "name": branch.name},
        )
    if not branch.is_active:
        return (
            "branch_inactive",
            _("%(name)s is no longer active (%(status)s). Put the code of the base union the member belongs to now.")
            % {"name": branch.name, "status": branch.get_status_display()},
        )
    if scope is not None and not scope.can(Action.EDIT_MEMBERS, branch):
        return (
            "branch_forbidden",
            _("You may not edit the members of %(name)s. Leave these rows to that union's officers.")
            % {"name": branch.name},
        )
    return None


def recorded_trainings(member_ids: list[int]) -> set[tuple[int, datetime.date]]:
    """(member, day) of every training recorded for these members."""
    recorded: set[tuple[int, datetime.date]] = set()
    for chunk in chunks(member_ids):
        recorded |= set(Training.objects.filter(member_id__in=chunk).order_by().values_list("member_id", "trained_on"))
    return recorded


def first_periods(member_ids: list[int]) -> dict[int, tuple[int, datetime.date | None]]:
    """Each member's earliest period (id, end)."""
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
