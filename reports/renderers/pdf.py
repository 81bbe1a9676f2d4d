"""The PDF of "Báo cáo kết quả thực hiện" (WeasyPrint), in the official layout.

Query → ReportData (reports/data.py) → this renderer. The HTML template is
reports/templates/reports/pdf/report.html; fonts are the files reports/fonts.py found,
checked to hold every Vietnamese letter.
"""

from __future__ import annotations

import base64
import datetime

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from ..data import ReportData
from ..drafting import STATUS_WORDS, SectionText, drafted_texts, status_word
from ..fonts import report_font
from .charts import distribution_chart, trend_chart
from .document import document_date, number_line, period_phrase, place_of, report_title, upper

# One wording of the statuses for the table and the drafted sections (reports/drafting.py).
status_words = status_word


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
    rows = [
        {"child": child, "figures": [figures.get(child["code"]) for figures in by_child]} for child in data.children
    ]
    return {"indicators": indicators, "rows": rows, "branches_only": branches_only}


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
    organization = data.organization
    dated = (narrative.dated if narrative and narrative.dated else None) or datetime.date.today()
    # The confederation's documents are dated from its seat; others from the place in their name.
    default_place = "Hà Nội" if organization["level"] == "national" else place_of(organization["short_name"])
    place = (narrative.place if narrative and narrative.place else "") or default_place
    heading, subject = report_title(data.program, data.period, kind)
    recipients = narrative.recipient_lines if narrative and narrative.recipients else []
    if not recipients:
        recipients = [
            f"{organization['parent_name']} (để báo cáo);" if organization["parent_name"] else "Như trên;",
            "Lưu: VT.",
        ]
    counts = data.status_counts
    table = comparison(data)
    return {
        "data": data,
        "narrative": narrative,
        "texts": texts or drafted_texts(data),
        "font": font,
        "superior": upper(organization["parent_short_name"]),
        "issuer": upper(organization["short_name"]),
        "number": number_line(narrative.number if narrative else ""),
        "dateline": document_date(place, dated),
        "heading": heading,
        "period_phrase": period_phrase(data.period),
        "subject": subject,
        "recipients": recipients,
        "status_words": STATUS_WORDS,
        "counts": counts,
        "total": sum(counts.values()),
        "comparison": table,
        "charts": [
            {
                "indicator": indicator,
                "trend": _as_image(trend_chart(indicator, font=font.name)) if len(indicator.trend) > 1 else "",
                "distribution": _as_image(distribution_chart(indicator, font=font.name))
                if indicator.children and (indicator.fits_a_branch or not table["branches_only"])
                else "",
            }
            for indicator in data.indicators
        ]
        if charts
        else [],
        "signer_on_behalf": narrative.signer_on_behalf if narrative else "TM. BAN THƯỜNG VỤ",
        "signer_title": narrative.signer_title if narrative else "CHỦ TỊCH",
        "signer_name": narrative.signer_name if narrative else "",
    }


def render_pdf(
    data: ReportData,
    narrative=None,
    *,
    kind: str = "periodic",
    charts: bool = True,
    texts: dict[str, SectionText] | None = None,
) -> bytes:
    context = report_context(data, narrative, kind=kind, charts=charts, texts=texts)
    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    # The faces come from full TrueType files (reports/fonts.py); WeasyPrint embeds the glyphs used.
    return HTML(string=html, base_url="/").write_pdf()
