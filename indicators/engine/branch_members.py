"""The members' counts of every base union for many indicators at once: the Excel sheet of all branches.

measure_by_organization() (parts.py) runs one COUNT(DISTINCT member_id) over the membership periods
per indicator; for the country that is four passes over eleven million periods, three of them joined
to eleven million members. Here every members' measure of the table (stock, joined, left, each for
women only or for some sectors) is one column of a single pass, with the same meaning:

- a member counts once per branch however many of their periods match (COUNT(DISTINCT member_id)).
  At most one period of a member is open (the constraint one_open_period_per_member), so a member
  with two matching periods in one branch has a closed one that meets the window. Those members — a
  few thousand: transfers and leavers of the window — are grouped by (branch, member) and counted
  once each; every other member has a single row in the window (the open period), counted as is;
- the members are joined in their order (the rows of both tables lie in member order), a merge join:
  a hash of eleven million members does not fit in memory and spilled to disk;
- sectors and the subtree are the branch's, so they filter the branches, not the rows.

tests/reports/test_branch_table_members.py compares every column with measure_by_organization().
"""

from __future__ import annotations

import datetime
from array import array
from contextlib import contextmanager

from django.db import connection, transaction

from members.models import Member, MembershipPeriod
from organizations.models import Organization

from ..models import Indicator, Measure, ReportingPeriod
from .window import window

COUNTED = (Measure.MEMBERS_STOCK, Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT)


def counted_here(indicator: Indicator) -> bool:
    return indicator.measure in COUNTED


# The settings a caller's planner() may have chosen, which a members' pass run on a second
# connection takes with it (unionportal.read_beside).
PLANNER_SETTINGS = ("jit", "work_mem")


@contextmanager
def planner(**settings: str):
    """PostgreSQL settings for the statements inside, restored after (SET LOCAL within a transaction)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        before = {}
        for name, value in settings.items():
            cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
            before[name] = cursor.fetchone()[0]
        yield  # on an error the (sub)transaction rolls back, and the settings with it
        for name, value in before.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


class BranchCounts:
    """The members' counts of every branch for several indicators: a column of integers per distinct
    count, in arrays (a dict of figures per indicator for 135,000 branches is built only when asked,
    one at a time)."""

    def __init__(
        self, place: dict[int, int], branches: array, columns: list[array], sectors: dict, branch_sector: dict
    ):
        self.place, self.branches, self.columns = place, branches, columns
        self.sectors, self.branch_sector = sectors, branch_sector

    def of(self, indicator: Indicator) -> dict[int, int]:
        """{branch id: members counted} for the indicator; a branch with none is left out, as
        measure_by_organization() leaves it out."""
        column, wanted = self.columns[self.place[indicator.pk]], self.sectors.get(indicator.pk)
        return {
            branch: count
            for branch, count in zip(self.branches, column, strict=True)
            if count and (wanted is None or self.branch_sector.get(branch) in wanted)
        }


def members_by_branch(
    indicators: list[Indicator], period: ReportingPeriod, *, within: Organization | None = None
) -> BranchCounts:
    """The counts of the members' indicators (counted_here) for every branch, in one statement."""
    # {(condition on p: the period, m: its member; its parameters): its column}: two indicators that
    # count the same rows (the same measure in two programs) share one.
    columns: dict[tuple[str, tuple], int] = {}
    place: dict[int, int] = {}
    day = period.end_on
    earliest = day
    for indicator in indicators:
        span = window(indicator, period)
        place[indicator.pk] = columns.setdefault(_condition(indicator, span.start, span.end), len(columns))
        if indicator.measure != Measure.MEMBERS_STOCK:
            earliest = min(earliest, span.start)
    if not columns:
        return BranchCounts({}, array("q"), [], {}, {})
    branches, counts = _run(list(columns), day, earliest, within)
    sectors = {i.pk: set(i.sectors) for i in indicators if i.sectors}
    branch_sector: dict[int, str] = {}
    if sectors:
        branch_sector = dict(Organization.objects.filter(pk__in=branches).values_list("pk", "sector"))
    return BranchCounts(place, branches, counts, sectors, branch_sector)


def _condition(indicator: Indicator, start: datetime.date, end: datetime.date) -> tuple[str, tuple]:
    """When a period row counts for the indicator (as specs._members filters them)."""
    if indicator.measure == Measure.MEMBERS_STOCK:
        condition, params = "p.start_on <= %s AND (p.end_on IS NULL OR p.end_on > %s)", [end, end]
    elif indicator.measure == Measure.MEMBERS_JOINED:
        # A member's first period starts the day they joined; later ones are transfers.
        condition, params = "p.start_on = m.joined_on AND p.start_on BETWEEN %s AND %s", [start, end]
    else:
        # The period that ended when the member left (a transfer ends one period too, but not the membership).
        condition = (
            "m.status IN ('left', 'transferred') AND p.end_on = m.status_changed_on AND p.end_on BETWEEN %s AND %s"
        )
        params = [start, end]
    if indicator.women_only:
        condition += " AND m.gender = 'female'"
    return f"({condition})", tuple(params)


def _run(
    columns: list[tuple[str, tuple]], day: datetime.date, earliest: datetime.date, within
) -> tuple[array, list[array]]:
    """The branches' ids and each column's count for each: the members with one row in the window
    counted by rows, those with a closed period in it grouped by (branch, member) first."""
    periods, members, organizations = (
        connection.ops.quote_name(model._meta.db_table) for model in (MembershipPeriod, Member, Organization)
    )
    scope, scope_params = "", []
    if within is not None:
        scope = f" AND p.branch_id IN (SELECT id FROM {organizations} WHERE path LIKE %s)"  # noqa: S608 - model metadata
        scope_params = [within.path + "%"]
    # The members with a closed period that meets the window: the only ones who may have two rows in it.
    closed = f"SELECT 1 FROM {periods} c WHERE c.member_id = p.member_id AND c.end_on >= %s AND c.start_on <= %s"  # noqa: S608 - model metadata
    closed_params = [earliest, day]
    singles = ", ".join(f"COUNT(CASE WHEN {condition} THEN 1 END)" for condition, _ in columns)
    flags = ", ".join(
        f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END) AS c{n}" for n, (condition, _) in enumerate(columns)
    )
    sums = ", ".join(f"SUM(g.c{n})" for n in range(len(columns)))
    column_params = [value for _, params in columns for value in params]
    sql = (
        f"SELECT p.branch_id, {singles} FROM {periods} p INNER JOIN {members} m ON m.id = p.member_id"  # noqa: S608 - model metadata and fixed fragments; values are parameters
        f" WHERE p.end_on IS NULL AND p.start_on <= %s{scope} AND NOT EXISTS ({closed}) GROUP BY p.branch_id"
        f" UNION ALL SELECT g.branch_id, {sums} FROM (SELECT p.branch_id, p.member_id, {flags}"
        f" FROM {periods} p INNER JOIN {members} m ON m.id = p.member_id"
        f" WHERE p.start_on <= %s AND (p.end_on IS NULL OR p.end_on >= %s){scope} AND EXISTS ({closed})"
        " GROUP BY p.branch_id, p.member_id) g GROUP BY g.branch_id"
    )
    params = [
        *column_params,
        day,
        *scope_params,
        *closed_params,
        *column_params,
        day,
        earliest,
        *scope_params,
        *closed_params,
    ]
    branches, counts, position = array("q"), [array("q") for _column in columns], {}
    # A hash of every member does not fit in memory: the tables are read in member order instead.
    with planner(enable_hashjoin="off"), connection.cursor() as cursor:
        cursor.execute(sql, params)
        for branch, *values in cursor:  # a branch comes twice when some of its members are in both parts
            index = position.setdefault(branch, len(branches))
            if index == len(branches):
                branches.append(branch)
                for column, value in zip(counts, values, strict=True):
                    column.append(value)
            else:
                for column, value in zip(counts, values, strict=True):
                    column[index] += value
    return branches, counts
