"""Share of people in a role meeting a condition: '100 % of chairpersons trained' (seed 000, 002)."""

import datetime
from decimal import Decimal

from indicators.engine import measure, measure_children
from members.models import BranchRole
from organizations.models import Sector
from tests import builders, factories

D = datetime.date


def test_the_share_of_chairpersons_trained_on_the_period_end(cast):
    other = factories.make_branch(cast.district, code="XP-A-02")
    third = factories.make_branch(cast.district, code="XP-A-03")
    builders.member(cast.branch, role=BranchRole.CHAIR, trained=D(2022, 5, 1))
    builders.member(other, role=BranchRole.CHAIR, trained=D(2024, 11, 1))  # trained late in 2024
    builders.member(third, role=BranchRole.CHAIR)  # never trained
    builders.member(third, role=BranchRole.MEMBER, trained=D(2022, 1, 1))  # not a chair
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "people_trained_share", roles=[BranchRole.CHAIR], target_value=100)

    assert measure(ind, cast.district, builders.period("2024")).value == Decimal("66.67")
    assert measure(ind, cast.district, builders.period("2024-H1")).value == Decimal("33.33")


def test_executive_committee_members_include_chairs_and_vice_chairs(cast):
    builders.member(cast.branch, role=BranchRole.CHAIR, trained=D(2022, 1, 1))
    builders.member(cast.branch, role=BranchRole.VICE_CHAIR)
    builders.member(cast.branch, role=BranchRole.EXECUTIVE, trained=D(2023, 1, 1))
    builders.member(cast.branch, role=BranchRole.INSPECTION, trained=D(2023, 1, 1))  # not on the committee
    prog = builders.program(cast.province)
    ind = builders.indicator(
        prog,
        "people_trained_share",
        roles=[BranchRole.CHAIR, BranchRole.VICE_CHAIR, BranchRole.EXECUTIVE],
        target_value=90,
    )
    result = measure(ind, cast.district, builders.period("2024"))
    assert (result.numerator, result.denominator) == (2, 3)


def test_only_chairs_of_non_state_enterprises_and_only_trainings_during_the_program(cast):
    """Seed 002: 100 % of non-state CĐCS chairpersons trained (in 2021)."""
    enterprise = factories.make_branch(cast.district, code="XP-A-DN1", sector=Sector.NON_STATE_ENTERPRISE)
    enterprise2 = factories.make_branch(cast.district, code="XP-A-DN2", sector=Sector.NON_STATE_ENTERPRISE)
    builders.member(enterprise, role=BranchRole.CHAIR, trained=D(2021, 8, 1))
    builders.member(enterprise2, role=BranchRole.CHAIR, trained=D(2019, 8, 1))  # before the program
    builders.member(cast.branch, role=BranchRole.CHAIR)  # a school: not counted
    prog = builders.program(cast.province, start=2021, end=2021)
    ind = builders.indicator(
        prog,
        "people_trained_share",
        roles=[BranchRole.CHAIR],
        sectors=[Sector.NON_STATE_ENTERPRISE],
        trained_within_program=True,
        target_value=100,
    )
    result = measure(ind, cast.district, builders.period("2021"))
    assert (result.numerator, result.denominator, result.value) == (1, 2, Decimal("50.00"))


def test_a_chair_who_left_is_not_counted_after_leaving(cast):
    builders.member(cast.branch, role=BranchRole.CHAIR, trained=D(2020, 1, 1), left=D(2023, 3, 1))
    builders.member(cast.branch, role=BranchRole.CHAIR, role_from=D(2023, 3, 1))
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "people_trained_share", roles=[BranchRole.CHAIR], target_value=100)
    assert measure(ind, cast.district, builders.period("2022")).value == Decimal("100.00")
    assert measure(ind, cast.district, builders.period("2023")).value == Decimal("0.00")


def test_per_district_figures(cast):
    builders.member(cast.branch, role=BranchRole.CHAIR, trained=D(2022, 1, 1))
    builders.member(cast.sibling_branch, role=BranchRole.CHAIR)
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "people_trained_share", roles=[BranchRole.CHAIR], target_value=100)
    by_child = measure_children(ind, cast.province, builders.period("2024"), [cast.district, cast.sibling])
    assert by_child[cast.district.pk].value == Decimal("100.00")
    assert by_child[cast.sibling.pk].value == Decimal("0.00")
