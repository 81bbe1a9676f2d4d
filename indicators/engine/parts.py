"""Grouped parts of measures, for the precomputed rollups (reports/rollups.py) and the per-branch tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from organizations.models import Organization
from unionportal.read_beside import read_beside

from ..models import Indicator, ReportingPeriod
from .branch_members import PLANNER_SETTINGS, counted_here, members_by_branch
from .compute import NO_DATA, Measurement, _finish, _path_of, _within, coverage_counts, finish_value
from .specs import SHAPES, spec_for
from .window import window, years_so_far


@dataclass(frozen=True)
class Parts:
    """The additive parts of a measurement: sums of these over children give the parent's."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    reported: int = 0  # units that reported (for "no data" and the coverage)
    expected: int = 0  # units expected to report

    def __add__(self, other: Parts) -> Parts:
        return Parts(
            self.numerator + other.numerator,
            self.denominator + other.denominator,
            self.reported + other.reported,
            self.expected + other.expected,
        )

    def __sub__(self, other: Parts) -> Parts:
        return Parts(
            self.numerator - other.numerator,
            self.denominator - other.denominator,
            self.reported - other.reported,
            self.expected - other.expected,
        )


ZERO = Parts()


def parts_by_prefix(
    indicator: Indicator, period: ReportingPeriod, *, length: int, within: Organization | None = None
) -> dict[str, Parts]:
    """{path prefix: parts} for every group of rows sharing the first `length` characters of their path.

    A row whose path is shorter than `length` groups under its own path. Restricted to the
    subtree of `within` when given. One grouped query per part of the measure.
    """
    spec = spec_for(indicator, window(indicator, period))
    if spec is None:
        return {}
    result: dict[str, Parts] = {}

    def grouped(queryset: QuerySet, *, summed: str | None) -> dict[str, Decimal]:
        path = _path_of(spec, queryset)
        if within is not None:
            queryset = _within(queryset, path, within)
        aggregate = Sum(summed) if summed else Count(spec.distinct or "pk", distinct=bool(spec.distinct))
        rows = queryset.annotate(key=Substr(path, 1, length)).values("key").annotate(v=aggregate).order_by()
        return {row["key"]: Decimal(row["v"] or 0) for row in rows}

    numerators = grouped(spec.numerator, summed=spec.numerator_sum)
    denominators = grouped(spec.denominator, summed=spec.denominator_sum) if spec.denominator is not None else {}
    coverage: dict[str, dict] = {}
    if spec.units is not None:
        units = _within(spec.units, "path", within) if within is not None else spec.units
        rows = units.annotate(key=Substr("path", 1, length)).values("key").annotate(**coverage_counts(spec)).order_by()
        coverage = {row["key"]: row for row in rows}
    for key in numerators.keys() | denominators.keys() | coverage.keys():
        counts = coverage.get(key, {})
        result[key] = Parts(
            numerators.get(key, Decimal(0)),
            denominators.get(key, Decimal(0)),
            int(counts.get("reported", 0)) if spec.units is not None else 1,
            int(counts.get("expected", 0)),
        )
    return result


def from_parts(indicator: Indicator, parts: Parts | None, period: ReportingPeriod) -> Measurement:
    """The measurement the parts make, as measure() would give it for the same rows."""
    shape = SHAPES.get(indicator.measure)
    if shape is None or parts is None:
        return NO_DATA
    return _finish(
        shape,
        parts.numerator,
        parts.denominator if shape.ratio else None,
        parts.reported if shape.reported else None,
        parts.expected if shape.reported else None,
        strict=indicator.is_strict,
        years=years_so_far(indicator, period),
    )


# The id of the organization a row belongs to, beside the path used for subtrees.
_OWNER_ID = {
    "path": "pk",
    "branch__path": "branch_id",
    "organization__path": "organization_id",
    "upper_union__path": "upper_union_id",
}


def _is_whole_tree(organization: Organization) -> bool:
    """Whether the organization's subtree is every organization: it is the only root."""
    return organization.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=organization.pk).exists()


def measure_by_organization(
    indicator: Indicator,
    period: ReportingPeriod,
    *,
    within: Organization | None = None,
    coverage_cache: dict | None = None,
) -> dict[int, Measurement]:
    """{organization id: measurement} over the rows attached to each organization itself.

    For base unions — leaves of the hierarchy as far as figures go — that is their whole
    figure. Grouping on the owner's id rather than its path lets PostgreSQL aggregate
    eleven million membership rows without joining the organization table (the Excel
    sheet of every branch in the country).

    `coverage_cache`: a dict kept for several indicators; those whose coverage is the same query
    (the same figure reported by the same units) read it once.
    """
    found = _owners_parts(indicator, period, within, coverage_cache)
    if found is None:
        return {}
    shape, strict, years, rows = found
    return {
        owner: _finish(shape, numerator, denominator, reported, expected, strict=strict, years=years)
        for owner, numerator, denominator, reported, expected in rows
    }


def values_by_organization(
    indicator: Indicator,
    period: ReportingPeriod,
    *,
    within: Organization | None = None,
    coverage_cache: dict | None = None,
) -> dict[int, Decimal | None]:
    """{organization id: measure_by_organization(...)[id].value}, without a Measurement for each: the figures
    of 135,000 branches at a time (reports/branch_table.py)."""
    found = _owners_parts(indicator, period, within, coverage_cache)
    if found is None:
        return {}
    shape, strict, years, rows = found
    return {
        owner: finish_value(shape, numerator, denominator, reported, strict=strict, years=years)
        for owner, numerator, denominator, reported, _expected in rows
    }


def _owners_parts(indicator: Indicator, period: ReportingPeriod, within, coverage_cache: dict | None):
    """(shape, strict, years, rows): each organization's (id, numerator, denominator, reported, expected) over the
    rows attached to it, with what _finish needs besides; None for a measure with nothing to compute."""
    spec = spec_for(indicator, window(indicator, period))
    if spec is None:
        return None
    # The whole tree needs no filter, and without one no row is joined to its organization.
    if within is not None and _is_whole_tree(within):
        within = None

    def grouped(queryset: QuerySet | None, *, summed: str | None) -> dict[int, int | Decimal]:
        if queryset is None:
            return {}
        path = _path_of(spec, queryset)
        owner = _OWNER_ID[path]
        if within is not None:
            queryset = _within(queryset, path, within)
        aggregate = Sum(summed) if summed else Count(spec.distinct or "pk", distinct=bool(spec.distinct))
        rows = queryset.values(owner).annotate(v=aggregate).order_by().values_list(owner, "v")
        if summed:  # a sum goes through the ORM's converters (a decimal on SQLite comes back a float)
            return {key: value or 0 for key, value in rows}
        # A count is an integer on every database: read as the driver gives it, without a converter per row
        # (135,000 branches); _finish and finish_value make it a Decimal.
        with connection.cursor() as cursor:
            cursor.execute(*rows.query.sql_with_params())
            return dict(cursor.fetchall())

    numerators = grouped(spec.numerator, summed=spec.numerator_sum)
    denominators = grouped(spec.denominator, summed=spec.denominator_sum)
    coverage: dict[int, tuple[int, int]] = {}
    if spec.units is not None:
        units = _within(spec.units, "path", within) if within is not None else spec.units
        query = units.values("pk").annotate(**coverage_counts(spec)).order_by()
        key = query.query.sql_with_params()
        if coverage_cache is None or key not in coverage_cache:
            # (expected, reported) of each unit: a pair, not a row's dict, for 135,000 branches.
            coverage = {
                pk: (expected, reported) for pk, expected, reported in query.values_list("pk", "expected", "reported")
            }
            if coverage_cache is not None:
                coverage_cache[key] = coverage
        else:
            coverage = coverage_cache[key]
    ratio, units, nothing = spec.denominator is not None, spec.units is not None, (0, 0)

    def rows() -> Iterator[tuple]:
        for owner in numerators.keys() | denominators.keys() | coverage.keys():
            expected, reported = coverage.get(owner, nothing)
            yield (
                owner,
                numerators.get(owner, 0),
                denominators.get(owner, 0) if ratio else None,
                reported if units else None,
                expected if units else None,
            )

    return spec.shape, indicator.is_strict, years_so_far(indicator, period), rows()


def values_many_by_organization(
    indicators: list[Indicator], period: ReportingPeriod, *, within: Organization | None = None
) -> Iterator[tuple[Indicator, dict[int, int | Decimal | None]]]:
    """(indicator, values_by_organization(indicator, period, within=within)) for each indicator, one
    at a time: the members' counts of all of them in one pass over the membership periods
    (branch_members.py), a coverage shared by several indicators read once.

    The others come first, measured while the members' pass runs beside on a second connection
    where it can (unionportal.read_beside: a national file's pass is seconds of the server's time),
    then the members' indicators, in the order given within each group."""
    if within is not None and _is_whole_tree(within):
        within = None
    counted = [i for i in indicators if counted_here(i)]
    counts = (
        read_beside(members_by_branch, counted, period, within=within, settings=PLANNER_SETTINGS) if counted else None
    )
    cache: dict = {}
    # Each dict is yielded, not kept: the generator holds no figures of one indicator while the next
    # is measured (135,000 of them weigh some 40 MB).
    for indicator in indicators:
        if not counted_here(indicator):
            yield indicator, values_by_organization(indicator, period, within=within, coverage_cache=cache)
    if counts is not None:
        found = counts.result()
        for indicator in counted:
            yield indicator, _counted(indicator, period, found.of(indicator))


def _counted(indicator: Indicator, period: ReportingPeriod, counts: dict[int, int]) -> dict[int, int | Decimal | None]:
    years = years_so_far(indicator, period)
    if years is None:  # a count is its own value (an int: the same number as measure_by_organization's Decimal)
        return counts
    shape, strict = SHAPES[indicator.measure], indicator.is_strict
    return {
        owner: finish_value(shape, value, None, None, strict=strict, years=years) for owner, value in counts.items()
    }
