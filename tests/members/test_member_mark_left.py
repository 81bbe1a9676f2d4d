"""member_mark_left: the member's time in the union ends; the record and the history stay."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import BranchRole, Member, MemberStatus
from members.services import member_mark_left, member_transfer
from tests import factories

D = datetime.date


def test_the_period_and_the_role_end_on_the_effective_date(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1), role=BranchRole.EXECUTIVE)

    member_mark_left(member=member, effective_date=D(2024, 3, 31), reason=" Nghỉ hưu theo chế độ ")

    member = Member.objects.get(pk=member.pk)
    assert (member.status, member.status_changed_on, member.status_reason) == (
        MemberStatus.LEFT,
        D(2024, 3, 31),
        "Nghỉ hưu theo chế độ",
    )
    assert member.role == BranchRole.MEMBER
    assert member.branch == cast.branch  # where they were last
    assert list(member.periods.values_list("start_on", "end_on")) == [(D(2015, 6, 1), D(2024, 3, 31))]
    assert list(member.roles.values_list("role", "end_on")) == [(BranchRole.EXECUTIVE, D(2024, 3, 31))]


def test_a_member_who_moves_to_a_union_outside_the_portal_is_marked_transferred_out(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))

    member_mark_left(
        member=member,
        effective_date=D(2022, 8, 15),
        reason="Chuyển công tác ra ngoài tỉnh",
        status=MemberStatus.TRANSFERRED,
    )

    assert Member.objects.get(pk=member.pk).status == MemberStatus.TRANSFERRED


def test_it_cannot_set_an_active_status(cast):
    member = factories.make_member(cast.branch)

    with pytest.raises(ValueError):
        member_mark_left(member=member, effective_date=D(2022, 1, 1), status=MemberStatus.ACTIVE)


def test_it_refuses_a_date_before_the_member_arrived_in_the_branch(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2020, 1, 1))

    with pytest.raises(ValidationError) as refusal:
        member_mark_left(member=member, effective_date=D(2019, 12, 31))

    assert "effective_date" in refusal.value.message_dict
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_a_member_cannot_leave_twice(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_mark_left(member=member, effective_date=D(2020, 1, 1))

    with pytest.raises(ValidationError):
        member_mark_left(member=member, effective_date=D(2021, 1, 1))
    assert list(member.periods.values_list("end_on", flat=True)) == [D(2020, 1, 1)]
