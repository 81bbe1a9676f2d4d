"""What one measurement covers (its dates and periods), and the populations measures share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import DataValue, Indicator, PeriodKind, ReportingPeriod, TimeRule, ValueType


@dataclass(frozen=True)
class Window:
    """The dates and reporting periods one measurement covers."""

    start: datetime.date
    end: datetime.date
    periods: tuple[int, ...]  # ids of the reporting periods whose reported figures count


def window(indicator: Indicator, period: ReportingPeriod, *, annual: list[tuple[int, int]] | None = None) -> Window:
    """`annual`: (id, year) of every annual period, when the caller has read them already (a refresh of many periods)."""
    if indicator.time_rule in (TimeRule.CUMULATIVE, TimeRule.ANNUAL_AVERAGE) and indicator.is_flow:
        # Over the whole program: flows from its first day; reported figures of its earlier years too.
        program = indicator.program
        if annual is not None:
            earlier = [pk for pk, year in annual if program.start_year <= year < period.year]
        else:
            earlier = ReportingPeriod.objects.filter(
                kind=PeriodKind.ANNUAL, year__gte=program.start_year, year__lt=period.year
            ).values_list("pk", flat=True)
        return Window(datetime.date(program.start_year, 1, 1), period.end_on, (*earlier, period.pk))
    return Window(period.start_on, period.end_on, (period.pk,))


def years_so_far(indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
    """For a yearly average over the term ("bình quân hàng năm"), the years its window covers: whole
    years before the period's, and the period's own year up to its end (half of it at mid-year).
    None for any other indicator (nothing to divide by)."""
    if not indicator.is_annual_average:
        return None
    months = (period.end_on.year - indicator.program.start_year) * 12 + period.end_on.month
    return max(Decimal(months) / 12, Decimal(1) / 12)


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
