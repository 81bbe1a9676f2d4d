"""The renderers, lightly: the PDF's text and the workbook's cells carry the report's figures."""

import datetime
import io

import openpyxl
from pypdf import PdfReader

from reports.data import build_report
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx
from tests.reports.test_report_data import TODAY, setup_program


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_pdf_reads_as_an_official_vietnamese_report(cast):
    prog, year = setup_program(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    text, pages = pdf_text(render_pdf(data))
    assert content_bytes_are_pdf(render_pdf(data, charts=False))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "LĐLĐ HUYỆN A",  # the issuer, under its superior
        "BÁO CÁO",
        "KẾT QUẢ THỰC HIỆN",
        "CĐCS tốt trở lên",
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
    ):
        assert words in text, words
    assert "50" in text and "Không đạt" in text  # the district's share and its status


def content_bytes_are_pdf(content: bytes) -> bool:
    return content.startswith(b"%PDF")


def test_the_date_line_follows_the_decree(cast):
    from reports.renderers.document import document_date, place_of

    assert document_date("Quang Bình", datetime.date(2021, 1, 5)) == "Quang Bình, ngày 05 tháng 01 năm 2021"
    assert document_date("Quang Bình", datetime.date(2024, 11, 20)) == "Quang Bình, ngày 20 tháng 11 năm 2024"
    assert place_of("LĐLĐ huyện Quang Bình") == "Quang Bình"
    assert place_of("Liên đoàn Lao động tỉnh Đắk Lắk") == "Đắk Lắk"


def test_the_workbook_has_a_sheet_per_level_with_numeric_cells(cast, tmp_path):
    prog, year = setup_program(cast)
    data = build_report(cast.province, prog, year, today=TODAY)
    target = tmp_path / "report.xlsx"
    render_xlsx(data, cast.province, list(prog.indicators.all()), year, target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Tổng hợp", "Đơn vị trực thuộc", "CĐCS"]
    assert book.properties.creator == "LĐLĐ tỉnh Thử"  # the issuing body, as in the Word file
    assert book.properties.title == f"Báo cáo kết quả thực hiện các chỉ tiêu: {prog.title}, {year.label}"
    summary = book["Tổng hợp"]
    header = [c.value for c in summary[6]]
    assert header[:3] == ["STT", "Mã", "Chỉ tiêu"]
    first = [c.value for c in summary[7]]
    assert first[2] == "CĐCS tốt trở lên" and first[7] == 66.67 and first[12] == "Không đạt"
    assert summary["H7"].number_format == "#,##0.00"  # a share is written with two places
    assert (first[10], first[11]) == (3, 3)  # units that reported, units expected
    assert summary.freeze_panes == "A7"
    branches = book["CĐCS"]
    rows = [[c.value for c in row] for row in branches.iter_rows(min_row=7)]
    assert {r[0] for r in rows} == {"XP-A-01", "XP-A-02", "XP-B-01"}
    by_code = {r[0]: r for r in rows}
    assert by_code["XP-A-01"][4] == 100 and by_code["XP-A-02"][4] == 0
