"""The parts of an official Vietnamese document (Decree 30/2020/NĐ-CP, QĐ 933/QĐ-TLĐ) a report needs."""

from __future__ import annotations

import datetime
import re

PREFIXES = re.compile(
    r"^(liên đoàn lao động|lđlđ|công đoàn|tổng lđlđ)\s+(tỉnh|thành phố|huyện|thị xã|quận|ngành)?\s*", re.IGNORECASE
)


def document_date(place: str, day: datetime.date) -> str:
    """ "Quang Bình, ngày 05 tháng 01 năm 2021": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


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


def report_title(program: dict, period: dict, kind: str) -> tuple[str, str]:
    """The two lines of the title: the kind of report, then what it reports on."""
    years = (
        f"giai đoạn {program['start_year']} - {program['end_year']}"
        if program["start_year"] != program["end_year"]
        else f"năm {program['start_year']}"
    )
    subject = program["title"]
    if kind == "mid_term":
        return "BÁO CÁO", f"Sơ kết giữa kỳ thực hiện {subject} ({years})"
    if kind == "final":
        return "BÁO CÁO", f"Tổng kết thực hiện {subject} ({years})"
    return "BÁO CÁO", f"Kết quả thực hiện {subject} — {period_phrase(period)}"


def number_line(number: str) -> str:
    if number:
        return f"Số: {number}"
    return "Số:        /BC-LĐLĐ"
