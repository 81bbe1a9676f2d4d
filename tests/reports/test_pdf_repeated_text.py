"""A line that does not wrap laid out and drawn once per report for its text and font
(reports/renderers/repeated_text.py, issue 17 point 2): the same file as WeasyPrint's own, every
box of a repeated text still drawn at its place, and nothing kept from one report to the next."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.layout import inline

from reports.data import build_report
from reports.renderers import pdf, repeated_text, svg_text
from tests.reports.pdf_shortcuts import with_and_without
from tests.reports.test_pdf_written_once import _report_file
from tests.reports.test_report_data import TODAY, setup_program

# Figures that repeat in cells that do not wrap (in two sizes, one bold, one coloured, one with a
# trailing space WeasyPrint strips from the box but not from its layout), beside what goes to WeasyPrint:
# wrapping text, an underlined and an ellipsed figure, a tab in `pre`.
PAGE = (
    '<html lang="vi"><head><style>td { border: 0.5pt solid #000; padding: 1mm; white-space: nowrap;'
    " text-align: right } .small { font-size: 8pt } .b { font-weight: bold } .red { color: #c8102e }"
    " .u { text-decoration: underline } .e { width: 8mm; overflow: hidden; text-overflow: ellipsis }"
    " .wrap { white-space: normal }</style></head><body>"
    '<table style="width:100%;border-collapse:collapse;table-layout:fixed"><tbody>'
    + "".join(
        f'<tr><td>{n % 3}</td><td class="small">{(n * 7) % 5}</td><td class="b">100</td>'
        f'<td class="red">– </td><td class="u">{n % 2}</td><td class="e">12.345.678</td>'
        '<td class="wrap">Không có chỉ tiêu riêng cho đơn vị</td></tr>'
        for n in range(60)
    )
    + "</tbody></table><pre>a\tb</pre></body></html>"
)


def _file(document: HTML) -> bytes:
    return document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)


def test_repeated_figures_make_the_same_file():
    document = HTML(string=PAGE)
    ours, theirs = with_and_without(repeated_text, lambda: _file(document))
    assert len(PdfReader(io.BytesIO(ours)).pages) > 1  # the table runs on over the pages
    assert ours == theirs


def test_each_repeated_figure_is_drawn_at_its_place():
    assert repeated_text.install()
    pages = PdfReader(io.BytesIO(_file(HTML(string=PAGE)))).pages
    assert sum(page.extract_text().count("100") for page in pages) == 60  # a row each, though laid out once


def test_a_text_is_laid_out_by_weasyprint_once_per_report_and_again_in_the_next(monkeypatch):
    assert repeated_text.install()
    asked = []
    real = repeated_text.weasyprint_split_first_line

    def counted(text, *args, **kwargs):
        asked.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(repeated_text, "weasyprint_split_first_line", counted)
    document = HTML(string=PAGE)
    _file(document)
    first = list(asked)
    asked.clear()
    _file(document)
    assert first.count("100") == 1  # sixty bold cells, one layout
    assert first.count("Không có chỉ tiêu riêng cho đơn vị") >= 60  # text that wraps: every box
    assert asked == first  # nothing kept from the first report


def _chart(number: int) -> str:
    """A chart's labels as charts.py writes them: the axis's numbers anchored at their end, a legend."""
    labels = "".join(
        f'<text x="40" y="{100 - tick}" font-size="10" text-anchor="end" fill="#555">{tick}</text>'
        for tick in (0, 25, 50, 75, 100)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120" '
        f'font-family="{pdf.FAMILY}">{labels}<text x="50" y="115" font-size="10" fill="#222">Chỉ tiêu</text>'
        f'<text x="150" y="115" font-size="9.5" font-weight="bold" fill="#222">Biểu đồ {number}</text></svg>'
    )
    return f'<img src="{pdf._as_image(svg)}" alt="" />'


def test_repeated_chart_labels_are_laid_out_once_and_make_the_same_file(monkeypatch):
    html = f'<html lang="vi"><body>{"".join(_chart(n) for n in range(4))}</body></html>'
    laid_out = []
    real = svg_text.split_first_line

    def counted(text, style, *args, **kwargs):
        laid_out.append((text, style["font_size"], style["font_weight"]))
        return real(text, style, *args, **kwargs)

    monkeypatch.setattr(svg_text, "split_first_line", counted)
    ours = _report_file(html)
    assert sorted(laid_out) == sorted(set(laid_out)) and len(laid_out) == 6 + 4  # the axis and legend once
    laid_out.clear()
    monkeypatch.setattr(svg_text, "KEEP_LABELS", False)
    theirs = _report_file(html)
    assert len(laid_out) == 4 * 7
    assert ours == theirs


def test_a_report_with_repeated_figures_is_the_same_file(cast, monkeypatch):
    prog, year = setup_program(cast)
    context = pdf.report_context(build_report(cast.district, prog, year, today=TODAY))
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    ours = _report_file(html)  # the first render installs it
    assert inline.split_first_line is repeated_text.split_first_line
    repeated_text.uninstall()
    monkeypatch.setattr(svg_text, "KEEP_LABELS", False)
    try:
        theirs = _report_file(html)
    finally:
        assert repeated_text.install()
    assert ours == theirs
