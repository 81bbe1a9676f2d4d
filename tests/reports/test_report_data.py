"""The report data object: actual, target, gap, % achieved and status, for the body and each child."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.engine import measure as measured
from indicators.models import ReportingPeriod, ValueType
from indicators.status import Status
from reports import rollup_reader, rollups
from reports.data import build_report
from tests import builders, factories

TODAY = datetime.date(2025, 3, 1)


def setup_program(cast):
    rating = builders.element("rating_1294", ValueType.CHOICE)
    houses = builders.element("union_houses", level="upper")
    year = builders.period("2024")
    second = factories.make_branch(cast.district, code="XP-A-02")
    builders.report(rating, cast.branch, year, "good")
    builders.report(rating, second, year, "done")
    builders.report(rating, cast.sibling_branch, year, "excellent")
    builders.report(houses, cast.district, year, 50)
    builders.report(houses, cast.sibling, year, 40)
    prog = builders.program(cast.province, code="XP-CTR")
    builders.indicator(
        prog,
        "organizations_share",
        code="1",
        name="CĐCS tốt trở lên",
        unit="%",
        element=rating,
        min_choice="good",
        target_value=85,
    )
    houses_ind = builders.indicator(
        prog, "reported_sum", code="2", name="Mái ấm", unit="căn", element=houses, target_value=80, allocation="sum"
    )
    builders.target(houses_ind, cast.district, 60, year=2024)
    builders.target(houses_ind, cast.sibling, 30, year=2024)
    rollups.refresh()
    return prog, year


def test_the_province_and_each_district(cast):
    prog, year = setup_program(cast)
    data = build_report(cast.province, prog, year, today=TODAY)
    share, houses = data.indicators
    assert (share.figure.actual, share.figure.target, share.figure.status) == (Decimal("66.67"), 85, "not_achieved")
    assert share.figure.gap == Decimal("-18.33")
    assert share.figure.percent_achieved == Decimal("78.4")
    by_child = {c.organization: c for c in share.children}
    assert by_child["XP-A"].actual == Decimal("50.00") and by_child["XP-A"].status == "not_achieved"
    assert by_child["XP-B"].actual == Decimal("100.00") and by_child["XP-B"].status == "exceeded"
    assert (share.figure.reported, share.figure.expected) == (3, 3)
    assert (houses.figure.actual, houses.figure.target, houses.figure.status) == (90, 80, "exceeded")
    assert (houses.figure.reported, houses.figure.expected) == (2, 2)  # upper-level data: the two districts
    houses_children = {c.organization: (c.actual, c.target, c.status) for c in houses.children}
    assert houses_children == {"XP-A": (50, 60, "not_achieved"), "XP-B": (40, 30, "exceeded")}


def test_a_district_drills_down_to_its_branches(cast):
    prog, year = setup_program(cast)
    data = build_report(cast.district, prog, year, today=TODAY)
    share = data.indicators[0]
    assert [(c.organization, c.actual) for c in share.children] == [("XP-A-01", 100), ("XP-A-02", 0)]


def test_the_json_has_numbers_as_numbers_and_the_known_statuses_only(cast):
    prog, year = setup_program(cast)
    payload = build_report(cast.province, prog, year, today=TODAY).to_json()
    assert payload["organization"] == "XP" and payload["program"] == "XP-CTR" and payload["period"] == "2024"
    first = payload["indicators"][0]
    assert set(first) == {
        "code",
        "name",
        "unit",
        "time_rule",
        "direction",
        "unreported_rule",
        "decimals",
        "target",
        "target_max",
        "comparison",
        "actual",
        "actual_exact",
        "coverage",
        "status",
        "children",
    }
    assert first["actual"] == 66.67 and first["target"] == 85
    assert first["actual_exact"] == float(Decimal(200) / Decimal(3))  # the exact value beside the rounded one
    assert first["coverage"] == {"expected": 3, "reported": 3}
    assert payload["coverage"] == {"threshold": 90, "expected": 3, "reported": 3, "branches": True, "below": 0}
    assert payload["indicators"][1]["actual"] == 90
    assert {c["organization"] for c in first["children"]} == {"XP-A", "XP-B"}
    statuses = {i["status"] for i in payload["indicators"]} | {
        c["status"] for i in payload["indicators"] for c in i["children"]
    }
    assert statuses <= {s.value for s in Status}
    assert payload["status_counts"] == {
        "exceeded": 1,
        "achieved": 0,
        "on_track": 0,
        "at_risk": 0,
        "not_achieved": 1,
        "insufficient": 0,
        "no_data": 0,
    }


def test_a_range_keeps_its_upper_end_in_the_json(cast):
    prog, year = setup_program(cast)
    prog.indicators.filter(code="2").update(comparison="range", target_value=80, target_value_max=Decimal(95))
    prog.indicators.get(code="2").targets.all().delete()
    payload = build_report(cast.province, prog, year, today=TODAY).to_json()
    houses = payload["indicators"][1]
    assert (houses["target"], houses["target_max"], houses["comparison"]) == (80, 95, "range")
    assert houses["status"] == "achieved"  # 90 within 80–95


def test_the_trend_covers_the_programs_years_so_far(cast):
    prog, year = setup_program(cast)
    builders.period("2023")
    data = build_report(cast.province, prog, year, today=TODAY)
    assert [p.period for p in data.indicators[0].trend] == ["2023", "2024"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_branches(cast):
    prog, year = setup_program(cast)
    with CaptureQueriesContext(connection) as few:
        build_report(cast.district, prog, year, today=TODAY)
    for i in range(30):
        factories.make_branch(cast.district, code=f"XP-A-X{i:02d}")
    with CaptureQueriesContext(connection) as many:
        build_report(cast.district, prog, year, today=TODAY)
    assert len(many) == len(few)


def test_a_branch_without_rollups_measures_each_figure_once(cast, monkeypatch):
    prog, year = setup_program(cast)
    builders.period("2023")
    calls = []
    measure = rollup_reader.measure
    monkeypatch.setattr(rollup_reader, "measure", lambda *args: calls.append(args) or measure(*args))
    data = build_report(cast.branch, prog, year, today=TODAY)
    assert [p.period for p in data.indicators[0].trend] == ["2023", "2024"]
    assert data.indicators[0].figure.actual == data.indicators[0].trend[-1].actual
    # Issue 17: a branch's figures of every indicator and year come from one batched pass, not from
    # measure() one by one; they are the figures measure() gives.
    assert calls == []
    periods = {p.code: p for p in ReportingPeriod.objects.filter(code__in=["2023", "2024"])}
    for report, model in zip(
        data.indicators, prog.indicators.exclude(measure="qualitative").order_by("pk"), strict=True
    ):
        assert [point.actual for point in report.trend] == [
            measured(model, cast.branch, periods[point.period]).value for point in report.trend
        ]
