"""An accepted period's report keeps its numbers after a restructuring; a new version is explicit."""

import datetime

from organizations import services as org_services
from reports import rollups, services
from reports.data import from_snapshot, to_snapshot
from reports.models import FrozenReport
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
