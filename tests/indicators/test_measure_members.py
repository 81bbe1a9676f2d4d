"""Stock at a date ('80,000 members by 2025') and flows ('2,000 new members a year', '9,900 over 2018–2023')."""

import datetime

from indicators.engine import measure, measure_children
from members.models import MembershipPeriod
from tests import builders, factories

D = datetime.date


def test_members_on_the_period_end(cast):
    builders.member(cast.branch, joined=D(2010, 1, 1))
    builders.member(cast.branch, joined=D(2024, 7, 1))  # joins in the second half of 2024
    builders.member(cast.branch, joined=D(2010, 1, 1), left=D(2024, 3, 1))  # left in 2024
    builders.member(cast.sibling_branch, joined=D(2010, 1, 1))
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "members_stock", time_rule="by_year", target_year=2025, target_value=80000)
    assert measure(ind, cast.district, builders.period("2023")).value == 2
    assert measure(ind, cast.district, builders.period("2024-H1")).value == 1
    assert measure(ind, cast.district, builders.period("2024")).value == 2
    assert measure(ind, cast.province, builders.period("2024")).value == 3


def test_a_transferred_member_counts_where_they_were_on_each_date(cast):
    moved = builders.member(cast.branch, joined=D(2015, 1, 1))
    period = MembershipPeriod.objects.get(member=moved)
    period.end_on = D(2024, 4, 1)
    period.save(update_fields=["end_on"])
    MembershipPeriod.objects.create(member=moved, branch=cast.sibling_branch, start_on=D(2024, 4, 1))
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "members_stock", target_value=1)
    children = measure_children(ind, cast.province, builders.period("2023"), [cast.district, cast.sibling])
    assert (children[cast.district.pk].value, children[cast.sibling.pk].value) == (1, 0)
    children = measure_children(ind, cast.province, builders.period("2024"), [cast.district, cast.sibling])
    assert (children[cast.district.pk].value, children[cast.sibling.pk].value) == (0, 1)
    assert measure(ind, cast.province, builders.period("2024")).value == 1


def test_new_members_in_a_year_and_over_the_whole_program(cast):
    for joined in (D(2018, 5, 1), D(2019, 2, 1), D(2019, 9, 1), D(2020, 1, 1), D(2017, 12, 31)):
        builders.member(cast.branch, joined=joined)
    transferred_in = builders.member(cast.sibling_branch, joined=D(2016, 1, 1))
    MembershipPeriod.objects.filter(member=transferred_in).update(end_on=D(2019, 6, 1))
    MembershipPeriod.objects.create(member=transferred_in, branch=cast.branch, start_on=D(2019, 6, 1))

    prog = builders.program(cast.province, start=2018, end=2023)
    yearly = builders.indicator(prog, "members_joined", target_value=2000)
    cumulative = builders.indicator(prog, "members_joined", time_rule="cumulative", target_value=9900)
    # A transfer is not a new member.
    assert measure(yearly, cast.district, builders.period("2019")).value == 2
    assert measure(yearly, cast.district, builders.period("2019-H1")).value == 1
    for code in ("2018", "2019"):  # the earlier years' periods exist, as they do once data was entered
        builders.period(code)
    assert measure(cumulative, cast.district, builders.period("2020")).value == 4


def test_new_base_unions_in_a_year_but_not_those_born_of_a_merger(cast):
    """'30–35 new CĐCS a year' (seed 004)."""
    from organizations import services

    factories.make_branch(cast.district, code="XP-A-N1", founded_on=D(2020, 3, 1))
    factories.make_branch(cast.district, code="XP-A-N2", founded_on=D(2020, 10, 1))
    second = factories.make_branch(cast.district, code="XP-A-N3", founded_on=D(2019, 1, 1))
    services.branch_merge(
        sources=[cast.branch, second],
        new=services.NewOrganization(code="XP-A-M", name="Hợp nhất"),
        effective_date=D(2020, 6, 1),
    )
    prog = builders.program(cast.province, start=2018, end=2023)
    ind = builders.indicator(prog, "branches_founded", comparison="range", target_value=30, target_value_max=35)
    assert measure(ind, cast.district, builders.period("2020")).value == 2


def test_women_members_and_members_who_left(cast):
    builders.member(cast.branch, joined=D(2010, 1, 1), gender="female")
    builders.member(cast.branch, joined=D(2010, 1, 1), gender="female", left=D(2024, 5, 1))
    builders.member(cast.branch, joined=D(2010, 1, 1), gender="male", left=D(2023, 5, 1))
    moved = builders.member(cast.branch, joined=D(2012, 1, 1))  # a transfer is not leaving
    MembershipPeriod.objects.filter(member=moved).update(end_on=D(2024, 2, 1))
    MembershipPeriod.objects.create(member=moved, branch=cast.sibling_branch, start_on=D(2024, 2, 1))
    prog = builders.program(cast.province)
    women = builders.indicator(prog, "members_stock", women_only=True)
    left = builders.indicator(prog, "members_left")
    assert measure(women, cast.district, builders.period("2023")).value == 2
    assert measure(women, cast.district, builders.period("2024")).value == 1
    assert measure(left, cast.district, builders.period("2024")).value == 1
    assert measure(left, cast.province, builders.period("2023")).value == 1


def test_base_unions_active_and_dissolved(cast):
    from organizations import services

    factories.make_branch(cast.district, code="XP-A-02", sector="cooperative")
    services.organization_dissolve(organization=cast.branch, effective_date=D(2024, 10, 1))
    prog = builders.program(cast.province)
    active = builders.indicator(prog, "branches_active")
    coops = builders.indicator(prog, "branches_active", sectors=["cooperative"])
    dissolved = builders.indicator(prog, "branches_dissolved")
    assert measure(active, cast.district, builders.period("2024-H1")).value == 2
    assert measure(active, cast.district, builders.period("2024")).value == 1
    assert measure(coops, cast.province, builders.period("2024")).value == 1
    assert measure(dissolved, cast.district, builders.period("2024")).value == 1
    assert measure(dissolved, cast.district, builders.period("2024-H1")).value == 0
