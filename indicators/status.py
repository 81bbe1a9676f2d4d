"""Whether an organization is meeting a target: the rules, in one place.

The statuses, as the pages explain them:
- achieved: the period is over (or the target's deadline has come) and the actual meets the target;
- not achieved: the period is over and it does not;
- on track: the period is still running and the actual is where it should be by now;
- at risk: the period is still running and the actual is behind;
- no data: nothing has been reported or there is nothing to count, or no target is set.

"Where it should be by now" depends on the time rule:
- every year ("hàng năm"): the year's target itself; for a yearly flow measured at mid-year
  (new members, new unions, reported totals), the share of the year that has passed;
- by the end of a year ("đến năm 2025"): on the straight line from the baseline to the
  target at the end of that year (without a baseline, the target itself); meeting the
  target early counts as achieved;
- over the whole period ("giai đoạn 2018–2023", cumulative): progress of at least the
  elapsed share of the period times the target.
For "less than" targets the same rules hold the other way round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q

from organizations.models import Organization

from .engine import Measurement
from .models import Comparison, Indicator, ReportingPeriod, Target, TimeRule


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class TargetValue:
    """The target that applies to one organization and year."""

    comparison: str
    value: Decimal
    value_max: Decimal | None
    time_rule: str
    yearly: bool  # a target for one year (allocated per year), evaluated as "every year"
    source: str  # "own", "allocated" or "inherited": where it came from, for the page

    def met_by(self, actual: Decimal) -> bool:
        return meets(self.comparison, actual, self.value, self.value_max)


def meets(comparison: str, actual: Decimal, value: Decimal, value_max: Decimal | None = None) -> bool:
    return {
        Comparison.GT: actual > value,
        Comparison.GTE: actual >= value,
        Comparison.LT: actual < value,
        Comparison.LTE: actual <= value,
        Comparison.EQ: actual == value,
        Comparison.RANGE: value <= actual <= (value_max if value_max is not None else value),
    }[comparison]


def target_for(indicator: Indicator, organization: Organization, year: int) -> TargetValue | None:
    """The organization's own target for the year, else its term-long one, else the program's.

    A share or an average applies to every body of the program's subtree as it is ("97 %
    of branches rated good" holds for each district too); a count or a sum applies only
    to the body it was set for, and reaches the others by allocation.
    """
    own = {t.year: t for t in Target.objects.filter(indicator=indicator, organization=organization).for_year(year)}
    return _resolve(indicator, organization, year, own)


class TargetBook:
    """target_for() for many indicators and organizations, with one query."""

    def __init__(self, indicators, organizations, year: int, *, targets=None) -> None:
        self.year = year
        self._own: dict[tuple[int, int], dict] = {}
        if targets is None:
            targets = Target.objects.filter(indicator__in=indicators, organization__in=organizations).for_year(year)
        for target in targets:
            if target.year is None or target.year == year:
                self._own.setdefault((target.indicator_id, target.organization_id), {})[target.year] = target

    @classmethod
    def for_years(cls, indicators, organizations, years) -> dict[int, TargetBook]:
        """A book per year (a report's trend), from one query for all of them."""
        years = list(years)
        if not years:
            return {}
        targets = list(
            Target.objects.filter(indicator__in=indicators, organization__in=organizations).filter(
                Q(year__in=years) | Q(year__isnull=True)
            )
        )
        return {year: cls(indicators, organizations, year, targets=targets) for year in years}

    def get(self, indicator: Indicator, organization: Organization) -> TargetValue | None:
        return _resolve(indicator, organization, self.year, self._own.get((indicator.pk, organization.pk), {}))


def _resolve(indicator: Indicator, organization: Organization, year: int, own: dict) -> TargetValue | None:
    chosen: Target | None = own.get(year) or own.get(None)
    scope_id = indicator.program.scope_id
    if chosen is not None:
        return TargetValue(
            comparison=chosen.comparison,
            value=chosen.value,
            value_max=chosen.value_max,
            time_rule=TimeRule.EVERY_YEAR if chosen.year is not None else indicator.time_rule,
            yearly=chosen.year is not None,
            source="allocated" if organization.pk != scope_id else "own",
        )
    if indicator.target_value is None:
        return None
    if organization.pk == scope_id or indicator.is_share or indicator.measure == "average_per_branch":
        return TargetValue(
            comparison=indicator.comparison,
            value=indicator.target_value,
            value_max=indicator.target_value_max,
            time_rule=indicator.time_rule,
            yearly=False,
            source="own" if organization.pk == scope_id else "inherited",
        )
    return None


def _elapsed_share(start: datetime.date, end: datetime.date, day: datetime.date) -> Decimal:
    total = (end - start).days + 1
    done = min(max((day - start).days + 1, 0), total)
    return Decimal(done) / Decimal(total)


def _on_path(target: TargetValue, actual: Decimal, expected: Decimal) -> bool:
    if target.comparison in (Comparison.LT, Comparison.LTE):
        return actual <= expected
    return actual >= expected


def evaluate(
    indicator: Indicator,
    target: TargetValue | None,
    measurement: Measurement,
    period: ReportingPeriod,
    *,
    today: datetime.date | None = None,
) -> Status:
    today = today or datetime.date.today()
    if target is None or measurement.value is None:
        return Status.NO_DATA
    actual = measurement.value
    closed = today > period.end_on
    program = indicator.program

    if target.time_rule == TimeRule.BY_YEAR and not target.yearly:
        deadline = datetime.date(indicator.target_year or program.end_year, 12, 31)
        if target.met_by(actual):
            return Status.ACHIEVED
        if period.end_on >= deadline:
            return Status.NOT_ACHIEVED if closed else Status.AT_RISK
        if indicator.baseline_value is not None and indicator.baseline_year:
            start = datetime.date(indicator.baseline_year, 12, 31)
            share = _elapsed_share(start, deadline, period.end_on)
            expected = indicator.baseline_value + (target.value - indicator.baseline_value) * share
            return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
        return Status.AT_RISK

    if target.time_rule == TimeRule.CUMULATIVE and not target.yearly:
        start = datetime.date(program.start_year, 1, 1)
        end = datetime.date(program.end_year, 12, 31)
        if period.end_on >= end:
            if target.met_by(actual):
                return Status.ACHIEVED
            return Status.NOT_ACHIEVED if closed else Status.AT_RISK
        if target.met_by(actual):
            return Status.ACHIEVED
        expected = target.value * _elapsed_share(start, end, min(today, period.end_on))
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK

    # Every year (or a target allocated for the year).
    yearly_flow = indicator.is_flow and not indicator.is_share
    year_end = datetime.date(period.year, 12, 31)
    if yearly_flow and period.end_on < year_end:
        # A half-year's flow against the year's target: the year is not over, so compare
        # with the share of the year that has passed by the end of the half-year.
        expected = target.value * _elapsed_share(datetime.date(period.year, 1, 1), year_end, period.end_on)
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
    if target.met_by(actual):
        return Status.ACHIEVED if closed else Status.ON_TRACK
    if closed:
        return Status.NOT_ACHIEVED
    if yearly_flow:
        expected = target.value * _elapsed_share(datetime.date(period.year, 1, 1), year_end, today)
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
    return Status.AT_RISK
