"""Measuring: a spec's parts aggregated in SQL over a subtree, or over each child of a body."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from organizations.models import Organization
from unionportal.numbers import round_half_up

from ..models import Indicator, ReportingPeriod
from .specs import Shape, Spec, spec_for
from .window import window, years_so_far

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)  # slots: a figure for each of 135,000 branches stays small
class Measurement:
    """An actual value. `value` is None when there is nothing to measure (no data).

    `value` is the figure as written: rounded half up to the indicator's places (2 for a share or
    an average), the figure every status compares; `exact` is the quotient before rounding.
    `expected` and `reported` are the figure's coverage: the units that should report it and
    those that did (None for a figure read from the registry, which every unit keeps).
    """

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    exact: Decimal | None = None
    expected: int | None = None
    reported: int | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def has_coverage(self) -> bool:
        return self.expected is not None

    @property
    def coverage(self) -> Decimal | None:
        """The share of the expected units that reported, in percent (exact)."""
        if not self.expected or self.reported is None:
            return None
        return Decimal(self.reported) * HUNDRED / Decimal(self.expected)


NO_DATA = Measurement(value=None)
PLACES = 2  # a share, an average, a yearly average: written with two decimals


def _path_of(spec: Spec, queryset: QuerySet) -> str:
    # Populations of organizations filter on their own path; every other row on its organization's.
    return "path" if queryset.model is Organization else spec.path


def _aggregate(queryset: QuerySet, path: str, *, summed: str | None, distinct: str | None, group: Organization | None):
    aggregate = Sum(summed) if summed else Count(distinct or "pk", distinct=bool(distinct))
    if group is None:
        return queryset.aggregate(v=aggregate)["v"] or 0
    rows = (
        queryset.annotate(child=Substr(path, 1, (group.depth + 1) * Organization.steplen))
        .values("child")
        .annotate(v=aggregate)
        .order_by()
    )
    return {row["child"]: row["v"] or 0 for row in rows}


def coverage_counts(spec: Spec) -> dict:
    """The aggregates of a spec's coverage: units expected and units that reported, in one query."""
    return {"expected": Count("pk"), "reported": Count("pk", filter=spec.reported_by)}


def _within(queryset: QuerySet, path_field: str, organization: Organization) -> QuerySet:
    return queryset.filter(**{f"{path_field}__startswith": organization.path})


def _finish(
    shape: Shape,
    numerator,
    denominator,
    reported: int | None,
    expected: int | None = None,
    *,
    strict: bool = False,
    years: Decimal | None = None,
) -> Measurement:
    """The measurement its parts make. A share of units (or an average per unit) is taken over the
    units that reported, unless the indicator is strict: then every expected unit counts, and one
    that has not reported does not meet it."""
    numerator = Decimal(numerator)
    value, denominator, exact = _quotient(shape, numerator, denominator, reported, strict, years)
    coverage = {"expected": expected, "reported": reported} if shape.reported else {}
    return Measurement(value=value, numerator=numerator, denominator=denominator, exact=exact, **coverage)


def finish_value(
    shape: Shape, numerator, denominator, reported: int | None, *, strict: bool = False, years: Decimal | None = None
) -> Decimal | None:
    """_finish(...).value, without the Measurement around it: the figures of 135,000 branches at a time
    (reports/branch_table.py), where building a Measurement for each took most of their shaping."""
    return _quotient(shape, Decimal(numerator), denominator, reported, strict, years)[0]


def _quotient(
    shape: Shape, numerator: Decimal, denominator, reported: int | None, strict: bool, years: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, denominator, exact) of _finish: the one rule both give."""
    if shape.reported and not reported:
        return None, None, None
    if shape.percent or shape.average:
        denominator = Decimal(denominator)
        if shape.over_units and not strict and reported is not None:
            denominator = Decimal(reported)
        if not denominator:
            return None, denominator, None
        exact = numerator / denominator * (HUNDRED if shape.percent else 1)
        return round_half_up(exact, PLACES), denominator, exact
    if years:
        exact = numerator / years
        return round_half_up(exact, PLACES), None, exact
    return numerator, None, numerator


def measure(indicator: Indicator, organization: Organization, period: ReportingPeriod) -> Measurement:
    """The actual value of the indicator over the organization's subtree for the period."""
    spec = spec_for(indicator, window(indicator, period))
    if spec is None:
        return NO_DATA
    num_path = _path_of(spec, spec.numerator)
    numerator = _aggregate(
        _within(spec.numerator, num_path, organization),
        num_path,
        summed=spec.numerator_sum,
        distinct=spec.distinct,
        group=None,
    )
    denominator = reported = None
    if spec.denominator is not None:
        den_path = _path_of(spec, spec.denominator)
        denominator = _aggregate(
            _within(spec.denominator, den_path, organization),
            den_path,
            summed=spec.denominator_sum,
            distinct=spec.distinct,
            group=None,
        )
    expected = None
    if spec.units is not None:
        counts = _within(spec.units, "path", organization).aggregate(**coverage_counts(spec))
        expected, reported = counts["expected"], counts["reported"]
    return _finish(
        spec.shape,
        numerator,
        denominator,
        reported,
        expected,
        strict=indicator.is_strict,
        years=years_so_far(indicator, period),
    )


def measure_children(
    indicator: Indicator, parent: Organization, period: ReportingPeriod, children: Iterable[Organization]
) -> dict[int, Measurement]:
    """The same measurement for each child of `parent`, with one grouped query per part."""
    children = list(children)
    spec = spec_for(indicator, window(indicator, period))
    if spec is None:
        return {child.pk: NO_DATA for child in children}
    num_path = _path_of(spec, spec.numerator)
    below = {f"{num_path}__startswith": parent.path, f"{num_path}__gt": parent.path}
    numerators = _aggregate(
        spec.numerator.filter(**below), num_path, summed=spec.numerator_sum, distinct=spec.distinct, group=parent
    )
    denominators: dict = {}
    if spec.denominator is not None:
        den_path = _path_of(spec, spec.denominator)
        below = {f"{den_path}__startswith": parent.path, f"{den_path}__gt": parent.path}
        denominators = _aggregate(
            spec.denominator.filter(**below),
            den_path,
            summed=spec.denominator_sum,
            distinct=spec.distinct,
            group=parent,
        )
    coverage: dict[str, dict] = {}
    if spec.units is not None:
        rows = (
            spec.units.filter(path__startswith=parent.path, path__gt=parent.path)
            .annotate(child=Substr("path", 1, (parent.depth + 1) * Organization.steplen))
            .values("child")
            .annotate(**coverage_counts(spec))
            .order_by()
        )
        coverage = {row["child"]: row for row in rows}
    shape = spec.shape
    years = years_so_far(indicator, period)
    units = spec.units is not None
    return {
        child.pk: _finish(
            shape,
            numerators.get(child.path, 0),
            denominators.get(child.path, 0) if spec.denominator is not None else None,
            coverage.get(child.path, {}).get("reported", 0) if units else None,
            coverage.get(child.path, {}).get("expected", 0) if units else None,
            strict=indicator.is_strict,
            years=years,
        )
        for child in children
    }
