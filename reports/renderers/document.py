"""The parts of an official Vietnamese document (Decree 30/2020/NĐ-CP, QĐ 933/QĐ-TLĐ) a report needs.

An official document is Vietnamese whatever the interface language: its fixed wording is
written here, not translated. The PDF (pdf.py) and the Word file (docx.py) both take their
words from here, so they say the same thing.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

PREFIXES = re.compile(
    r"^(liên đoàn lao động|lđlđ|công đoàn|tổng lđlđ)\s+(tỉnh|thành phố|huyện|thị xã|quận|ngành)?\s*", re.IGNORECASE
)
# How a report names the kind of document it implements (programs.models.ProgramKind).
KIND_WORDS = {
    "program": "Chương trình",
    "action_program": "Chương trình hành động",
    "plan": "Kế hoạch",
    "guidance": "Hướng dẫn",
    "resolution": "Nghị quyết",
}
DEFAULT_ON_BEHALF = "TM. BAN THƯỜNG VỤ"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"
BLANK_NUMBER = "\u00a0" * 8 + "/BC-LĐLĐ"  # room for the number, written by hand when issued
# Characters XML 1.0 (a .docx) cannot hold, and that have no place in a document anyway.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
ANNEX_NUMERALS = ("I", "II", "III", "IV", "V", "VI")


def plain(text: str | None) -> str:
    """Text as typed, made safe for any format: control characters dropped, line ends unified.

    Markup is not interpreted anywhere: the PDF's template escapes it and the Word file writes it as text."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def document_date(place: str, day: datetime.date) -> str:
    """ "Quang Bình, ngày 05 tháng 01 năm 2021": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def place_of(name: str) -> str:
    """The place a body's documents are dated from: "LĐLĐ huyện Quang Bình" → "Quang Bình"."""
    return PREFIXES.sub("", name).strip() or name


def upper(text: str) -> str:
    return text.upper()


def period_phrase(period: dict) -> str:
    """How the title names the period: "năm 2024", "6 tháng đầu năm 2024" …"""
    if period["kind"] == "annual":
        return f"năm {period['year']}"
    if period["code"].endswith("H1"):
        return f"6 tháng đầu năm {period['year']}"
    return f"6 tháng cuối năm {period['year']}"


def program_reference(program: dict, *, dated: bool) -> str:
    """ "Chương trình số 04-CTr/HU ngày 05/01/2021 của Ban Thường vụ Huyện ủy Quang Bình về …": the
    kind, the number, the date (in the opening sentence), the issuer and the subject, each when known."""
    words = [KIND_WORDS.get(program.get("kind", ""), "Chương trình")]
    if program.get("number"):
        words.append(f"số {program['number']}")
    if dated and program.get("issued_on"):
        words.append(f"ngày {short_date(datetime.date.fromisoformat(program['issued_on']))}")
    if program.get("issuer_name"):
        words.append(f"của {program['issuer_name']}")
    if program.get("subject"):
        words.append(f"về {program['subject']}")
    elif program.get("title"):
        words.append(f"“{program['title']}”")
    return " ".join(words)


def opening_sentence(data, period: dict) -> str:
    """The first paragraph: what the report implements and who reports on which period."""
    reference = program_reference(data.program, dated=True)
    return (
        f"Thực hiện {reference}, {data.organization['name']} báo cáo kết quả thực hiện {period_phrase(period)} như sau:"
    )


def report_title(program: dict, period: dict, kind: str) -> tuple[str, str]:
    """The two lines of the title: the kind of report, then what it reports on (no dash, no date)."""
    reference = program_reference(program, dated=False)
    if kind == "mid_term":
        return "BÁO CÁO", f"Sơ kết giữa kỳ thực hiện {reference}"
    if kind == "final":
        return "BÁO CÁO", f"Tổng kết thực hiện {reference}"
    return "BÁO CÁO", f"Kết quả {period_phrase(period)} thực hiện {reference}"


def number_line(number: str) -> str:
    return f"Số: {number or BLANK_NUMBER}"


def default_place(organization: dict) -> str:
    # The confederation's documents are dated from its seat; others from the place in their name.
    return "Hà Nội" if organization["level"] == "national" else place_of(organization["short_name"])


def default_recipients(organization: dict) -> list[str]:
    first = f"{organization['parent_name']} (để báo cáo);" if organization.get("parent_name") else "Như trên;"
    return [first, "Lưu: VT."]


def document_facts(data, narrative=None, *, today: datetime.date | None = None) -> dict:
    """The report's number, date, place, recipients and signer, with the defaults filled in.

    Defaults: today's date, the place in the body's name, the superior body and the archive,
    "TM. BAN THƯỜNG VỤ — CHỦ TỊCH" and the body's chair. A frozen version keeps these as they
    were when it was frozen (reports.services.report_freeze)."""
    organization = data.organization
    text = (lambda name: plain(getattr(narrative, name, "") or "").strip()) if narrative else (lambda name: "")
    dated = (narrative.dated if narrative is not None else None) or today or datetime.date.today()
    recipients = [plain(line) for line in narrative.recipient_lines] if narrative is not None else []
    return {
        "number": text("number"),
        "place": text("place") or default_place(organization),
        "dated": dated.isoformat(),
        "recipients": recipients or default_recipients(organization),
        "signer_on_behalf": text("signer_on_behalf") or DEFAULT_ON_BEHALF,
        "signer_title": text("signer_title") or DEFAULT_SIGNER_TITLE,
        "signer_name": text("signer_name") or plain(organization.get("chair_name", "")),
    }


def facts_for(data, narrative, kind: str) -> dict:
    """The facts a file shows: those frozen with the version, else the live text with its defaults."""
    frozen = (data.document or {}).get(kind)
    return frozen if frozen else document_facts(data, narrative)


def annex_note(facts: dict, organization: dict) -> str:
    """ "Kèm theo Báo cáo số 12/BC-LĐLĐ ngày 15/01/2025 của LĐLĐ huyện Quang Bình": under each annex's title."""
    dated = short_date(datetime.date.fromisoformat(facts["dated"]))
    return f"(Kèm theo Báo cáo số {facts['number'] or BLANK_NUMBER} ngày {dated} của {organization['name']})"


def heading_lines(facts: dict, data, kind: str) -> dict:
    """The header of the first page, the title and the opening, as both renderers lay them out."""
    organization = data.organization
    heading, subject = report_title(data.program, data.period, kind)
    return {
        "superior": upper(organization["parent_short_name"]),
        "issuer": upper(organization["short_name"]),
        "number": number_line(facts["number"]),
        "dateline": document_date(facts["place"], datetime.date.fromisoformat(facts["dated"])),
        "heading": heading,
        "subject": subject,
        "opening": opening_sentence(data, data.period),
    }
