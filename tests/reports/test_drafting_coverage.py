"""Section II says each indicator's own coverage: two figures of one report, reported by different units."""

from __future__ import annotations

import datetime

import pytest

from indicators.models import ValueType
from reports import rollups
from reports.data import build_report
from reports.drafting import coverage_of, draft
from tests import builders, factories

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture
def program_2024(cast):
    """Six branches in two districts: four report a rating (A1, A2, A3, B1), two a mutual-aid fund (A1, A2)."""
    rating = builders.element("rating_1294", ValueType.CHOICE)
    fund = builders.element("mutual_aid_fund", ValueType.BOOLEAN)
    year = builders.period("2024")
    a1 = cast.branch  # CĐCS Trường A1
    a2 = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS UBND xã A2")
    a3 = factories.make_branch(cast.district, code="XP-A-03", name="CĐCS HTX A3")
    factories.make_branch(cast.district, code="XP-A-04", name="CĐCS Bệnh viện A4")
    b1 = cast.sibling_branch  # CĐCS UBND xã B1
    factories.make_branch(cast.sibling, code="XP-B-02", name="CĐCS Trường B2")
    for branch, grade in ((a1, "good"), (a2, "excellent"), (a3, "done"), (b1, "good")):
        builders.report(rating, branch, year, grade)
    for branch, has_fund in ((a1, True), (a2, False)):
        builders.report(fund, branch, year, has_fund)
    prog = builders.program(cast.province, code="XP-CTR", start=2021, end=2025)
    prog.coverage_threshold = 30  # 2 of 6 (33 %) is still judged
    prog.save(update_fields=["coverage_threshold"])
    builders.rating_and_fund_indicators(prog, rating, fund)
    rollups.refresh()
    return prog, year


def test_each_indicator_of_the_province_says_its_own_coverage_and_the_districts_behind(cast, program_2024):
    prog, year = program_2024
    data = build_report(cast.province, prog, year, today=TODAY)
    rating, fund = data.indicators
    assert (coverage_of(rating, data).reported, coverage_of(rating, data).expected) == (4, 6)
    assert (coverage_of(fund, data).reported, coverage_of(fund, data).expected) == (2, 6)
    under = draft(data)["shortcomings"].split("\n\n")[1].splitlines()
    assert under == [
        "2 chỉ tiêu có đơn vị chưa báo cáo:",
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên: 2/6 đơn vị chưa báo cáo "
        "(LĐLĐ huyện A: 1/4; LĐLĐ huyện B: 1/2).",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau: 4/6 đơn vị chưa báo cáo (LĐLĐ huyện A: 2/4; LĐLĐ huyện B: 2/2).",
    ]
    # LĐLĐ huyện B has reported a rating: it is not silent, though it has no fund figure at all.
    assert "Đơn vị chưa báo cáo số liệu kỳ này" not in draft(data)["shortcomings"]


def test_each_indicator_of_the_district_names_its_own_branches_that_have_not_reported(cast, program_2024):
    prog, year = program_2024
    data = build_report(cast.district, prog, year, today=TODAY)
    shortcomings = draft(data)["shortcomings"]
    under = shortcomings.split("\n\n")[1].splitlines()
    assert under == [
        "2 chỉ tiêu có đơn vị chưa báo cáo:",
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên: 1/4 đơn vị chưa báo cáo (CĐCS Bệnh viện A4).",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau: 2/4 đơn vị chưa báo cáo (CĐCS HTX A3, CĐCS Bệnh viện A4).",
    ]
    # Silent on both indicators: A4 only (A3 reported its rating).
    assert shortcomings.splitlines()[-1] == "Đơn vị chưa báo cáo số liệu kỳ này (1/4): CĐCS Bệnh viện A4."
