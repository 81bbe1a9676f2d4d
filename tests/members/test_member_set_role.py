"""member_set_role: one open role record at a time, and Member.role in step with it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import BranchRole, Member
from members.services import member_mark_left, member_set_role, member_transfer
from tests import factories

D = datetime.date


def roles(member):
    return list(member.roles.order_by("start_on", "pk").values_list("role", "branch__code", "start_on", "end_on"))


def test_a_member_elected_to_the_committee_gets_an_open_role_record(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))

    member_set_role(member=member, role=BranchRole.EXECUTIVE, effective_date=D(2018, 4, 10))

    assert Member.objects.get(pk=member.pk).role == BranchRole.EXECUTIVE
    assert roles(member) == [(BranchRole.EXECUTIVE, "XP-A-01", D(2018, 4, 10), None)]


def test_a_new_role_closes_the_previous_one_on_the_same_day(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_set_role(member=member, role=BranchRole.EXECUTIVE, effective_date=D(2018, 4, 10))

    member_set_role(member=member, role=BranchRole.CHAIR, effective_date=D(2023, 5, 20))

    assert roles(member) == [
        (BranchRole.EXECUTIVE, "XP-A-01", D(2018, 4, 10), D(2023, 5, 20)),
        (BranchRole.CHAIR, "XP-A-01", D(2023, 5, 20), None),
    ]
    assert Member.objects.get(pk=member.pk).role == BranchRole.CHAIR


def test_going_back_to_plain_member_only_closes_the_role(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1), role=BranchRole.INSPECTION)

    member_set_role(member=member, role=BranchRole.MEMBER, effective_date=D(2023, 5, 20))

    assert roles(member) == [(BranchRole.INSPECTION, "XP-A-01", D(2015, 6, 1), D(2023, 5, 20))]
    assert Member.objects.get(pk=member.pk).role == BranchRole.MEMBER


def test_the_role_is_held_in_the_branch_the_member_belongs_to_now(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_transfer(member=member, to_branch=cast.sibling_branch, effective_date=D(2020, 1, 1))

    member_set_role(member=member, role=BranchRole.GROUP_LEADER, effective_date=D(2021, 1, 1))

    assert roles(member) == [(BranchRole.GROUP_LEADER, "XP-B-01", D(2021, 1, 1), None)]


def test_the_chair_must_step_down_before_another_member_takes_the_chair(cast):
    chair = factories.make_member(cast.branch, joined_on=D(2015, 6, 1), role=BranchRole.CHAIR)
    successor = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))

    with pytest.raises(ValidationError) as refusal:
        member_set_role(member=successor, role=BranchRole.CHAIR, effective_date=D(2023, 5, 20))
    assert "role" in refusal.value.message_dict

    member_set_role(member=chair, role=BranchRole.MEMBER, effective_date=D(2023, 5, 20))
    member_set_role(member=successor, role=BranchRole.CHAIR, effective_date=D(2023, 5, 20))
    assert Member.objects.get(pk=successor.pk).role == BranchRole.CHAIR


@pytest.mark.parametrize(
    ("role", "effective_date", "field"),
    [
        (BranchRole.EXECUTIVE, D(2019, 1, 1), "role"),  # already held
        (BranchRole.CHAIR, D(2019, 12, 31), "effective_date"),  # before the current role began
        (BranchRole.CHAIR, D(2014, 1, 1), "effective_date"),  # before joining
    ],
)
def test_it_refuses_the_same_role_and_dates_before_the_current_one(cast, role, effective_date, field):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_set_role(member=member, role=BranchRole.EXECUTIVE, effective_date=D(2020, 1, 1))

    with pytest.raises(ValidationError) as refusal:
        member_set_role(member=member, role=role, effective_date=effective_date)

    assert field in refusal.value.message_dict
    assert len(roles(member)) == 1


def test_a_member_who_has_left_gets_no_new_role(cast):
    member = factories.make_member(cast.branch, joined_on=D(2015, 6, 1))
    member_mark_left(member=member, effective_date=D(2020, 1, 1))

    with pytest.raises(ValidationError):
        member_set_role(member=member, role=BranchRole.EXECUTIVE, effective_date=D(2021, 1, 1))
