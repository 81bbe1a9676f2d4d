"""Whether an organization is meeting a target: the rules, in one place.

The statuses, as the pages explain them (STATUSES below is their one table: label, colour,
whether it counts as met, order; the scorecard, the rollups, the PDF, the Excel file and the
JSON all read it):
- exceeded: as achieved, and the actual is beyond a minimum ("≥ 97 %" or "trên 97 %": 98 %), beyond a maximum
  the other way, or beyond the good end of a range (30–35 a year, higher is better: 40);
  counted as met;
- achieved: the period is over (or the target's deadline has come) and the actual meets the target;
- not achieved: the period is over and it does not;
- on track: the period is still running and the actual is where it should be by now;
- at risk: the period is still running and the actual is behind;
- not enough data: fewer units reported than the program's coverage threshold (90 % unless
  set otherwise), so no verdict is drawn; an indicator under the strict rule is judged anyway,
  a unit that has not reported counting as one that does not meet it;
- no data: nothing has been reported or there is nothing to count, or no target is set.

Every comparison reads the figure as written (Measurement.value, rounded half up), so no page
says "98,00 % — not achieved ≥ 98".

"Where it should be by now" depends on the time rule:
- every year ("hàng năm"): the year's target itself; for a yearly flow measured at mid-year
  (new members, new unions, reported totals), the share of the year that has passed;
- by the end of a year ("đến năm 2025"): on the straight line from the baseline to the
  target at the end of that year (without a baseline, the target itself); meeting the
  target early counts as achieved;
- over the whole period ("giai đoạn 2018–2023", cumulative): progress of at least the
  elapsed share of the period times the target.
- on average per year over the term ("bình quân hàng năm"): the average of the yearly figures
  so far (the engine divides the term's flow by the years it covers), judged like a yearly one.
For "less than" targets the same rules hold the other way round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .engine import Measurement
from .models import Comparison, Direction, Indicator, ReportingPeriod, Target, TimeRule


class Status(StrEnum):
    EXCEEDED = "exceeded"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_ACHIEVED = "not_achieved"
    INSUFFICIENT = "insufficient"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class StatusInfo:
    """One row of the table of statuses."""

    code: Status
    label: Promise  # as the pages and documents write it (Vietnamese through gettext)
    colour: str  # text and chart colour
    fill: str  # light background (Excel cells, badges)
    met: bool  # counted as met in summaries
    order: int  # worst first, for lists that put what needs attention on top


# The one table of statuses. The documents render it with Vietnamese active.
STATUSES: tuple[StatusInfo, ...] = (
    StatusInfo(Status.NOT_ACHIEVED, _("Not achieved"), "#b3102a", "F8DCE0", met=False, order=0),
    StatusInfo(Status.AT_RISK, _("At risk"), "#a36b00", "FCEBC8", met=False, order=1),
    StatusInfo(Status.INSUFFICIENT, _("Not enough data"), "#6b4c9a", "E8E0F3", met=False, order=2),
    StatusInfo(Status.ON_TRACK, _("On track"), "#1f5fa5", "DCE8F6", met=False, order=3),
    StatusInfo(Status.ACHIEVED, _("Achieved"), "#1e6b34", "D9EFDF", met=True, order=4),
    StatusInfo(Status.EXCEEDED, _("Exceeded"), "#0b5a4a", "C9EBE2", met=True, order=5),
    StatusInfo(Status.NO_DATA, _("No data"), "#666666", "EEEEEE", met=False, order=6),
)
STATUS_INFO: dict[str, StatusInfo] = {info.code.value: info for info in STATUSES}
# The order of the legends and of the counts per status: best first, as the documents list them.
LEGEND: tuple[Status, ...] = (
    Status.EXCEEDED,
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.NOT_ACHIEVED,
    Status.INSUFFICIENT,
    Status.NO_DATA,
)
# A figure with an actual but no target is "no data" to the rules, and says so in words of its own.
NO_TARGET_LABEL = _("No target")


def status_label(status: str, *, has_actual: bool = False) -> str:
    """The status in words; a figure without a target is not "no data"."""
    if status == Status.NO_DATA and has_actual:
        return str(NO_TARGET_LABEL)
    info = STATUS_INFO.get(str(status))
    return str(info.label) if info else str(status)


def count_statuses(statuses) -> dict[str, int]:
    """{status: how many} over every status of the legend, in its order (zeros included)."""
    counts = dict.fromkeys((s.value for s in LEGEND), 0)
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


def coverage_words(reported: int | None, expected: int | None, *, branches: bool = True) -> str:
    """What a figure rests on: "76/87 CĐCS báo cáo" ("" for a figure read from the registry)."""
    if not expected or reported is None:
        return ""  # no units, or rollups stored before coverage was kept (refresh them)
    values = {"reported": f"{reported:,}".replace(",", "."), "expected": f"{expected:,}".replace(",", ".")}
    if branches:
        return _("%(reported)s/%(expected)s base unions reported") % values
    return _("%(reported)s/%(expected)s bodies reported") % values


def rule_words(indicator: Indicator) -> str:
    """Which rule the figure follows for units that have not reported, as the page says it."""
    if indicator.is_strict:
        return str(_("strict rule: a unit that has not reported counts as not meeting it"))
    return str(
        _("over the units that reported; below %(threshold)s %% reporting: not enough data")
        % {"threshold": _percent_words(indicator.program.coverage_threshold)}
    )


def _percent_words(value: Decimal) -> str:
    value = Decimal(value)
    text = str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}".replace(".", ",")
    return text


def direction_of(comparison: str, direction: str = Direction.HIGHER) -> str:
    """A range's direction is the indicator's; any other comparison says its own."""
    if comparison == Comparison.RANGE:
        return direction
    if comparison in (Comparison.LT, Comparison.LTE):
        return Direction.LOWER
    if comparison == Comparison.EQ:
        return Direction.WITHIN
    return Direction.HIGHER


@dataclass(frozen=True)
class TargetValue:
    """The target that applies to one organization and year."""

    comparison: str
    value: Decimal
    value_max: Decimal | None
    time_rule: str
    yearly: bool  # a target for one year (allocated per year), evaluated as "every year"
    source: str  # "own", "allocated" or "inherited": where it came from, for the page
    direction: str = Direction.HIGHER  # the indicator's, for a range

    def met_by(self, actual: Decimal) -> bool:
        return meets(self.comparison, actual, self.value, self.value_max, direction=self.direction)

    def exceeded_by(self, actual: Decimal) -> bool:
        return exceeds(self.comparison, actual, self.value, self.value_max, direction=self.direction)


def meets(
    comparison: str,
    actual: Decimal,
    value: Decimal,
    value_max: Decimal | None = None,
    *,
    direction: str = Direction.WITHIN,
) -> bool:
    """Whether the actual meets the target; past the good end of a range still does (30–35, 40 founded)."""
    top = value_max if value_max is not None else value
    if comparison == Comparison.RANGE:
        way = direction_of(comparison, direction)
        if way == Direction.HIGHER:
            return actual >= value
        if way == Direction.LOWER:
            return actual <= top
        return value <= actual <= top
    return {
        Comparison.GT: actual > value,
        Comparison.GTE: actual >= value,
        Comparison.LT: actual < value,
        Comparison.LTE: actual <= value,
        Comparison.EQ: actual == value,
    }[comparison]


def exceeds(
    comparison: str,
    actual: Decimal,
    value: Decimal,
    value_max: Decimal | None = None,
    *,
    direction: str = Direction.WITHIN,
) -> bool:
    """Whether the actual is beyond the target in the good direction: above a minimum ("≥ 97 %": 98 %;
    "trên 80 %": 85 %), below a maximum, or beyond the good end of a range (30–35: 40)."""
    top = value_max if value_max is not None else value
    if comparison in (Comparison.GT, Comparison.GTE):
        return actual > value
    if comparison in (Comparison.LT, Comparison.LTE):
        return actual < value
    if comparison == Comparison.RANGE:
        way = direction_of(comparison, direction)
        if way == Direction.HIGHER:
            return actual > top
        if way == Direction.LOWER:
            return actual < value
    return False


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
            targets = Target.objects.filter(indicator__in=indicators, organization__in=organizations)
            targets = targets.for_year(year).order_by()  # keyed, not ordered (see for_years)
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
            Target.objects.filter(indicator__in=indicators, organization__in=organizations)
            .filter(Q(year__in=years) | Q(year__isnull=True))
            # A book is keyed (one target a year: the constraints), not ordered; the model's ordering joins three tables.
            .order_by()
        )
        return {year: cls(indicators, organizations, year, targets=targets) for year in years}

    @classmethod
    def for_report(
        cls, indicators, organization: Organization, children, year: int, years
    ) -> tuple[TargetBook, dict[int, TargetBook]]:
        """A report's books from one query: the body's and its children's for the report's year, and the
        body's for each year of its trend (as for_years)."""
        everyone, years = [organization, *children], list(years)
        targets = list(
            Target.objects.filter(indicator__in=indicators)
            .filter(
                Q(organization__in=everyone, year=year)
                | Q(organization__in=everyone, year__isnull=True)
                | Q(organization=organization, year__in=years)
            )
            .order_by()  # as above
        )
        book = cls(indicators, everyone, year, targets=targets)
        return book, {each: cls(indicators, [organization], each, targets=targets) for each in years}

    def get(self, indicator: Indicator, organization: Organization) -> TargetValue | None:
        return _resolve(indicator, organization, self.year, self._own.get((indicator.pk, organization.pk), {}))


def _resolve(indicator: Indicator, organization: Organization, year: int, own: dict) -> TargetValue | None:
    chosen: Target | None = own.get(year) or own.get(None)
    scope_id = indicator.program.scope_id
    if chosen is not None:
        yearly = chosen.year is not None and indicator.time_rule != TimeRule.ANNUAL_AVERAGE
        return TargetValue(
            comparison=chosen.comparison,
            value=chosen.value,
            value_max=chosen.value_max,
            time_rule=TimeRule.EVERY_YEAR if yearly else indicator.time_rule,
            yearly=yearly,
            source="allocated" if organization.pk != scope_id else "own",
            direction=indicator.direction,
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
            direction=indicator.direction,
        )
    return None


def _elapsed_share(start: datetime.date, end: datetime.date, day: datetime.date) -> Decimal:
    total = (end - start).days + 1
    done = min(max((day - start).days + 1, 0), total)
    return Decimal(done) / Decimal(total)


def _on_path(target: TargetValue, actual: Decimal, expected: Decimal) -> bool:
    if direction_of(target.comparison, target.direction) == Direction.LOWER:
        return actual <= expected
    return actual >= expected


def lacks_coverage(indicator: Indicator, measurement: Measurement) -> bool:
    """Whether too few units reported for a verdict: below the program's threshold, unless the
    indicator is strict (then a unit that has not reported counts as not meeting it)."""
    coverage = measurement.coverage
    if coverage is None or indicator.is_strict:
        return False
    return coverage < indicator.program.coverage_threshold


def _final(target: TargetValue, actual: Decimal, *, closed: bool) -> Status:
    """The verdict on a figure whose time has come: met (exceeded, or achieved) or not."""
    if target.met_by(actual):
        return Status.EXCEEDED if target.exceeded_by(actual) else Status.ACHIEVED
    return Status.NOT_ACHIEVED if closed else Status.AT_RISK


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
    if lacks_coverage(indicator, measurement):
        return Status.INSUFFICIENT
    actual = measurement.value
    closed = today > period.end_on
    program = indicator.program

    if target.time_rule == TimeRule.BY_YEAR and not target.yearly:
        deadline = datetime.date(indicator.target_year or program.end_year, 12, 31)
        if target.met_by(actual) or period.end_on >= deadline:
            return _final(target, actual, closed=closed)
        if indicator.baseline_value is not None and indicator.baseline_year:
            start = datetime.date(indicator.baseline_year, 12, 31)
            share = _elapsed_share(start, deadline, period.end_on)
            expected = indicator.baseline_value + (target.value - indicator.baseline_value) * share
            return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
        return Status.AT_RISK

    if target.time_rule == TimeRule.CUMULATIVE and not target.yearly:
        start = datetime.date(program.start_year, 1, 1)
        end = datetime.date(program.end_year, 12, 31)
        if target.met_by(actual) or period.end_on >= end:
            return _final(target, actual, closed=closed)
        expected = target.value * _elapsed_share(start, end, min(today, period.end_on))
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK

    if target.time_rule == TimeRule.ANNUAL_AVERAGE and indicator.is_flow:
        # The average per year so far: judged once the period is over, like a year's figure.
        if closed:
            return _final(target, actual, closed=True)
        return Status.ON_TRACK if target.met_by(actual) else Status.AT_RISK

    # Every year (or a target allocated for the year).
    yearly_flow = indicator.is_flow and not indicator.is_share
    year_end = datetime.date(period.year, 12, 31)
    if yearly_flow and period.end_on < year_end:
        # A half-year's flow against the year's target: the year is not over, so compare
        # with the share of the year that has passed by the end of the half-year.
        expected = target.value * _elapsed_share(datetime.date(period.year, 1, 1), year_end, period.end_on)
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
    if closed:
        return _final(target, actual, closed=True)
    if target.met_by(actual):
        return Status.ON_TRACK
    if yearly_flow:
        expected = target.value * _elapsed_share(datetime.date(period.year, 1, 1), year_end, today)
        return Status.ON_TRACK if _on_path(target, actual, expected) else Status.AT_RISK
    return Status.AT_RISK
