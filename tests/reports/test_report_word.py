"""The report as a Word file: the official layout (A4, Times New Roman, Decree 30's margins, page
numbers), real tables carrying the JSON's numbers, the signature block, kept by a frozen version,
and opened by LibreOffice (required in CI: REQUIRE_LIBREOFFICE=1)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from docx.shared import Mm
from pypdf import PdfReader

from reports import services
from reports.models import ReportFile, ReportFileStatus, ReportNarrative
from tests.reports.test_report_data import setup_program
from unionportal.templatetags.vn import num

KW = {"code": "XP-A", "program": "XP-CTR", "period": "2024"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def close(length, millimetres: float) -> bool:
    return abs(length - Mm(millimetres)) < Mm(0.5)


def download(client, name: str = "reports:export_docx", kwargs=None, **query):
    response = client.get(reverse(name, kwargs=kwargs or KW), query)
    assert response.status_code == 200, response.status_code
    return response


def indicator_table(document):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["STT", "Chỉ tiêu"])


def test_the_word_file_has_the_official_page_and_font(cast, login):
    setup_program(cast)
    response = download(login(cast.owner))
    assert response["Content-Type"] == DOCX
    assert 'filename="bao-cao-XP-A-XP-CTR-2024.docx"' in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    first = document.sections[0]
    assert close(first.page_width, 210) and close(first.page_height, 297)
    assert close(first.top_margin, 20) and close(first.bottom_margin, 20)
    assert close(first.left_margin, 30) and close(first.right_margin, 15)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    # The page number: a PAGE field top centre, and none on the first page.
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml and not first.first_page_header.paragraphs[0].text
    # Annex I (the branches' table) on landscape pages; the charts' annex after it, portrait.
    annex, charts = document.sections[-2:]
    assert close(annex.page_width, 297) and "PAGE" in annex.header._element.xml
    assert close(charts.page_width, 210) and "PAGE" in charts.header._element.xml


def test_the_word_tables_carry_the_numbers_of_the_json(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    document = docx.Document(io.BytesIO(download(client).content))
    payload = json.loads(download(client, "reports:json").content)
    table = indicator_table(document)
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu đề ra",
        "Thực hiện",
        "Chênh lệch",
        "% đạt",
        "Đánh giá",
    ]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert set(rows) == {i["code"] for i in payload["indicators"]}
    for indicator in payload["indicators"]:
        assert rows[indicator["code"]][4] == num(indicator["actual"]), indicator["code"]
    assert (rows["1"][3], rows["2"][3]) == ("≥ 85", "≥ 60")
    assert rows["1"][7] == "Không đạt"
    # Annex I: a row per branch of the district, its figure in the indicator's column.
    annex = document.tables[-1]
    by_branch = {row.cells[1].text: [c.text for c in row.cells] for row in annex.rows[1:]}
    codes = [c.text for c in annex.rows[0].cells][2:]
    children = {c["organization"]: c for c in payload["indicators"][0]["children"]}
    assert by_branch["CĐCS Trường A1"][2 + codes.index("1")] == num(children["XP-A-01"]["actual"])


def test_the_word_file_signs_before_the_annex_with_the_signers_name(cast, login):
    prog, year = setup_program(cast)
    ReportNarrative.objects.create(
        organization=cast.district, program=prog, period=year, number="7/BC-LĐLĐ", signer_name="Phạm Thị Cúc"
    )
    document = docx.Document(io.BytesIO(download(login(cast.owner)).content))
    body = document.element.body
    texts = []
    for block in body.iterchildren():
        texts.append("".join(t.text or "" for t in block.iter("{*}t")))
    whole = "\n".join(texts)
    assert "Số: 7/BC-LĐLĐ" in whole
    order = [
        whole.index(words)
        for words in ("Nơi nhận:", "TM. BAN THƯỜNG VỤ", "Phạm Thị Cúc", "CÁC CHỈ TIÊU CỦA CÁC ĐƠN VỊ")
    ]
    assert order == sorted(order)
    assert "Kèm theo Báo cáo số 7/BC-LĐLĐ ngày" in whole
    assert document.core_properties.author == "LĐLĐ huyện A"


def test_a_frozen_versions_word_file_is_prepared_and_kept_like_its_pdf(cast, login, media_root):
    prog, year = setup_program(cast)
    services.report_freeze(organization=cast.district, program=prog, period=year)
    client = login(cast.owner)
    response = client.post(reverse("reports:file_create", kwargs=KW), {"format": "docx", "version": "1"})
    assert response.status_code == 302
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFileStatus.DONE and report_file.frozen.version == 1
    assert report_file.download_name == "bao-cao-XP-A-XP-CTR-2024-v1.docx"
    served = client.get(reverse("reports:file_download", kwargs={"code": "XP-A", "pk": report_file.pk}))
    assert served["Content-Type"] == DOCX
    document = docx.Document(io.BytesIO(b"".join(served.streaming_content)))
    assert indicator_table(document).rows[1].cells[4].text == "50"
    assert login(cast.outsider).get(reverse("reports:export_docx", kwargs=KW)).status_code == 404


def test_the_report_page_offers_the_word_file_beside_the_pdf(cast, login):
    setup_program(cast)
    html = login(cast.owner).get(reverse("reports:document", kwargs=KW)).content.decode()
    pdf, word = (
        html.index(reverse("reports:export_pdf", kwargs=KW)),
        html.index(reverse("reports:export_docx", kwargs=KW)),
    )
    assert pdf < word and ">Word<" in html


def test_libreoffice_opens_the_word_file_with_the_same_numbers(cast, login, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice (libreoffice-writer-nogui) is required here: REQUIRE_LIBREOFFICE=1")
        pytest.skip("LibreOffice is not installed")
    setup_program(cast)
    client = login(cast.owner)
    (tmp_path / "report.docx").write_bytes(download(client).content)
    payload = json.loads(download(client, "reports:json").content)
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(tmp_path / "report.docx")],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(tmp_path / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "BÁO CÁO" in text and "Nơi nhận:" in text and "Phụ lục I" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4
    for indicator in payload["indicators"]:  # a table row: code, name, unit, target, then the actual
        row = rf"^{re.escape(indicator['code'])} {re.escape(indicator['name'])} {re.escape(indicator['unit'])} "
        row += rf"(?:[≥>≤<] )?{re.escape(num(indicator['target']))} {re.escape(num(indicator['actual']))} "
        assert re.search(row, text, re.MULTILINE), indicator


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _count, colour in image.getcolors(maxcolors=1 << 20)}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def test_the_word_file_carries_the_pdfs_charts_as_pictures_and_the_jsons_numbers(cast, login):
    from indicators.status import STATUS_INFO
    from reports.renderers.charts import TARGET

    setup_program(cast)
    client = login(cast.provincial)
    kwargs = {**KW, "code": "XP"}
    document = docx.Document(io.BytesIO(download(client, kwargs=kwargs).content))
    payload = json.loads(download(client, "reports:json", kwargs=kwargs).content)
    # One chart per indicator, each a picture in the text (an inline shape), in the annex after the table.
    assert len(document.inline_shapes) == len(payload["indicators"]) == 2
    whole = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả của từng đơn vị trực thuộc: Phụ lục I; biểu đồ: Phụ lục II kèm theo báo cáo này." in whole
    assert whole.rindex("Phụ lục II") > whole.index("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA CÁC ĐƠN VỊ TRỰC THUỘC")
    assert "BIỂU ĐỒ KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in whole and "2. Mái ấm (căn)" in whole
    pictures = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for shape in document.inline_shapes
    ]
    assert all(picture.startswith(b"\x89PNG") for picture in pictures)
    assert all(close(shape.width, 160) for shape in document.inline_shapes)
    # The houses' chart: each district's bar in the colour of its status, and its own target in red.
    statuses = {c["organization"]: c["status"] for c in payload["indicators"][1]["children"]}
    assert statuses == {"XP-A": "not_achieved", "XP-B": "exceeded"}
    drawn = _colours(pictures[1])
    assert {_rgb(STATUS_INFO[s].colour) for s in statuses.values()} | {_rgb(TARGET)} <= drawn
    # The numbers of the table are still the JSON's.
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in indicator_table(document).rows[1:]}
    for indicator in payload["indicators"]:
        assert rows[indicator["code"]][4] == num(indicator["actual"]), indicator["code"]


def test_a_chart_drawn_for_word_is_the_svg_of_the_pdf(tmp_path):
    from reports.renderers.raster import svg_to_png

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50">'
        '<path d="M10 10h30v20h-30z" fill="#00ff00"/>'
        '<line x1="60" y1="0" x2="60" y2="50" stroke="#ff0000" stroke-width="2"/>'
        '<text x="90" y="45" font-size="10" text-anchor="end" fill="#0000ff">50</text></svg>'
    )
    from PIL import Image

    image = Image.open(io.BytesIO(svg_to_png(svg, scale=2))).convert("RGB")
    assert image.size == (200, 100)
    assert image.getpixel((50, 40)) == (0, 255, 0)  # inside the bar (20..80 × 20..60)
    assert image.getpixel((90, 40)) == (255, 255, 255)  # beside it
    assert image.getpixel((120, 50)) == (255, 0, 0)  # the line at x = 60
    assert (0, 0, 255) in {c for _n, c in image.getcolors(1 << 16)}  # the label
