"""The drafting of sections I–III as pure functions of ReportData: exact sentences on small hand-made reports."""

from __future__ import annotations

from decimal import Decimal

from reports.data import Figure, IndicatorReport, ReportData
from reports.drafting import (
    SectionText,
    TaskLine,
    draft,
    draft_directions,
    draft_results,
    draft_shortcomings,
    indicator_sentence,
    names,
    subject_of,
    vn_number,
)


def figure(name: str, actual, target=None, status="no_data", *, comparison="gte", target_max=None, percent=None):
    def dec(value):
        return None if value is None else Decimal(str(value))

    return Figure(
        organization=name,
        name=name,
        actual=dec(actual),
        target=dec(target),
        target_max=dec(target_max),
        comparison=comparison if target is not None else None,
        status=status,
        percent_achieved=dec(percent),
    )


def indicator(code: str, name: str, unit: str, own: Figure, children=(), *, fits_a_branch=True) -> IndicatorReport:
    return IndicatorReport(
        code=code,
        name=name,
        unit=unit,
        measure="organizations_share" if unit == "%" else "members_joined",
        time_rule="every_year",
        source_text="",
        figure=own,
        children=tuple(children),
        trend=(),
        fits_a_branch=fits_a_branch,
    )


def report(*indicators: IndicatorReport, children: tuple[str, ...] = ()) -> ReportData:
    return ReportData(
        organization={"code": "QB", "name": "LĐLĐ huyện Quang Bình"},
        program={},
        period={"code": "2024", "label": "Năm 2024"},
        generated_at="",
        indicators=indicators,
        children=tuple({"code": name, "name": name, "level": "base"} for name in children),
    )


GOOD_RATING = "CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên"


def test_numbers_are_written_the_vietnamese_way_and_rounded_half_up():
    assert vn_number(Decimal("1273")) == "1.273"
    assert vn_number(Decimal("55.555")) == "55,56"
    assert vn_number(Decimal("53.985")) == "53,99"  # half up, not to the even 53,98
    assert vn_number(Decimal("1234567.5")) == "1.234.567,50"
    assert vn_number(Decimal("90.00")) == "90"
    assert vn_number(Decimal("-8627")) == "-8.627"
    assert vn_number(None) == "–"


def test_a_share_below_its_minimum_reads_actual_target_gap_and_status():
    ind = indicator("4.1", GOOD_RATING, "%", figure("QB", "88.37", 90, "not_achieved"))
    assert indicator_sentence(ind) == (
        "Tỷ lệ CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên đạt 88,37 %, "
        "chỉ tiêu ≥ 90 %, còn thiếu 1,63 điểm phần trăm: Không đạt."
    )


def test_every_direction_of_a_target_has_its_own_gap():
    founded = indicator(
        "2", "Thành lập mới CĐCS", "CĐCS", figure("QB", 40, 30, "exceeded", comparison="range", target_max=35)
    )
    assert indicator_sentence(founded) == (
        "Thành lập mới CĐCS đạt 40 CĐCS, chỉ tiêu 30–35 CĐCS, vượt 5 CĐCS so với mức tối đa: Vượt chỉ tiêu."
    )
    within = indicator(
        "2", "Thành lập mới CĐCS", "CĐCS", figure("QB", 32, 30, "achieved", comparison="range", target_max=35)
    )
    assert indicator_sentence(within).endswith("chỉ tiêu 30–35 CĐCS, nằm trong khoảng chỉ tiêu: Đạt.")
    short = indicator(
        "2", "Thành lập mới CĐCS", "CĐCS", figure("QB", 12, 30, "at_risk", comparison="range", target_max=35)
    )
    assert indicator_sentence(short).endswith("còn thiếu 18 CĐCS so với mức tối thiểu: Có nguy cơ không đạt.")
    spending = indicator("3", "Tỷ lệ chi hành chính", "%", figure("QB", "3.5", 3, "not_achieved", comparison="lte"))
    assert indicator_sentence(spending) == (
        "Tỷ lệ chi hành chính đạt 3,50 %, chỉ tiêu ≤ 3 %, cao hơn mức chỉ tiêu 0,50 điểm phần trăm: Không đạt."
    )
    members = indicator("9.1", "Kết nạp đoàn viên mới", "đoàn viên", figure("QB", 2100, 2000, "achieved"))
    assert indicator_sentence(members) == (
        "Kết nạp đoàn viên mới đạt 2.100 đoàn viên, chỉ tiêu ≥ 2.000 đoàn viên, vượt 100 đoàn viên: Đạt."
    )


def test_a_figure_without_data_or_without_target_says_so():
    missing = indicator("5.1", "CĐCS tổ chức Hội nghị người lao động", "%", figure("QB", None, 100))
    assert indicator_sentence(missing) == (
        "Tỷ lệ CĐCS tổ chức Hội nghị người lao động (chỉ tiêu ≥ 100 %): Chưa có số liệu."
    )
    untargeted = indicator("6", "Nhà Mái ấm công đoàn", "căn", figure("QB", 12))
    assert indicator_sentence(untargeted) == "Nhà Mái ấm công đoàn đạt 12 căn: Không có chỉ tiêu."


def test_the_subject_of_a_share_keeps_abbreviations_and_does_not_say_ty_le_twice():
    lower = indicator("1", "Đơn vị, doanh nghiệp có từ 05 lao động trở lên có CĐCS", "%", figure("QB", 1))
    assert subject_of(lower) == "Tỷ lệ đơn vị, doanh nghiệp có từ 05 lao động trở lên có CĐCS"
    already = indicator("1.4b", "Tỷ lệ nguồn thu từ hoạt động kinh tế", "%", figure("QB", 1))
    assert subject_of(already) == "Tỷ lệ nguồn thu từ hoạt động kinh tế"


def test_section_one_groups_indicators_by_the_number_their_code_starts_with():
    data = report(
        indicator("1", "Kết nạp đoàn viên mới", "đoàn viên", figure("QB", 1273, 2000, "at_risk")),
        indicator("4.1", GOOD_RATING, "%", figure("QB", "88.37", 90, "not_achieved")),
        indicator("4.2", "CĐCS doanh nghiệp hoàn thành tốt nhiệm vụ trở lên", "%", figure("QB", 100, 98, "achieved")),
    )
    assert draft_results(data).splitlines() == [
        "Kết quả thực hiện các chỉ tiêu theo từng nhóm như sau:",
        "",
        "- 1. Kết nạp đoàn viên mới đạt 1.273 đoàn viên, chỉ tiêu ≥ 2.000 đoàn viên, còn thiếu 727 đoàn viên: "
        "Có nguy cơ không đạt.",
        "",
        "Nhóm chỉ tiêu 4 (2 chỉ tiêu: 1 đạt, 1 không đạt):",
        "- 4.1. Tỷ lệ CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên đạt 88,37 %, "
        "chỉ tiêu ≥ 90 %, còn thiếu 1,63 điểm phần trăm: Không đạt.",
        "- 4.2. Tỷ lệ CĐCS doanh nghiệp hoàn thành tốt nhiệm vụ trở lên đạt 100 %, chỉ tiêu ≥ 98 %, "
        "vượt 2 điểm phần trăm: Đạt.",
    ]


def test_the_tasks_and_their_results_follow_the_figures_when_there_are_any():
    data = report(indicator("1", "Kết nạp đoàn viên mới", "đoàn viên", figure("QB", 2100, 2000, "achieved")))
    tasks = [
        TaskLine("1. Công tác tuyên truyền", "Tuyên truyền Nghị quyết Đại hội", "Hoàn thành", "Tổ chức 12 hội nghị"),
        TaskLine("1. Công tác tuyên truyền", "Phát hành tài liệu", "Đang triển khai"),
        TaskLine("2. Công tác kiểm tra", "Kiểm tra tài chính CĐCS", "Chưa triển khai", "Dời sang quý III."),
    ]
    assert draft_results(data, tasks).splitlines()[-6:] == [
        "Kết quả thực hiện các nhiệm vụ, giải pháp:",
        "1. Công tác tuyên truyền:",
        "- Tuyên truyền Nghị quyết Đại hội: Hoàn thành. Tổ chức 12 hội nghị.",
        "- Phát hành tài liệu: Đang triển khai.",
        "2. Công tác kiểm tra:",
        "- Kiểm tra tài chính CĐCS: Chưa triển khai. Dời sang quý III.",
    ]
    assert "nhiệm vụ, giải pháp" not in draft_results(data)


BRANCHES = ("CĐCS A", "CĐCS B", "CĐCS C", "CĐCS D", "CĐCS E")


def _behind_report() -> ReportData:
    rating = indicator(
        "4.1",
        GOOD_RATING,
        "%",
        figure("QB", "88.37", 90, "not_achieved"),
        [
            figure("CĐCS A", 100, 90, "achieved", percent="111.1"),
            figure("CĐCS B", 50, 90, "not_achieved", percent="55.6"),
            figure("CĐCS C", 80, 90, "not_achieved", percent="88.9"),
            figure("CĐCS D", 0, 90, "not_achieved", percent=0),
            figure("CĐCS E", None, 90),
        ],
    )
    members = indicator(
        "9",
        "Kết nạp đoàn viên mới",
        "đoàn viên",
        figure("QB", 1200, 2000, "not_achieved"),
        [
            figure("CĐCS A", 700, 600, "achieved", percent="116.7"),
            figure("CĐCS B", 150, 500, "not_achieved", percent=30),
            figure("CĐCS C", 300, 400, "not_achieved", percent=75),
            figure("CĐCS D", 50, 100, "not_achieved", percent=50),
            figure("CĐCS E", None, 400),
        ],
    )
    workplaces = indicator(
        "1", "Doanh nghiệp có CĐCS", "%", figure("QB", None, 80, "insufficient"), fits_a_branch=False
    )
    return report(workplaces, rating, members, children=BRANCHES)


def test_section_two_names_the_three_units_furthest_behind_and_those_that_have_not_reported():
    assert draft_shortcomings(_behind_report()).splitlines() == [
        "2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:",
        "- 4.1. Tỷ lệ CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên đạt 88,37 %, "
        "chỉ tiêu ≥ 90 %, còn thiếu 1,63 điểm phần trăm: Không đạt. "
        "Các đơn vị còn xa chỉ tiêu nhất: CĐCS D (0 %); CĐCS B (50 %); CĐCS C (80 %).",
        "- 9. Kết nạp đoàn viên mới đạt 1.200 đoàn viên, chỉ tiêu ≥ 2.000 đoàn viên, còn thiếu 800 đoàn viên: "
        "Không đạt. Các đơn vị còn xa chỉ tiêu nhất: CĐCS B (150 đoàn viên, chỉ tiêu ≥ 500 đoàn viên); "
        "CĐCS D (50 đoàn viên, chỉ tiêu ≥ 100 đoàn viên); CĐCS C (300 đoàn viên, chỉ tiêu ≥ 400 đoàn viên).",
        "",
        "3 chỉ tiêu có đơn vị chưa báo cáo:",
        "- 1. Tỷ lệ doanh nghiệp có CĐCS: chưa có số liệu.",
        "- 4.1. Tỷ lệ CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên: "
        "1/5 đơn vị chưa báo cáo (CĐCS E).",
        "- 9. Kết nạp đoàn viên mới: 1/5 đơn vị chưa báo cáo (CĐCS E).",
        "",
        "Đơn vị chưa báo cáo số liệu kỳ này (1/5): CĐCS E.",
    ]


def test_section_three_recommends_one_line_per_unmet_indicator():
    assert draft_directions(_behind_report()).splitlines() == [
        "- 4.1. Tỷ lệ CĐCS trong cơ quan hành chính, đơn vị sự nghiệp hoàn thành tốt nhiệm vụ trở lên: "
        "phấn đấu đạt chỉ tiêu ≥ 90 % (hiện đạt 88,37 %), tập trung chỉ đạo CĐCS D, CĐCS B, CĐCS C.",
        "- 9. Kết nạp đoàn viên mới: phấn đấu đạt chỉ tiêu ≥ 2.000 đoàn viên (hiện đạt 1.200 đoàn viên), "
        "tập trung chỉ đạo CĐCS B, CĐCS D, CĐCS C.",
        "- Đôn đốc 1 đơn vị chưa báo cáo hoàn thành báo cáo số liệu.",
        "- Tiếp tục triển khai các nhiệm vụ, giải pháp của chương trình; duy trì kết quả các chỉ tiêu đã đạt.",
    ]


def test_a_report_with_everything_met_says_so_in_two_and_keeps_only_the_general_line_in_three():
    data = report(indicator("1", "Kết nạp đoàn viên mới", "đoàn viên", figure("QB", 2100, 2000, "achieved")))
    texts = draft(data)
    assert texts["shortcomings"] == (
        "Các chỉ tiêu đều đạt hoặc đúng tiến độ; các đơn vị trực thuộc đã báo cáo đầy đủ số liệu."
    )
    assert texts["directions"] == (
        "- Tiếp tục triển khai các nhiệm vụ, giải pháp của chương trình; duy trì kết quả các chỉ tiêu đã đạt."
    )


def test_a_figure_over_too_few_reports_is_under_reported_not_unmet():
    thin = indicator("5.1", "CĐCS tổ chức Hội nghị", "%", figure("QB", "78.16", 100, "insufficient"))
    assert draft_shortcomings(report(thin)).splitlines() == [
        "1 chỉ tiêu có đơn vị chưa báo cáo:",
        "- 5.1. Tỷ lệ CĐCS tổ chức Hội nghị đạt 78,16 %, chỉ tiêu ≥ 100 %, còn thiếu 21,84 điểm phần trăm: "
        "Chưa đủ số liệu.",
    ]
    assert draft_directions(report(thin)).count("\n") == 0  # no recommendation: only the general line


def test_a_long_list_of_units_is_cut_after_ten():
    many = [f"CĐCS {n:02d}" for n in range(1, 13)]
    assert names(many) == ", ".join(many[:10]) + " và 2 đơn vị khác"


def test_a_section_is_set_as_paragraphs_items_and_gaps():
    text = SectionText(section="results", text="Mở đầu.\n\n- Một\n  - Hai  \n\nKết.", draft="")
    assert text.paragraphs == [
        {"text": "Mở đầu.", "item": False, "gap": False},
        {"text": "- Một", "item": True, "gap": True},
        {"text": "- Hai", "item": True, "gap": False},
        {"text": "Kết.", "item": False, "gap": True},
    ]
