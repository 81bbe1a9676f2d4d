"""Sections I–III drafted from a district's real figures (tests/builders.py): the exact sentences."""

from __future__ import annotations

import datetime

import pytest

from indicators.models import ValueType
from reports import rollups
from reports.data import build_report
from reports.drafting import draft
from tests import builders, factories

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture
def district_2024(cast):
    """XP-A with four branches in 2024: ratings good, excellent, done and one not reported;
    a yes/no figure (a mutual-aid fund) reported by three; new members reported by the district."""
    rating = builders.element("rating_1294", ValueType.CHOICE)
    fund = builders.element("mutual_aid_fund", ValueType.BOOLEAN)
    year = builders.period("2024")
    school = cast.branch  # CĐCS Trường A1
    commune = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS UBND xã A2")
    coop = factories.make_branch(cast.district, code="XP-A-03", name="CĐCS HTX A3")
    factories.make_branch(cast.district, code="XP-A-04", name="CĐCS Bệnh viện A4")
    for branch, grade in ((school, "good"), (commune, "excellent"), (coop, "done")):
        builders.report(rating, branch, year, grade)
    for branch, has_fund in ((school, True), (commune, False), (coop, False)):
        builders.report(fund, branch, year, has_fund)
    prog = builders.program(cast.district, code="XP-CTR", start=2021, end=2025)
    # 3 of 4 branches reported (75 %): judged, not "not enough data", under a threshold of 70 %.
    prog.coverage_threshold = 70
    prog.save(update_fields=["coverage_threshold"])
    builders.rating_and_fund_indicators(prog, rating, fund)
    rollups.refresh()
    return build_report(cast.district, prog, year, today=TODAY)


def test_section_one_says_each_indicator_of_the_group_with_its_target_gap_and_status(district_2024):
    assert draft(district_2024)["results"].splitlines() == [
        "Kết quả thực hiện các chỉ tiêu theo từng nhóm như sau:",
        "",
        "Nhóm chỉ tiêu 4 (2 chỉ tiêu: 2 không đạt):",
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên đạt 66,67 %, chỉ tiêu ≥ 90 %, "
        "còn thiếu 23,33 điểm phần trăm: Không đạt.",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau đạt 33,33 %, chỉ tiêu ≥ 80 %, còn thiếu 46,67 điểm phần trăm: Không đạt.",
    ]


def test_section_two_names_the_branches_furthest_behind_and_the_one_that_has_not_reported(district_2024):
    assert draft(district_2024)["shortcomings"].splitlines() == [
        "2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:",
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên đạt 66,67 %, chỉ tiêu ≥ 90 %, "
        "còn thiếu 23,33 điểm phần trăm: Không đạt. Các đơn vị còn xa chỉ tiêu nhất: CĐCS HTX A3 (0 %).",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau đạt 33,33 %, chỉ tiêu ≥ 80 %, còn thiếu 46,67 điểm phần trăm: Không đạt. "
        "Các đơn vị còn xa chỉ tiêu nhất: CĐCS HTX A3 (0 %); CĐCS UBND xã A2 (0 %).",
        "",
        "2 chỉ tiêu có đơn vị chưa báo cáo:",
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên: 1/4 đơn vị chưa báo cáo (CĐCS Bệnh viện A4).",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau: 1/4 đơn vị chưa báo cáo (CĐCS Bệnh viện A4).",
        "",
        "Đơn vị chưa báo cáo số liệu kỳ này (1/4): CĐCS Bệnh viện A4.",
    ]


def test_section_three_recommends_one_line_per_unmet_indicator(district_2024):
    assert draft(district_2024)["directions"].splitlines() == [
        "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên: phấn đấu đạt chỉ tiêu ≥ 90 % (hiện đạt 66,67 %), "
        "tập trung chỉ đạo CĐCS HTX A3.",
        "- 4.2. Tỷ lệ CĐCS có quỹ giúp nhau: phấn đấu đạt chỉ tiêu ≥ 80 % (hiện đạt 33,33 %), "
        "tập trung chỉ đạo CĐCS HTX A3, CĐCS UBND xã A2.",
        "- Đôn đốc 1 đơn vị chưa báo cáo hoàn thành báo cáo số liệu.",
        "- Tiếp tục triển khai các nhiệm vụ, giải pháp của chương trình; duy trì kết quả các chỉ tiêu đã đạt.",
    ]


def test_the_draft_follows_the_figures(cast, district_2024):
    """The silent branch reports a good rating and a fund: 4.1 reaches 75 % and nobody is missing."""
    from indicators.models import DataValue

    silent = cast.district.children().get(code="XP-A-04")
    period = DataValue.objects.first().period
    builders.report(builders.element("rating_1294"), silent, period, "good")
    builders.report(builders.element("mutual_aid_fund"), silent, period, True)
    rollups.refresh()
    from programs.models import Program

    data = build_report(cast.district, Program.objects.get(code="XP-CTR"), period, today=TODAY)
    texts = draft(data)
    assert "- 4.1. Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên đạt 75 %, chỉ tiêu ≥ 90 %, " in texts["results"]
    assert "chưa báo cáo" not in texts["shortcomings"] and "Đôn đốc" not in texts["directions"]
