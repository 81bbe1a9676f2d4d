"""Issue 12, point 1 in the report: each figure's coverage, the summary's sentence and counts, a frozen
version that keeps them, and a version frozen before coverage was kept that still renders."""

from decimal import Decimal

import openpyxl
from django.utils import translation

from indicators.models import ValueType
from reports import rollups, services
from reports.data import build_report
from reports.models import FrozenReport
from reports.renderers.pdf import render_pdf
from reports.renderers.xlsx import render_xlsx
from reports.snapshots import from_snapshot, to_snapshot
from tests import builders, factories
from tests.reports.test_renderers import pdf_text
from tests.reports.test_report_data import TODAY


def ten_branches_eight_reported(cast, **indicator_fields):
    """District A: 10 branches, 8 rated good, 2 silent; a share of branches rated good, target ≥ 97 %."""
    rating = builders.element("rating_1294", ValueType.CHOICE)
    year = builders.period("2024")
    branches = [cast.branch] + [factories.make_branch(cast.district, code=f"XP-A-{n:02d}") for n in range(2, 11)]
    for branch in branches[:8]:
        builders.report(rating, branch, year, "good")
    prog = builders.program(cast.district, code="XP-COV")
    builders.indicator(
        prog,
        "organizations_share",
        code="4.1",
        order=1,
        name="CĐCS hoàn thành tốt nhiệm vụ trở lên",
        unit="%",
        element=rating,
        min_choice="good",
        target_value=97,
        **indicator_fields,
    )
    builders.indicator(
        prog, "branches_active", code="1", order=2, name="Số CĐCS", unit="CĐCS", target_value=9, comparison="gte"
    )
    rollups.refresh()
    return prog, year


def test_the_report_states_its_coverage_and_counts_each_status(cast):
    prog, year = ten_branches_eight_reported(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    share, branches = data.indicators
    assert (share.figure.actual, share.figure.reported, share.figure.expected) == (Decimal("100.00"), 8, 10)
    assert share.figure.status == "insufficient"
    assert branches.figure.status == "exceeded" and branches.figure.expected is None  # read from the registry
    assert data.status_counts["insufficient"] == 1 and data.status_counts["exceeded"] == 1
    assert data.coverage == {"threshold": "90", "expected": 10, "reported": 8, "branches": True, "below": 1}
    with translation.override("vi"):
        assert share.coverage_words() == "8/10 CĐCS báo cáo"
        assert data.coverage_sentence() == (
            "Số liệu tổng hợp từ 8/10 CĐCS báo cáo; chỉ đánh giá đạt hay không đạt khi có từ 90 % đơn vị báo cáo"
            " trở lên."
        )


def test_the_pdf_and_the_workbook_show_the_coverage_and_the_new_statuses(cast, tmp_path):
    prog, year = ten_branches_eight_reported(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    text, _pages = pdf_text(render_pdf(data, charts=False))
    flat = " ".join(text.split())
    assert (
        "vượt chỉ tiêu: 1; đạt: 0; đúng tiến độ: 0; có nguy cơ không đạt: 0; không đạt: 0; chưa đủ số liệu: 1" in flat
    )
    assert "Số liệu tổng hợp từ 8/10 CĐCS báo cáo" in flat
    assert "8/10 CĐCS báo cáo" in flat and "Chưa đủ số liệu" in flat and "Vượt chỉ tiêu" in flat
    target = tmp_path / "report.xlsx"
    render_xlsx(data, cast.district, list(prog.indicators.all()), year, target)
    summary = openpyxl.load_workbook(target)["Tổng hợp"]
    assert summary["A5"].value.startswith("Số liệu tổng hợp từ 8/10 CĐCS báo cáo")
    first = [c.value for c in summary[7]]
    assert (first[7], first[10], first[11], first[12]) == (100, 8, 10, "Chưa đủ số liệu")


def test_the_strict_rule_is_said_in_the_pdf(cast):
    prog, year = ten_branches_eight_reported(cast, unreported_rule="strict")
    data = build_report(cast.district, prog, year, today=TODAY)
    assert (data.indicators[0].figure.actual, data.indicators[0].figure.status) == (Decimal("80.00"), "not_achieved")
    flat = " ".join(pdf_text(render_pdf(data, charts=False))[0].split())
    assert "(*) Chỉ tiêu 4.1 áp dụng quy tắc chặt: đơn vị chưa báo cáo được tính là không đạt." in flat


def test_a_frozen_report_keeps_its_coverage(cast):
    prog, year = ten_branches_eight_reported(cast)
    services.period_accepted(organization=cast.district, period=year)
    rating = prog.indicators.get(code="4.1").element
    for branch in cast.district.children().filter(code__in=["XP-A-09", "XP-A-10"]):
        builders.report(rating, branch, year, "good")  # the two silent branches report after the freeze
    rollups.refresh()
    frozen, version = services.report_data(cast.district, prog, year)
    assert version is not None
    assert (frozen.indicators[0].figure.reported, frozen.indicators[0].figure.expected) == (8, 10)
    assert frozen.coverage["reported"] == 8 and frozen.indicators[0].figure.status == "insufficient"
    live, _ = services.report_data(cast.district, prog, year, live=True)
    assert (live.indicators[0].figure.reported, live.indicators[0].figure.status) == (10, "exceeded")


def test_a_version_frozen_before_coverage_was_kept_still_renders(cast, tmp_path):
    prog, year = ten_branches_eight_reported(cast)
    snapshot = to_snapshot(build_report(cast.district, prog, year, today=TODAY))
    snapshot.pop("coverage")
    for indicator in snapshot["indicators"]:
        for key in ("direction", "strict", "decimals", "units_are_branches"):
            indicator.pop(key)
        for figure in [indicator["figure"], *indicator["children"]]:
            for key in ("exact", "expected", "reported", "units_are_branches"):
                figure.pop(key)
    old = from_snapshot(snapshot)
    assert old.coverage == {} and old.coverage_sentence() == "" and old.indicators[0].coverage_words() == ""
    assert old.to_json()["indicators"][0]["coverage"] is None
    assert old.to_json()["indicators"][0]["actual_exact"] == 100  # the written value stands for the exact one
    text, _pages = pdf_text(render_pdf(old, charts=False))
    assert "CĐCS báo cáo" not in text and "Số liệu tổng hợp" not in text
    render_xlsx(old, cast.district, list(prog.indicators.all()), year, tmp_path / "old.xlsx")


def test_a_frozen_snapshot_round_trips_its_coverage(cast):
    prog, year = ten_branches_eight_reported(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    again = from_snapshot(to_snapshot(data))
    assert again.coverage == data.coverage and again.indicators[0].figure == data.indicators[0].figure
    assert FrozenReport.objects.count() == 0


def test_refresh_rollups_gives_stored_rows_their_coverage(cast):
    from django.core.management import call_command

    from reports.models import Rollup

    prog, year = ten_branches_eight_reported(cast)
    share = prog.indicators.get(code="4.1")
    Rollup.objects.filter(indicator=share).update(expected=0)  # as stored before coverage was kept
    assert build_report(cast.district, prog, year, today=TODAY).indicators[0].coverage_words() == ""
    call_command("refresh_rollups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row = Rollup.objects.get(indicator=share, organization=cast.district, period=year)
    assert (row.reported, row.expected) == (8, 10)
