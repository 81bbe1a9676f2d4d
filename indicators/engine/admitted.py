"""The members' measures of newly admitted members, counted from what the import knows: no query over their rows.

An import of new members only (members.hooks.members_admitted) moves the stored rollups by these
members' own figures (reports.rollups.count_admitted) instead of a refresh that reads every row of
the subtree again. tests/imports/test_admitted_rollups.py compares the result with a full recomputation.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Sequence

from organizations.models import Organization

from ..models import Indicator, Measure, ReportingPeriod
from .series import Series, _members_parts, annual_periods, windows

# An admitted member's rows, as members.hooks.members_admitted describes them:
# (branch id, gender, role or None for a plain member, join date, training date or None) -> members.
Admitted = dict[tuple[int, str, str | None, datetime.date, datetime.date | None], int]

_DAY = datetime.timedelta(days=1)


def admitted_series(
    indicators: Sequence[Indicator],
    periods: Sequence[ReportingPeriod],
    admitted: Admitted,
    *,
    length: int,
    annual: list[tuple[int, int]] | None = None,
) -> dict[int, Series]:
    """{indicator id: series} of the members' measures over the rows of newly admitted members alone: what
    parts_by_period would give if those were the only rows. One query (the branches' paths and sectors).

    A new member has exactly one membership period, open from the join date; a role row from that day
    unless a plain member; at most one training; and is active (members.history.on_admission). So each
    counts once in one group, and a group's count over the old members plus them is the old count plus
    theirs: the refresh adds these series to what it stored (reports.rollups.count_admitted).
    The rows go through the same counting by dates as the SQL's (_count_by_dates), each date replaced by
    the first boundary on or after it — every window's end and the day before every window's or program's
    start — which compares the same with every boundary: 100,000 members become a few thousand groups.
    """
    periods = list(periods)
    annual = annual if annual is not None else annual_periods()
    spans = {indicator.pk: windows(indicator, periods, annual) for indicator in indicators}
    bounds = {span.end for found in spans.values() for span in found}
    bounds |= {span.start - _DAY for found in spans.values() for span in found}
    bounds |= {datetime.date(i.program.start_year, 1, 1) - _DAY for i in indicators if i.trained_within_program}
    first_on_or_after = _FirstBound(sorted(bounds))
    branches = {
        pk: (path[:length], sector)
        for pk, path, sector in Organization.objects.filter(pk__in={row[0] for row in admitted}).values_list(
            "pk", "path", "sector"
        )
    }
    rows: dict[tuple, int] = {}
    for (branch_id, gender, role, joined_on, trained_on), count in admitted.items():
        key, sector = branches[branch_id]
        group = (key, sector, gender, role, first_on_or_after(joined_on), first_on_or_after(trained_on))
        rows[group] = rows.get(group, 0) + count
    result: dict[int, Series] = {}
    for indicator in indicators:
        result[indicator.pk] = _members_parts(indicator, periods, spans[indicator.pk], _admitted_rows(indicator, rows))
    return result


def _admitted_rows(indicator: Indicator, rows: dict[tuple, int]) -> list[tuple]:
    """The rows _member_rows would select among the admitted members', in the shape its statement returns."""
    measure = indicator.measure
    if measure == Measure.MEMBERS_LEFT:
        return []  # an admitted member is active
    trained = measure == Measure.PEOPLE_TRAINED_SHARE
    since = datetime.date(indicator.program.start_year, 1, 1) if trained and indicator.trained_within_program else None
    sectors = set(indicator.sectors or ())
    roles = set(indicator.roles or ()) if trained else set()  # the roles asked for, of the trained share only
    singles: dict[tuple, int] = {}
    for (key, sector, gender, role, joined_on, trained_on), count in rows.items():
        if sectors and sector not in sectors:
            continue
        if indicator.women_only and gender != "female":
            continue
        if roles and role not in roles:  # the role rows of the roles asked for; a plain member has none
            continue
        first = trained_on if trained and trained_on is not None and (since is None or trained_on >= since) else None
        single = (key, joined_on, first)
        singles[single] = singles.get(single, 0) + count
    # (pid, key, a, b, first_on, count, holders): a row of one member in its group (pid None), never ended.
    return [(None, key, a, None, first, count, 0) for (key, a, first), count in singles.items()]


class _FirstBound:
    """A date -> the first of the sorted boundaries on or after it (the day after the last one past them all);
    each distinct date looked up once."""

    def __init__(self, bounds: list[datetime.date]) -> None:
        self.bounds = bounds
        self.past = (bounds[-1] + _DAY) if bounds else None
        self.seen: dict = {None: None}

    def __call__(self, day):
        found = self.seen.get(day, _MISSING)
        if found is _MISSING:
            index = bisect_left(self.bounds, day)
            found = self.seen[day] = self.bounds[index] if index < len(self.bounds) else self.past
        return found


_MISSING = object()
