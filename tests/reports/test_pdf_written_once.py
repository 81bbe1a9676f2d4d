"""The PDF's last shortcuts (issue 17 point 2) make the same file, or the same pages: its objects
serialised once (reports/renderers/pdf_file.py), lines placed without a search for floats when there
is none (no_floats.py), a table's rules drawn whole (table_borders.py), four of WeasyPrint's questions
per box answered in fewer steps (layout_shortcuts.py), and the garbage collector paused while a report
renders and on again after."""

from __future__ import annotations

import gc
import io
import shutil
import threading
import zlib

import pydyf
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from PIL import ImageChops
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

from reports.data import build_report
from reports.renderers import layout_shortcuts, no_floats, pdf, pdf_file, table_borders
from tests.reports.pdf_shortcuts import with_and_without
from tests.reports.test_pdf_render_cache import _pictures, page_texts
from tests.reports.test_report_data import TODAY, setup_program

# Lines, a table over two pages with a repeated header, a float with text beside it, a right-to-left
# paragraph: every path of avoid_collisions, WeasyPrint's and ours.
PAGE = (
    '<html lang="vi"><head><style>td, th { border: 0.5pt solid #000; padding: 1mm }</style></head>'
    '<body style="font-size:11pt">'
    "<p>Báo cáo kết quả thực hiện các chỉ tiêu của chương trình, năm 2024, đơn vị trực thuộc.</p>"
    '<table style="width:100%;border-collapse:collapse;table-layout:fixed"><thead><tr><th>STT</th><th>Đơn vị</th>'
    "<th>DV</th></tr></thead><tbody>"
    + "".join(
        f'<tr><td>{n}</td><td>CĐCS đơn vị {n}</td><td style="text-align:right">{n * 7}</td></tr>' for n in range(70)
    )
    + '</tbody></table><div style="float:left;width:30mm;height:20mm;border:1pt solid #000"></div>'
    "<p>Đoạn văn chạy bên cạnh khung nổi, xuống nhiều dòng để thấy dòng được đặt cạnh khung nổi. "
    * 4
    + '</p><p dir="rtl">نص من اليمين إلى اليسار</p></body></html>'
)


def test_lines_placed_without_a_search_for_floats_make_the_same_file():
    document = HTML(string=PAGE)
    assert no_floats.install()
    ours = document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    no_floats.uninstall()
    try:
        theirs = document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    finally:
        no_floats.install()
    assert len(PdfReader(io.BytesIO(ours)).pages) == 3  # the table runs on over the pages, its header repeated
    assert ours == theirs


def test_the_layout_shortcuts_make_the_same_file():
    document = HTML(string=PAGE)
    assert layout_shortcuts.install()
    ours = document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    layout_shortcuts.uninstall()
    try:
        theirs = document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    finally:
        assert layout_shortcuts.install()
    assert ours == theirs


def _walks(document: HTML) -> list:
    """Each page's boxes as WeasyPrint walks them: with the absolute boxes' placeholders and without."""
    pages = document.render().pages
    return [
        [(type(box).__name__, box.element_tag) for box in page._page_box.descendants(placeholders)]
        for page in pages
        for placeholders in (False, True)
    ]


def test_a_pages_boxes_are_walked_in_weasyprints_order():
    page = PAGE.replace("<p>", '<div style="position:absolute;top:5mm">Ô tuyệt đối</div><p>', 1)  # a placeholder
    ours, theirs = with_and_without(layout_shortcuts, lambda: _walks(HTML(string=page)))
    assert any(len(walk) > 100 for walk in ours)
    assert any(name == "AbsolutePlaceholder" for walk in ours for name, _ in walk)  # yielded as it is
    assert ours == theirs


def _report_file(html: str) -> bytes:
    with pdf._stylesheet() as (fonts, stylesheet):
        document = pdf._ReportHTML(string=html, base_url="/").render(
            font_config=fonts, stylesheets=[stylesheet], pdf_variant="pdf/a-3u", pdf_tags=True
        )
        return document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True, finisher=pdf_file.write_once)


def test_a_report_laid_out_with_the_shortcuts_is_the_same_file(cast):
    prog, year = setup_program(cast)
    context = pdf.report_context(build_report(cast.district, prog, year, today=TODAY))
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    ours = _report_file(html)  # the first render installs them
    assert inline.strut is layout_shortcuts.strut
    layout_shortcuts.uninstall()
    try:
        theirs = _report_file(html)
    finally:
        assert layout_shortcuts.install()
    assert len(PdfReader(io.BytesIO(ours)).pages) >= 3  # the report, its table of branches, its charts
    assert ours == theirs


def _without_table_borders(document: HTML) -> bytes:
    table_borders.uninstall()
    try:
        return document.write_pdf()
    finally:
        table_borders.install()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) draws the pages")
def test_a_tables_rules_drawn_whole_look_as_its_cells_borders(tmp_path):
    document = HTML(string=PAGE)
    assert table_borders.install()
    ours, theirs = document.write_pdf(), _without_table_borders(document)
    assert len(ours) < len(theirs)  # a line per rule, not per cell side
    assert page_texts(ours) == page_texts(theirs)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    for mine, its in zip(_pictures(ours, tmp_path / "a", 100), _pictures(theirs, tmp_path / "b", 100), strict=True):
        assert ImageChops.difference(mine, its).getbbox() is None


def test_a_table_with_borders_of_two_colours_or_styles_is_drawn_by_weasyprint():
    for rule in ("td { border-color: red }", "td { border-style: dashed }"):
        document = HTML(string=PAGE.replace("</style>", f"{rule}</style>"))
        assert table_borders.install()
        assert document.write_pdf() == _without_table_borders(document)


# A table over pages with its header and footer repeated, right to left: every row number of WeasyPrint's.
SPLIT_TABLE = (
    '<table dir="rtl" style="border-collapse:collapse"><thead><tr><th>a</th><th>b</th></tr></thead>'
    "<tfoot><tr><td>f</td><td>g</td></tr></tfoot>" + "<tr><td>1</td><td>2</td></tr>" * 120 + "</table>"
)


@pytest.mark.parametrize("page", [PAGE, SPLIT_TABLE], ids=["page", "split"])
def test_a_tables_rules_are_the_lines_weasyprint_places(page):
    document = HTML(string=page).render()
    tables = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TableBox) and box.style["border_collapse"] == "collapse"
    ]
    assert len(tables) >= 2  # a table's part on each page
    for table in tables:
        placed = table_borders._Lines()
        table_borders.weasyprint_draw_collapsed_borders(placed, table)
        assert table_borders._lines(table) == (placed.lines, placed.pens)


def test_objects_serialised_once_make_pydyfs_file_at_its_compression(monkeypatch):
    document = HTML(string=PAGE).render()
    theirs = document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    monkeypatch.setattr(pdf_file, "LEVEL", 9)
    assert document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True, finisher=pdf_file.write_once) == theirs


def test_every_stream_is_compressed_once_at_the_kept_level_weasyprints_page_streams_too(monkeypatch):
    document = HTML(string=PAGE).render()
    levels = []
    compressobj = zlib.compressobj

    def counted(*args, level=-1, **kwargs):
        levels.append(level)
        return compressobj(*args, level=level, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", counted)
    content = document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True, finisher=pdf_file.write_once)
    assert len(PdfReader(io.BytesIO(content)).pages) == 3  # three page streams, WeasyPrint's own kind
    assert set(levels) == {pdf_file.LEVEL}
    assert len(levels) == content.count(b"/FlateDecode")


def test_the_page_references_are_kept_while_the_pages_stay_the_same():
    assert pdf_file.install()
    made = pydyf.PDF()
    first = made.page_references
    assert made.page_references is first and first == ()
    made.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert made.page_references == (f"{made.objects[-1].number} 0 R".encode(),)
    pdf_file.uninstall()
    try:
        assert pydyf.PDF.page_references.fget(made) == made.__dict__["_kept_page_references"][1]
    finally:
        assert pdf_file.install()


def test_the_file_written_once_has_its_identifier_and_reads_the_same():
    document = HTML(string=PAGE).render()
    written = []

    def finisher(document, pdf):
        pdf_file.write_once(document, pdf)
        written.append(type(pdf))

    ours = document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True, finisher=finisher)
    theirs = document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)
    assert written == [pdf_file.OnceWrittenPDF] if pydyf.__version__ == pdf_file.SUPPORTED_VERSION else [pydyf.PDF]
    ours_read, theirs_read = PdfReader(io.BytesIO(ours)), PdfReader(io.BytesIO(theirs))
    first, second = ours_read.trailer["/ID"]
    assert len(first) == len(second) == 32  # the hash of the objects, as pydyf makes it
    assert [p.extract_text() for p in ours_read.pages] == [p.extract_text() for p in theirs_read.pages]
    assert "/StructTreeRoot" in ours_read.trailer["/Root"]


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_while_reports_render_and_on_after(cast, collector_on, monkeypatch):
    prog, year = setup_program(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    seen = []
    real = HTML.render

    def render(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pdf._ReportHTML, "render", render)
    pdf.render_pdf(data, charts=False)
    assert seen == [False] and gc.isenabled()
    # Two renders at once: on again only when both are done.
    pause, inside, release = pdf._CollectorPause(), threading.Event(), threading.Event()

    def other():
        with pause():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with pause():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other render is still going
    release.set()
    thread.join()
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off(collector_on):
    gc.disable()
    with pdf._CollectorPause()():
        assert not gc.isenabled()
    assert not gc.isenabled()
