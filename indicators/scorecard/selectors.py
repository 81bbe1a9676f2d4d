"""Reads of the program and indicator pages: each indicator's target, actual and status.

The number of queries depends on the number of indicators (each measure is its own
aggregate), never on the number of branches or values; a drill-down measures every child
with one grouped query per part of the measure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from organizations.models import Organization
from programs.models import Program

from .. import engine
from ..engine import Measurement
from ..lookups import INDICATOR_RELATED
from ..models import AllocationRule, Indicator, Measure, ReportingPeriod
from ..status import Status, TargetBook, TargetValue, count_statuses, evaluate
from ..targets.selectors import AllocationCheck, allocation_check, allocation_year, target_source


@dataclass(frozen=True)
class Score:
    """One indicator for one organization and period: its target, the actual and the status."""

    indicator: Indicator
    target: TargetValue | None
    measurement: Measurement
    status: Status
    allocation: AllocationCheck | None = None

    @property
    def is_qualitative(self) -> bool:
        return self.indicator.measure == Measure.QUALITATIVE


def program_indicators(program: Program) -> list[Indicator]:
    indicators = list(program.indicators.select_related(*INDICATOR_RELATED).order_by("order", "code"))
    for indicator in indicators:
        indicator.program = program  # the engine and the rules read the program's years and scope
    return indicators


def scorecard(
    program: Program, organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[Score]:
    """Every indicator of the program for the organization's subtree and the period.

    The number of queries depends on the number of indicators (each measure is its own
    aggregate), never on the number of branches or values.
    """
    today = today or timezone.localdate()
    indicators = program_indicators(program)
    targets = TargetBook(indicators, [organization], period.year)
    scores = []
    for indicator in indicators:
        target = targets.get(indicator, organization)
        measurement = engine.measure(indicator, organization, period) if period.pk else engine.NO_DATA
        allocation = None
        if indicator.allocation != AllocationRule.NONE and not organization.is_base:
            check = allocation_check(indicator=indicator, parent=organization, year=allocation_year(indicator, period))
            if check.parent_value is not None or check.children_value is not None:
                allocation = check
        scores.append(
            Score(
                indicator=indicator,
                target=target,
                measurement=measurement,
                status=evaluate(indicator, target, measurement, period, today=today),
                allocation=allocation,
            )
        )
    return scores


def status_counts(scores: list[Score]) -> dict[str, int]:
    return count_statuses(score.status for score in scores)


@dataclass(frozen=True)
class ChildScore:
    organization: Organization
    target: TargetValue | None
    measurement: Measurement
    status: Status
    # Where the target came from; "unallocated" for a child a count reaches only by allocation.
    target_source: str = ""


def children_of(parent: Organization, period: ReportingPeriod) -> list[Organization]:
    """The bodies directly below that existed at the end of the period."""
    return list(
        Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .active_on(period.end_on)
        .select_related("level")
        .order_by("code")
    )


def children_scores(
    indicator: Indicator, parent: Organization, period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[ChildScore]:
    today = today or timezone.localdate()
    children = children_of(parent, period)
    if period.pk:
        measurements = engine.measure_children(indicator, parent, period, children)
    else:
        measurements = {child.pk: engine.NO_DATA for child in children}
    targets = TargetBook([indicator], children, period.year)
    scores = []
    for child in children:
        target = targets.get(indicator, child)
        scores.append(
            ChildScore(
                organization=child,
                target=target,
                measurement=measurements[child.pk],
                status=evaluate(indicator, target, measurements[child.pk], period, today=today),
                target_source=target_source(indicator, child, target),
            )
        )
    return scores
