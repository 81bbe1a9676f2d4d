"""The plausibility rules evaluated for one period over a set of bodies, in bulk: it only reads.

A fixed number of queries whatever the number of bodies (one per kind of figure it needs:
the rules, the figures of the period, the registry's counts grouped by branch, the previous
period's figures, the history of figures); the comparisons run in Python over those rows.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from members.models import MembershipPeriod
from organizations.models import Level, Organization, Workplace

from ..models import DataValue, MissingValues, PlausibilityRule, RegistrySource, ReportingPeriod, RuleKind
from ..models.data import RuleOperator
from ..models.expressions import ExpressionError, codes, evaluate, parse

MIN_HISTORY = 3  # values needed before a band is learned
HUNDRED = Decimal(100)
MAD_SCALE = Decimal("1.4826")  # the MAD of a normal distribution is 0.6745 σ


@dataclass(frozen=True)
class Finding:
    """A rule that a body's figure breaks, with what it was compared with."""

    rule: PlausibilityRule
    organization_id: int
    value: Decimal
    reference: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    missing: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return (self.rule.pk, self.organization_id)


def grid_organizations(unit: Organization) -> QuerySet[Organization]:
    """The bodies whose figures a unit's grid holds: the unit itself and the base unions right below it."""
    if unit.is_base:
        return Organization.objects.filter(pk=unit.pk)
    return Organization.objects.filter(
        Q(pk=unit.pk) | Q(path__startswith=unit.path, depth=unit.depth + 1, level__code=Level.BASE)
    )


def previous_code(period: ReportingPeriod) -> str:
    """The period before, of the same kind: 2023 for 2024, 2023-H2 for 2024-H1, 2024-H1 for 2024-H2."""
    if period.is_annual:
        return str(period.year - 1)
    return f"{period.year}-H1" if period.half == 2 else f"{period.year - 1}-H2"


def _months_before(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 - months
    return datetime.date(total // 12, total % 12 + 1, 1)


def _history_start(period: ReportingPeriod, periods: int) -> datetime.date:
    return _months_before(period.start_on, periods * (12 if period.is_annual else 6))


def _figures(queryset: QuerySet[DataValue]) -> dict[int, dict[str, Decimal]]:
    by_organization: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for organization_id, code, number in queryset.values_list("organization_id", "element__code", "number"):
        by_organization[organization_id][code] = number
    return by_organization


def _holds(operator: str, left: Decimal, right: Decimal) -> bool:
    return {
        RuleOperator.LTE: left <= right,
        RuleOperator.LT: left < right,
        RuleOperator.GTE: left >= right,
        RuleOperator.GT: left > right,
        RuleOperator.EQ: left == right,
    }[operator]


def _between_figures(rule: PlausibilityRule, figures: dict[int, dict[str, Decimal]]) -> list[Finding]:
    try:
        left = parse(rule.left or rule.element.code)
        right = parse(rule.right)
    except ExpressionError:
        return []  # refused in the admin; a rule written around it checks nothing
    as_zero = rule.missing == MissingValues.ZERO
    found = []
    for organization_id, numbers in figures.items():
        if rule.element.code not in numbers:
            continue
        left_value = evaluate(left, numbers, missing_as_zero=False)
        right_value = evaluate(right, numbers, missing_as_zero=as_zero)
        if left_value is None or right_value is None or _holds(rule.operator, left_value, right_value):
            continue
        missing = ",".join(sorted(code for code in codes(right) if code not in numbers))
        found.append(Finding(rule, organization_id, left_value, reference=right_value, missing=missing))
    return found


def _registry_counts(sources: set[str], organizations: QuerySet, day: datetime.date) -> dict[str, dict[int, int]]:
    """Each registry figure the rules need, by branch: one grouped query per figure."""
    counts: dict[str, dict[int, int]] = {}
    on_the_day = Q(start_on__lte=day) & (Q(end_on__isnull=True) | Q(end_on__gt=day))
    members = MembershipPeriod.objects.filter(on_the_day, branch__in=organizations)
    grouped = {
        RegistrySource.MEMBERS: members.values("branch_id").annotate(n=Count("member_id", distinct=True)),
        RegistrySource.WOMEN_MEMBERS: members.filter(member__gender="female")
        .values("branch_id")
        .annotate(n=Count("member_id", distinct=True)),
        RegistrySource.WORKERS: Workplace.objects.filter(branch__in=organizations)
        .values("branch_id")
        .annotate(n=Sum("worker_count")),
    }
    for source in sources:
        counts[source] = {row["branch_id"]: row["n"] or 0 for row in grouped[source].order_by()}
    return counts


def _against_registry(rule, figures, counts: dict[int, int]) -> list[Finding]:
    found = []
    share = rule.tolerance / HUNDRED
    for organization_id, numbers in figures.items():
        value = numbers.get(rule.element.code)
        registered = counts.get(organization_id, 0)
        if value is None or (not registered and rule.missing == MissingValues.SKIP):
            continue
        low, high = Decimal(registered) * (1 - share), Decimal(registered) * (1 + share)
        checks_high = rule.operator in (RuleOperator.EQ, RuleOperator.LTE, RuleOperator.LT)
        checks_low = rule.operator in (RuleOperator.EQ, RuleOperator.GTE, RuleOperator.GT)
        if (checks_high and value > high) or (checks_low and value < low):
            found.append(
                Finding(
                    rule,
                    organization_id,
                    value,
                    reference=Decimal(registered),
                    low=low if checks_low else None,
                    high=high if checks_high else None,
                )
            )
    return found


def _against_previous(rule, figures, previous) -> list[Finding]:
    found = []
    for organization_id, numbers in figures.items():
        value = numbers.get(rule.element.code)
        before = previous.get(organization_id, {}).get(rule.element.code)
        if value is None or before is None or (value <= rule.floor and before <= rule.floor):
            continue
        if value > before * rule.factor or value * rule.factor < before:
            found.append(
                Finding(
                    rule, organization_id, value, reference=before, low=before / rule.factor, high=before * rule.factor
                )
            )
    return found


def band(values: list[Decimal], *, k: Decimal, tolerance: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(median, low, high): median ± k·MAD, never narrower than ± tolerance % of the median.

    The MAD is scaled by 1.4826 so that k reads as a number of standard deviations (k = 3:
    "three sigma"), as outlier checks usually do; unscaled, the demo's small counts flagged one
    branch in six for an ordinary change of a fifth.
    """
    median = Decimal(statistics.median(values))
    mad = Decimal(statistics.median([abs(value - median) for value in values])) * MAD_SCALE
    half = max(k * mad, abs(median) * tolerance / HUNDRED)
    return median, median - half, median + half


def _outliers(rule, figures, history, period) -> list[Finding]:
    since = _history_start(period, rule.history)
    found = []
    for organization_id, numbers in figures.items():
        value = numbers.get(rule.element.code)
        past = [number for day, number in history.get((organization_id, rule.element.code), []) if day >= since]
        if value is None or len(past) < MIN_HISTORY:
            continue
        median, low, high = band(past, k=rule.factor, tolerance=rule.tolerance)
        if value <= rule.floor and median <= rule.floor:
            continue
        if value < low or value > high:
            found.append(Finding(rule, organization_id, value, reference=median, low=low, high=high))
    return found


def _codes_needed(rules: list[PlausibilityRule]) -> set[str]:
    needed = set()
    for rule in rules:
        needed.add(rule.element.code)
        if rule.kind == RuleKind.FIELDS:
            for side in (rule.left, rule.right):
                try:
                    needed |= codes(parse(side)) if side.strip() else set()
                except ExpressionError:
                    continue
    return needed


def findings(organizations: QuerySet[Organization], period: ReportingPeriod) -> list[Finding]:
    """Every rule that the figures of these bodies for the period break."""
    rules = list(PlausibilityRule.objects.filter(active=True).select_related("element"))
    if not rules or not period.pk:
        return []
    by_kind: dict[str, list[PlausibilityRule]] = defaultdict(list)
    for rule in rules:
        by_kind[rule.kind].append(rule)
    numbers = DataValue.objects.filter(organization__in=organizations, number__isnull=False)
    figures = _figures(numbers.filter(period=period, element__code__in=_codes_needed(rules)))
    if not figures:
        return []
    found = [f for rule in by_kind[RuleKind.FIELDS] for f in _between_figures(rule, figures)]
    if by_kind[RuleKind.REGISTRY]:
        counts = _registry_counts({r.registry for r in by_kind[RuleKind.REGISTRY]}, organizations, period.end_on)
        found += [
            f for rule in by_kind[RuleKind.REGISTRY] for f in _against_registry(rule, figures, counts[rule.registry])
        ]
    if by_kind[RuleKind.CHANGE]:
        watched = {rule.element.code for rule in by_kind[RuleKind.CHANGE]}
        previous = _figures(numbers.filter(period__code=previous_code(period), element__code__in=watched))
        found += [f for rule in by_kind[RuleKind.CHANGE] for f in _against_previous(rule, figures, previous)]
    if by_kind[RuleKind.OUTLIER]:
        found += _all_outliers(by_kind[RuleKind.OUTLIER], figures, numbers, period)
    return found


def _all_outliers(rules, figures, numbers: QuerySet[DataValue], period: ReportingPeriod) -> list[Finding]:
    since = _history_start(period, max(rule.history for rule in rules))
    history: dict[tuple[int, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    rows = numbers.filter(
        period__kind=period.kind,
        period__start_on__gte=since,
        period__end_on__lt=period.start_on,
        element__code__in={rule.element.code for rule in rules},
    ).values_list("organization_id", "element__code", "period__start_on", "number")
    for organization_id, code, day, number in rows:
        history[(organization_id, code)].append((day, number))
    return [f for rule in rules for f in _outliers(rule, figures, history, period)]
