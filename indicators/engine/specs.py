"""Computing an indicator's actual value for an organization's subtree and a period.

Every measure is a pair of querysets — the population (the denominator, for shares)
and the part of it that meets the condition (the numerator) — aggregated in SQL over
the organization's subtree. The same querysets grouped by the path prefix of the
organization's children give the per-child figures of a drill-down in one query
each (organizations/rollups.py), never a loop over branches.

What each measure counts, at the period's end date D (from S, its start, for flows):
- workplaces_unionized_share: workplaces the subtree is responsible for (of the given
  types, with at least N workers); numerator: those whose base union existed on D.
- organizations_share: union bodies of the level (base unions by default) and sectors
  that existed on D (and, with an eligibility figure, reported "yes" to it); numerator:
  those that reported the figure as "yes", or as the grade or better, for the period.
- people_trained_share: members holding one of the roles on D (all members if no role
  is given) in branches of the sectors; numerator: those with a training on or before D
  (and since the program began, when asked).
- workplaces_count: the workplaces (of the types, with at least N workers), all of them or
  only those with (or without) a base union on D.
- members_stock: members on D (women only, when asked). members_joined: members who joined
  in [S, D]; members_left: members whose membership ended in [S, D] (transfers between
  branches are neither).
- branches_active: base unions that existed on D; branches_dissolved: dissolved in [S, D].
- organizations_count: like organizations_share, the number that meet the condition.
- branches_founded: base unions founded in [S, D], not counting those that came out of
  a merger or a split (they are not new unions).
- average_per_branch: the reported figure summed over the base unions, divided by the
  base unions that existed on D.
- reported_sum: the reported figure summed over the bodies of the subtree.
- reported_ratio: 100 × the figure summed / the other figure summed.
For a target over the whole program (time rule "cumulative"), flows run from the
program's first day to D, and reported figures are summed over the program's years.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from members.models import MemberRole, MembershipPeriod, Training
from organizations.models import Level, OperationKind, Organization, RestructuringLink, Workplace

from ..models import DataValue, Indicator, Measure, UnionFilter
from .window import FILLED, Window, _choice_condition, _existing, _existing_on, _reported


@dataclass(frozen=True)
class Spec:
    """How to compute one measure: querysets, what to aggregate, and the path to group on."""

    path: str  # the organization path of each row, for subtree filters and per-child grouping
    numerator: QuerySet | None
    denominator: QuerySet | None = None
    numerator_sum: str | None = None  # sum this field instead of counting rows
    denominator_sum: str | None = None
    distinct: str | None = None  # count distinct values of this field instead of rows
    # The units expected to report (organizations: their own path) and the condition of having
    # reported: counted together in one query, they are the figure's coverage ("76/87 CĐCS").
    units: QuerySet | None = None
    reported_by: Exists | None = None
    percent: bool = False
    average: bool = False
    over_units: bool = False  # the denominator counts the units: a share is taken over those that reported

    @property
    def shape(self) -> Shape:
        return Shape(
            ratio=self.denominator is not None,
            reported=self.units is not None,
            percent=self.percent,
            average=self.average,
            over_units=self.over_units,
        )


@dataclass(frozen=True)
class Shape:
    """How a measure's parts become a value. It depends on the measure alone, so turning stored
    rollups into figures needs no querysets (building them was most of a scorecard's time)."""

    ratio: bool = False  # the value divides by a denominator
    reported: bool = False  # "no data" unless something was reported
    percent: bool = False
    average: bool = False
    over_units: bool = False  # see Spec.over_units


# spec_for(...).shape for every measure (tests/indicators/test_measure_shapes.py holds them equal).
SHAPES: dict[str, Shape] = {
    Measure.WORKPLACES_UNIONIZED_SHARE: Shape(ratio=True, percent=True),
    Measure.WORKPLACES_COUNT: Shape(),
    Measure.ORGANIZATIONS_SHARE: Shape(ratio=True, reported=True, percent=True, over_units=True),
    Measure.ORGANIZATIONS_COUNT: Shape(reported=True),
    Measure.PEOPLE_TRAINED_SHARE: Shape(ratio=True, percent=True),
    Measure.MEMBERS_STOCK: Shape(),
    Measure.MEMBERS_JOINED: Shape(),
    Measure.MEMBERS_LEFT: Shape(),
    Measure.BRANCHES_ACTIVE: Shape(),
    Measure.BRANCHES_FOUNDED: Shape(),
    Measure.BRANCHES_DISSOLVED: Shape(),
    Measure.AVERAGE_PER_BRANCH: Shape(ratio=True, reported=True, average=True, over_units=True),
    Measure.REPORTED_SUM: Shape(reported=True),
    Measure.REPORTED_RATIO: Shape(ratio=True, reported=True, percent=True),
}


def _workplaces(indicator: Indicator) -> QuerySet:
    population = Workplace.objects.all()
    if indicator.workplace_kinds:
        population = population.filter(kind__in=indicator.workplace_kinds)
    if indicator.min_workers:
        population = population.filter(worker_count__gte=indicator.min_workers)
    return population


def _workplaces_unionized_share(indicator: Indicator, window: Window) -> Spec:
    population = _workplaces(indicator)
    founded, not_ended = _existing_on(window.end, "branch__")
    unionized = population.filter(Q(branch__isnull=False), founded, not_ended)
    return Spec(path="upper_union__path", numerator=unionized, denominator=population, percent=True)


def _workplaces_count(indicator: Indicator, window: Window) -> Spec:
    population = _workplaces(indicator)
    founded, not_ended = _existing_on(window.end, "branch__")
    with_union = Q(branch__isnull=False) & founded & not_ended
    if indicator.union_filter == UnionFilter.WITH:
        population = population.filter(with_union)
    elif indicator.union_filter == UnionFilter.WITHOUT:
        population = population.exclude(with_union)
    return Spec(path="upper_union__path", numerator=population)


def _organizations(indicator: Indicator, window: Window) -> Spec:
    level = indicator.level.code if indicator.level_id else Level.BASE
    population = _existing(Organization.objects.filter(level__code=level), window.end)
    if indicator.sectors:
        population = population.filter(sector__in=indicator.sectors)
    if indicator.eligibility_id:
        population = population.filter(_reported(indicator.eligibility_id, window.periods, Q(boolean=True)))
    meets = population.filter(_reported(indicator.element_id, window.periods, _choice_condition(indicator)))
    reported = _reported(indicator.element_id, window.periods, FILLED)
    if indicator.measure == Measure.ORGANIZATIONS_COUNT:
        return Spec(path="path", numerator=meets, units=population, reported_by=reported)
    return Spec(
        path="path",
        numerator=meets,
        denominator=population,
        units=population,
        reported_by=reported,
        percent=True,
        over_units=True,
    )


def _people_trained_share(indicator: Indicator, window: Window) -> Spec:
    day = window.end
    holders = MemberRole.objects.filter(Q(end_on__isnull=True) | Q(end_on__gt=day), start_on__lte=day)
    if indicator.roles:
        holders = holders.filter(role__in=indicator.roles)
    else:
        holders = MembershipPeriod.objects.filter(Q(end_on__isnull=True) | Q(end_on__gt=day), start_on__lte=day)
    if indicator.sectors:
        holders = holders.filter(branch__sector__in=indicator.sectors)
    trainings = Training.objects.filter(member=OuterRef("member_id"), trained_on__lte=day)
    if indicator.trained_within_program:
        trainings = trainings.filter(trained_on__gte=datetime.date(indicator.program.start_year, 1, 1))
    trained = holders.filter(Exists(trainings))
    return Spec(path="branch__path", numerator=trained, denominator=holders, distinct="member_id", percent=True)


def _members(indicator: Indicator, window: Window) -> Spec:
    start, day = window.start, window.end
    if indicator.measure == Measure.MEMBERS_STOCK:
        periods = MembershipPeriod.objects.filter(Q(end_on__isnull=True) | Q(end_on__gt=day), start_on__lte=day)
    elif indicator.measure == Measure.MEMBERS_JOINED:
        # A member's first period starts the day they joined; later ones are transfers.
        periods = MembershipPeriod.objects.filter(start_on=F("member__joined_on"), start_on__range=(start, day))
    else:
        # The period that ended when the member left (a transfer ends one period too, but not the membership).
        periods = MembershipPeriod.objects.filter(
            member__status__in=["left", "transferred"],
            end_on=F("member__status_changed_on"),
            end_on__range=(start, day),
        )
    if indicator.sectors:
        periods = periods.filter(branch__sector__in=indicator.sectors)
    if indicator.women_only:
        periods = periods.filter(member__gender="female")
    return Spec(path="branch__path", numerator=periods, distinct="member_id")


def _in_sectors(queryset: QuerySet, indicator: Indicator) -> QuerySet:
    return queryset.filter(sector__in=indicator.sectors) if indicator.sectors else queryset


def _branches_active(indicator: Indicator, window: Window) -> Spec:
    branches = _existing(Organization.objects.filter(level__code=Level.BASE), window.end)
    return Spec(path="path", numerator=_in_sectors(branches, indicator))


def _branches_dissolved(indicator: Indicator, window: Window) -> Spec:
    ended = Organization.objects.filter(
        level__code=Level.BASE, status="dissolved", dissolved_on__range=(window.start, window.end)
    )
    return Spec(path="path", numerator=_in_sectors(ended, indicator))


def _branches_founded(indicator: Indicator, window: Window) -> Spec:
    restructured = RestructuringLink.objects.filter(
        organization=OuterRef("pk"),
        role=RestructuringLink.RESULT,
        operation__kind__in=[OperationKind.MERGE, OperationKind.SPLIT],
    )
    founded = Organization.objects.filter(level__code=Level.BASE, founded_on__range=(window.start, window.end)).exclude(
        Exists(restructured)
    )
    return Spec(path="path", numerator=_in_sectors(founded, indicator))


def _reported_values(element_id: int | None, indicator: Indicator, window: Window, *, filled: bool) -> QuerySet:
    values = DataValue.objects.filter(element_id=element_id, period_id__in=window.periods)
    if filled:
        values = values.filter(FILLED)
    return values.filter(organization__sector__in=indicator.sectors) if indicator.sectors else values


def _reporters(indicator: Indicator, window: Window) -> tuple[QuerySet, Exists]:
    """The bodies expected to report the indicator's figure (of the figure's level, existing at the end of
    the window, in its sectors) and the condition of having reported it in the window."""
    element = indicator.element
    units = _existing(Organization.objects.filter(level_id=element.level_id), window.end)
    if element.sectors:
        units = units.filter(sector__in=element.sectors)
    return _in_sectors(units, indicator), _reported(indicator.element_id, window.periods, FILLED)


def _average_per_branch(indicator: Indicator, window: Window) -> Spec:
    values = _reported_values(indicator.element_id, indicator, window, filled=True)
    branches = _in_sectors(_existing(Organization.objects.filter(level__code=Level.BASE), window.end), indicator)
    return Spec(
        path="organization__path",
        numerator=values,
        numerator_sum="number",
        denominator=branches,
        units=branches,
        reported_by=_reported(indicator.element_id, window.periods, FILLED),
        average=True,
        over_units=True,
    )


def _reported_sum(indicator: Indicator, window: Window) -> Spec:
    values = _reported_values(indicator.element_id, indicator, window, filled=True)
    units, reported_by = _reporters(indicator, window)
    return Spec(
        path="organization__path", numerator=values, numerator_sum="number", units=units, reported_by=reported_by
    )


def _reported_ratio(indicator: Indicator, window: Window) -> Spec:
    values = _reported_values(indicator.element_id, indicator, window, filled=True)
    units, reported_by = _reporters(indicator, window)
    return Spec(
        path="organization__path",
        numerator=values,
        numerator_sum="number",
        denominator=_reported_values(indicator.denominator_id, indicator, window, filled=False),
        denominator_sum="number",
        units=units,
        reported_by=reported_by,
        percent=True,
    )


# How each measure is computed. A new shape of indicator is a new Measure, a builder here and its
# SHAPES entry above (docs/architecture.md, "Adding an indicator shape").
SPEC_BUILDERS: dict[str, Callable[[Indicator, Window], Spec]] = {
    Measure.WORKPLACES_UNIONIZED_SHARE: _workplaces_unionized_share,
    Measure.WORKPLACES_COUNT: _workplaces_count,
    Measure.ORGANIZATIONS_SHARE: _organizations,
    Measure.ORGANIZATIONS_COUNT: _organizations,
    Measure.PEOPLE_TRAINED_SHARE: _people_trained_share,
    Measure.MEMBERS_STOCK: _members,
    Measure.MEMBERS_JOINED: _members,
    Measure.MEMBERS_LEFT: _members,
    Measure.BRANCHES_ACTIVE: _branches_active,
    Measure.BRANCHES_DISSOLVED: _branches_dissolved,
    Measure.BRANCHES_FOUNDED: _branches_founded,
    Measure.AVERAGE_PER_BRANCH: _average_per_branch,
    Measure.REPORTED_SUM: _reported_sum,
    Measure.REPORTED_RATIO: _reported_ratio,
}


def spec_for(indicator: Indicator, window: Window) -> Spec | None:
    """How to compute the indicator's measure over `window`; None for a qualitative one (nothing to compute)."""
    builder = SPEC_BUILDERS.get(indicator.measure)
    return builder(indicator, window) if builder is not None else None
