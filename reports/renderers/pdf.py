"""The PDF of "Báo cáo kết quả thực hiện" (WeasyPrint), in the official layout.

Query → ReportData (reports/data.py) → this renderer. The HTML template is
reports/templates/reports/pdf/report.html; fonts are the files reports/fonts.py found,
checked to hold every Vietnamese letter.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import gc
import threading
from collections.abc import Iterator
from decimal import Decimal
from xml.etree.ElementTree import ParseError, SubElement, fromstring, tostring

import cssselect2
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.pdf.metadata import NS, DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, ensure_url

from indicators.status import LEGEND, STATUSES, status_label
from unionportal.templatetags.vn import num

from ..data import ReportData
from ..drafting import SectionText, drafted_texts
from ..fonts import report_font
from . import (
    cascade,
    collapsed_grid,
    layout_shortcuts,
    no_floats,
    pdf_file,
    repeated_text,
    svg_paths,
    svg_text,
    table_borders,
    table_cells,
)
from .charts import report_charts
from .document import ANNEX_NUMERALS, annex_note, facts_for, heading_lines, period_phrase
from .pdf_file import write_once

# The family report.css declares with the four faces of reports/fonts.py. The charts' labels name it
# too: the PDF then embeds those four faces and no fifth one, and fontconfig cannot hand the charts
# another version of the font under the same name (reports/fonts.py).
FAMILY = "Report Serif"


def status_words(figure) -> str:
    """The status as the report writes it (the table of indicators/status.py, rendered in Vietnamese);
    a figure without a target is not "no data"."""
    return figure.status_text


def status_summary(counts: dict) -> list[tuple[str, str, int]]:
    """(code, label, count) for every status of the legend, zeros included, for the summary's sentence."""
    return [(code, status_label(code), counts.get(code, 0)) for code in (status.value for status in LEGEND)]


def _as_image(svg: str) -> str:
    """The chart as an <img> of SVG: WeasyPrint draws it without parsing and styling it as part
    of the page, which is most of the cost of a report with two charts per indicator."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def comparison(data: ReportData) -> dict:
    """The table comparing the children: a column per indicator a child has a figure of its own for
    (a base union's share of workplaces, or its count of base unions, is no figure of its own), and a
    row per child with its figures in column order, looked up once rather than cell by cell."""
    branches_only = bool(data.children) and all(c["level"] == "base" for c in data.children)
    indicators = [i for i in data.indicators if i.fits_a_branch or not branches_only]
    by_child = [{f.organization: f for f in ind.children} for ind in indicators]
    rows = []
    for child in data.children:
        figures = [figures.get(child["code"]) for figures in by_child]
        rows.append({"child": child, "figures": figures, "cells": AnnexCells(figures)})
    # Whether some child is measured against a target allocated to it (or should be, and is not).
    allocated = any(f.target_source in ("allocated", "unallocated") for ind in indicators for f in ind.children)
    return {"indicators": indicators, "rows": rows, "branches_only": branches_only, "allocated": allocated}


class AnnexCells:
    """A row's figure cells in the annex's table, written when the template prints them (in its language,
    Vietnamese) with the very markup its loop wrote cell by cell: the loop's tags over a district's 910
    cells were a third of the template's time (22–27 ms → 16 ms; tests/reports/test_pdf_annex_cells.py)."""

    def __init__(self, figures: list) -> None:
        self.figures = figures

    def __html__(self) -> str:
        return mark_safe("".join([_annex_cell(figure) for figure in self.figures]))  # noqa: S308 - escaped below

    __str__ = __html__


def _annex_cell(figure) -> str:
    status = "" if figure is None else figure.status
    if not figure:
        return format_html('<td class="num {}">–</td>', status)
    own = ""
    if figure.target_source == "allocated":
        own = format_html('<div class="own-target">CT: {}</div>', render_to_string(TARGET_TEMPLATE, {"f": figure}))
    elif figure.unallocated:
        own = mark_safe('<div class="own-target">chưa phân bổ</div>')  # noqa: S308 - our own words
    return format_html('<td class="num {}">{}{}</td>', status, num(figure.actual), own)


TARGET_TEMPLATE = "reports/pdf/_target.html"


def report_context(
    data: ReportData,
    narrative=None,
    *,
    kind: str = "periodic",
    charts: bool = True,
    texts: dict[str, SectionText] | None = None,
) -> dict:
    """What the template reads; `texts` are sections I–III as the report shows them (reports/narratives.py:
    report_texts), drafted from `data` when not given."""
    font = report_font()
    facts = facts_for(data, narrative, kind)
    counts = data.status_counts
    table = comparison(data)
    chart_list = _charts(data, table, FAMILY) if charts else []
    annexes = [name for name, present in (("branches", bool(data.children)), ("charts", bool(chart_list))) if present]
    return {
        "data": data,
        "narrative": narrative,
        "texts": texts or drafted_texts(data),
        "font": font,
        **heading_lines(facts, data, kind),
        "facts": facts,
        "period_phrase": period_phrase(data.period),
        "recipients": facts["recipients"],
        "status_summary": status_summary(counts),
        "coverage_sentence": data.coverage_sentence(),
        "tree_sentence": data.tree_sentence(),
        "strict_codes": [i.code for i in data.indicators if i.strict],
        "threshold": Decimal(data.coverage["threshold"]) if data.coverage.get("threshold") else None,
        "counts": counts,
        "total": sum(counts.values()),
        "comparison": table,
        "charts": chart_list,
        "annex_numbers": {name: ANNEX_NUMERALS[i] for i, name in enumerate(annexes)},
        "annex_note": annex_note(facts, data.organization),
        "signer_on_behalf": facts["signer_on_behalf"],
        "signer_title": facts["signer_title"],
        "signer_name": facts["signer_name"],
        "author": data.organization["name"],
        "description": _description(heading_lines(facts, data, kind)["subject"]),
        "created": _w3c(data.generated_at),
        "modified": _w3c(datetime.datetime.now(datetime.UTC).isoformat()),
    }


def _charts(data: ReportData, table: dict, font: str) -> list[dict]:
    """One chart per indicator (charts.report_charts), as images of the page."""
    return [
        {"indicator": indicator, "images": [_as_image(svg) for svg in svgs]}
        for indicator, svgs in report_charts(data, branches_only=table["branches_only"], font=font)
    ]


def _description(subject: str) -> str:
    """The PDF's Subject: "Báo cáo kết quả năm 2024 thực hiện Chương trình số …"."""
    return f"Báo cáo {subject[:1].lower()}{subject[1:]}"


def _w3c(stamp: str) -> str:
    """An ISO timestamp as the PDF's XMP dates take it (seconds, with the zone)."""
    moment = datetime.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.replace(microsecond=0).isoformat()


def render_pdf(
    data: ReportData,
    narrative=None,
    *,
    kind: str = "periodic",
    charts: bool = True,
    texts: dict[str, SectionText] | None = None,
) -> bytes:
    """The report as PDF/A-3u, tagged (a screen reader follows the tables), with its XMP metadata."""
    context = report_context(data, narrative, kind=kind, charts=charts, texts=texts)
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    with _stylesheet() as (fonts, stylesheet), _collector_paused():
        # The faces come from full TrueType files (reports/fonts.py); WeasyPrint embeds the glyphs used.
        document = _ReportHTML(string=html, base_url="/").render(
            font_config=fonts, stylesheets=[stylesheet], pdf_variant="pdf/a-3u", pdf_tags=True
        )
        document.metadata.__class__ = _XmpWithLanguage
        content = document.write_pdf(pdf_variant="pdf/a-3u", pdf_tags=True, finisher=write_once)
        del document
    _freeze_after_first_render()
    return content


class _ReportHTML(HTML):
    """The report's HTML with a user-agent stylesheet cut down to the elements it uses (ua.css):
    WeasyPrint matches each of the full sheet's ~200 selectors against each of the thousands of
    elements of a district's report.

    The template is also well-formed XML (void elements closed, tables with their tbody, no named
    entity but XML's own), so it is parsed by expat in a few milliseconds rather than by
    WeasyPrint's HTML5 parser in pure Python (50 ms for a district's 130 KB) into the same tree;
    a document expat refuses (a stray control character in a typed name) takes the HTML5 parser."""

    def __init__(self, *, string: str, base_url: str):
        try:
            root = fromstring(string)  # noqa: S314 - our own template's output, its text escaped
        except ParseError:
            super().__init__(string=string, base_url=base_url)
            return
        self.base_url = ensure_url(base_url)  # as WeasyPrint's own parse leaves it
        self.url_fetcher = URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        return [_user_agent_stylesheet()]


_ua_lock = threading.Lock()
_ua_sheet: list[CSS] = []


def _user_agent_stylesheet() -> CSS:
    # Parsed once per process; it holds no font and is only read while a document is laid out.
    with _ua_lock:
        if not _ua_sheet:
            _ua_sheet.append(CSS(string=render_to_string("reports/pdf/ua.css")))
        return _ua_sheet[0]


# Font configurations with the report's stylesheet parsed against them, ready for the next render.
# A FontConfiguration (Pango's font map, fontconfig's copy of the four faces) costs a tenth of a
# second to build and is not safe to share between two renders at once: reports are rendered in
# job threads (unionportal/jobs.py), so each render takes one from this pool and puts it back.
_idle: list[tuple[FontConfiguration, CSS]] = []
_idle_lock = threading.Lock()


@contextlib.contextmanager
def _stylesheet() -> Iterator[tuple[FontConfiguration, CSS]]:
    with _idle_lock:
        pair = _idle.pop() if _idle else None
    if pair is None:
        svg_text.install()
        svg_paths.install()
        no_floats.install()
        table_borders.install()
        pdf_file.install()
        layout_shortcuts.install()
        repeated_text.install()
        table_cells.install()
        collapsed_grid.install()
        cascade.install()
        fonts = FontConfiguration()
        css = render_to_string(
            "reports/pdf/report.css",
            {
                "family": FAMILY,
                "font": report_font(),
                "status_styles": [(info.code.value, info.colour) for info in STATUSES],
            },
        )
        pair = (fonts, CSS(string=css, font_config=fonts))
    try:
        yield pair
    finally:
        with _idle_lock:
            _idle.append(pair)


_frozen = threading.Event()


def _freeze_after_first_render() -> None:
    """Once per process, after the first report: move what is alive (Django, WeasyPrint's modules,
    the pool above) out of the cyclic collector's reach, so that the collections a render's
    hundreds of thousands of objects trigger no longer walk them all each time (gc.freeze)."""
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()
        gc.freeze()


class _CollectorPause:
    """The cyclic garbage collector off while reports are being rendered: the first render to start turns
    it off, the last to end turns it back on (unless it was off already). A render makes hundreds of
    thousands of objects that live until it ends; the collector ran over a thousand times during a
    district's report, finding next to nothing, for 5–10 % of its CPU. The few cycles a render (or
    another thread of the process, for that second) leaves behind are collected once it is back on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.renders = 0
        self.was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.renders == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.renders += 1
        try:
            yield
        finally:
            with self.lock:
                self.renders -= 1
                if self.renders == 0 and self.was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()


class _XmpWithLanguage(DocumentMetadata):
    """WeasyPrint's XMP packet plus dc:language (it writes the language to the catalogue only), so
    that an archive reading the XMP alone knows the document is Vietnamese."""

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))  # noqa: S314 - our own packet
        if self.lang:
            description = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})
            bag = SubElement(SubElement(description, f"{{{NS['dc']}}}language"), f"{{{NS['rdf']}}}Bag")
            SubElement(bag, f"{{{NS['rdf']}}}li").text = self.lang
        return tostring(rdf, encoding="utf-8")
