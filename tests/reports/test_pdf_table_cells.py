"""Table cells of one line laid out once per report for their kind (reports/renderers/table_cells.py) and
collapsed borders resolved with each style's sides looked up once (collapsed_grid.py), issue 17 point 2:
the same file as WeasyPrint's own, for pages made to reach every path and for a district's report of sixty
base unions; the grid and the borders' widths the same; nothing kept from one report to the next."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout.table import collapse_table_borders as weasyprint_collapse_table_borders

from indicators.models import ValueType
from organizations.models import Sector
from reports import rollups
from reports.data import build_report
from reports.renderers import cascade, collapsed_grid, pdf, table_cells
from tests import builders, factories
from tests.reports.pdf_shortcuts import with_and_without
from tests.reports.test_pdf_written_once import _report_file
from tests.reports.test_report_data import TODAY

CELL = "border: 0.5pt solid #000; padding: 1mm"
# Figures that repeat in a column (plain, bold, coloured, in cells that wrap and cells that do not), a table
# long enough to run over three pages with its header repeated, beside what goes to WeasyPrint: a cell of
# two lines, an inline element, cells aligned in the middle and at the bottom, a cell of fixed height, spans.
PAGE = (
    f'<html lang="vi"><head><style>td, th {{ {CELL} }} .n {{ white-space: nowrap; text-align: right }}'
    " .b { font-weight: bold } .red { color: #c8102e } .mid { vertical-align: middle }"
    " .bottom { vertical-align: bottom } .tall { height: 12mm } .narrow { width: 6mm }</style></head><body>"
    '<table style="width:100%;border-collapse:collapse;table-layout:fixed"><thead><tr><th>STT</th><th>Đơn vị</th>'
    "<th>A</th><th>B</th><th>C</th><th>D</th><th>E</th></tr></thead><tbody>"
    + "".join(
        f"<tr><td>{n}</td><td>{'CĐCS Trường tiểu học số ' * (1 + n % 3)}{n}</td>"
        f'<td class="n">{n % 3}</td><td class="n b">100</td><td class="n red">–</td>'
        f'<td class="{("mid", "bottom", "tall", "n")[n % 4]}">{n % 2}</td>'
        f"<td>{'<b>7</b>' if n % 5 == 0 else '7'}</td></tr>"
        for n in range(90)
    )
    + '<tr><td rowspan="2">x</td><td colspan="2">1</td><td>1</td><td>1</td><td>1</td><td>1</td></tr>'
    '<tr><td>1</td><td class="narrow">1 2 3 4 5</td><td>1</td><td>1</td><td>1</td><td>1</td></tr>'
    "</tbody></table>"
    '<table style="border-collapse:separate"><tr><td>1</td><td>1</td></tr><tr><td>1</td><td>1</td></tr></table>'
    '<table dir="rtl" style="border-collapse:collapse"><tr><td>1</td><td>1</td></tr><tr><td>1</td><td>1</td></tr>'
    "</table></body></html>"
)


def _file(document: HTML) -> bytes:
    return document.render().write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True)


def test_repeated_cells_make_the_same_file():
    document = HTML(string=PAGE)
    ours, theirs = with_and_without(table_cells, lambda: _file(document))
    assert len(PdfReader(io.BytesIO(ours)).pages) >= 3  # the table runs on over the pages
    assert ours == theirs


def test_each_repeated_cell_is_drawn_at_its_place():
    assert table_cells.install()
    pages = PdfReader(io.BytesIO(_file(HTML(string=PAGE)))).pages
    assert sum(page.extract_text().count("100") for page in pages) == 90  # a row each, though laid out once


def test_a_cell_is_laid_out_by_weasyprint_once_per_kind_and_report_and_again_in_the_next(monkeypatch):
    assert table_cells.install()
    asked = []
    real = table_cells.weasyprint_block_container_layout

    def counted(context, box, bottom_space, skip_stack, *args):
        if isinstance(box, boxes.TableCellBox) and skip_stack is None:  # not the rest of a row split over pages
            lines = [getattr(line, "children", ()) for line in box.children]
            texts = (getattr(child, "text", "<inline>") for children in lines for child in children)
            asked.append(" ".join(texts))
        return real(context, box, bottom_space, skip_stack, *args)

    monkeypatch.setattr(table_cells, "weasyprint_block_container_layout", counted)
    document = HTML(string=PAGE)
    _file(document)
    first = list(asked)
    asked.clear()
    _file(document)
    assert first.count("100") <= 5  # ninety bold cells: the first, and two at the foot of each page
    assert first.count("–") <= 5
    assert first.count("<inline>") == 18  # a bold figure in a cell: every one
    assert len(first) < 400  # of 670 cells (a header is laid out again on each page)
    assert asked == first  # nothing kept from the first report


def _tables(document) -> list:
    return [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TableBox) and box.style["border_collapse"] == "collapse"
    ]


def _grid_and_widths(resolve, table) -> tuple:
    width = max(
        cell.grid_x + cell.colspan for group in table.children for row in group.children for cell in row.children
    )
    height = sum(len(group.children) for group in table.children)
    grid = resolve(table, width, height)
    sides = ("top", "right", "bottom", "left")
    every = [table, *table.children, *(row for group in table.children for row in group.children)]
    every += [cell for group in table.children for row in group.children for cell in row.children]
    return grid, [tuple(getattr(box, f"border_{side}_width") for side in sides) for box in every]


BORDERS = [
    "td { border: 1px solid red } tr:nth-child(2) { border: 3px double blue }",
    "td { border: 2px dashed #000 } td:first-child { border-left: 4px hidden } table { border: 3px solid green }",
    "td { border: 1px inset #333 } col:first-child { border: 2px outset #999 } colgroup { border: 5px dotted }",
    "td { border: 0 none } tbody { border: 2px groove #000 } td.b { border-top: 2px ridge red }",
]


@pytest.mark.parametrize("rules", BORDERS)
def test_the_collapsed_grid_and_the_borders_widths_are_weasyprints(rules):
    page = (
        f"<html><head><style>{rules}</style></head><body>"
        '<table style="border-collapse:collapse"><colgroup><col><col></colgroup>'
        '<tbody><tr><td class="b">1</td><td rowspan="2">2</td><td>3</td></tr>'
        '<tr><td colspan="1">4</td><td>5</td></tr><tr><td colspan="3" class="b">6</td></tr></tbody></table>'
        "</body></html>"
    )
    document = HTML(string=page)
    (ours, theirs) = with_and_without(collapsed_grid, lambda: _file(document))
    assert ours == theirs
    for table in _tables(document.render()):
        assert _grid_and_widths(collapsed_grid.collapse_table_borders, table) == _grid_and_widths(
            weasyprint_collapse_table_borders, table
        )


def test_the_collapsed_grid_makes_the_same_file():
    document = HTML(string=PAGE)
    ours, theirs = with_and_without(collapsed_grid, lambda: _file(document))
    assert ours == theirs


def setup_district(cast, branches: int = 60):
    """A district of `branches` base unions whose figures repeat, as a real district's do: a rating and a
    count with a few values among them, a base union or two that did not report."""
    rating = builders.element("rating_1294", ValueType.CHOICE)
    members = builders.element("members_joined")
    year = builders.period("2024")
    units = [cast.branch] + [
        factories.make_branch(cast.district, code=f"XP-A-{n:02d}", name=f"CĐCS Trường {n}", sector=Sector.SCHOOL)
        for n in range(2, branches + 1)
    ]
    for n, unit in enumerate(units):
        if n % 17 == 5:
            continue
        builders.report(rating, unit, year, ("good", "done", "excellent")[n % 3])
        builders.report(members, unit, year, (0, 1, 10, 100)[n % 4])
    prog = builders.program(cast.province, code="XP-DIST")
    builders.indicator(
        prog,
        "organizations_share",
        code="1",
        name="CĐCS tốt",
        unit="%",
        element=rating,
        min_choice="good",
        target_value=85,
    )
    builders.indicator(
        prog, "reported_sum", code="2", name="Đoàn viên mới", unit="người", element=members, target_value=5
    )
    rollups.refresh()
    return prog, year


def _district_html(cast) -> str:
    prog, year = setup_district(cast)
    context = pdf.report_context(build_report(cast.district, prog, year, today=TODAY))
    with translation.override("vi"):
        return render_to_string("reports/pdf/report.html", context)


def test_a_districts_report_is_the_same_file_with_its_cells_laid_out_once_per_kind(cast, monkeypatch):
    html = _district_html(cast)
    _report_file(html)  # the first render installs every shortcut
    copies = []
    real = table_cells._copy

    def counted(*args):
        placed = real(*args)
        copies.append(placed is not None)
        return placed

    monkeypatch.setattr(table_cells, "_copy", counted)
    ours, theirs = with_and_without(table_cells, lambda: _report_file(html))
    pages = PdfReader(io.BytesIO(ours)).pages
    assert len(pages) >= 4  # the report, its annex of sixty rows over pages, its charts
    assert "CĐCS Trường 60" in "".join(page.extract_text() for page in pages)
    assert copies.count(True) >= 50  # most of the annex's figures (sixty of them)
    assert ours == theirs


@pytest.mark.parametrize("shortcut", [collapsed_grid, cascade], ids=["collapsed_grid", "cascade"])
def test_a_districts_report_is_the_same_file_with_its_borders_resolved_per_style_and_its_cascade_shared(cast, shortcut):
    html = _district_html(cast)
    _report_file(html)
    ours, theirs = with_and_without(shortcut, lambda: _report_file(html))
    assert ours == theirs
