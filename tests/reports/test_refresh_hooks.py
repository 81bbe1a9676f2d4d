"""The explicit refresh steps: a grid save, an acceptance and an import keep the dashboards' rollups current."""

import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from indicators.engine import Parts, from_parts
from indicators.models import ReportingPeriod
from members.models import Member
from organizations.hooks import registry_changed
from reports import rollups
from reports.models import FrozenReport, Rollup
from tests import builders
from tests.indicators.test_grid_view import elements, post_cell, year  # noqa: F401 - fixtures


def stored_value(indicator, organization, period):
    row = Rollup.objects.get(indicator=indicator, organization=organization, period=period)
    return from_parts(indicator, Parts(row.numerator, row.denominator, row.reported, row.expected), period).value


def test_a_grid_save_refreshes_the_district_and_the_province(
    cast,
    login,
    year,  # noqa: F811
    elements,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    program = builders.program(cast.province)
    share = builders.indicator(program, "organizations_share", element=elements["fund"], target_value=80)
    rollups.refresh()
    assert stored_value(share, cast.district, year) is None  # nothing reported yet
    with django_capture_on_commit_callbacks(execute=True):
        response = post_cell(login(cast.owner), cast.district, cast.branch, elements["fund"], "Có", version=0)
        assert stored_value(share, cast.district, year) is None  # not before the save has committed
    assert response.status_code == 200
    assert stored_value(share, cast.district, year) == Decimal("100.00")
    # XP-B-01 reported nothing: the share is over the one branch that did, and the coverage says 1 of 2.
    assert stored_value(share, cast.province, year) == Decimal("100.00")
    row = Rollup.objects.get(indicator=share, organization=cast.province, period=year)
    assert (row.reported, row.expected) == (1, 2)


def test_accepting_a_period_freezes_its_reports(cast, login, year):  # noqa: F811
    program = builders.program(cast.province, code="XP-ACC")
    builders.indicator(program, "members_stock", code="1", target_value=10)
    from indicators.workflow import services

    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    url = reverse("indicators:accept", kwargs={"period": "2024", "code": cast.district.code})
    login(cast.provincial).post(url, {"comment": ""})
    assert FrozenReport.objects.filter(organization=cast.district, program=program, period=year).count() == 1


def test_a_committed_members_import_moves_the_figures_of_its_district_and_above(
    cast,
    tmp_path,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.core.management import call_command

    from tests.imports.files import write_xlsx

    program = builders.program(cast.province)
    stock = builders.indicator(program, "members_stock", target_value=1)
    rollups.refresh()
    assert stored_value(stock, cast.district, year) == 0
    row = ["TV900001", "Lò Thị Mai", "Nữ", "12/03/1990", "Thái", "XP-A-01", "01/02/2024", "", ""]
    path = write_xlsx(tmp_path / "members.xlsx", [row], kind="members")
    announced = []
    registry_changed.register(listen := lambda **payload: announced.append(payload))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_data", "members", str(path), user="owner", stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        registry_changed.unregister(listen)
    assert Member.objects.count() == 1
    assert stored_value(stock, cast.district, year) == 1
    assert stored_value(stock, cast.province, year) == 1
    # New members only: counted in by the import's own transaction, no refresh queued
    # (tests/imports/test_admitted_rollups.py; a file with changes: test_import_refresh_scope.py).
    assert announced == []


def test_the_first_figure_written_in_a_new_period_opens_it_and_computes_its_rollups(
    cast,
    login,
    elements,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    program = builders.program(cast.province, end=2030)
    stock = builders.indicator(program, "members_stock", target_value=1)
    rollups.refresh()  # before the period exists: nothing is stored for it
    code = str(timezone.localdate().year)
    client = login(cast.owner)
    response = client.get(reverse("indicators:grid", kwargs={"period": code, "code": "XP-A"}))
    assert response.status_code == 200
    assert not ReportingPeriod.objects.filter(code=code).exists()  # reading a grid writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = post_cell(client, cast.district, cast.branch, elements["total"], "5", 0, code)
    assert response.status_code == 200
    period = ReportingPeriod.objects.get(code=code)
    assert stored_value(stock, cast.district, period) == 0
    assert stored_value(stock, cast.national, period) == 0


def test_a_refused_first_figure_leaves_the_period_unopened(cast, login, elements):  # noqa: F811
    code = str(timezone.localdate().year)
    response = post_cell(login(cast.owner), cast.district, cast.branch, elements["total"], "mười", 0, code)
    assert response.status_code == 422
    assert not ReportingPeriod.objects.filter(code=code).exists()


def test_opening_an_existing_period_refreshes_nothing(cast, login, year, monkeypatch):  # noqa: F811
    calls = []
    monkeypatch.setattr(rollups, "refresh", lambda **kwargs: calls.append(kwargs))
    response = login(cast.owner).get(reverse("indicators:grid", kwargs={"period": "2024", "code": "XP-A"}))
    assert response.status_code == 200
    assert calls == []


def test_founding_a_branch_refreshes_the_registry_measures_once_it_commits(
    cast,
    year,  # noqa: F811
    django_capture_on_commit_callbacks,
    settings,
):
    settings.REPORT_CACHE_SECONDS = 0  # no cached dashboard to move on commit: the hooks' callbacks alone
    import datetime

    from organizations import services as org_services
    from organizations.models import Sector

    program = builders.program(cast.province)
    active = builders.indicator(program, "branches_active", target_value=1)
    rollups.refresh()
    before = stored_value(active, cast.district, year)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for code in ("XP-A-98", "XP-A-99"):
            org_services.organization_create(
                parent=cast.district,
                code=code,
                name=f"CĐCS {code}",
                sector=Sector.SCHOOL,
                founded_on=datetime.date(2024, 1, 1),
            )
        assert stored_value(active, cast.district, year) == before
    assert len(callbacks) == 2  # one transaction each
    assert stored_value(active, cast.district, year) == before + 2
    assert stored_value(active, cast.province, year) == stored_value(active, cast.district, year) + stored_value(
        active, cast.district.__class__.objects.get(code="XP-B"), year
    )
