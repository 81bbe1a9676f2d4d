"""An accepted period's report keeps its numbers after a restructuring; a new version is explicit."""

import datetime

from organizations import services as org_services
from reports import rollups, services
from reports.models import FrozenReport
from reports.snapshots import from_snapshot, to_snapshot
from tests.reports.test_report_data import TODAY, setup_program


def test_a_snapshot_round_trips_every_figure(cast):
    from reports.data import build_report

    prog, year = setup_program(cast)
    data = build_report(cast.province, prog, year, today=TODAY)
    again = from_snapshot(to_snapshot(data))
    assert again.to_json() == data.to_json()
    assert again.indicators[0].figure == data.indicators[0].figure


def test_a_merger_after_acceptance_does_not_change_the_accepted_report(cast):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year, by=cast.provincial)
    before = services.report_data(cast.district, prog, year)[0].to_json()

    second = cast.district.children().get(code="XP-A-02")
    org_services.branch_merge(
        sources=[cast.branch, second],
        new=org_services.NewOrganization(code="XP-A-M", name="CĐCS hợp nhất"),
        effective_date=datetime.date(2025, 1, 1),
    )
    rollups.refresh(within=cast.district)

    after, frozen = services.report_data(cast.district, prog, year)
    assert frozen is not None and frozen.version == 1
    assert after.to_json() == before
    live, _ = services.report_data(cast.district, prog, year, live=True)
    assert live.to_json() != before  # the branches have changed since


def test_a_new_version_is_explicit_and_both_stay(cast):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year)
    services.report_freeze(organization=cast.district, program=prog, period=year, reason="Điều chỉnh số liệu")
    versions = list(FrozenReport.objects.filter(organization=cast.district).values_list("version", "reason"))
    assert versions == [(2, "Điều chỉnh số liệu"), (1, "accepted")]
    assert services.report_data(cast.district, prog, year, version=1)[1].version == 1
    assert services.report_data(cast.district, prog, year)[1].version == 2


def test_accepting_twice_does_not_make_another_copy(cast):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year)
    services.period_accepted(organization=cast.district, period=year)
    assert FrozenReport.objects.count() == 1


def _branch_sheet(path) -> tuple[list, dict]:
    import openpyxl

    sheet = openpyxl.load_workbook(path)["CĐCS"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    header, body = rows[0], rows[1:]
    return [sheet["A5"].value, header], {row[0]: row for row in body}


def _xlsx(cast, prog, year, tmp_path, name: str, **options):
    from reports.jobs import write_report

    target = tmp_path / name
    write_report(target, organization=cast.district, program=prog, period=year, fmt="xlsx", **options)
    return target


def test_the_excel_of_a_frozen_version_keeps_every_branch_as_it_was(cast, tmp_path):
    """After acceptance a branch is renamed, its rating corrected, and two branches merged:
    the accepted version's "CĐCS" sheet still reads as it did; the live one has changed."""
    from indicators.models import DataValue
    from organizations.models import Organization
    from tests import builders

    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year)
    (_note, header), before = _branch_sheet(_xlsx(cast, prog, year, tmp_path, "before.xlsx"))
    assert header[:5] == ["Mã CĐCS", "Tên CĐCS", "Công đoàn cấp trên", "Khu vực", "1. CĐCS tốt trở lên"]
    assert {code: row[4] for code, row in before.items()} == {"XP-A-01": 100, "XP-A-02": 0}

    second = cast.district.children().get(code="XP-A-02")
    DataValue.objects.filter(element=builders.element("rating_1294"), organization=second).update(choice="excellent")
    Organization.objects.filter(pk=cast.branch.pk).update(name="CĐCS đổi tên")
    Organization.objects.filter(pk=cast.district.pk).update(name="LĐLĐ huyện A mới")
    org_services.branch_merge(
        sources=[cast.branch, second],
        new=org_services.NewOrganization(code="XP-A-M", name="CĐCS hợp nhất"),
        effective_date=datetime.date(2025, 1, 1),
    )
    rollups.refresh(within=cast.district)

    (note, _header), frozen = _branch_sheet(_xlsx(cast, prog, year, tmp_path, "frozen.xlsx"))
    assert frozen == before and note is None
    assert frozen["XP-A-01"][1] == "CĐCS Trường A1" and frozen["XP-A-01"][2] == "LĐLĐ huyện A"
    (_note, _header), live = _branch_sheet(_xlsx(cast, prog, year, tmp_path, "live.xlsx", live=True))
    assert set(live) == {"XP-A-M"} and live["XP-A-M"][2] == "LĐLĐ huyện A mới"


def test_a_version_frozen_before_branches_were_kept_says_its_branch_figures_are_live(cast, tmp_path):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year)
    FrozenReport.objects.update(branches=None)  # as versions made before the column existed
    (note, _header), rows = _branch_sheet(_xlsx(cast, prog, year, tmp_path, "old.xlsx"))
    assert "số liệu hiện tại" in note
    assert set(rows) == {"XP-A-01", "XP-A-02"}


def test_the_kept_branch_table_round_trips_and_is_compressed():
    from reports.branch_table import BranchTable, Column, pack, unpack

    rows = [
        (f"B{i:06d}", f"CĐCS Trường học số {i}", "LĐLĐ huyện Quang Bình", "school", i, 53.98, None) for i in range(3000)
    ]
    blob = pack(
        BranchTable(columns=(Column("DV", "Tổng số đoàn viên"), Column("TL", "Tỷ lệ"), Column("X", "X")), rows=rows)
    )
    table = unpack(blob)
    assert [c.code for c in table.columns] == ["DV", "TL", "X"] and table.frozen
    assert list(table.rows) == rows
    assert len(blob) < len(repr(rows).encode()) / 5


def test_a_frozen_report_lists_its_status_counts_in_the_order_of_the_legend():
    from reports.snapshots import from_snapshot

    snapshot = {
        "organization": "XP",
        "program": "XP-CTR",
        "period": "2024",
        "generated_at": "2024-12-31T00:00:00+07:00",
        "indicators": [],
        "children": [],
        # As PostgreSQL's jsonb gives them back: shortest key first.
        "status_counts": {"at_risk": 3, "no_data": 0, "achieved": 4, "on_track": 0, "not_achieved": 7},
    }
    counts = from_snapshot(snapshot).status_counts
    assert list(counts) == ["exceeded", "achieved", "on_track", "at_risk", "not_achieved", "insufficient", "no_data"]
    assert counts["not_achieved"] == 7 and counts["exceeded"] == 0  # frozen before "exceeded" existed
