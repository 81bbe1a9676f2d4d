"""The PDF renderer's shortcuts (issue 17 point 2) change nothing a reader sees: the fonts and the
stylesheet kept from one report to the next, the cut-down user-agent stylesheet, the XML parse of
the template, the charts' labels drawn in one run, the lines placed without a search for floats and
the tables' rules drawn whole give the text, the pages and the page numbers WeasyPrint gives unaided (test_pdf_written_once.py
checks the file's bytes)."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image, ImageChops
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.svg import SVG
from weasyprint.text.fonts import FontConfiguration

from indicators.status import STATUSES
from reports.data import build_report
from reports.fonts import report_font
from reports.renderers import (
    collapsed_grid,
    layout_shortcuts,
    no_floats,
    pdf,
    pdf_file,
    svg_text,
    table_borders,
    table_cells,
)
from tests.reports.test_report_data import TODAY, setup_program

MM = 72 / 25.4


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def unaided_pdf(data) -> bytes:
    """The same report as WeasyPrint renders it with its own defaults: a fresh font configuration and
    stylesheet, the full user-agent stylesheet, its HTML5 parser, SVG text letter by letter, its own
    search for floats beside each line, each cell's border drawn alone, its own questions to each box,
    each table cell laid out and each collapsed border resolved on its own, pydyf writing the file."""
    context = pdf.report_context(data)
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    css = render_to_string(
        "reports/pdf/report.css",
        {
            "family": pdf.FAMILY,
            "font": report_font(),
            "status_styles": [(info.code.value, info.colour) for info in STATUSES],
        },
    )
    fonts = FontConfiguration()
    svg_text.uninstall()
    no_floats.uninstall()
    table_borders.uninstall()
    layout_shortcuts.uninstall()
    table_cells.uninstall()
    collapsed_grid.uninstall()
    pdf_file.uninstall()
    try:
        return HTML(string=html, base_url="/").write_pdf(
            stylesheets=[CSS(string=css, font_config=fonts)], font_config=fonts, pdf_variant="pdf/a-3u", pdf_tags=True
        )
    finally:
        svg_text.install()
        no_floats.install()
        table_borders.install()
        layout_shortcuts.install()
        table_cells.install()
        collapsed_grid.install()
        pdf_file.install()


def test_the_kept_fonts_and_stylesheet_give_the_text_and_pages_of_a_fresh_render(cast, tmp_path):
    prog, year = setup_program(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    pdf._idle.clear()
    first = pdf.render_pdf(data)
    assert len(pdf._idle) == 1
    kept = pdf._idle[0]
    second = pdf.render_pdf(data)
    assert pdf._idle == [kept]  # the second report reused the first one's fonts and stylesheet
    assert page_texts(second) == page_texts(first)
    unaided_content = unaided_pdf(data)
    unaided = page_texts(unaided_content)
    # The same words in the same order: the charts' anchored labels are no longer each in a group of
    # their own, which pypdf read as a line each (svg_text.py: draw_node).
    assert [text.split() for text in page_texts(second)] == [text.split() for text in unaided]
    assert any("Phụ lục II" in text for text in unaided)  # the charts' annex is part of the comparison
    if shutil.which("pdftoppm"):  # and every page looks the same
        (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
        for ours, theirs in zip(
            _pictures(second, tmp_path / "a"), _pictures(unaided_content, tmp_path / "b"), strict=True
        ):
            assert ours.size == theirs.size
            ink = sum(theirs.histogram()[:128])
            assert sum(ImageChops.difference(ours, theirs).histogram()[65:]) <= ink * 0.01


def number_positions(content: bytes, page_index: int) -> list[tuple[str, float, float]]:
    """(digits, x of their centre from the page's centre in mm, y from the top in mm) on a page."""
    page = PdfReader(io.BytesIO(content)).pages[page_index]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip().isdigit():
            x = tm[4] * cm[0] + cm[4] + size * 0.25 * len(text.strip())  # a digit is half an em wide
            found.append((text.strip(), (x - width / 2) / MM, (height - tm[5] * cm[3] - cm[5]) / MM))

    page.extract_text(visitor_text=visit)
    return found


def test_page_numbers_stay_top_centre_from_page_two_none_on_page_one(cast):
    prog, year = setup_program(cast)
    content = pdf.render_pdf(build_report(cast.district, prog, year, today=TODAY))
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 3
    assert not [n for n in number_positions(content, 0) if n[2] < 20]
    for index in range(1, len(pages)):
        top = [(text, x) for text, x, y in number_positions(content, index) if y < 20]
        assert [text for text, _ in top] == [str(index + 1)], index
        # Centred over the text block: the left margin (30 mm, 25 mm on a landscape annex page) is wider
        # than the right one, so the centre of the text block is a few millimetres right of the page's.
        assert 0 < top[0][1] < 10, (index, top)


LABELS = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120" width="400" height="120" '
    'font-family="{font}" role="img" aria-label="thử">'
    '<text x="200" y="20" font-size="10" text-anchor="end" fill="#555">1.250,5</text>'
    '<text x="200" y="40" font-size="10" text-anchor="middle" fill="#222">Đoàn viên kết nạp mới</text>'
    '<text x="20" y="60" font-size="9.5" fill="#222">91 đơn vị có số liệu, xếp từ cao đến thấp</text>'
    '<text x="120" y="100" font-size="9" text-anchor="end" transform="rotate(-35 120 100)">CĐCS Trường THCS…</text>'
    '<text x="20" y="80" font-size="10">Chỉ <tspan font-weight="bold">tiêu</tspan> của đơn vị</text>'
    "</svg>"
)


def _pictures(content: bytes, folder, dpi: int = 60) -> list[Image.Image]:
    (folder / "doc.pdf").write_bytes(content)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", folder / "doc.pdf", folder / "page"], check=True)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page*.png"))]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) draws the pages")
def test_a_chart_label_drawn_in_one_run_looks_as_weasyprint_draws_it_letter_by_letter(tmp_path):
    svg = LABELS.format(font=report_font().name)
    html = f'<img style="width:160mm" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    svg_text.uninstall()
    try:
        letters = HTML(string=html).write_pdf()
    finally:
        assert svg_text.install()
    one_run = HTML(string=html).write_pdf()
    assert page_texts(one_run) == page_texts(letters)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    (before,), (after,) = _pictures(letters, tmp_path / "a", 150), _pictures(one_run, tmp_path / "b", 150)
    assert before.size == after.size
    ink = sum(before.histogram()[:128])
    changed = sum(ImageChops.difference(before, after).histogram()[65:])
    assert ink > 2000  # the labels are there to compare
    assert changed < ink * 0.01, (changed, ink)  # anti-aliasing of a glyph edge here and there, no more


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) draws the pages")
def test_labels_anchored_at_their_end_or_middle_are_drawn_in_place_without_a_group_of_their_own(tmp_path):
    svg = LABELS.format(font=report_font().name)
    html = f'<img style="width:160mm" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    assert svg_text.install()
    in_place = HTML(string=html).write_pdf()
    SVG.draw_node = svg_text.weasyprint_draw_node  # one run each, but grouped and moved as WeasyPrint does
    try:
        grouped = HTML(string=html).write_pdf()
    finally:
        svg_text.uninstall()
        assert svg_text.install()
    assert SVG.draw_node is svg_text.draw_node
    # Three anchored labels (one of them turned), each a form XObject of its own in WeasyPrint's way.
    assert grouped.count(b"/Subtype /Form") - in_place.count(b"/Subtype /Form") == 3
    assert [text.split() for text in page_texts(in_place)] == [text.split() for text in page_texts(grouped)]
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    for dpi in (60, 300):
        (before,), (after,) = _pictures(grouped, tmp_path / "a", dpi), _pictures(in_place, tmp_path / "b", dpi)
        assert ImageChops.difference(before, after).getbbox() is None  # not a pixel moved


def test_the_reports_html_is_well_formed_xml_so_expat_parses_it(cast):
    """A void element left open or a named entity in the template would send every report through
    WeasyPrint's pure-Python HTML5 parser again, silently: the template must stay XML."""
    from xml.etree.ElementTree import fromstring

    prog, year = setup_program(cast)
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", pdf.report_context(build_report(cast.district, prog, year)))
    root = fromstring(html)  # noqa: S314 - our template's output
    assert root.tag == "html" and root.get("lang") == "vi"
    assert [table.find("tbody") is not None for table in root.iter("table")] == [True] * len(list(root.iter("table")))
    # The same tree and base URL as WeasyPrint's HTML5 parser gives.
    ours, theirs = pdf._ReportHTML(string=html, base_url="/"), HTML(string=html, base_url="/")
    assert ours.base_url == theirs.base_url

    def shape(element):
        return [
            (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), (e.tail or "").strip()) for e in element.iter()
        ]

    assert shape(ours.etree_element) == shape(theirs.etree_element)


def test_a_document_expat_refuses_is_parsed_as_html():
    parsed = pdf._ReportHTML(string="<!DOCTYPE html><html><body><p>CĐCS\x0b A<br>B</p></body></html>", base_url="/")
    assert [element.tag for element in parsed.etree_element.iter()][:4] == ["html", "head", "body", "p"]
