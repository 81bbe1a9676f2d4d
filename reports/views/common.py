"""Helpers shared by the report pages: which version to show, the kind of report, small charts, links."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ..lookups import Subject
from ..models import FrozenReport, ReportKind
from ..renderers.charts import ACTUAL, TARGET


@dataclass(frozen=True)
class Choice:
    """Which figures a page or a download is about: a frozen version, the live figures, or the default."""

    frozen: FrozenReport | None
    live: bool

    @property
    def query(self) -> dict:
        if self.frozen is not None:
            return {"version": self.frozen.version}
        return {"live": 1} if self.live else {}


def chosen_figures(params, subject: Subject) -> Choice:
    """?version=N (404 if there is no such version) or ?live=1; neither: the latest frozen copy, else live."""
    raw = params.get("version", "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404(_("No such version of this report."))
        frozen = (
            FrozenReport.objects.filter(
                organization=subject.organization, program=subject.program, period=subject.period, version=int(raw)
            )
            .defer("data", "branches")
            .first()
        )
        if frozen is None:
            raise Http404(_("No such version of this report."))
        return Choice(frozen=frozen, live=False)
    return Choice(frozen=None, live=params.get("live") in ("1", "true", "on"))


def chosen_kind(params) -> str:
    kind = params.get("kind", "")
    return kind if kind in ReportKind.values else ReportKind.PERIODIC


def report_url(name: str, subject: Subject, *, code: str | None = None, query: dict | None = None, **kwargs) -> str:
    url = reverse(
        name,
        kwargs={
            "code": code or subject.organization.code,
            "program": subject.program.code,
            "period": subject.period.code,
            **kwargs,
        },
    )
    query = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def sparkline(trend, *, width: int = 110, height: int = 28) -> str:
    """A tiny trend for a scorecard row (the full chart is below the table, drawn by renderers/charts.py)."""
    actuals = [None if p.actual is None else float(Decimal(p.actual)) for p in trend]
    targets = [None if p.target is None else float(Decimal(p.target)) for p in trend]
    known = [v for v in actuals + targets if v is not None]
    if len(trend) < 2 or not known:
        return ""
    low, high = min(0.0, min(known)), max(known)
    high = high if high > low else low + 1
    step = (width - 6) / (len(trend) - 1)

    def x(index: int) -> float:
        return 3 + index * step

    def y(value: float) -> float:
        return height - 3 - (value - low) / (high - low) * (height - 6)

    parts = []
    for values, colour, dash in ((targets, TARGET, ' stroke-dasharray="3 2"'), (actuals, ACTUAL, "")):
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None)
        if coords.count(",") > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>')
    last = next(((i, v) for i, v in reversed(list(enumerate(actuals))) if v is not None), None)
    if last:
        parts.append(f'<circle cx="{x(last[0]):.1f}" cy="{y(last[1]):.1f}" r="2" fill="{ACTUAL}"/>')
    years = f"{trend[0].year}–{trend[-1].year}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{years}"><title>{years}</title>' + "".join(parts) + "</svg>"
    )
