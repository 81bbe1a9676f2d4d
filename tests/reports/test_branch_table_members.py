"""The Excel sheet of every branch: the members' indicators counted in one pass (indicators/engine/
branch_members.py) give exactly what one query per indicator (measure_by_organization) gives."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.engine import ZERO, from_parts, measure_by_organization, values_many_by_organization
from indicators.models import ValueType
from members.models import MembershipPeriod
from organizations.models import Level, Organization, Sector
from reports import branch_table
from tests import builders, factories

D = datetime.date


def _old_rows(organization, indicators, period):
    """The table as it was computed before: one measure_by_organization() per indicator."""
    chosen = branch_table.branch_indicators(indicators)
    measured = [measure_by_organization(i, period, within=organization) for i in chosen]
    empty = [from_parts(i, ZERO, period).value for i in chosen]
    branches = Organization.objects.filter(
        path__startswith=organization.path, level__code=Level.BASE, status="active"
    ).order_by("path")
    rows = []
    for branch in branches:
        values = []
        for figures, nothing in zip(measured, empty, strict=True):
            value = figures[branch.pk].value if branch.pk in figures else nothing
            values.append(None if value is None else branch_table._float(float(value)))
        rows.append(values)
    return rows


@pytest.fixture
def world(cast):
    quiet = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS không đoàn viên")  # no member at all
    plant = factories.make_branch(cast.district, code="XP-A-03", name="CĐCS Nhà máy", sector=Sector.STATE_ENTERPRISE)
    b = builders.member
    b(cast.branch, joined=D(2010, 1, 1), gender="female")
    b(cast.branch, joined=D(2024, 3, 1), gender="female")  # joined in the first half of 2024
    b(cast.branch, joined=D(2024, 9, 1))  # joined in the second half
    b(cast.branch, joined=D(2022, 5, 1))  # joined during the program, before 2024
    b(cast.branch, joined=D(2010, 1, 1), gender="female", left=D(2024, 5, 1))
    b(cast.branch, joined=D(2010, 1, 1), left=D(2023, 5, 1))
    b(plant, joined=D(2012, 1, 1), gender="female")
    b(plant, joined=D(2024, 11, 1), gender="female")
    b(cast.sibling_branch, joined=D(2015, 1, 1))
    # Two periods of one member in one branch, both open on 31/12/2024 (one was never closed right):
    # the member counts once.
    twice = b(plant, joined=D(2016, 1, 1), gender="female")
    MembershipPeriod.objects.create(member=twice, branch=plant, start_on=D(2020, 1, 1), end_on=D(2025, 6, 1))
    # Two periods that both start on the day a member joined in 2024: one new member.
    double = b(cast.branch, joined=D(2024, 2, 1))
    MembershipPeriod.objects.create(member=double, branch=cast.branch, start_on=D(2024, 2, 1), end_on=D(2024, 4, 1))
    # A member who left with two periods ending that day in one branch: one leaver.
    gone = b(plant, joined=D(2011, 1, 1), left=D(2024, 8, 1))
    MembershipPeriod.objects.create(member=gone, branch=plant, start_on=D(2018, 1, 1), end_on=D(2024, 8, 1))
    # A transfer in the year: counted where they were on each date, neither joined nor left.
    moved = b(cast.branch, joined=D(2014, 1, 1), gender="female")
    MembershipPeriod.objects.filter(member=moved).update(end_on=D(2024, 4, 1))
    MembershipPeriod.objects.create(member=moved, branch=cast.sibling_branch, start_on=D(2024, 4, 1))
    # A transfer out and back into the same branch.
    back = b(plant, joined=D(2013, 1, 1))
    MembershipPeriod.objects.filter(member=back).update(end_on=D(2024, 2, 1))
    MembershipPeriod.objects.create(member=back, branch=cast.branch, start_on=D(2024, 2, 1), end_on=D(2024, 7, 1))
    MembershipPeriod.objects.create(member=back, branch=plant, start_on=D(2024, 7, 1))
    b(cast.branch, joined=D(2012, 1, 1), role="chair", trained=D(2023, 1, 1))

    prog = builders.program(cast.national, start=2021, end=2025)
    rating = builders.element("XL", ValueType.CHOICE)
    fund = builders.element("QUY")
    for branch, grade in ((cast.branch, "excellent"), (plant, "done")):
        builders.report(rating, branch, builders.period("2024"), grade)
    builders.report(fund, plant, builders.period("2024"), 12)
    make = builders.indicator
    indicators = [
        make(prog, "members_stock", code="DV"),
        make(prog, "members_stock", code="DV-NU", women_only=True),
        make(prog, "members_stock", code="DV-DN", sectors=[Sector.STATE_ENTERPRISE]),
        make(prog, "members_joined", code="MOI"),
        make(prog, "members_joined", code="MOI-NU", women_only=True),
        make(prog, "members_joined", code="MOI-KY", time_rule="cumulative"),
        make(prog, "members_joined", code="MOI-BQ", time_rule="annual_average"),
        make(prog, "members_left", code="GIAM"),
        make(prog, "members_left", code="GIAM-NU", women_only=True, sectors=[Sector.SCHOOL]),
        make(prog, "members_stock", code="DV-2", name="the same count as DV, in another column"),
        make(prog, "organizations_count", code="XL-XS", element=rating, min_choice="excellent"),
        make(prog, "organizations_count", code="XL-TOT", element=rating, min_choice="good"),
        make(prog, "organizations_share", code="XL-TL", element=rating, min_choice="good"),
        make(prog, "reported_sum", code="QUY", element=fund),
        make(prog, "people_trained_share", code="CT-TH", roles=["chair"]),
    ]
    return cast, quiet, plant, indicators


@pytest.mark.parametrize("code", ["2024", "2024-H1", "2023"])
def test_every_column_of_the_branch_table_is_what_one_query_per_indicator_gives(world, code):
    cast, quiet, plant, indicators = world
    period = builders.period(code)
    for scope in (cast.national, cast.district, cast.sibling):
        table = branch_table.live(scope, indicators, period)
        rows = [values for _code, _name, _parent, _sector, *values in table.rows]
        assert rows == _old_rows(scope, indicators, period), (code, scope.code)
    assert len(table.columns) == len(indicators)


@pytest.mark.parametrize("code", ["2024", "2024-H1"])
def test_the_values_are_those_of_measure_by_organization(world, code):
    cast, quiet, plant, indicators = world
    period = builders.period(code)
    for indicator, values in values_many_by_organization(indicators, period, within=cast.national):
        measured = measure_by_organization(indicator, period, within=cast.national)
        assert values == {pk: m.value for pk, m in measured.items()}, indicator.code


def test_a_member_with_two_periods_in_a_branch_counts_once_and_a_branch_without_members_is_zero(world):
    cast, quiet, plant, indicators = world
    table = branch_table.live(cast.district, indicators, builders.period("2024"))
    codes = [c.code for c in table.columns]
    rows = {code: dict(zip(codes, values, strict=True)) for code, _n, _p, _s, *values in table.rows}
    # plant on 31/12/2024: the two women, `twice` (two open periods: one member), `back`.
    assert rows["XP-A-03"]["DV"] == 4 and rows["XP-A-03"]["DV-NU"] == 3 and rows["XP-A-03"]["DV-DN"] == 4
    assert rows["XP-A-01"]["DV-DN"] == 0  # a school: not in the sector
    assert rows["XP-A-01"]["MOI"] == 3  # 1/3, 1/9 and `double` once; `back` came back by transfer
    assert rows["XP-A-03"]["GIAM"] == 1  # `gone`, once
    # Nothing reported, no chair: no figure; no member: 0.
    assert rows["XP-A-02"] == {code: None if code[:2] in ("XL", "QU", "CT") else 0 for code in codes}


def test_the_members_columns_read_the_membership_periods_once(world):
    cast, quiet, plant, indicators = world
    period = builders.period("2024")
    members = [i for i in indicators if i.measure.startswith("members_")]
    with CaptureQueriesContext(connection) as queries:
        for _indicator, _measured in values_many_by_organization(members, period, within=cast.national):
            pass
    assert len([q for q in queries.captured_queries if "members_membershipperiod" in q["sql"]]) == 1


def test_the_settings_of_the_export_are_restored_after_it(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings (jit, work_mem, enable_hashjoin)")
    cast, quiet, plant, indicators = world
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), current_setting('enable_hashjoin')")
        before = cursor.fetchone()
        list(branch_table.live(cast.national, indicators, builders.period("2024")).rows)
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), current_setting('enable_hashjoin')")
        assert cursor.fetchone() == before


@pytest.mark.django_db(transaction=True)
def test_with_the_rows_committed_the_members_pass_runs_on_a_second_connection_and_gives_the_same(world):
    """unionportal.read_beside: the members' pass of a national file runs beside the other indicators'
    queries; here with the rows committed (a transactional test), as an export job finds them."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection beside this one: PostgreSQL")
    cast, quiet, plant, indicators = world
    period = builders.period("2024")
    with CaptureQueriesContext(connection) as queries:
        table = branch_table.live(cast.national, indicators, period)
        rows = [values for _code, _name, _parent, _sector, *values in table.rows]
    # Not on this connection: the pass went to the other one.
    assert not [q for q in queries.captured_queries if "members_membershipperiod" in q["sql"]]
    assert rows == _old_rows(cast.national, indicators, period)
    assert [c.code for c in table.columns] == [i.code for i in branch_table.branch_indicators(indicators)]


def test_with_rows_not_yet_committed_the_members_pass_stays_on_this_connection(world):
    """A second connection would not see this transaction's rows: the pass runs here (the test's own rows)."""
    cast, quiet, plant, indicators = world
    members = [i for i in indicators if i.measure.startswith("members_")]
    with CaptureQueriesContext(connection) as queries:
        measured = dict(values_many_by_organization(members, builders.period("2024"), within=cast.national))
    assert len([q for q in queries.captured_queries if "members_membershipperiod" in q["sql"]]) == 1
    assert any(measured.values())
