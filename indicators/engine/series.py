"""The grouped parts of one indicator for many periods at once, for the rollups' refresh.

`parts_by_prefix` (parts.py) measures one period: a refresh of every period ran its queries
once per period, and for the members' measures each was a COUNT(DISTINCT member_id) over the
whole subtree. Here a refresh costs the same few queries whatever the number of periods:

- the members' measures (stock, joined, left, people trained) join the membership or role
  rows to the periods' dates — a small list in a CTE — and group by (period, path prefix):
  one pass over the rows, whatever the number of periods;
- every other measure (branches, workplaces, reported figures: small populations) keeps its
  per-period querysets (specs.py), each part sent as one UNION ALL over the periods.

Both give exactly the parts `parts_by_prefix` gives for each period
(tests/reports/test_refresh_series.py compares them on every measure).
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import accumulate

from django.db import connection

from members.models import Member, MemberRole, MembershipPeriod, Training
from organizations.models import Organization
from unionportal.read_beside import read_beside

from ..models import Indicator, Measure, PeriodKind, ReportingPeriod
from . import compiled as compiled_sql
from .compiled import compiled
from .parts import Parts
from .window import Window, window

MEMBER_MEASURES = (Measure.MEMBERS_STOCK, Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT, Measure.PEOPLE_TRAINED_SHARE)

Series = dict[int, dict[str, Parts]]  # {period id: {path prefix: parts}}


def annual_periods() -> list[tuple[int, int]]:
    """(id, year) of every annual period: what a cumulative window adds up, read once for a refresh."""
    return list(ReportingPeriod.objects.filter(kind=PeriodKind.ANNUAL).values_list("pk", "year"))


def windows(indicator: Indicator, periods: Sequence[ReportingPeriod], annual: list[tuple[int, int]]) -> list[Window]:
    """window() of each period, without its query per period (the annual periods are read once)."""
    return [window(indicator, period, annual=annual) for period in periods]


def parts_by_period(
    indicator: Indicator,
    periods: Sequence[ReportingPeriod],
    *,
    length: int,
    within: Organization | None = None,
    annual: list[tuple[int, int]] | None = None,
    cache: dict | None = None,
) -> Series:
    """{period id: parts_by_prefix(indicator, period, length=length, within=within)} in a fixed number of queries.

    `cache`: a dict kept for one refresh; two indicators of the members that count the same rows over
    the same windows (the same measure in two programs) share one computation.
    """
    periods = list(periods)
    if not periods:
        return {}
    spans = windows(indicator, periods, annual if annual is not None else annual_periods())
    if indicator.measure in MEMBER_MEASURES:
        signature = _signature(indicator, periods, spans, length, within)
        if cache is None or signature not in cache:
            series = _members_series(indicator, periods, spans, length=length, within=within)
            if cache is None:
                return series
            cache[signature] = series
        return cache[signature]
    return _union_series(indicator, periods, spans, length=length, within=within)


def _signature(indicator: Indicator, periods, spans, length: int, within) -> tuple:
    """What a members' computation depends on: two indicators with the same one share it."""
    return (
        indicator.measure,
        tuple(indicator.sectors or ()),
        indicator.women_only,
        tuple(indicator.roles or ()) if indicator.measure == Measure.PEOPLE_TRAINED_SHARE else (),
        indicator.program.start_year if indicator.trained_within_program else None,
        tuple((period.pk, span.start, span.end) for period, span in zip(periods, spans, strict=True)),
        length,
        within.path if within is not None else None,
    )


# --- every other measure: the per-period querysets, one UNION ALL per part ----------------------


def _union_series(
    indicator: Indicator, periods: list[ReportingPeriod], spans: list[Window], *, length: int, within
) -> Series:
    return _union_many([(indicator, periods, spans, within)], length=length).get(indicator.pk, {})


def _union_many(items: list[tuple], *, length: int) -> dict[int, Series]:
    """{indicator id: series} of (indicator, periods, windows, subtree) items: each part of every item in one
    UNION ALL; an indicator's items in several disjoint subtrees give one series, their groups side by side.

    Each (indicator, window)'s statements are compiled once per process (compiled.py); on PostgreSQL
    an indicator's periods share one statement, joined to their windows, where its measure allows."""
    entries = []  # (indicator, period id, window, statements, whether they read the window from w_)
    for indicator, periods, spans, within in items:
        free = compiled_sql.window_free(indicator, length=length, within=within) if len(periods) > 1 else None
        for period, span in zip(periods, spans, strict=True):
            if free is not None and len(span.periods) == 1:
                entries.append((indicator, period.pk, span, free, True))
            elif (statements := compiled(indicator, span, length=length, within=within)) is not None:
                entries.append((indicator, period.pk, span, statements, False))
    if not entries:
        return {}
    # Numerators and denominators in one statement: a denominator's tag is its entry's plus len(entries).
    found = _run_union(
        [*_selects(entries, "numerator", 0, ("v",)), *_selects(entries, "denominator", len(entries), ("v",))]
    )
    coverage = _run_union(_selects(entries, "coverage", 0, ("expected", "reported")))
    result: dict[int, Series] = {}
    for tag, (indicator, period_id, _span, statements, _free) in enumerate(entries):
        nums, dens, cov = found.get(tag, {}), found.get(len(entries) + tag, {}), coverage.get(tag, {})
        reported = statements.coverage is not None
        result.setdefault(indicator.pk, {}).setdefault(period_id, {}).update(
            {
                key: Parts(
                    Decimal(nums.get(key, (0,))[0] or 0),
                    Decimal(dens.get(key, (0,))[0] or 0),
                    int(cov.get(key, (0, 0))[1] or 0) if reported else 1,
                    int(cov.get(key, (0, 0))[0] or 0),
                )
                for key in nums.keys() | dens.keys() | cov.keys()
            }
        )
    return result


def _selects(entries: list[tuple], part: str, offset: int, columns: tuple[str, ...]) -> list[tuple[str, list]]:
    """The SELECTs of one part of every entry, each row tagged with its entry's place plus `offset`: one per
    entry, or one per indicator over the VALUES of its windows where the statement reads them from w_."""
    names = ", ".join(f"g.{connection.ops.quote_name(c)}" for c in ("key", *columns))
    selects, joined = [], {}
    for tag, (indicator, _period_id, span, statements, free) in enumerate(entries):
        statement = getattr(statements, part)
        if statement is None:
            continue
        if free:  # one statement per indicator and subtree (its own Compiled), over its windows
            joined.setdefault((indicator.pk, id(statements)), (statement, []))[1].append((offset + tag, span))
            continue
        sql, params = statement
        selects.append((f"SELECT {offset + tag} AS pid, {names} FROM ({sql}) g", list(params)))  # noqa: S608 - model metadata and fixed fragments; values are parameters
    for (sql, params), windows in joined.values():
        rows = ", ".join(["(%s, %s, CAST(%s AS DATE), CAST(%s AS DATE))"] * len(windows))
        values = [value for tag, span in windows for value in (tag, span.periods[0], span.start, span.end)]
        selects.append(
            (
                f"SELECT w_.tag AS pid, {names} FROM (VALUES {rows}) w_(tag, period, s, e) CROSS JOIN LATERAL ({sql}) g",  # noqa: S608 - as above
                [*values, *params],
            )
        )
    return selects


def parts_for_many(
    items: Sequence[tuple[Indicator, Sequence[ReportingPeriod]]],
    *,
    length: int,
    within: Organization | Sequence[Organization] | None = None,
    annual: list[tuple[int, int]] | None = None,
) -> dict[int, Series]:
    """{indicator id: parts_by_period(...)} for several indicators, each with its periods, in a handful of
    queries: the registry's and reported measures of all of them in one UNION ALL per part, the members'
    measures in one more (each distinct computation once). For a page (a base union's years, a district's
    branches). `within` may be several disjoint subtrees (a report's branches then, now under two bodies):
    their groups side by side in each series, in the same queries."""
    return start_parts_for_many(items, length=length, within=within, annual=annual)()


def start_parts_for_many(
    items: Sequence[tuple[Indicator, Sequence[ReportingPeriod]]],
    *,
    length: int,
    within: Organization | Sequence[Organization] | None = None,
    annual: list[tuple[int, int]] | None = None,
) -> Callable[[], dict[int, Series]]:
    """parts_for_many begun: the registry's and reported measures' statements sent to a second connection
    (unionportal.read_beside, a kept one) where they can go, the members' statement run here; the
    function returned waits for the rest and gives the result. Between the two the caller may run
    other statements of its own (a page's targets and tasks)."""
    scopes = list(within) if isinstance(within, list | tuple) else [within]
    annual, cache = annual if annual is not None else annual_periods(), {}
    signatures: dict[int, list] = {}
    others, members = [], []
    for scope in scopes:
        for indicator, periods in items:
            periods = list(periods)
            if indicator.measure in MEMBER_MEASURES and periods:
                spans = windows(indicator, periods, annual)
                signature = _signature(indicator, periods, spans, length, scope)
                if signature not in cache:
                    cache[signature] = len(members)
                    members.append((indicator, periods, spans, scope))
                signatures.setdefault(indicator.pk, []).append(signature)
            elif periods:
                others.append((indicator, periods, windows(indicator, periods, annual), scope))
    pending = read_beside(_union_many, others, length=length, kept=True) if others else None
    computed = _members_many(members, length=length) if members else []
    result: dict[int, Series] = {
        pk: _side_by_side([computed[cache[signature]] for signature in found]) for pk, found in signatures.items()
    }

    def finish() -> dict[int, Series]:
        if pending is not None:
            result.update(pending.result())
        return result

    return finish


def _side_by_side(series: list[Series]) -> Series:
    """One series of the groups of several disjoint subtrees (their keys never meet)."""
    if len(series) == 1:
        return series[0]
    merged: Series = {}
    for one in series:
        for period_id, groups in one.items():
            merged.setdefault(period_id, {}).update(groups)
    return merged


def _run_union(selects: list[tuple[str, list]]) -> dict[int, dict]:
    """One statement: the tagged SELECTs joined by UNION ALL (none: no query); {tag: {key: values}}."""
    if not selects:
        return {}
    result: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(sql for sql, _params in selects), [p for _sql, params in selects for p in params]
        )
        for pid, key, *values in cursor.fetchall():
            result.setdefault(pid, {})[key] = values
    return result


# --- the members' measures: the rows joined to the periods' dates, one pass -----------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _periods_cte(periods: list[ReportingPeriod], spans: list[Window]) -> tuple[str, list]:
    """A CTE `p(pid, s, e)`: each period's id, the start and the end of its window."""
    cast = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    rows, params = [], []
    for period, span in zip(periods, spans, strict=True):
        rows.append(f"(%s, {cast}, {cast})")
        params += [period.pk, _day(span.start), _day(span.end)]
    return f"WITH p(pid, s, e) AS (VALUES {', '.join(rows)})", params


def _day(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def _members_series(
    indicator: Indicator, periods: list[ReportingPeriod], spans: list[Window], *, length: int, within
) -> Series:
    """The members' measures. A member counts once per group however many of their rows match
    (COUNT(DISTINCT member_id)); that matters only for members with several rows in one group (a
    transfer, a role held twice). Their rows are joined to the periods and counted distinct, a small
    set; every other row is counted once, grouped by its dates, and each period's count is read from
    those dates in Python: one pass over the rows, not one per period."""
    sql, params = _members_statement(indicator, periods, spans, length=length, within=within)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _members_parts(indicator, periods, spans, cursor.fetchall())


def _members_many(jobs: list[tuple], *, length: int) -> list[Series]:
    """_members_series of several (indicator, periods, windows, subtree) in one statement (for a page)."""
    selects, params = [], []
    for tag, (indicator, periods, spans, within) in enumerate(jobs):
        sql, job_params = _members_statement(indicator, periods, spans, length=length, within=within)
        selects.append(f"SELECT {tag} AS tag, q.* FROM ({sql}) q")  # noqa: S608 - see _members_statement
        params += job_params
    found: list[list] = [[] for _job in jobs]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for tag, *row in cursor.fetchall():
            found[tag].append(row)
    return [_members_parts(*job[:3], rows) for job, rows in zip(jobs, found, strict=True)]


def _members_statement(
    indicator: Indicator, periods: list[ReportingPeriod], spans: list[Window], *, length: int, within
) -> tuple[str, list]:
    # One or two periods (a page's drill-down): the rows joined to them and counted distinct, as
    # measure_children() does; reading every row's dates back would cost more than it saves.
    direct = len(periods) <= 2
    rows, params, dates = _member_rows(indicator, length=length, within=within, direct=direct)
    trained = indicator.measure == Measure.PEOPLE_TRAINED_SHARE
    cte, cte_params = _periods_cte(periods, spans)
    counted = "COUNT(DISTINCT CASE WHEN r.first_on <= p.e THEN r.member_id END)" if trained else "0"
    if direct:
        sql = (
            f"{cte}, r AS ({rows}) SELECT p.pid, r.k, NULL, NULL, NULL, {counted},"  # noqa: S608 - as below
            f" COUNT(DISTINCT r.member_id) FROM r INNER JOIN p ON {_ACTIVE[_rule(indicator)]} GROUP BY p.pid, r.k"
        )
        return sql, cte_params + params
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    # One statement, the rows read once: the members with one row in a group, counted by dates; the
    # others joined to the periods and counted distinct.
    sql = (
        f"{cte}, r AS {materialized}({rows})"  # noqa: S608 - model metadata and fixed fragments; values are parameters
        f" SELECT NULL AS pid, k, {dates}, COUNT(*) AS c1, 0 AS c2 FROM r WHERE n = 1 GROUP BY k, {dates}"
        f" UNION ALL SELECT p.pid, r.k, NULL, NULL, NULL, {counted}, COUNT(DISTINCT r.member_id) FROM r"
        f" INNER JOIN p ON {_ACTIVE[_rule(indicator)]} WHERE r.n > 1 GROUP BY p.pid, r.k"
    )
    return sql, cte_params + params


def _members_parts(indicator: Indicator, periods: list[ReportingPeriod], spans: list[Window], found) -> Series:
    trained = indicator.measure == Measure.PEOPLE_TRAINED_SHARE
    series: Series = {period.pk: {} for period in periods}
    singles = [(key, a, b, first_on, count) for pid, key, a, b, first_on, count, _ in found if pid is None]
    multiples = [
        (pid, key, numerator, holders) if trained else (pid, key, holders)
        for pid, key, _a, _b, _f, numerator, holders in found
        if pid is not None
    ]
    counts = _count_by_dates(_rule(indicator), singles, periods, spans, trained=trained)
    for pid, key, *values in multiples:
        counts.setdefault((pid, key), [0, 0])
        for index, value in enumerate(values):
            counts[(pid, key)][index] += value
    for (pid, key), (first, second) in counts.items():
        if trained:
            series[pid][key] = Parts(Decimal(first), Decimal(second), 1, 0)
        elif first:
            series[pid][key] = Parts(Decimal(first), Decimal(0), 1, 0)
    return series


# When a row counts for a period p (s: the window's start, e: its end), by the rule of its measure.
_ACTIVE = {
    "held": "r.a <= p.e AND (r.b IS NULL OR r.b > p.e)",  # a member (or a role holder) on the period's end
    "within": "r.a BETWEEN p.s AND p.e",  # an event (joined, left) in the window
}


def _rule(indicator: Indicator) -> str:
    return "within" if indicator.measure in (Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT) else "held"


def _member_rows(indicator: Indicator, *, length: int, within, direct: bool = False) -> tuple[str, list, str]:
    """The SQL of the measure's rows — (member_id, k: the path prefix, a, b, first_on, n: the member's rows
    in that group) — its parameters, and the columns its dates are in."""
    measure = indicator.measure
    where, params = ["1 = 1"], []
    if within is not None:
        where.append("o.path LIKE %s")
        params.append(within.path + "%")
    if indicator.sectors:
        where.append(f"o.sector IN ({', '.join(['%s'] * len(indicator.sectors))})")
        params += list(indicator.sectors)
    table, joins, first = _table(MembershipPeriod), "", "CAST(NULL AS DATE)"
    if measure == Measure.PEOPLE_TRAINED_SHARE:
        if indicator.roles:
            table = _table(MemberRole)
            where.append(f"x.role IN ({', '.join(['%s'] * len(indicator.roles))})")
            params += list(indicator.roles)
        since, since_params = "", []
        if indicator.trained_within_program:
            since = "WHERE trained_on >= %s"
            since_params = [_day(datetime.date(indicator.program.start_year, 1, 1))]
        # A training on or before the day (since the program began, when asked): the first one, by then.
        if within is not None and within.is_base:
            # A base union's few members: each one's first training read by the index, not every
            # member's of the country grouped first (80 ms at national scale for a page's 14 rows).
            first = (
                f"(SELECT MIN(t.trained_on) FROM {_table(Training)} t WHERE t.member_id = x.member_id"  # noqa: S608 - as below
                f"{' AND t.trained_on >= %s' if since else ''})"
            )
        else:
            joins = (
                f" LEFT JOIN (SELECT member_id, MIN(trained_on) AS first_on FROM {_table(Training)} {since}"  # noqa: S608 - model metadata and fixed fragments; values are parameters
                " GROUP BY member_id) t ON t.member_id = x.member_id"
            )
            first = "t.first_on"
        params = since_params + params
    if measure in (Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT) or indicator.women_only:
        joins += f" INNER JOIN {_table(Member)} m ON m.id = x.member_id"
    if indicator.women_only:
        where.append("m.gender = 'female'")
    if measure == Measure.MEMBERS_JOINED:
        # A member's first period starts the day they joined; later ones are transfers.
        a, b = "x.start_on", "CAST(NULL AS DATE)"
        where.append("x.start_on = m.joined_on")
    elif measure == Measure.MEMBERS_LEFT:
        # The period that ended when the member left (a transfer ends one period too, but not the membership).
        a, b = "x.end_on", "CAST(NULL AS DATE)"
        where += ["m.status IN ('left', 'transferred')", "x.end_on = m.status_changed_on"]
    else:
        a, b = "x.start_on", "x.end_on"
    key = f"SUBSTR(o.path, 1, {int(length)})"
    rows_of_member = "1" if direct else f"COUNT(*) OVER (PARTITION BY x.member_id, {key})"
    sql = (
        f"SELECT x.member_id, {key} AS k, {a} AS a, {b} AS b, {first} AS first_on,"  # noqa: S608 - model metadata and fixed fragments; values are parameters
        f" {rows_of_member} AS n"
        f" FROM {table} x INNER JOIN {_table(Organization)} o ON o.id = x.branch_id{joins}"
        f" WHERE {' AND '.join(where)}"
    )
    return sql, params, "a, b, first_on"


def _count_by_dates(
    rule: str, singles: list[tuple], periods: list[ReportingPeriod], spans: list[Window], *, trained: bool
) -> dict[tuple[int, str], list[int]]:
    """{(period id, key): [numerator, denominator]} from rows of one member each, grouped by their dates.

    "held": a row counts on day e when a <= e and (b is None or e < b): the rows started by e less
    those ended by e (a row never held, b <= a, is left out, so one ended by e started before). The
    trained are the rows held from the later of a and the first training. "within": a row counts
    when s <= a <= e: the rows of days up to e less those before s.
    """
    # key -> [numerator, denominator] -> (starts, ends): {day: rows}
    marks: dict[str, tuple] = {}
    for key, a, b, first_on, count in singles:
        a, b, first_on = _date(a), _date(b), _date(first_on)
        starts_ends = marks.setdefault(key, (({}, {}), ({}, {})))
        if rule == "within":
            _add(starts_ends[1][0], a, count)
            continue
        if b is not None and b <= a:
            continue
        _add(starts_ends[1][0], a, count)
        _add(starts_ends[1][1], b, count)
        begin = max(a, first_on) if trained and first_on is not None else None
        if begin is not None and (b is None or begin < b):
            _add(starts_ends[0][0], begin, count)
            _add(starts_ends[0][1], b, count)
    result: dict[tuple[int, str], list[int]] = {}
    for key, parts in marks.items():
        sums = [(_Cumulative(starts), _Cumulative(ends)) for starts, ends in parts]
        for period, span in zip(periods, spans, strict=True):
            if rule == "within":
                # A window that starts after it ends (a program begun after the period) counts nothing.
                inside = sums[1][0].upto(span.end) - sums[1][0].before(span.start) if span.start <= span.end else 0
                counts = [0, inside]
            else:
                counts = [started.upto(span.end) - ended.upto(span.end) for started, ended in sums]
            if counts[1]:
                result[(period.pk, key)] = counts if trained else [counts[1], 0]
    return result


def _add(days: dict, day, count: int) -> None:
    if day is not None:
        days[day] = days.get(day, 0) + count


class _Cumulative:
    """The rows of the days up to a day (or before it), by bisection over the sorted days."""

    def __init__(self, days: dict) -> None:
        self.days = sorted(days)
        self.sums = list(accumulate(days[day] for day in self.days))

    def upto(self, day) -> int:
        index = bisect_right(self.days, day)
        return self.sums[index - 1] if index else 0

    def before(self, day) -> int:
        index = bisect_left(self.days, day)
        return self.sums[index - 1] if index else 0


def _date(value):
    """A date column read back: a date on PostgreSQL, ISO text on SQLite."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
