"""In a real browser, on the demo data: the provincial officer `hagiang` opens the dashboard,
drills down to Quang Bình and its branches, accepts Quang Bình's 2024 figures, downloads the
report as PDF and Excel, and the numbers read back out of both files are the report's."""

import re
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from indicators.models import ReportingPeriod, Submission, SubmissionStatus
from indicators.workflow import services as indicator_services
from organizations.models import Organization
from reports.models import FrozenReport
from tests import builders
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "HG-QB"
PROGRAM = "QB-CTR04"
PERIOD = "2024"
BRANCH = "HG-QB-TH01"
# Four numbers in a row of the PDF's table: target (after its comparison sign), actual, gap, % achieved.
PDF_ROW = re.compile(
    r"(?:[<>≥≤] )?(?P<target>–|[\d.,]+) (?P<actual>–|-?[\d.,]+) (?:(?P<coverage>\d+/\d+) (?:CĐCS|đơn vị) báo cáo )?"
    r"(?P<gap>–|-?[\d.,]+) (?P<percent>–|[\d.,]+) "
)


def vn_number(text: str) -> Decimal | None:
    """'2.378' -> 2378, '85,29' -> 85.29, '≥ 100' -> 100, '–' -> None: as the pages and the PDF write numbers."""
    text = text.strip().split("\n")[0]  # the figure; its coverage ("1/1 đơn vị báo cáo") is the line below
    text = text.strip().removesuffix("%").lstrip("<>≥≤ ").strip()
    if text in ("–", ""):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def as_shown(value) -> Decimal | None:
    """A number of the JSON or of a spreadsheet cell, rounded as the pages show it (two decimals at most)."""
    return None if value is None else round(Decimal(str(value)), 2)


def figure_cells(row) -> dict[str, Decimal | None]:
    """Target, actual, gap and % achieved of a dashboard row (reports/_figure_cells.html)."""
    cells = row.locator("td.num").all_inner_texts()
    return dict(zip(("target", "actual", "gap", "percent"), (vn_number(c) for c in cells[:4]), strict=True))


def choose_period(page, label: str) -> None:
    """Pick the period in the report header's menu (whatever period the page opened on)."""
    page.click(".rpt-heading ~ div .dropdown-toggle")
    with page.expect_navigation():
        page.locator(".rpt-period-menu a", has_text=re.compile(f"^{label} ")).click()


def test_the_provincial_officer_drills_down_accepts_and_reads_the_figures_back_from_the_pdf_and_the_excel(
    live_demo, live_server, page, shot, tmp_path: Path
):
    district = Organization.objects.get(code=DISTRICT)
    period = ReportingPeriod.objects.get(code=PERIOD)
    # Quang Bình's staff have sent their 2024 figures up: the demo leaves the year open, and one task
    # without a status, which they record first.
    staff = get_user_model().objects.get(username="quangbinh")
    builders.tasks_recorded(district, period, staff)
    indicator_services.submission_submit(
        organization=district,
        period=period,
        by=staff,
        comment="Gửi số liệu năm 2024.",
    )

    log_in(page, live_server, "hagiang", DEMO_PASSWORD)

    # The province's dashboard, then Quang Bình in the drill-down.
    page.click("nav >> text=Báo cáo")
    page.wait_for_url(f"{live_server.url}/reports/HG/")
    page.click("text=Thống kê định kỳ 6 tháng và năm về tổ chức, đoàn viên công đoàn")
    page.wait_for_url(f"{live_server.url}/reports/HG/TLD-THONGKE/*/")
    choose_period(page, "Năm 2024")
    page.wait_for_url(f"{live_server.url}/reports/HG/TLD-THONGKE/{PERIOD}/")
    assert page.locator("#scorecard tr.table-active").get_attribute("data-indicator") == "DV"
    district_row = page.locator("#children tbody tr", has=page.locator("td.code", has_text=re.compile(f"^{DISTRICT}$")))
    members_in_district = figure_cells(district_row)["actual"]
    assert members_in_district > 2000
    shot("journey-b-1-province-dashboard")

    district_row.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/reports/{DISTRICT}/TLD-THONGKE/{PERIOD}/?indicator=DV")
    assert figure_cells(page.locator("#scorecard tr[data-indicator='DV']"))["actual"] == members_in_district
    branch_rows = page.locator("#children tbody tr")
    assert branch_rows.count() == 87
    # The district's members are its branches' members, added up.
    per_branch = [vn_number(text) for text in page.locator("#children tbody tr td:nth-child(4)").all_inner_texts()]
    assert sum(per_branch) == members_in_district
    shot("journey-b-2-district-branches")

    branch_row = page.locator("#children tbody tr", has=page.locator("td.code", has_text=re.compile(f"^{BRANCH}$")))
    members_in_branch = figure_cells(branch_row)["actual"]
    branch_row.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/reports/{BRANCH}/TLD-THONGKE/{PERIOD}/?indicator=DV")
    assert figure_cells(page.locator("#scorecard tr[data-indicator='DV']"))["actual"] == members_in_branch
    shot("journey-b-3-branch")

    # Accept Quang Bình's submission on the review page.
    page.click("nav >> text=Nhập số liệu")
    page.wait_for_url(f"{live_server.url}/data/")
    year_row = page.locator("tr", has=page.locator("td:first-child", has_text=re.compile(f"^Năm {PERIOD}$")))
    year_row.get_by_role("link", name="Duyệt báo cáo").click()
    page.wait_for_url(f"{live_server.url}/data/{PERIOD}/HG/review/")
    row = page.locator(f"#child-{DISTRICT}")
    assert "Đã gửi" in row.locator(".badge").first.inner_text()
    shot("journey-b-4-review-before")
    row.locator("input[name=comment]").fill("Số liệu đầy đủ, đồng ý.")
    with page.expect_navigation(url=f"{live_server.url}/data/{PERIOD}/HG/review/"):
        row.get_by_role("button", name="Duyệt", exact=True).click()
    assert "Đã duyệt số liệu của LĐLĐ huyện Quang Bình." in page.locator(".alert-success").inner_text()
    assert "Đã duyệt" in page.locator(f"#child-{DISTRICT} .badge").first.inner_text()
    assert Submission.objects.get(organization=district, period=period).status == SubmissionStatus.ACCEPTED
    frozen = FrozenReport.objects.get(organization=district, program__code=PROGRAM, period=period)
    shot("journey-b-5-review-accepted")

    # The district program's report: the accepted (frozen) figures.
    page.click("nav >> text=Báo cáo")
    page.wait_for_url(f"{live_server.url}/reports/HG/")
    page.click(f"text={PROGRAM}")
    page.wait_for_url(f"{live_server.url}/reports/{DISTRICT}/{PROGRAM}/*/")
    choose_period(page, "Năm 2024")
    page.wait_for_url(f"{live_server.url}/reports/{DISTRICT}/{PROGRAM}/{PERIOD}/")
    frozen_note = page.locator(".alert-info").inner_text()
    assert f"phiên bản {frozen.version}" in frozen_note and "(kỳ báo cáo được chấp nhận)" in frozen_note
    shown = {
        row.get_attribute("data-indicator"): figure_cells(row)
        for row in page.locator("#scorecard tbody tr[data-indicator]").all()
    }
    counts = {
        label: int(count)
        for label, count in zip(
            page.locator(".rpt-counts .rpt-count .rpt-status").all_inner_texts(),
            page.locator(".rpt-counts .rpt-count strong").all_inner_texts(),
            strict=True,
        )
    }
    shot("journey-b-6-program-dashboard")
    json_url = live_server.url + page.get_by_role("link", name="JSON").get_attribute("href")
    report = page.request.get(json_url).json()
    assert report["organization"] == DISTRICT and report["period"] == PERIOD
    indicators = report["indicators"]
    assert [i["code"] for i in indicators] == list(shown)
    for item in indicators:
        assert shown[item["code"]]["actual"] == as_shown(item["actual"]), item["code"]
        assert shown[item["code"]]["target"] == as_shown(item["target"]), item["code"]

    page.get_by_role("link", name="Văn bản báo cáo và tải về").click()
    page.wait_for_url(f"{live_server.url}/reports/{DISTRICT}/{PROGRAM}/{PERIOD}/document/")
    shot("journey-b-7-downloads")
    downloads = page.locator("#downloads")
    with page.expect_download(timeout=60_000) as pdf_download:  # laid out by WeasyPrint: 87 branches
        downloads.get_by_role("link", name="PDF", exact=True).click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    with page.expect_download(timeout=60_000) as xlsx_download:
        downloads.get_by_role("link", name="Excel", exact=True).click()
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    with page.expect_download(timeout=60_000) as docx_download:
        downloads.get_by_role("link", name="Word", exact=True).click()
    docx_path = tmp_path / docx_download.value.suggested_filename
    docx_download.value.save_as(docx_path)
    assert pdf_path.suffix == ".pdf" and xlsx_path.suffix == ".xlsx" and docx_path.suffix == ".docx"

    # The PDF: the summary sentence and each indicator's row of section I.2.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    assert "Liên đoàn Lao động huyện Quang Bình báo cáo kết quả thực hiện năm 2024" in text
    assert (
        f"Trong {len(indicators)} chỉ tiêu của chương trình: vượt chỉ tiêu: {counts['Vượt chỉ tiêu']}; "
        f"đạt: {counts['Đạt']}; đúng tiến độ: {counts['Đúng tiến độ']}; "
        f"có nguy cơ không đạt: {counts['Có nguy cơ không đạt']}; không đạt: {counts['Không đạt']}; "
        f"chưa đủ số liệu: {counts['Chưa đủ số liệu']}; chưa có số liệu: {counts['Chưa có số liệu hoặc chỉ tiêu']}."
    ) in text
    assert "Số liệu tổng hợp từ " in text and " CĐCS báo cáo" in text  # what the report rests on
    table = text[text.index("2. Kết quả thực hiện các chỉ tiêu") : text.index("II. HẠN CHẾ VÀ NGUYÊN NHÂN")]
    cursor = 0
    for item in indicators:
        cursor = table.index(f" {item['code']} {item['name'].split()[0]}", cursor)
        numbers = PDF_ROW.search(table, cursor)
        assert numbers is not None, item["code"]
        assert vn_number(numbers["actual"]) == as_shown(item["actual"]), item["code"]
        assert vn_number(numbers["target"]) == as_shown(item["target"]), item["code"]
        assert vn_number(numbers["gap"]) == shown[item["code"]]["gap"], item["code"]
        assert vn_number(numbers["percent"]) == shown[item["code"]]["percent"], item["code"]
        cursor = numbers.end()

    # The Word file: section I.2 is a real table with the same figures as the page and the JSON.
    word_rows = {
        row.cells[0].text: [cell.text for cell in row.cells]
        for row in next(t for t in docx.Document(str(docx_path)).tables if t.rows[0].cells[0].text == "STT").rows[1:]
    }
    assert list(word_rows) == [i["code"] for i in indicators]
    for item in indicators:
        assert vn_number(word_rows[item["code"]][4]) == as_shown(item["actual"]), item["code"]

    # The Excel file: the summary sheet holds the same numbers, as numbers.
    workbook = openpyxl.load_workbook(xlsx_path, read_only=True)
    summary = workbook["Tổng hợp"]
    assert summary["A2"].value == "Liên đoàn Lao động huyện Quang Bình (HG-QB)"
    assert summary["A4"].value == "Kỳ báo cáo: Năm 2024 (2024)"
    rows = list(summary.iter_rows(min_row=7, max_col=13, values_only=True))
    assert [row[1] for row in rows] == [i["code"] for i in indicators]
    for row, item in zip(rows, indicators, strict=True):
        assert row[7] == item["actual"], item["code"]
        assert row[5] == item["target"], item["code"]
        assert as_shown(row[9]) == shown[item["code"]]["percent"], item["code"]
        coverage = item["coverage"] or {}
        assert (row[10], row[11]) == (coverage.get("reported"), coverage.get("expected")), item["code"]
    # Each branch's figures: the one drilled into matches its dashboard and the JSON.
    children = workbook["Đơn vị trực thuộc"]
    branch_figures = {row[2]: row[6] for row in children.iter_rows(min_row=7, values_only=True) if row[0] == BRANCH}
    for item in indicators:
        expected = next(c["actual"] for c in item["children"] if c["organization"] == BRANCH)
        assert branch_figures[item["code"]] == expected, item["code"]
    workbook.close()
