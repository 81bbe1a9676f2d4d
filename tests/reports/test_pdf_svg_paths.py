"""The charts' bar paths read in one pass (reports/renderers/svg_paths.py, issue 17 point 2): the same
file as WeasyPrint's own reading, and any other path left to WeasyPrint."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from weasyprint import HTML
from weasyprint.svg import TAGS

from reports.renderers import pdf, svg_paths
from reports.renderers.charts import ranked_chart
from tests.reports.pdf_shortcuts import with_and_without
from tests.reports.test_pdf_written_once import _report_file


def _child(number: int, status: str):
    return SimpleNamespace(
        actual=Decimal(number * 37 % 101),
        target=Decimal(50) if number % 3 else None,
        target_max=Decimal(60) if number % 5 == 0 else None,
        status=status,
    )


def _ranked() -> str:
    statuses = ("achieved", "not_achieved", "at_risk", "no_data")
    children = [_child(n, statuses[n % 4]) for n in range(90)]
    report = SimpleNamespace(code="DV", name="Đoàn viên", children=children)
    return ranked_chart(report, font=pdf.FAMILY)


# Bars and marks as charts.py writes them, and paths WeasyPrint alone reads: curves, relative moves,
# implicit repetitions, an exponent.
OTHERS = (
    '<path d="M10 10 C 20 20, 40 20, 50 10" stroke="#000" fill="none"/>'
    '<path d="m5 5l10 0 0 10z" fill="#c8102e"/><path d="M1e1 20h5v5h-5z" fill="#0b3d91"/>'
    '<path d="M60 60h10 10v10" stroke="#555" fill="none"/>'
)


def _page(svg: str) -> str:
    return f'<html lang="vi"><body><img src="{pdf._as_image(svg)}" alt="Biểu đồ" /></body></html>'


def _both(html: str) -> tuple[bytes, bytes]:
    return with_and_without(svg_paths, lambda: _report_file(html))


def test_a_ranked_chart_is_the_same_file(monkeypatch):
    svg = _ranked()
    assert svg.count("z") > 80 and "h" in svg  # the bars and the marks
    assert svg_paths.install()
    left = []
    monkeypatch.setattr(svg_paths, "weasyprint_path", lambda *args: left.append(args))
    ours = _report_file(_page(svg))
    assert left == []  # every path of the chart read here
    monkeypatch.undo()
    svg_paths.uninstall()
    try:
        theirs = _report_file(_page(svg))
    finally:
        assert svg_paths.install()
    assert ours == theirs


def test_other_paths_are_read_by_weasyprint(monkeypatch):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">{OTHERS}</svg>'
    read = []
    real = svg_paths.weasyprint_path

    def counted(svg, node, font_size):
        read.append(node.get("d"))
        return real(svg, node, font_size)

    monkeypatch.setattr(svg_paths, "weasyprint_path", counted)
    ours, theirs = _both(_page(svg))
    assert len(read) == 4 + 4  # ours sent all four, then WeasyPrint's own drew them
    assert ours == theirs
    assert TAGS["path"] is svg_paths.path


def test_a_plain_path_is_drawn_as_weasyprint_draws_it():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
        '<path d="M10.5 90.0h4.5v-30.25h-4.5zM20 90h4.5v-0.0h-4.5zM30 40h6.4M50 50h-10v10z" fill="#0b3d91"/>'
        '<path d="M5 5h10z" stroke="#c8102e" stroke-width="2" fill="none"/></svg>'
    )
    ours, theirs = _both(_page(svg))
    assert ours == theirs
    assert HTML(string=_page(svg)).write_pdf()  # WeasyPrint alone reads it too
