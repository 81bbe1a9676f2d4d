"""Members follow their branch through a merger or a split, and leave with a dissolved one."""

import datetime

from members.models import BranchRole, Member, MemberRole, MembershipPeriod
from members.selectors import members_on
from organizations import services
from tests import factories

D = datetime.date


def test_a_merger_moves_the_members_and_keeps_where_they_were(cast):
    second = factories.make_branch(cast.district, code="XP-A-02")
    alice = factories.make_member(cast.branch, joined_on=D(2018, 3, 1), role=BranchRole.CHAIR)
    bob = factories.make_member(second, joined_on=D(2019, 1, 1))
    target, _op = services.branch_merge(
        sources=[cast.branch, second],
        new=services.NewOrganization(code="XP-A-M", name="CĐCS hợp nhất"),
        effective_date=D(2024, 7, 1),
    )
    for member in (alice, bob):
        member.refresh_from_db()
        assert member.branch_id == target.pk and member.role == BranchRole.MEMBER
    periods = list(MembershipPeriod.objects.filter(member=alice).values_list("branch__code", "start_on", "end_on"))
    assert periods == [("XP-A-01", D(2018, 3, 1), D(2024, 7, 1)), ("XP-A-M", D(2024, 7, 1), None)]
    assert MemberRole.objects.get(member=alice).end_on == D(2024, 7, 1)
    assert members_on(target, D(2024, 12, 31)) == 2
    assert members_on(cast.branch, D(2023, 12, 31)) == 1  # the past is unchanged
    assert members_on(cast.district, D(2024, 12, 31)) == 2


def test_a_split_moves_the_members_to_the_first_new_branch(cast):
    member = factories.make_member(cast.branch)
    results, _op = services.branch_split(
        source=cast.branch,
        into=[services.NewOrganization("XP-A-S1", "Một"), services.NewOrganization("XP-A-S2", "Hai")],
        effective_date=D(2024, 9, 1),
    )
    member.refresh_from_db()
    assert member.branch_id == results[0].pk


def test_dissolving_a_branch_ends_its_members_membership(cast):
    member = factories.make_member(cast.branch)
    services.organization_dissolve(organization=cast.branch, effective_date=D(2024, 12, 31), decision="12/QĐ")
    member.refresh_from_db()
    assert member.status == "left" and member.status_changed_on == D(2024, 12, 31)
    assert "12/QĐ" in member.status_reason
    assert MembershipPeriod.objects.get(member=member).end_on == D(2024, 12, 31)
    assert members_on(cast.district, D(2024, 6, 30)) == 1
    assert members_on(cast.district, D(2025, 1, 1)) == 0
    assert Member.objects.filter(status="active").count() == 0
