"""Server-rendered SVG charts: one implementation for the dashboard and the PDF.

Two charts per indicator: the actual against the target line over the program's years,
and the distribution of the children's actuals (bars coloured by status) against the
target. The SVG is hand-built and small — a few dozen elements with presentation
attributes, no CSS and no script — because charting libraries' SVG (pygal's, for one)
carries hundreds of styled elements that WeasyPrint takes seconds to lay out, and the
pages forbid inline scripts anyway.
"""

from __future__ import annotations

import math
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format

from indicators.status import STATUS_INFO

from ..data import IndicatorReport, ReportData

# The colours of the one table of statuses (indicators/status.py).
STATUS_COLOURS = {code: info.colour for code, info in STATUS_INFO.items()}
ACTUAL, TARGET, AXIS, GRID, TEXT = "#0b3d91", "#c8102e", "#555", "#e3e6ea", "#222"


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _label(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return number_format(int(round(value)), use_l10n=True, force_grouping=True)
    return number_format(round(value, 2), decimal_pos=1, use_l10n=True, force_grouping=True)


def _frame(width: int, height: int, ticks: list[float], left: int, bottom: int, top: int = 10, right: int = 10):
    plot_h = height - top - bottom
    low, high = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts = []
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{ty + 3.5:.1f}" font-size="10" text-anchor="end" fill="{AXIS}">{_label(tick)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}" stroke-width="1"/>'
    )
    return parts, y


def _svg(width: int, height: int, body: list[str], title: str, font: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{escape(font)}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _floats(values) -> list[float | None]:
    return [None if v is None else float(Decimal(v)) for v in values]


def trend_chart(report: IndicatorReport, *, font: str = "sans-serif", width: int = 420, height: int = 220) -> str:
    """Actual (solid, with dots) against the target (dashed) over the program's years."""
    points = list(report.trend)
    actuals, targets = _floats(p.actual for p in points), _floats(p.target for p in points)
    known = [v for v in actuals + targets if v is not None] or [0.0]
    ticks = _ticks(min(0.0, min(known)), max(known))
    left, bottom, right = 46, 40, 12
    body, y = _frame(width, height, ticks, left, bottom, right=right)
    span = width - left - right
    step = span / max(len(points), 1)

    def x(index: int) -> float:
        return left + step * (index + 0.5)

    for index, point in enumerate(points):
        body.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" fill="{AXIS}">{point.year}</text>'
        )
    for values, colour, dash in ((targets, TARGET, ' stroke-dasharray="6 4"'), (actuals, ACTUAL, "")):
        coords = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
        if len(coords) > 1:
            body.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
    for index, value in enumerate(actuals):
        if value is not None:
            body.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{ACTUAL}"/>')
    legend_y = height - 8
    body.append(
        f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 18}" y2="{legend_y - 4}" stroke="{ACTUAL}" stroke-width="2"/>'
    )
    body.append(f'<text x="{left + 22}" y="{legend_y}" font-size="10" fill="{TEXT}">Thực hiện</text>')
    body.append(
        f'<line x1="{left + 90}" y1="{legend_y - 4}" x2="{left + 108}" y2="{legend_y - 4}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    body.append(f'<text x="{left + 112}" y="{legend_y}" font-size="10" fill="{TEXT}">Chỉ tiêu</text>')
    return _svg(width, height, body, f"{report.code}. {report.name}: thực hiện so với chỉ tiêu", font)


def _own_targets(children) -> list[tuple[float, float] | None]:
    """Each child's own target as (low, high): its allocation, or the share every body holds; None without one."""
    targets = []
    for child in children:
        if child.target is None:
            targets.append(None)
            continue
        low = float(child.target)
        high = float(child.target_max) if child.comparison == "range" and child.target_max is not None else low
        targets.append((low, high))
    return targets


def _target_marks(targets, slot: float, left: int, y, *, across: tuple[int, int]) -> list[str]:
    """One dashed line across the chart when every child has the same target; else a mark over each bar."""
    known = {t for t in targets if t is not None}
    if not known:
        return []
    dash = f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"'
    if len(known) == 1 and None not in targets:
        low, high = known.pop()
        lines = {low, high}
        return [f'<line x1="{across[0]}" y1="{y(v):.1f}" x2="{across[1]}" y2="{y(v):.1f}" {dash}/>' for v in lines]
    marks = []
    for index, target in enumerate(targets):
        if target is None:
            continue
        x0, width = left + slot * index + slot * 0.05, slot * 0.9
        low, high = target
        if high != low:
            marks.append(
                f'<rect x="{x0:.1f}" y="{y(high):.1f}" width="{width:.1f}" height="{y(low) - y(high):.1f}" '
                f'fill="{TARGET}" fill-opacity="0.12"/>'
            )
        marks.extend(
            f'<line x1="{x0:.1f}" y1="{y(v):.1f}" x2="{x0 + width:.1f}" y2="{y(v):.1f}" {dash}/>' for v in {low, high}
        )
    return marks


def _unallocated_words(unallocated, children) -> str:
    """The legend line for the children without an allocation, short enough for the chart's width."""
    if len(unallocated) == len(children) > 2:
        return "Chưa phân bổ chỉ tiêu cho các đơn vị trực thuộc"
    if len(unallocated) > 2:
        return f"{len(unallocated)} đơn vị chưa phân bổ chỉ tiêu"
    names = [c.name if len(c.name) <= 28 else c.name[:27] + "…" for c in unallocated]
    return "Chưa phân bổ chỉ tiêu: " + ", ".join(names)


def distribution_chart(
    report: IndicatorReport, *, font: str = "sans-serif", width: int = 420, height: int = 220, limit: int = 150
) -> str:
    """The children's actuals as bars coloured by status, each against its OWN target.

    A child is measured against what applies to it: the share every body holds (one dashed
    line across), or the target allocated to it (a dashed mark, or a band for a range, over
    its bar). A child without an allocation gets no mark and is named in the legend
    ("chưa phân bổ chỉ tiêu"), never the parent's target.
    """
    children = [c for c in report.children if c.actual is not None][:limit]
    values = _floats(c.actual for c in children)
    targets = _own_targets(children)
    unallocated = [c for c in children if c.unallocated]
    known = [v for v in values if v is not None] + [v for t in targets if t is not None for v in t] or [0.0]
    legend = 14 if unallocated else 0
    height += legend
    ticks = _ticks(min(0.0, min(known)), max(known))
    left, bottom, right = 46, 58 + legend, 10
    body, y = _frame(width, height, ticks, left, bottom, right=right)
    span = width - left - right
    slot = span / max(len(children), 1)
    bar = max(min(slot * 0.7, 28), 1.5)
    base = y(max(ticks[0], 0.0))
    # One path per colour rather than a rect per bar: the same picture with a handful of
    # elements, which is what a PDF with a hundred bars per chart spends its time drawing.
    bars: dict[str, list[str]] = {}
    for index, (child, value) in enumerate(zip(children, values, strict=True)):
        cx = left + slot * (index + 0.5)
        top = y(value)
        colour = STATUS_COLOURS.get(child.status, "#7a7f87")
        # A zero still shows as a sliver of its status colour, so a red 0 is not an empty gap.
        bars.setdefault(colour, []).append(
            f"M{cx - bar / 2:.1f} {min(top, base - 2):.1f}h{bar:.1f}v{max(abs(base - top), 2):.1f}h{-bar:.1f}z"
        )
        if len(children) <= 20:
            name = escape(child.name if len(child.name) <= 16 else child.name[:15] + "…")
            body.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 10}" font-size="9" fill="{AXIS}" text-anchor="end" '
                f'transform="rotate(-35 {cx:.1f} {height - bottom + 10})">{name}</text>'
            )
    body.extend(f'<path d="{"".join(shapes)}" fill="{colour}"/>' for colour, shapes in bars.items())
    if len(children) > 20:
        body.append(
            f'<text x="{left}" y="{height - bottom + 16}" font-size="10" fill="{AXIS}">{len(children)} đơn vị, xếp theo mã</text>'
        )
    body.extend(_target_marks(targets, slot, left, y, across=(left, width - right)))
    if unallocated:
        body.append(
            f'<text x="{left}" y="{height - 4}" font-size="9" fill="{TEXT}">{escape(_unallocated_words(unallocated, children))}</text>'
        )
    return _svg(width, height, body, f"{report.code}. {report.name}: các đơn vị trực thuộc", font)


STATUS_LEGEND = {
    "achieved": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ",
    "not_achieved": "Không đạt",
    "no_data": "Chưa có số liệu",
}


def branch_charts(report: IndicatorReport, *, font: str = "sans-serif", width: int = 600, rows: int = 45) -> list[str]:
    """The children's actuals as horizontal bars, one row per child named in full, each with its own
    target (its allocation) as a red mark: one chart per indicator, cut into pages of `rows` rows.

    Bars lie flat so that every name is written out on its own line and nothing is clipped, however
    many children there are (a district has about ninety)."""
    children = list(report.children)
    values = _floats(c.actual for c in children)
    targets = _floats(c.target for c in children) + _floats(c.target_max for c in children)
    known = [v for v in values + targets if v is not None] or [0.0]
    ticks = _ticks(min(0.0, min(known)), max(known))
    pages = [range(start, min(start + rows, len(children))) for start in range(0, len(children), rows)]
    return [
        _branch_page(report, children, values, ticks, page, font=font, width=width, part=(number, len(pages)))
        for number, page in enumerate(pages, start=1)
    ]


def _branch_page(report, children, values, ticks, page: range, *, font, width, part) -> str:
    label_w, right, top, row_h = 250, 56, 24, 16
    height = top + row_h * len(page) + 30
    low, high = ticks[0], ticks[-1]
    span = width - label_w - right

    def x(value: float) -> float:
        return label_w + (value - low) / (high - low) * span

    body = []
    for tick in ticks:
        tx = x(tick)
        body.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 30}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{tx:.1f}" y="{top - 8}" font-size="10" text-anchor="middle" fill="{AXIS}">{_label(tick)}</text>'
        )
    for row, index in enumerate(page):
        child, value = children[index], values[index]
        y = top + row * row_h
        name = child.name if len(child.name) <= 48 else child.name[:47] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 11.5}" font-size="10" text-anchor="end" fill="{TEXT}">{escape(name)}</text>'
        )
        if value is not None:
            colour = STATUS_COLOURS.get(child.status, "#7a7f87")
            x0, x1 = x(max(low, 0.0)), x(value)
            body.append(
                f'<rect x="{min(x0, x1):.1f}" y="{y + 3}" width="{max(abs(x1 - x0), 1.5):.1f}" height="10" fill="{colour}"/>'
            )
            body.append(
                f'<text x="{max(x0, x1) + 3:.1f}" y="{y + 11.5}" font-size="9.5" fill="{TEXT}">{_label(value)}</text>'
            )
        else:
            body.append(
                f'<text x="{x(max(low, 0.0)) + 3:.1f}" y="{y + 11.5}" font-size="9.5" fill="{AXIS}">chưa có số liệu</text>'
            )
        for bound in (child.target, child.target_max):
            if bound is not None:
                tx = x(float(bound))
                body.append(
                    f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + 15}" stroke="{TARGET}" stroke-width="2"/>'
                )
    body.extend(_branch_legend(height, label_w, {children[i].status for i in page}))
    title = f"{report.code}. {report.name}: các đơn vị trực thuộc"
    if part[1] > 1:
        title += f" ({part[0]}/{part[1]})"
    return _svg(width, height, body, title, font)


def _branch_legend(height: int, left: int, statuses: set[str]) -> list[str]:
    y, x, parts = height - 10, left, []
    parts.append(f'<line x1="{x}" y1="{y - 9}" x2="{x}" y2="{y + 2}" stroke="{TARGET}" stroke-width="2"/>')
    parts.append(f'<text x="{x + 5}" y="{y}" font-size="10" fill="{TEXT}">Chỉ tiêu của đơn vị</text>')
    x += 110
    for status, words in STATUS_LEGEND.items():
        if status in statuses:
            parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{STATUS_COLOURS[status]}"/>')
            parts.append(f'<text x="{x + 14}" y="{y}" font-size="10" fill="{TEXT}">{words}</text>')
            x += 20 + 6 * len(words)
    return parts


def ranked_chart(report: IndicatorReport, *, font: str = "sans-serif", width: int = 600, height: int = 270) -> str:
    """Many children (a district's ninety branches): their figures sorted from highest to lowest, a bar
    each coloured by status, each with its own target as a red mark. No names under the bars, where
    ninety cannot be read: the annex's table names every unit with its figure."""
    known = sorted(((float(c.actual), c) for c in report.children if c.actual is not None), key=lambda pair: -pair[0])
    missing = len(report.children) - len(known)
    bounds = [float(b) for _, c in known for b in (c.target, c.target_max) if b is not None]
    values = [v for v, _ in known] + bounds or [0.0]
    ticks = _ticks(min(0.0, min(values)), max(values))
    left, bottom, right = 50, 46, 10
    body, y = _frame(width, height, ticks, left, bottom, right=right)
    slot = (width - left - right) / max(len(known), 1)
    bar = max(min(slot * 0.75, 28), 1.5)
    base = y(max(ticks[0], 0.0))
    bars: dict[str, list[str]] = {}
    marks = []
    for index, (value, child) in enumerate(known):
        cx = left + slot * (index + 0.5)
        top = y(value)
        bars.setdefault(STATUS_COLOURS.get(child.status, "#7a7f87"), []).append(
            f"M{cx - bar / 2:.1f} {min(top, base - 2):.1f}h{bar:.1f}v{max(abs(base - top), 2):.1f}h{-bar:.1f}z"
        )
        for bound in (child.target, child.target_max):
            if bound is not None:
                marks.append(f"M{cx - slot / 2:.1f} {y(float(bound)):.1f}h{slot:.1f}")
    body.extend(f'<path d="{"".join(shapes)}" fill="{colour}"/>' for colour, shapes in bars.items())
    if marks:
        body.append(f'<path d="{"".join(marks)}" stroke="{TARGET}" stroke-width="2" fill="none"/>')
    caption = f"{len(known)} đơn vị có số liệu, xếp từ cao đến thấp"
    if missing:
        caption += f"; {missing} đơn vị chưa có số liệu"
    body.append(f'<text x="{left}" y="{height - bottom + 16}" font-size="10" fill="{AXIS}">{caption}</text>')
    body.extend(_branch_legend(height, left, {c.status for _, c in known}))
    return _svg(width, height, body, f"{report.code}. {report.name}: các đơn vị trực thuộc", font)


# Up to this many children, a chart names each of them; beyond, it ranks them (the annex's table names them).
NAMED_CHILDREN = 30


def report_charts(data: ReportData, *, branches_only: bool, font: str) -> list[tuple[IndicatorReport, list[str]]]:
    """The annex's charts, the same in the PDF and the Word file: one per indicator, its children's figures
    against their own targets (named when they are few, ranked when they are many), or, for a body without
    children (or a figure no branch has), its figure over the program's years."""
    charts = []
    for indicator in data.indicators:
        if indicator.children and (indicator.fits_a_branch or not branches_only):
            many = len(indicator.children) > NAMED_CHILDREN
            svgs = [ranked_chart(indicator, font=font)] if many else branch_charts(indicator, font=font)
        elif len(indicator.trend) > 1:
            svgs = [trend_chart(indicator, font=font, width=560, height=260)]
        else:
            continue
        charts.append((indicator, svgs))
    return charts
