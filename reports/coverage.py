"""What a report as a whole rests on: its coverage summary and the sentence the documents write of it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from indicators.status import coverage_words

if TYPE_CHECKING:
    from .data import IndicatorReport

HUNDRED = Decimal(100)


def summary_coverage(reports: list[IndicatorReport], threshold: Decimal) -> dict:
    """What the report as a whole rests on: the widest reported figure's units (the indicator expecting the
    most units; of those, the one with the fewest reports), and how many figures are below the threshold."""
    threshold = Decimal(threshold)
    covered = [r for r in reports if r.figure.has_coverage and r.figure.expected]
    if not covered:
        return {"threshold": format(threshold.normalize(), "f")}
    widest = max(covered, key=lambda r: (r.figure.expected, -r.figure.reported))
    below = sum(1 for r in covered if not r.strict and r.figure.reported * HUNDRED < threshold * r.figure.expected)
    return {
        "threshold": format(threshold.normalize(), "f"),
        "expected": widest.figure.expected,
        "reported": widest.figure.reported,
        "branches": widest.units_are_branches,
        "below": below,
    }


def summary_sentence(coverage: dict) -> str:
    """ "Số liệu tổng hợp từ 76/87 CĐCS đã báo cáo; ngưỡng đủ số liệu 90 %; 3 chỉ tiêu chưa đủ số liệu." """
    if not coverage or coverage.get("expected") is None:
        return ""
    values = {
        "units": coverage_words(coverage["reported"], coverage["expected"], branches=coverage.get("branches", True)),
        "threshold": coverage["threshold"].replace(".", ","),
        "below": coverage.get("below", 0),
    }
    return _("Figures from %(units)s; a verdict needs %(threshold)s %% of units reporting.") % values
