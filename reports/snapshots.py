"""A report's frozen form: ReportData to and from the JSON a FrozenReport keeps (reports/services.py).

Versions frozen before a field was kept read back without it (coverage, tasks, the document's facts)."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from indicators.models import Direction
from indicators.status import LEGEND

from .data import Figure, IndicatorReport, ReportData, TrendPoint
from .task_results import tasks_from_snapshot


def _decimal(value):
    return None if value is None else Decimal(str(value))


def to_snapshot(data: ReportData) -> dict:
    """A JSON-safe copy of every figure (decimals as strings, so nothing is rounded by floats)."""

    def convert(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        return value

    return convert(asdict(data))


def from_snapshot(snapshot: dict) -> ReportData:
    def figure(d: dict) -> Figure:
        numbers = ("actual", "target", "target_max", "numerator", "denominator", "gap", "percent_achieved", "exact")
        return Figure(**{k: (_decimal(v) if k in numbers else v) for k, v in d.items()})

    indicators = tuple(
        IndicatorReport(
            code=i["code"],
            name=i["name"],
            unit=i["unit"],
            measure=i["measure"],
            time_rule=i["time_rule"],
            source_text=i["source_text"],
            figure=figure(i["figure"]),
            children=tuple(figure(c) for c in i["children"]),
            trend=tuple(
                TrendPoint(
                    period=t["period"], year=t["year"], actual=_decimal(t["actual"]), target=_decimal(t["target"])
                )
                for t in i["trend"]
            ),
            fits_a_branch=i.get("fits_a_branch", True),
            # Versions frozen before these were kept read as they were then: higher is better, over all units.
            direction=i.get("direction", Direction.HIGHER),
            strict=i.get("strict", False),
            decimals=i.get("decimals", 2),
            units_are_branches=i.get("units_are_branches", True),
        )
        for i in snapshot["indicators"]
    )
    return ReportData(
        organization=snapshot["organization"],
        program=snapshot["program"],
        period=snapshot["period"],
        generated_at=snapshot["generated_at"],
        indicators=indicators,
        children=tuple(snapshot["children"]),
        # Stored as JSON, whose keys PostgreSQL reorders: back to the order of the legend.
        status_counts={status.value: snapshot["status_counts"].get(status.value, 0) for status in LEGEND},
        coverage=snapshot.get("coverage", {}),
        document=snapshot.get("document") or {},
        tasks=tasks_from_snapshot(snapshot.get("tasks", [])),
        basis=snapshot.get("basis") or {},
    )
