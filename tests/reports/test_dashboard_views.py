"""The dashboard: scorecard, drill-down, sector filter, sorting, the red-cell link, charts, query counts."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Sector
from reports import rollups, services
from tests import builders, factories
from tests.reports.test_report_data import setup_program


def dashboard_url(code: str, **query) -> str:
    url = reverse("reports:dashboard", kwargs={"code": code, "program": "XP-CTR", "period": "2024"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_of(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(r"<tr>.*?</tr>|<tr [^>]*>.*?</tr>", table.split("<tbody>")[1], re.S)


def test_the_scorecard_shows_each_target_with_its_actual_and_status(cast, login):
    setup_program(cast)
    response = login(cast.provincial).get(dashboard_url("XP"))
    assert response.status_code == 200
    scorecard = rows_of(response.content.decode(), "scorecard")
    assert len(scorecard) == 2
    share, houses = scorecard
    assert "CĐCS tốt trở lên" in share and "66,67" in share and "&gt; 80" not in share and "85" in share
    assert "Not achieved" in share or "Không đạt" in share
    assert "Mái ấm" in houses and ">90<" in houses and "80" in houses


def test_the_drill_down_lists_the_children_and_links_each_to_its_own_dashboard(cast, login):
    setup_program(cast)
    html = login(cast.provincial).get(dashboard_url("XP", indicator="1")).content.decode()
    children = rows_of(html, "children")
    assert [re.search(r'class="code">([^<]+)<', row).group(1) for row in children] == ["XP-A", "XP-B"]
    assert dashboard_url("XP-A", indicator="1") in html.replace("&amp;", "&")


def test_the_district_drills_down_to_its_branches_and_filters_them_by_sector(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    html = client.get(dashboard_url("XP-A", indicator="1")).content.decode()
    assert [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(html, "children")] == [
        "XP-A-01",
        "XP-A-02",
    ]
    html = client.get(dashboard_url("XP-A", indicator="1", sector=Sector.SCHOOL)).content.decode()
    assert [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(html, "children")] == ["XP-A-01"]


def test_the_drill_down_sorts_by_a_column_either_way(cast, login):
    setup_program(cast)
    client = login(cast.provincial)
    codes = lambda html: [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(html, "children")]  # noqa: E731
    assert codes(client.get(dashboard_url("XP", indicator="1", sort="actual")).content.decode()) == ["XP-A", "XP-B"]
    assert codes(client.get(dashboard_url("XP", indicator="1", sort="actual", dir="desc")).content.decode()) == [
        "XP-B",
        "XP-A",
    ]


def test_a_red_cell_leads_in_one_click_to_the_branches_that_make_it_red(cast, login):
    setup_program(cast)
    client = login(cast.provincial)
    html = client.get(dashboard_url("XP")).content.decode()
    share_row = rows_of(html, "scorecard")[0]
    link = re.search(r'class="rpt-red-link" href="([^"]+)"', share_row).group(1).replace("&amp;", "&")
    assert link.startswith(
        reverse("reports:branches", kwargs={"code": "XP", "program": "XP-CTR", "period": "2024", "indicator": "1"})
    )
    branches = client.get(link).content.decode()
    assert [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(branches, "branches")] == ["XP-A-02"]


def test_a_red_cell_of_a_district_filters_its_own_drill_down(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    html = client.get(dashboard_url("XP-A")).content.decode()
    link = re.search(r'class="rpt-red-link" href="([^"]+)"', rows_of(html, "scorecard")[0]).group(1)
    red = client.get(link.replace("&amp;", "&")).content.decode()
    assert [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(red, "children")] == ["XP-A-02"]


def test_the_branches_list_filters_by_sector(cast, login):
    setup_program(cast)
    url = reverse("reports:branches", kwargs={"code": "XP", "program": "XP-CTR", "period": "2024", "indicator": "1"})
    html = login(cast.provincial).get(url, {"sector": Sector.SCHOOL}).content.decode()
    assert [re.search(r'class="code">([^<]+)<', r).group(1) for r in rows_of(html, "branches")] == ["XP-A-01"]


def test_the_charts_are_embedded_svg_from_the_shared_renderer(cast, login):
    setup_program(cast)
    builders.period("2023")
    rollups.refresh()
    html = login(cast.provincial).get(dashboard_url("XP", indicator="1")).content.decode()
    assert html.count("<svg") >= 3  # sparklines, the trend and the distribution
    assert "thực hiện so với chỉ tiêu" in html and "các đơn vị trực thuộc" in html
    assert "<script>" not in html and ' style="' not in html


def test_a_frozen_period_shows_its_frozen_figures_and_offers_the_live_ones(cast, login):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.province, period=year)
    client = login(cast.provincial)
    html = client.get(dashboard_url("XP")).content.decode()
    assert "version 1" in html or "phiên bản 1" in html
    assert "live=1" in html


def test_the_dashboard_makes_as_many_queries_for_many_branches_as_for_few(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    client.get(dashboard_url("XP-A"))  # warm the per-process caches (levels, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(dashboard_url("XP-A")).status_code == 200
    for i in range(30):
        factories.make_branch(cast.district, code=f"XP-A-X{i:02d}", sector=Sector.SCHOOL)
    with CaptureQueriesContext(connection) as many:
        assert client.get(dashboard_url("XP-A")).status_code == 200
    assert len(many) == len(few)


def test_the_branches_list_makes_as_many_queries_for_many_branches_as_for_few(cast, login):
    setup_program(cast)
    client = login(cast.provincial)
    url = reverse("reports:branches", kwargs={"code": "XP", "program": "XP-CTR", "period": "2024", "indicator": "1"})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        factories.make_branch(cast.sibling, code=f"XP-B-X{i:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_figure_without_a_target_says_so_rather_than_no_data(cast, login):
    prog, year = setup_program(cast)
    rating = prog.indicators.get(code="1").element
    builders.indicator(
        prog, "organizations_share", code="3", name="CĐCS xuất sắc", element=rating, min_choice="excellent"
    )
    rollups.refresh()
    scorecard = rows_of(login(cast.provincial).get(dashboard_url("XP")).content.decode(), "scorecard")
    untargeted = next(row for row in scorecard if "CĐCS xuất sắc" in row)
    assert "Không có chỉ tiêu" in untargeted and "Chưa có số liệu" not in untargeted


def test_coverage_adds_no_query_per_indicator_on_the_scorecard(cast, login, settings):
    """The province's scorecard says each figure's coverage (read with its rollup row), in as many queries
    for six indicators as for two."""
    settings.REPORT_CACHE_SECONDS = 0  # the queries of computing it, every time
    prog, _year = setup_program(cast)
    client = login(cast.provincial)
    client.get(dashboard_url("XP"))  # warm the per-process caches (levels, content types)
    with CaptureQueriesContext(connection) as two:
        assert client.get(dashboard_url("XP")).status_code == 200
    rating = prog.indicators.get(code="1").element
    houses = prog.indicators.get(code="2").element
    for n, grade in enumerate(("excellent", "good", "done"), start=3):
        builders.indicator(
            prog, "organizations_share", code=str(n), name=f"CĐCS {grade}", element=rating, min_choice=grade
        )
    builders.indicator(prog, "reported_sum", code="6", name="Mái ấm (2)", unit="căn", element=houses)
    rollups.refresh()
    with CaptureQueriesContext(connection) as six:
        html = client.get(dashboard_url("XP")).content.decode()
    assert len(six) == len(two)
    scorecard = rows_of(html, "scorecard")
    assert len(scorecard) == 6
    # Every figure with its own coverage: branches for the ratings, districts for the houses.
    assert sum("3/3 CĐCS báo cáo" in row for row in scorecard) == 4
    assert sum("2/2 đơn vị báo cáo" in row for row in scorecard) == 2
