"""member_transfer: chuyển sinh hoạt, one operation that keeps the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import BranchRole, MemberStatus
from members.services import member_mark_left, member_transfer
from tests import factories

D = datetime.date


def periods(member):
    return list(member.periods.order_by("start_on", "pk").values_list("branch__code", "start_on", "end_on", "note"))


def test_the_old_period_ends_and_the_new_one_starts_on_the_effective_date(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))

    moved = member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2021, 7, 1), note="QĐ 12")

    assert periods(member) == [
        ("XP-A-01", D(2016, 2, 1), D(2021, 7, 1), ""),
        ("XP-B-01", D(2021, 7, 1), None, "QĐ 12"),
    ]
    assert moved.branch == cast.sibling_branch
    assert moved.status == MemberStatus.ACTIVE
    assert moved.joined_on == D(2016, 2, 1)  # they joined the union once


def test_the_role_belongs_to_the_old_branch_and_ends_with_the_transfer(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1), role=BranchRole.VICE_CHAIR)

    moved = member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2021, 7, 1))

    assert moved.role == BranchRole.MEMBER
    assert list(member.roles.values_list("role", "branch__code", "start_on", "end_on")) == [
        (BranchRole.VICE_CHAIR, "XP-A-01", D(2016, 2, 1), D(2021, 7, 1))
    ]


def test_a_second_transfer_adds_a_third_period(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))
    member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2019, 1, 1))
    other = factories.make_branch(cast.district, code="XP-A-02")

    member_transfer(member=member, to_branch=other, effective_date=D(2023, 1, 1))

    assert [(code, start, end) for code, start, end, _note in periods(member)] == [
        ("XP-A-01", D(2016, 2, 1), D(2019, 1, 1)),
        ("XP-B-01", D(2019, 1, 1), D(2023, 1, 1)),
        ("XP-A-02", D(2023, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("effective_date", "why"),
    [
        (D(2016, 1, 31), "before joining"),
        (D(2018, 12, 31), "before the current period began"),
        (None, "in the future"),
    ],
)
def test_it_refuses_an_effective_date_outside_the_current_period(cast, effective_date, why):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))
    member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2019, 1, 1))
    effective_date = effective_date or timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refusal:
        member_transfer(member=member, to_branch=cast.branch, effective_date=effective_date)

    assert "effective_date" in refusal.value.message_dict, why
    assert len(periods(member)) == 2


def test_it_refuses_an_effective_date_before_the_current_role_began(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))
    from members.services import member_set_role

    member_set_role(member=member, role=BranchRole.EXECUTIVE, effective_date=D(2020, 5, 1))

    with pytest.raises(ValidationError) as refusal:
        member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2020, 4, 30))

    assert "effective_date" in refusal.value.message_dict


def test_it_refuses_the_members_own_branch_a_district_and_a_branch_founded_later(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))
    young = factories.make_branch(cast.district, code="XP-A-02", founded_on=D(2022, 1, 1))

    for target, day, field in [
        (cast.branch, D(2021, 1, 1), "to_branch"),
        (cast.sibling, D(2021, 1, 1), "to_branch"),
        (young, D(2021, 1, 1), "effective_date"),
    ]:
        with pytest.raises(ValidationError) as refusal:
            member_transfer(member=member, to_branch=target, effective_date=day)
        assert field in refusal.value.message_dict, target.code
    assert member.periods.count() == 1


def test_a_member_who_has_left_cannot_be_transferred(cast):
    member = factories.make_member(cast.branch, joined_on=D(2016, 2, 1))
    member_mark_left(member=member, effective_date=D(2020, 1, 1), reason="Nghỉ hưu")

    with pytest.raises(ValidationError):
        member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2021, 1, 1))
