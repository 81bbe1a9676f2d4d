"""Each child is compared with ITS OWN allocated target (phân bổ chỉ tiêu, seed 004) wherever children are
shown: the report data, the drill-down, the chart, the PDF's comparison, the Excel sheet and the indicator
page. A child with no allocation says so ("chưa phân bổ chỉ tiêu") rather than borrow its parent's target."""

from __future__ import annotations

import datetime
import re
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import rollups
from reports.data import build_report
from reports.renderers.charts import distribution_chart
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx
from tests import builders, factories

TODAY = datetime.date(2025, 3, 1)


def setup_allocations(cast):
    """The province's 9.900 new members over the term, of which the district got 3.960; the sibling got none."""
    year = builders.period("2024")
    houses = builders.element("union_houses", level="upper")
    builders.report(houses, cast.district, year, 3000)
    builders.report(houses, cast.sibling, year, 2500)
    prog = builders.program(cast.province, code="XP-ALLOC", start=2021, end=2025)
    indicator = builders.indicator(
        prog, "reported_sum", code="1", name="Đoàn viên mới", unit="đoàn viên", element=houses, target_value=9900
    )
    indicator.allocation = "sum"
    indicator.save(update_fields=["allocation"])
    builders.target(indicator, cast.district, 3960, year=2024)
    rollups.refresh()
    return prog, year, indicator


def children_of(data) -> dict:
    return {c.organization: c for c in data.indicators[0].children}


def test_each_child_carries_its_own_allocation_and_an_unallocated_one_borrows_nothing(cast):
    prog, year, _indicator = setup_allocations(cast)
    data = build_report(cast.province, prog, year, today=TODAY)
    assert data.indicators[0].figure.target == 9900
    children = children_of(data)
    assert (children["XP-A"].target, children["XP-A"].target_source) == (3960, "allocated")
    assert children["XP-A"].status == "not_achieved"  # 3.000 against its own 3.960, not against 9.900
    assert (children["XP-B"].target, children["XP-B"].target_source) == (None, "unallocated")
    assert children["XP-B"].status == "no_data"
    json_children = {c["organization"]: c for c in data.to_json()["indicators"][0]["children"]}
    assert json_children["XP-B"]["target"] is None and json_children["XP-B"]["target_source"] == "unallocated"


def test_the_chart_draws_each_childs_own_target_not_the_parents(cast):
    prog, year, _indicator = setup_allocations(cast)
    builders.target(prog.indicators.get(), cast.sibling, 1980, year=2024)
    svg = distribution_chart(build_report(cast.province, prog, year, today=TODAY).indicators[0])
    # Ticks 0–4.000 over a plot 152 px high from y=10: 3.960 at y=11.5, 1.980 at y=86.8; 9.900 nowhere.
    marks = re.findall(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="[\d.]+" stroke="#c8102e"', svg)
    assert sorted(float(y) for _x1, y, _x2 in marks) == [11.5, 86.8]
    assert all(float(x2) - float(x1) < 200 for x1, _y, x2 in marks)  # a mark over one bar, not a line across
    assert ">10.000<" not in svg and "Chưa phân bổ" not in svg


def test_the_chart_names_the_child_without_an_allocation(cast):
    prog, year, _indicator = setup_allocations(cast)
    svg = distribution_chart(build_report(cast.province, prog, year, today=TODAY).indicators[0])
    assert "Chưa phân bổ chỉ tiêu: LĐLĐ huyện B" in svg
    assert len(re.findall(r'stroke="#c8102e"', svg)) == 1  # the district's mark only


def test_the_drill_down_shows_the_allocation_or_says_there_is_none(cast, login):
    setup_allocations(cast)
    url = reverse("reports:dashboard", kwargs={"code": "XP", "program": "XP-ALLOC", "period": "2024"})
    html = login(cast.provincial).get(url, {"indicator": "1"}).content.decode()
    table = re.search(r'<table[^>]*id="children".*?</table>', html, re.S).group(0)
    rows = {re.search(r'class="code">([^<]+)<', r).group(1): r for r in table.split("<tr")[2:]}
    assert "3.960" in rows["XP-A"] and "9.900" not in rows["XP-A"]
    assert "chưa phân bổ chỉ tiêu" in rows["XP-B"] and "9.900" not in rows["XP-B"]
    assert "Chưa phân bổ chỉ tiêu" in rows["XP-B"]  # the status too, not "no data"


def test_the_pdf_comparison_and_the_excel_sheet_use_the_allocation(cast, tmp_path):
    prog, year, indicator = setup_allocations(cast)
    data = build_report(cast.province, prog, year, today=TODAY)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(data))).pages)
    assert "CT: ≥ 3.960" in text and "chưa phân bổ" in text
    path = tmp_path / "report.xlsx"
    render_xlsx(data, cast.province, [indicator], year, path)
    sheet = load_workbook(path)["Đơn vị trực thuộc"]
    targets = {row[0]: row[4] for row in sheet.iter_rows(values_only=True) if row[0] in ("XP-A", "XP-B")}
    assert targets == {"XP-A": 3960, "XP-B": "chưa phân bổ chỉ tiêu"}


def test_the_indicator_page_says_which_child_has_no_allocation(cast, login):
    prog, _year, indicator = setup_allocations(cast)
    url = reverse("indicators:detail", kwargs={"code": prog.code, "indicator": indicator.code})
    response = login(cast.provincial).get(url, {"period": "2024"})
    children = {c.organization.code: c for c in response.context["children"]}
    assert (children["XP-A"].target.value, children["XP-A"].target_source) == (3960, "allocated")
    assert (children["XP-B"].target, children["XP-B"].target_source) == (None, "unallocated")
    assert "chưa phân bổ chỉ tiêu" in response.content.decode()


def test_unallocated_districts_add_no_query_to_the_province_dashboard(cast, login, settings):
    settings.REPORT_CACHE_SECONDS = 0  # the queries of computing it, every time
    setup_allocations(cast)
    client = login(cast.provincial)
    url = reverse("reports:dashboard", kwargs={"code": "XP", "program": "XP-ALLOC", "period": "2024"})
    client.get(url, {"indicator": "1"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"indicator": "1"})
    for i in range(5):
        factories.make_organization(cast.province, code=f"XP-Z{i}", name=f"LĐLĐ huyện Z{i}")
    rollups.refresh()
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"indicator": "1"}).content.decode()
    assert html.count("chưa phân bổ chỉ tiêu") >= 6
    assert len(many) == len(few)


def test_the_chart_counts_the_children_without_an_allocation_when_they_are_many(cast):
    prog, year, indicator = setup_allocations(cast)
    for i in range(3):
        district = factories.make_organization(cast.province, code=f"XP-Y{i}", name=f"LĐLĐ huyện Y{i}")
        builders.report(indicator.element, district, year, 100)
    rollups.refresh()
    svg = distribution_chart(build_report(cast.province, prog, year, today=TODAY).indicators[0])
    assert "4 đơn vị chưa phân bổ chỉ tiêu" in svg and "LĐLĐ huyện Y0" in svg  # the name under its bar only
    assert svg.count("LĐLĐ huyện Y0") == 1
