"""The report as a Word file (python-docx), for the office to finish and sign: the PDF's layout.

A4, Times New Roman, the margins of Decree 30/2020 (top and bottom 20 mm, left 30 mm, right
15 mm), the page number top centre from the second page, real Word tables, then "Nơi nhận"
and the signature block, then the annex of the children's figures on landscape pages and the
annex of the PDF's charts, drawn as PNG pictures (raster.py) from the same SVG. The
words and the facts (number, date, signer) come from document.py, as the PDF's do; the
figures from the same ReportData, formatted by the same `num` filter.

Every text is written as text: markup typed into the report stays visible as typed.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Mm, Pt, RGBColor

from indicators.status import LEGEND, STATUS_INFO, status_label
from unionportal.templatetags.vn import num

from ..data import ReportData
from ..drafting import SectionText, drafted_texts
from ..fonts import report_font
from .charts import report_charts
from .document import ANNEX_NUMERALS, annex_note, facts_for, heading_lines, plain
from .pdf import comparison, status_words
from .raster import svg_to_png

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 13, 11
# Word colours from the one table of statuses (indicators/status.py), without the "#".
STATUS_COLOURS = {code: info.colour.lstrip("#").upper() for code, info in STATUS_INFO.items() if code != "no_data"}
COLUMNS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu đề ra", "Thực hiện", "Chênh lệch", "% đạt", "Đánh giá")
WIDTHS_MM = (12, 50, 14, 19, 18, 16, 14, 22)  # 165 mm: the page between the margins


def render_docx(
    data: ReportData, narrative=None, *, kind: str = "periodic", texts: dict[str, SectionText] | None = None
) -> bytes:
    """The report as a Word file; `texts` are sections I–III as the report shows them (drafted when not given)."""
    with translation.override("vi"):
        document = _document(data, narrative, kind, texts or drafted_texts(data))
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()


def write_docx(data: ReportData, target: Path, narrative=None, *, kind: str = "periodic") -> None:
    target.write_bytes(render_docx(data, narrative, kind=kind))


def _document(data: ReportData, narrative, kind: str, texts: dict[str, SectionText]):
    facts = facts_for(data, narrative, kind)
    lines = heading_lines(facts, data, kind)
    document = Document()
    _styles(document)
    _page(document.sections[0], landscape=False)
    _metadata(document, data, lines)
    _header_block(document, lines)
    _paragraph(document, lines["heading"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    _paragraph(document, lines["subject"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    _paragraph(document, lines["opening"], indent=True)
    charts = report_charts(data, branches_only=comparison(data)["branches_only"], font=report_font().name)
    annexes = [name for name, present in (("branches", bool(data.children)), ("charts", bool(charts))) if present]
    numbers = {name: ANNEX_NUMERALS[i] for i, name in enumerate(annexes)}
    _results(document, data, texts["results"], numbers)
    _closing_sections(document, texts)
    _footer_block(document, facts)
    note = annex_note(facts, data.organization)
    if data.children:
        _annex_branches(document, data, note)
    if charts:
        _annex_charts(document, charts, note, numbers["charts"])
    return document


def _styles(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.1


def _page(section, *, landscape: bool) -> None:
    """A4 with the decree's margins; the page number top centre, none on the report's first page."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = (Mm(25), Mm(20)) if landscape else (Mm(30), Mm(15))
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = not landscape
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = "2"
        run._r.append(element)


def _metadata(document, data: ReportData, lines: dict) -> None:
    properties = document.core_properties
    properties.author = plain(data.organization["name"])
    properties.title = plain(f"{lines['heading']} {lines['subject']}")[:255]
    properties.subject = plain(f"Báo cáo {lines['subject'][:1].lower()}{lines['subject'][1:]}")[:255]
    properties.language = "vi-VN"
    properties.keywords = f"báo cáo, {data.program['code']}, {data.period['code']}, {data.organization['code']}"


def _paragraph(
    container, text: str, *, bold=False, italic=False, size=None, align=None, indent=False, before=0, after=3
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    elif indent:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    format_ = paragraph.paragraph_format
    format_.space_before, format_.space_after = Pt(before), Pt(after)
    if indent:
        format_.first_line_indent = Mm(10)
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, colour=None):
    run = paragraph.add_run(plain(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _widths(table, widths_mm) -> None:
    """Fixed column widths that Word and LibreOffice both keep: the grid, the layout and every cell."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    first = True
    for text, style in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = style.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_after = Pt(style.pop("after", 0))
        paragraph.paragraph_format.space_before = Pt(style.pop("before", 0))
        _run(paragraph, text, **style)


def _header_block(document, lines: dict) -> None:
    """The body's name and number on the left, the national motto and the date line on the right."""
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, (68, 97))
    left, right = table.rows[0].cells
    issuer = [(lines["issuer"], {"bold": True, "size": 13}), ("―――――", {"size": 9}), (lines["number"], {"size": 13})]
    _cell_lines(left, ([(lines["superior"], {"size": 13})] if lines["superior"] else []) + issuer)
    _cell_lines(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
            ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 14}),
            ("―――――――――――――", {"size": 9}),
            (lines["dateline"], {"italic": True, "size": 14, "before": 4}),
        ],
    )


def _table(document, headers, rows, widths_mm, *, size=TABLE_PT):
    """A real Word table: borders, fixed column widths, a header row repeated on every page,
    numbers aligned right, statuses in their colour.

    Written as one piece of WordprocessingML and parsed once: python-docx builds a table cell by
    cell through its element classes, about 2 ms a cell, and a district's annex has 1,500 cells."""
    grid = "".join(f'<w:gridCol w:w="{_twips(width)}"/>' for width in widths_mm)
    header = _row([(text, "center", None, True) for text in headers], widths_mm, size, header=True)
    body = "".join(
        _row(
            [(text, _ALIGN[align], colour, align == CENTER and colour is not None) for text, align, colour in values],
            widths_mm,
            size,
        )
        for values in rows
    )
    borders = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl>"
    )
    document.element.body.sectPr.addprevious(table)
    return table


def _twips(millimetres: float) -> int:
    return int(Mm(millimetres).twips)


def _row(cells, widths_mm, size: float, *, header: bool = False) -> str:
    half_points = int(size * 2)
    parts = ["<w:tr><w:trPr>" + ("<w:tblHeader/>" if header else "") + "<w:cantSplit/></w:trPr>"]
    for (text, align, colour, bold), width in zip(cells, widths_mm, strict=True):
        properties = ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour is not None else "")
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
            f'<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>'
            f'<w:r><w:rPr>{properties}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
            f'<w:t xml:space="preserve">{xml_escape(plain(text))}</w:t></w:r></w:p></w:tc>'
        )
    parts.append("</w:tr>")
    return "".join(parts)


LEFT, RIGHT, CENTER = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
_ALIGN = {LEFT: "left", RIGHT: "right", CENTER: "center"}


def target_words(figure) -> str:
    """The target as the PDF writes it (reports/pdf/_target.html): "≥ 98", "30–35", "–"."""
    if figure.target is None:
        return "–"
    if figure.comparison == "range":
        return f"{num(figure.target)}–{num(figure.target_max)}"
    sign = {"gt": "> ", "gte": "≥ ", "lt": "< ", "lte": "≤ "}.get(figure.comparison or "", "")
    return f"{sign}{num(figure.target)}"


def _section(document, section: SectionText) -> None:
    """A section I–III as the report shows it (drafted or edited), as text."""
    for paragraph in section.paragraphs:
        _paragraph(document, paragraph["text"], indent=True)  # _paragraph drops control characters


def _results(document, data: ReportData, section: SectionText, numbers: dict[str, str]) -> None:
    counts = data.status_counts
    _paragraph(document, "I. KẾT QUẢ THỰC HIỆN", bold=True, before=6)
    _section(document, section)
    _paragraph(document, "1. Tổng hợp", bold=True, italic=True)
    summary = "; ".join(f"{status_label(status).lower()}: {counts.get(status.value, 0)}" for status in LEGEND)
    _paragraph(document, f"Trong {sum(counts.values())} chỉ tiêu của chương trình: {summary}.", indent=True)
    if data.tree_sentence():
        _paragraph(document, data.tree_sentence(), indent=True)
    if data.coverage_sentence():
        _paragraph(document, data.coverage_sentence(), indent=True)
    _paragraph(document, "2. Kết quả thực hiện các chỉ tiêu", bold=True, italic=True)
    rows = []
    for ind in data.indicators:
        figure = ind.figure
        rows.append(
            [
                (ind.code, CENTER, None),
                (ind.name, LEFT, None),
                (ind.unit, CENTER, None),
                (target_words(figure), RIGHT, None),
                (num(figure.actual), RIGHT, None),
                (num(figure.gap) if figure.gap is not None else "–", RIGHT, None),
                (num(figure.percent_achieved) if figure.percent_achieved is not None else "–", RIGHT, None),
                (status_words(figure), CENTER, STATUS_COLOURS.get(figure.status)),
            ]
        )
    _table(document, COLUMNS, rows, WIDTHS_MM)
    if data.children:
        charts = f"; biểu đồ: Phụ lục {numbers['charts']}" if "charts" in numbers else ""
        _paragraph(
            document,
            f"Kết quả của từng đơn vị trực thuộc: Phụ lục {numbers['branches']}{charts} kèm theo báo cáo này.",
            indent=True,
            before=4,
        )


def _closing_sections(document, texts: dict[str, SectionText]) -> None:
    _paragraph(document, "II. HẠN CHẾ VÀ NGUYÊN NHÂN", bold=True, before=6)
    _section(document, texts["shortcomings"])
    _paragraph(document, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True, before=6)
    _section(document, texts["directions"])


def _footer_block(document, facts: dict) -> None:
    """ "Nơi nhận" on the left; on the right the authority, the title, room to sign and the full name."""
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, (75, 90))
    left, right = table.rows[0].cells
    recipients = [("Nơi nhận:", {"bold": True, "italic": True, "size": 12, "align": LEFT, "before": 8})]
    recipients += [(f"- {line}", {"size": 11, "align": LEFT}) for line in facts["recipients"]]
    _cell_lines(left, recipients)
    _cell_lines(
        right,
        [
            (facts["signer_on_behalf"], {"bold": True, "size": 14, "before": 8}),
            (facts["signer_title"], {"bold": True, "size": 14, "after": 72}),
            (facts["signer_name"] or " ", {"bold": True, "size": 14}),
        ],
    )


def _annex_branches(document, data: ReportData, note: str) -> None:
    """Annex I on landscape pages: a row per child, a column per indicator a child has a figure for."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    _paragraph(document, f"Phụ lục {ANNEX_NUMERALS[0]}", bold=True, size=14, align=CENTER, after=0)
    _paragraph(
        document, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA CÁC ĐƠN VỊ TRỰC THUỘC", bold=True, size=13, align=CENTER, after=0
    )
    _paragraph(document, note, italic=True, size=13, align=CENTER, after=6)
    table = comparison(data)
    indicators = table["indicators"]
    free = 252 - 10 - 62
    width = max(free / max(len(indicators), 1), 8)
    headers = ["STT", "Đơn vị", *(ind.code for ind in indicators)]
    rows = [
        [
            (str(number), CENTER, None),
            (row["child"]["name"], LEFT, None),
            *(
                (num(f.actual) if f else "–", RIGHT, STATUS_COLOURS.get(f.status) if f else None)
                for f in row["figures"]
            ),
        ]
        for number, row in enumerate(table["rows"], start=1)
    ]
    _table(document, headers, rows, [10, 62, *([width] * len(indicators))], size=9)
    legend = ", ".join(status_label(status).lower() for status in LEGEND if status in STATUS_COLOURS)
    _paragraph(
        document,
        f"Màu chữ theo đánh giá ({legend}). Mã cột là mã chỉ tiêu ở mục I.2 của báo cáo.",
        italic=True,
        size=10,
        before=4,
    )


CHART_WIDTH_MM = 160  # within the portrait page's 165 mm


def _annex_charts(document, charts, note: str, number: str) -> None:
    """The charts' annex on portrait pages: each indicator's chart as a picture, titled as in the PDF."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=False)
    _paragraph(document, f"Phụ lục {number}", bold=True, size=14, align=CENTER, after=0)
    _paragraph(document, "BIỂU ĐỒ KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, size=13, align=CENTER, after=0)
    _paragraph(document, note, italic=True, size=13, align=CENTER, after=6)
    # The pictures' ids, counted from the document's highest once: python-docx's add_picture looks for
    # it again in the whole document for each picture, a third of the annex's time past a large table.
    shape_ids = itertools.count(document.part.next_id)
    for indicator, svgs in charts:
        for part, svg in enumerate(svgs, start=1):
            title = f"{indicator.code}. {indicator.name}" + (f" ({indicator.unit})" if indicator.unit else "")
            if len(svgs) > 1:
                title += f" ({part}/{len(svgs)})"
            _paragraph(document, title, bold=True, size=12, before=8, after=2)
            _picture(document, svg_to_png(svg), next(shape_ids))


def _picture(document, png: bytes, shape_id: int) -> None:
    """A paragraph holding the picture in line with the text, CHART_WIDTH_MM wide (Run.add_picture's steps)."""
    rid, image = document.part.get_or_add_image(io.BytesIO(png))
    cx, cy = image.scaled_dimensions(Mm(CHART_WIDTH_MM), None)
    inline = CT_Inline.new_pic_inline(shape_id, rid, image.filename, cx, cy)
    document.add_paragraph().add_run()._r.add_drawing(inline)
