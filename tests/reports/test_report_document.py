"""The report as an official document (Decree 30/2020, QĐ 933): the PDF's layout, PDF/A and its metadata,
the facts (number, date, signer) and their defaults, kept by a frozen version; markup stays text."""

from __future__ import annotations

import datetime
import io
import re

from django.urls import reverse
from pypdf import PdfReader

import organizations.services
from reports import services
from reports.data import build_report
from reports.jobs import write_report
from reports.models import ReportNarrative
from reports.renderers.document import document_facts, opening_sentence, report_title
from reports.renderers.pdf import render_pdf
from tests.reports.test_report_data import TODAY, setup_program

MM = 72 / 25.4
KW = {"code": "XP-A", "program": "XP-CTR", "period": "2024"}
MARKUP = '<b>đậm</b> <script>alert("x")</script> & <a href="http://x">liên kết</a>'


def official_program(prog):
    prog.kind = "program"
    prog.number = "04-CTr/HU"
    prog.issued_on = datetime.date(2021, 1, 5)
    prog.issuer_name = "Ban Thường vụ Huyện ủy Quang Bình"
    prog.subject = "phát triển đoàn viên, thành lập và nâng cao chất lượng hoạt động Công đoàn cơ sở"
    prog.save()
    return prog


def narrative(cast, prog, year, **values) -> ReportNarrative:
    fields = {
        "number": "12/BC-LĐLĐ",
        "dated": datetime.date(2025, 1, 15),
        "signer_name": "Nguyễn Văn An",
        **values,
    }
    return ReportNarrative.objects.create(organization=cast.district, program=prog, period=year, **fields)


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def number_positions(content: bytes, page_index: int) -> list[tuple[str, float, float]]:
    """(text, y from the top in mm, page height in mm) of the short numeric strings drawn on a page."""
    page = PdfReader(io.BytesIO(content)).pages[page_index]
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip().isdigit():
            found.append((text.strip(), (height - tm[5] * cm[3] - cm[5]) / MM, height / MM))

    page.extract_text(visitor_text=visit)
    return found


def test_the_opening_sentence_and_title_name_the_program_as_the_decree_writes_it(cast):
    prog, year = setup_program(cast)
    data = build_report(cast.district, official_program(prog), year, today=TODAY)
    assert opening_sentence(data, data.period) == (
        "Thực hiện Chương trình số 04-CTr/HU ngày 05/01/2021 của Ban Thường vụ Huyện ủy Quang Bình về phát triển "
        "đoàn viên, thành lập và nâng cao chất lượng hoạt động Công đoàn cơ sở, LĐLĐ huyện A báo cáo kết quả thực "
        "hiện năm 2024 như sau:"
    )
    heading, subject = report_title(data.program, data.period, "periodic")
    assert heading == "BÁO CÁO"
    assert subject == (
        "Kết quả năm 2024 thực hiện Chương trình số 04-CTr/HU của Ban Thường vụ Huyện ủy Quang Bình về phát triển "
        "đoàn viên, thành lập và nâng cao chất lượng hoạt động Công đoàn cơ sở"
    )
    assert "—" not in subject


def test_the_facts_default_to_today_the_place_and_the_bodys_chair(cast):
    prog, year = setup_program(cast)
    organizations.services.organization_update(organization=cast.district, chair_name="Trần Thị Bình")
    cast.district.refresh_from_db()
    data = build_report(cast.district, prog, year, today=TODAY)
    facts = document_facts(data, None, today=datetime.date(2025, 2, 3))
    assert facts["dated"] == "2025-02-03" and facts["place"] == "A" and facts["number"] == ""
    assert (facts["signer_on_behalf"], facts["signer_title"], facts["signer_name"]) == (
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Trần Thị Bình",
    )
    assert facts["recipients"] == ["LĐLĐ tỉnh Thử (để báo cáo);", "Lưu: VT."]
    named = document_facts(data, narrative(cast, prog, year, place="Huyện A"))
    assert (named["number"], named["dated"], named["signer_name"], named["place"]) == (
        "12/BC-LĐLĐ",
        "2025-01-15",
        "Nguyễn Văn An",
        "Huyện A",
    )


def test_the_pdf_numbers_pages_top_centre_from_page_two_and_signs_before_the_annexes(cast):
    prog, year = setup_program(cast)
    narrative(cast, official_program(prog), year)
    data = build_report(cast.district, prog, year, today=TODAY)
    content = render_pdf(data, ReportNarrative.objects.get())
    texts = page_texts(content)
    assert len(texts) >= 3
    assert not [n for n in number_positions(content, 0) if n[1] < 20]  # nothing in the first page's top margin
    assert [text for text, y, _height in number_positions(content, 1) if y < 20] == ["2"]
    whole = "\n".join(texts)
    # Body, then "Nơi nhận" and the signature (authority, title, name), then the annexes.
    order = [
        whole.index(words)
        for words in (
            "I. KẾT QUẢ THỰC HIỆN",
            "III. PHƯƠNG HƯỚNG",
            "Nơi nhận:",
            "Nguyễn Văn An",
            "CÁC CHỈ TIÊU CỦA CÁC ĐƠN VỊ",
        )
    ]
    assert order == sorted(order)
    assert "TM. BAN THƯỜNG VỤ" in whole and "CHỦ TỊCH" in whole
    assert "Phụ lục II" in whole  # the charts
    assert whole.count("(Kèm theo Báo cáo số 12/BC-LĐLĐ ngày 15/01/2025 của LĐLĐ huyện A)") == 2
    annex = next(i for i, text in enumerate(texts) if "CÁC CHỈ TIÊU CỦA CÁC ĐƠN VỊ" in text)
    assert "Nơi nhận:" not in texts[annex]
    assert "Thực hiện Chương trình số 04-CTr/HU ngày 05/01/2021 của Ban Thường vụ Huyện ủy Quang Bình" in re.sub(
        r"\s+", " ", whole
    )


def test_the_pdf_is_pdf_a_tagged_with_its_metadata(cast):
    prog, year = setup_program(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    reader = PdfReader(io.BytesIO(render_pdf(data, charts=False)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "vi" and "/OutputIntents" in root
    xmp = reader.xmp_metadata
    raw = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="3"', raw) and re.search(r'pdfaid:conformance="U"', raw)
    assert xmp.dc_creator == ["LĐLĐ huyện A"]
    assert xmp.dc_description["x-default"].startswith("Báo cáo kết quả năm 2024 thực hiện Chương trình")
    assert xmp.dc_language == ["vi"]
    assert xmp.xmp_create_date is not None and xmp.xmp_modify_date is not None
    assert reader.metadata.author == "LĐLĐ huyện A"
    assert reader.metadata.subject.startswith("Báo cáo kết quả năm 2024")
    assert reader.metadata.creation_date is not None


def test_a_frozen_version_keeps_its_number_date_and_signer(cast, tmp_path):
    prog, year = setup_program(cast)
    text = narrative(cast, prog, year)
    frozen = services.report_freeze(organization=cast.district, program=prog, period=year)
    text.number, text.signer_name, text.dated = "99/BC-LĐLĐ", "Lê Văn Mới", datetime.date(2025, 6, 1)
    text.save()
    for fmt in ("pdf", "docx"):
        kept, live = tmp_path / f"kept.{fmt}", tmp_path / f"live.{fmt}"
        write_report(kept, organization=cast.district, program=prog, period=year, fmt=fmt, frozen=frozen)
        write_report(live, organization=cast.district, program=prog, period=year, fmt=fmt, live=True)
        kept_text, live_text = document_text(kept), document_text(live)
        assert (
            "Số: 12/BC-LĐLĐ" in kept_text and "Nguyễn Văn An" in kept_text and "ngày 15 tháng 01 năm 2025" in kept_text
        )
        assert "Số: 99/BC-LĐLĐ" in live_text and "Lê Văn Mới" in live_text and "ngày 01 tháng 6 năm 2025" in live_text


def document_text(path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page_texts(path.read_bytes()))
    import docx

    document = docx.Document(str(path))
    cells = [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_markup_in_the_text_shows_as_text_on_the_page_in_the_pdf_and_in_word(cast, login, tmp_path):
    prog, year = setup_program(cast)
    narrative(cast, prog, year)
    from reports.narratives import narrative_save

    for section, text in (("results", MARKUP), ("directions", "Dòng một\r\nDòng hai\x0b<i>nghiêng</i>")):
        narrative_save(
            organization=cast.district,
            program=prog,
            period=year,
            kind="periodic",
            section=section,
            text=text,
            by=cast.owner,
        )
    page = login(cast.owner).get(reverse("reports:document", kwargs=KW))
    html = page.content.decode()
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html and '<script>alert("x")' not in html
    for fmt in ("pdf", "docx"):
        target = tmp_path / f"report.{fmt}"
        write_report(target, organization=cast.district, program=prog, period=year, fmt=fmt, live=True)
        text = re.sub(r"\s+", " ", document_text(target))
        assert '<b>đậm</b> <script>alert("x")</script> & <a href="http://x">liên kết</a>' in text, fmt
        assert "<i>nghiêng</i>" in text, fmt


def test_the_form_of_a_new_report_offers_today_and_the_chair(cast, login):
    setup_program(cast)
    organizations.services.organization_update(organization=cast.district, chair_name="Trần Thị Bình")
    html = login(cast.owner).get(reverse("reports:document", kwargs=KW)).content.decode()
    assert re.search(r'name="signer_name"[^>]*value="Trần Thị Bình"', html)
    assert re.search(rf'name="dated"[^>]*value="{datetime.date.today().isoformat()}"', html)


def test_the_four_seed_programs_have_their_subject_and_open_the_report_as_the_issue_writes_it():
    from demo.data.programs import DL_CTRHD, PR_HD2021, QB_CTR04, QT_CTR1823
    from reports.renderers.document import program_reference

    for spec in (QB_CTR04, PR_HD2021, DL_CTRHD, QT_CTR1823):
        assert spec["subject"] and spec["subject"][0].islower(), spec["code"]  # it follows "về"
    assert program_reference(QB_CTR04, dated=True) == (
        "Chương trình số 04-CTr/HU ngày 05/01/2021 của Ban Thường vụ Huyện ủy Quang Bình về phát triển đoàn viên, "
        "thành lập và nâng cao chất lượng hoạt động Công đoàn cơ sở giai đoạn 2021 - 2025"
    )
    assert program_reference(PR_HD2021, dated=True).startswith(
        "Hướng dẫn của Ban Thường vụ Liên đoàn Lao động huyện Phú Riềng về một số nhiệm vụ trọng tâm"
    )
