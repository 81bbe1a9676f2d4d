"""The refresh of issue 17: every period in one grouped pass per indicator, only where a file wrote.

Its rollups are exactly those of the refresh it replaced — each period measured on its own by
`parts_by_prefix` and summed up the tree — on a history with members joining, leaving and moving,
roles, trainings, a merger and a dissolution, over annual and half-year periods; and its number of
queries does not grow with the periods nor with the branches it does not touch.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from indicators.engine import ZERO, Parts, parts_by_prefix
from indicators.models import Indicator, Measure, ReportingPeriod, TimeRule, ValueType
from members import services as member_services
from members.models import BranchRole, Gender, MembershipPeriod
from organizations import services as organization_services
from organizations.models import Level, Organization, Sector
from reports import rollups
from reports.models import Rollup
from tests import builders, factories

D = datetime.date
PERIODS = ["2021", "2022-H1", "2022", "2023-H1", "2023", "2024-H1", "2024", "2025"]


def _history(cast) -> None:
    """Members over five years: joined, left, moved, merged away, dissolved; roles and trainings."""
    school = factories.make_branch(cast.district, code="XP-A-02", sector=Sector.SCHOOL)
    firm = factories.make_branch(cast.district, code="XP-A-03", sector=Sector.NON_STATE_ENTERPRISE)
    gone = factories.make_branch(cast.sibling, code="XP-B-02")
    builders.member(cast.branch, joined=D(2019, 5, 1), role=BranchRole.CHAIR, trained=D(2020, 3, 1), gender="female")
    builders.member(cast.branch, joined=D(2021, 7, 1), trained=D(2022, 9, 1))
    builders.member(cast.branch, joined=D(2022, 2, 1), left=D(2023, 8, 31), gender="female")
    builders.member(school, joined=D(2022, 6, 30), role=BranchRole.EXECUTIVE, trained=D(2024, 1, 10))
    builders.member(school, joined=D(2023, 12, 31), gender="female", trained=D(2021, 1, 1))
    builders.member(firm, joined=D(2024, 4, 1), role=BranchRole.CHAIR, role_from=D(2024, 6, 1), trained=D(2024, 6, 15))
    builders.member(firm, joined=D(2020, 1, 1), left=D(2021, 12, 31))
    builders.member(cast.sibling_branch, joined=D(2018, 1, 1), role=BranchRole.CHAIR, trained=D(2022, 5, 5))
    builders.member(gone, joined=D(2021, 3, 3), gender="female")
    builders.member(gone, joined=D(2022, 3, 3))
    # A member who moves to the other district and back: three periods, two in the same district.
    mover = builders.member(cast.branch, joined=D(2020, 2, 2), role=BranchRole.EXECUTIVE, trained=D(2023, 2, 2))
    MembershipPeriod.objects.filter(member=mover).update(end_on=D(2022, 4, 1))
    MembershipPeriod.objects.create(
        member=mover, branch=cast.sibling_branch, start_on=D(2022, 4, 1), end_on=D(2023, 5, 1)
    )
    MembershipPeriod.objects.create(member=mover, branch=school, start_on=D(2023, 5, 1))
    # Restructurings: the sibling's second branch dissolved, the firm merged into the school.
    organization_services.organization_dissolve(organization=gone, effective_date=D(2023, 10, 1))
    organization_services.branch_merge(sources=[firm], into=school, effective_date=D(2024, 9, 1))
    # A member admitted and one leaving through the services (their own history rows).
    member = factories.make_member(cast.branch, joined_on=D(2024, 2, 1), gender=Gender.FEMALE)
    member_services.member_transfer(member=member, to_branch=school, effective_date=D(2024, 10, 1))


def _indicators(cast) -> list[Indicator]:
    rating = builders.element("rating_1294", ValueType.CHOICE)
    prog = builders.program(cast.national, start=2021, end=2025)
    late = builders.program(cast.national, start=2023, end=2027)
    return [
        builders.indicator(prog, Measure.MEMBERS_STOCK),
        builders.indicator(late, Measure.MEMBERS_STOCK),  # the same rows: one computation for both
        builders.indicator(prog, Measure.MEMBERS_STOCK, women_only=True),
        builders.indicator(prog, Measure.MEMBERS_STOCK, sectors=[Sector.SCHOOL]),
        builders.indicator(prog, Measure.MEMBERS_JOINED),
        builders.indicator(prog, Measure.MEMBERS_JOINED, time_rule=TimeRule.CUMULATIVE),
        builders.indicator(late, Measure.MEMBERS_JOINED, time_rule=TimeRule.ANNUAL_AVERAGE, women_only=True),
        builders.indicator(prog, Measure.MEMBERS_LEFT),
        builders.indicator(prog, Measure.MEMBERS_LEFT, time_rule=TimeRule.CUMULATIVE),
        builders.indicator(prog, Measure.PEOPLE_TRAINED_SHARE),
        builders.indicator(prog, Measure.PEOPLE_TRAINED_SHARE, roles=[BranchRole.CHAIR, BranchRole.EXECUTIVE]),
        builders.indicator(late, Measure.PEOPLE_TRAINED_SHARE, roles=[BranchRole.CHAIR], trained_within_program=True),
        builders.indicator(prog, Measure.BRANCHES_ACTIVE),
        builders.indicator(prog, Measure.BRANCHES_DISSOLVED, time_rule=TimeRule.CUMULATIVE),
        builders.indicator(prog, Measure.BRANCHES_FOUNDED),
        builders.indicator(prog, Measure.ORGANIZATIONS_SHARE, element=rating, min_choice="good"),
        builders.indicator(prog, Measure.WORKPLACES_UNIONIZED_SHARE, min_workers=5),
    ]


@pytest.fixture
def world(cast):
    return make_world(cast)


def make_world(cast) -> dict:
    periods = [builders.period(code) for code in PERIODS]
    _history(cast)
    rating = builders.element("rating_1294", ValueType.CHOICE)
    for branch, period, grade in ((cast.branch, periods[2], "good"), (cast.sibling_branch, periods[4], "done")):
        builders.report(rating, branch, period, grade)
    factories.make_workplace(cast.district, code="W1", workers=30, branch=cast.branch)
    factories.make_workplace(cast.sibling, code="W2", workers=8)
    return {"periods": periods, "indicators": _indicators(cast)}


def recomputed(indicators, periods) -> dict[tuple[int, int, int], Parts]:
    """The refresh as it was: each period measured on its own, the groups summed up the tree."""
    base_rank = Level.objects.get(code=Level.BASE).rank
    stored = dict(Organization.objects.filter(level__rank__lt=base_rank).values_list("path", "pk"))
    depth = Organization.objects.filter(level__rank__lt=base_rank).aggregate(d=Max("depth"))["d"]
    expected = {}
    for indicator in indicators:
        for period in periods:
            groups = parts_by_prefix(indicator, period, length=depth * Organization.steplen)
            totals = rollups._sum_up(groups, stored)
            for org_id in stored.values():
                p = totals.get(org_id, ZERO)
                expected[(indicator.pk, period.pk, org_id)] = Parts(
                    p.numerator, p.denominator, max(p.reported, 0), max(p.expected, 0)
                )
    return expected


def stored_rollups() -> dict[tuple[int, int, int], Parts]:
    return {
        (r.indicator_id, r.period_id, r.organization_id): Parts(r.numerator, r.denominator, r.reported, r.expected)
        for r in Rollup.objects.all()
    }


def test_a_full_refresh_gives_exactly_what_each_period_measured_alone_gives(world):
    rollups.refresh()
    expected = recomputed(world["indicators"], world["periods"])
    assert stored_rollups() == expected
    # Not a comparison of zeros: the history moves every members' measure in some period.
    moved = {key[0] for key, parts in expected.items() if parts.numerator}
    assert {i.pk for i in world["indicators"] if i.measure in rollups.MEASURES_BY_CHANGE["members"]} <= moved


def test_a_subtree_refresh_after_new_members_gives_exactly_the_full_recomputation(cast, world):
    rollups.refresh()
    builders.member(cast.branch, joined=D(2022, 1, 15), role=BranchRole.CHAIR, trained=D(2022, 11, 1))
    builders.member(cast.branch, joined=D(2021, 3, 1), left=D(2024, 3, 1), gender="female")
    rollups.refresh_registry([cast.branch.pk], ["members"])
    assert stored_rollups() == recomputed(world["indicators"], world["periods"])


def _refresh_queries(within: list[Organization]) -> int:
    with CaptureQueriesContext(connection) as queries:
        rollups.refresh_registry([o.pk for o in within], ["members"])
    return len(queries)


def _members_world(cast, codes: list[str]) -> None:
    for code in codes:
        builders.period(code)
    prog = builders.program(cast.national, start=2021, end=2025)
    builders.indicator(prog, Measure.MEMBERS_STOCK)
    builders.indicator(prog, Measure.MEMBERS_JOINED, time_rule=TimeRule.CUMULATIVE)
    builders.indicator(prog, Measure.PEOPLE_TRAINED_SHARE, roles=[BranchRole.CHAIR])
    builders.member(cast.branch, joined=D(2021, 6, 1), role=BranchRole.CHAIR, trained=D(2022, 1, 1))
    builders.member(cast.sibling_branch, joined=D(2022, 6, 1))
    rollups.refresh()


def test_the_refresh_queries_do_not_grow_with_the_periods(cast):
    _members_world(cast, PERIODS[:2])
    few = _refresh_queries([cast.branch])
    assert (
        few <= 22
    )  # a fixed handful: periods, the writers' lock, levels, roots, locks, one pass per indicator, the writes
    for code in PERIODS[2:]:
        builders.period(code)
    rollups.refresh()
    assert _refresh_queries([cast.branch]) == few
    assert ReportingPeriod.objects.count() == len(PERIODS)


def test_the_refresh_queries_do_not_grow_with_the_untouched_branches(cast):
    _members_world(cast, PERIODS[:4])
    few = _refresh_queries([cast.branch])
    for number in range(6):
        district = factories.make_organization(cast.province, code=f"XP-Z{number}")
        branch = factories.make_branch(district, code=f"XP-Z{number}-01")
        builders.member(branch, joined=D(2022, 1, 1))
    rollups.refresh()
    assert _refresh_queries([cast.branch]) == few
    # And only the touched district and the bodies above it are written.
    before = dict(Rollup.objects.values_list("pk", "computed_at"))
    rollups.refresh_registry([cast.branch.pk], ["members"])
    rewritten = {pk for pk, at in Rollup.objects.values_list("pk", "computed_at") if at != before[pk]}
    touched = set(Rollup.objects.filter(pk__in=rewritten).values_list("organization_id", flat=True))
    assert touched == {cast.district.pk, cast.province.pk, cast.national.pk}
