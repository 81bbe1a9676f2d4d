"""Periods for the builders.

The builders write history in bulk and refresh every rollup themselves when they are done,
so they save periods directly instead of through indicators.periods.period_open, whose hook
would queue one more refresh of each new period.
"""

from __future__ import annotations

from indicators.models import ReportingPeriod


def saved_period(code: str) -> ReportingPeriod:
    fields = ReportingPeriod.bounds(code)
    period, _created = ReportingPeriod.objects.get_or_create(code=fields.pop("code"), defaults=fields)
    return period
