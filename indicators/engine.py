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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from members.models import MemberRole, MembershipPeriod, Training
from organizations.models import Level, OperationKind, Organization, RestructuringLink, Workplace

from .models import DataValue, Indicator, Measure, PeriodKind, ReportingPeriod, TimeRule, UnionFilter, ValueType

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)  # slots: a figure for each of 135,000 branches stays small
class Measurement:
    """An actual value. `value` is None when there is nothing to measure (no data)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None


NO_DATA = Measurement(value=None)


@dataclass(frozen=True)
class Window:
    """The dates and reporting periods one measurement covers."""

    start: datetime.date
    end: datetime.date
    periods: tuple[int, ...]  # ids of the reporting periods whose reported figures count


def window(indicator: Indicator, period: ReportingPeriod) -> Window:
    if indicator.time_rule == TimeRule.CUMULATIVE and indicator.is_flow:
        # Over the whole program: flows from its first day; reported figures of its earlier years too.
        program = indicator.program
        earlier = ReportingPeriod.objects.filter(
            kind=PeriodKind.ANNUAL, year__gte=program.start_year, year__lt=period.year
        ).values_list("pk", flat=True)
        return Window(datetime.date(program.start_year, 1, 1), period.end_on, (*earlier, period.pk))
    return Window(period.start_on, period.end_on, (period.pk,))


# --- populations -----------------------------------------------------------------------


def _existing_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": day}), Q(
        **{f"{prefix}dissolved_on__isnull": True}
    ) | Q(**{f"{prefix}dissolved_on__gt": day})


def _existing(queryset: QuerySet, day: datetime.date, prefix: str = "") -> QuerySet:
    founded, not_ended = _existing_on(day, prefix)
    return queryset.filter(founded, not_ended)


def _reported(element_id: int, periods: Iterable[int], condition: Q) -> Exists:
    return Exists(
        DataValue.objects.filter(condition, organization=OuterRef("pk"), element_id=element_id, period_id__in=periods)
    )


# A cell someone emptied keeps its row (and its version), but reports nothing.
FILLED = Q(number__isnull=False) | Q(boolean__isnull=False) | ~Q(choice="")


def _choice_condition(indicator: Indicator) -> Q:
    element = indicator.element
    if element.value_type == ValueType.BOOLEAN:
        return Q(boolean=True)
    if element.value_type == ValueType.CHOICE:
        threshold = element.choice_rank(indicator.min_choice)
        codes = [c["code"] for c in element.choices if threshold is None or int(c["rank"]) >= threshold]
        return Q(choice__in=codes)
    return Q(number__gt=0)


@dataclass(frozen=True)
class Spec:
    """How to compute one measure: querysets, what to aggregate, and the path to group on."""

    path: str  # the organization path of each row, for subtree filters and per-child grouping
    numerator: QuerySet | None
    denominator: QuerySet | None = None
    numerator_sum: str | None = None  # sum this field instead of counting rows
    denominator_sum: str | None = None
    distinct: str | None = None  # count distinct values of this field instead of rows
    reported: QuerySet | None = None  # rows telling whether anything was reported at all
    percent: bool = False
    average: bool = False

    @property
    def shape(self) -> Shape:
        return Shape(
            ratio=self.denominator is not None,
            reported=self.reported is not None,
            percent=self.percent,
            average=self.average,
        )


@dataclass(frozen=True)
class Shape:
    """How a measure's parts become a value. It depends on the measure alone, so turning stored
    rollups into figures needs no querysets (building them was most of a scorecard's time)."""

    ratio: bool = False  # the value divides by a denominator
    reported: bool = False  # "no data" unless something was reported
    percent: bool = False
    average: bool = False


# spec_for(...).shape for every measure (tests/indicators/test_measure_shapes.py holds them equal).
SHAPES: dict[str, Shape] = {
    Measure.WORKPLACES_UNIONIZED_SHARE: Shape(ratio=True, percent=True),
    Measure.WORKPLACES_COUNT: Shape(),
    Measure.ORGANIZATIONS_SHARE: Shape(ratio=True, reported=True, percent=True),
    Measure.ORGANIZATIONS_COUNT: Shape(reported=True),
    Measure.PEOPLE_TRAINED_SHARE: Shape(ratio=True, percent=True),
    Measure.MEMBERS_STOCK: Shape(),
    Measure.MEMBERS_JOINED: Shape(),
    Measure.MEMBERS_LEFT: Shape(),
    Measure.BRANCHES_ACTIVE: Shape(),
    Measure.BRANCHES_FOUNDED: Shape(),
    Measure.BRANCHES_DISSOLVED: Shape(),
    Measure.AVERAGE_PER_BRANCH: Shape(ratio=True, reported=True, average=True),
    Measure.REPORTED_SUM: Shape(reported=True),
    Measure.REPORTED_RATIO: Shape(ratio=True, reported=True, percent=True),
}


def spec_for(indicator: Indicator, window: Window) -> Spec | None:
    day, start = window.end, window.start
    m = indicator.measure
    if m == Measure.WORKPLACES_UNIONIZED_SHARE:
        population = Workplace.objects.all()
        if indicator.workplace_kinds:
            population = population.filter(kind__in=indicator.workplace_kinds)
        if indicator.min_workers:
            population = population.filter(worker_count__gte=indicator.min_workers)
        founded, not_ended = _existing_on(day, "branch__")
        unionized = population.filter(Q(branch__isnull=False), founded, not_ended)
        return Spec(path="upper_union__path", numerator=unionized, denominator=population, percent=True)

    if m == Measure.WORKPLACES_COUNT:
        population = Workplace.objects.all()
        if indicator.workplace_kinds:
            population = population.filter(kind__in=indicator.workplace_kinds)
        if indicator.min_workers:
            population = population.filter(worker_count__gte=indicator.min_workers)
        founded, not_ended = _existing_on(day, "branch__")
        with_union = Q(branch__isnull=False) & founded & not_ended
        if indicator.union_filter == UnionFilter.WITH:
            population = population.filter(with_union)
        elif indicator.union_filter == UnionFilter.WITHOUT:
            population = population.exclude(with_union)
        return Spec(path="upper_union__path", numerator=population)

    if m in (Measure.ORGANIZATIONS_SHARE, Measure.ORGANIZATIONS_COUNT):
        level = indicator.level.code if indicator.level_id else Level.BASE
        population = _existing(Organization.objects.filter(level__code=level), day)
        if indicator.sectors:
            population = population.filter(sector__in=indicator.sectors)
        if indicator.eligibility_id:
            population = population.filter(_reported(indicator.eligibility_id, window.periods, Q(boolean=True)))
        meets = population.filter(_reported(indicator.element_id, window.periods, _choice_condition(indicator)))
        reported = population.filter(_reported(indicator.element_id, window.periods, FILLED))
        if m == Measure.ORGANIZATIONS_COUNT:
            return Spec(path="path", numerator=meets, reported=reported)
        return Spec(path="path", numerator=meets, denominator=population, reported=reported, percent=True)

    if m == Measure.PEOPLE_TRAINED_SHARE:
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

    if m in (Measure.MEMBERS_STOCK, Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT):
        if m == Measure.MEMBERS_STOCK:
            periods = MembershipPeriod.objects.filter(Q(end_on__isnull=True) | Q(end_on__gt=day), start_on__lte=day)
        elif m == Measure.MEMBERS_JOINED:
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

    if m == Measure.BRANCHES_ACTIVE:
        branches = _existing(Organization.objects.filter(level__code=Level.BASE), day)
        if indicator.sectors:
            branches = branches.filter(sector__in=indicator.sectors)
        return Spec(path="path", numerator=branches)

    if m == Measure.BRANCHES_DISSOLVED:
        ended = Organization.objects.filter(
            level__code=Level.BASE, status="dissolved", dissolved_on__range=(start, day)
        )
        if indicator.sectors:
            ended = ended.filter(sector__in=indicator.sectors)
        return Spec(path="path", numerator=ended)

    if m == Measure.BRANCHES_FOUNDED:
        restructured = RestructuringLink.objects.filter(
            organization=OuterRef("pk"),
            role=RestructuringLink.RESULT,
            operation__kind__in=[OperationKind.MERGE, OperationKind.SPLIT],
        )
        founded = Organization.objects.filter(level__code=Level.BASE, founded_on__range=(start, day)).exclude(
            Exists(restructured)
        )
        if indicator.sectors:
            founded = founded.filter(sector__in=indicator.sectors)
        return Spec(path="path", numerator=founded)

    if m in (Measure.AVERAGE_PER_BRANCH, Measure.REPORTED_SUM, Measure.REPORTED_RATIO):
        values = DataValue.objects.filter(FILLED, element_id=indicator.element_id, period_id__in=window.periods)
        if indicator.sectors:
            values = values.filter(organization__sector__in=indicator.sectors)
        if m == Measure.AVERAGE_PER_BRANCH:
            branches = _existing(Organization.objects.filter(level__code=Level.BASE), day)
            if indicator.sectors:
                branches = branches.filter(sector__in=indicator.sectors)
            return Spec(
                path="organization__path",
                numerator=values,
                numerator_sum="number",
                denominator=branches,
                reported=values,
                average=True,
            )
        if m == Measure.REPORTED_SUM:
            return Spec(path="organization__path", numerator=values, numerator_sum="number", reported=values)
        totals = DataValue.objects.filter(element_id=indicator.denominator_id, period_id__in=window.periods)
        if indicator.sectors:
            totals = totals.filter(organization__sector__in=indicator.sectors)
        return Spec(
            path="organization__path",
            numerator=values,
            numerator_sum="number",
            denominator=totals,
            denominator_sum="number",
            reported=values,
            percent=True,
        )
    return None  # qualitative: nothing to compute


# --- aggregation ------------------------------------------------------------------------


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


def _within(queryset: QuerySet, path_field: str, organization: Organization) -> QuerySet:
    return queryset.filter(**{f"{path_field}__startswith": organization.path})


def _finish(shape: Shape, numerator, denominator, reported) -> Measurement:
    numerator = Decimal(numerator)
    if shape.reported and not reported:
        return NO_DATA
    if shape.percent or shape.average:
        denominator = Decimal(denominator)
        if not denominator:
            return Measurement(value=None, numerator=numerator, denominator=denominator)
        value = numerator / denominator * (HUNDRED if shape.percent else 1)
        return Measurement(value=value.quantize(Decimal("0.01")), numerator=numerator, denominator=denominator)
    return Measurement(value=numerator, numerator=numerator)


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
    if spec.reported is not None:
        rep_path = _path_of(spec, spec.reported)
        reported = _within(spec.reported, rep_path, organization).exists()
    return _finish(spec.shape, numerator, denominator, reported)


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
    reported: set[str] = set()
    if spec.reported is not None:
        rep_path = _path_of(spec, spec.reported)
        below = {f"{rep_path}__startswith": parent.path, f"{rep_path}__gt": parent.path}
        reported = set(
            spec.reported.filter(**below)
            .annotate(child=Substr(rep_path, 1, (parent.depth + 1) * Organization.steplen))
            .values_list("child", flat=True)
            .distinct()
            .order_by()
        )
    shape = spec.shape
    return {
        child.pk: _finish(
            shape,
            numerators.get(child.path, 0),
            denominators.get(child.path, 0) if spec.denominator is not None else None,
            child.path in reported,
        )
        for child in children
    }


# --- grouped parts, for the precomputed rollups (reports/rollups.py) ---------------------


@dataclass(frozen=True)
class Parts:
    """The additive parts of a measurement: sums of these over children give the parent's."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    reported: int = 0  # rows telling that something was reported (for "no data")

    def __add__(self, other: Parts) -> Parts:
        return Parts(
            self.numerator + other.numerator, self.denominator + other.denominator, self.reported + other.reported
        )

    def __sub__(self, other: Parts) -> Parts:
        return Parts(
            self.numerator - other.numerator, self.denominator - other.denominator, self.reported - other.reported
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

    def grouped(queryset: QuerySet, *, summed: str | None, counted: bool = False) -> dict[str, Decimal]:
        path = _path_of(spec, queryset)
        if within is not None:
            queryset = _within(queryset, path, within)
        aggregate = (
            Count("pk")
            if counted
            else Sum(summed)
            if summed
            else Count(spec.distinct or "pk", distinct=bool(spec.distinct))
        )
        rows = queryset.annotate(key=Substr(path, 1, length)).values("key").annotate(v=aggregate).order_by()
        return {row["key"]: Decimal(row["v"] or 0) for row in rows}

    numerators = grouped(spec.numerator, summed=spec.numerator_sum)
    denominators = grouped(spec.denominator, summed=spec.denominator_sum) if spec.denominator is not None else {}
    reported = grouped(spec.reported, summed=None, counted=True) if spec.reported is not None else {}
    for key in numerators.keys() | denominators.keys() | reported.keys():
        result[key] = Parts(
            numerators.get(key, Decimal(0)),
            denominators.get(key, Decimal(0)),
            int(reported.get(key, 0)) if spec.reported is not None else 1,
        )
    return result


def from_parts(indicator: Indicator, parts: Parts | None, period: ReportingPeriod) -> Measurement:
    """The measurement the parts make, as measure() would give it for the same rows."""
    shape = SHAPES.get(indicator.measure)
    if shape is None or parts is None:
        return NO_DATA
    return _finish(shape, parts.numerator, parts.denominator if shape.ratio else None, parts.reported > 0)


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
    indicator: Indicator, period: ReportingPeriod, *, within: Organization | None = None
) -> dict[int, Measurement]:
    """{organization id: measurement} over the rows attached to each organization itself.

    For base unions — leaves of the hierarchy as far as figures go — that is their whole
    figure. Grouping on the owner's id rather than its path lets PostgreSQL aggregate
    eleven million membership rows without joining the organization table (the Excel
    sheet of every branch in the country).
    """
    spec = spec_for(indicator, window(indicator, period))
    if spec is None:
        return {}
    # The whole tree needs no filter, and without one no row is joined to its organization.
    if within is not None and _is_whole_tree(within):
        within = None

    def grouped(queryset: QuerySet | None, *, summed: str | None, counted: bool = False) -> dict[int, Decimal]:
        if queryset is None:
            return {}
        path = _path_of(spec, queryset)
        owner = _OWNER_ID[path]
        if within is not None:
            queryset = _within(queryset, path, within)
        if counted:
            aggregate = Count("pk")
        elif summed:
            aggregate = Sum(summed)
        else:
            aggregate = Count(spec.distinct or "pk", distinct=bool(spec.distinct))
        rows = queryset.values(owner).annotate(v=aggregate).order_by().values_list(owner, "v")
        return {key: Decimal(value or 0) for key, value in rows}

    numerators = grouped(spec.numerator, summed=spec.numerator_sum)
    denominators = grouped(spec.denominator, summed=spec.denominator_sum)
    reported = grouped(spec.reported, summed=None, counted=True)
    result = {}
    shape = spec.shape
    for owner in numerators.keys() | denominators.keys() | reported.keys():
        result[owner] = _finish(
            shape,
            numerators.get(owner, 0),
            denominators.get(owner, 0) if spec.denominator is not None else None,
            reported.get(owner, 0) > 0,
        )
    return result
