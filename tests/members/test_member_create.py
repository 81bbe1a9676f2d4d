"""member_create: a member, their first period, their role and a training, in one step."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, MemberStatus, Training
from members.services import member_create
from organizations import services as organization_services
from tests import factories

D = datetime.date


def admit(branch, **kwargs):
    fields = {
        "card_number": "hg10000001",
        "full_name": "  Triệu  Thị   Lan ",
        "gender": Gender.FEMALE,
        "date_of_birth": D(1988, 4, 2),
        "ethnicity": "Dao",
        "joined_on": D(2012, 9, 1),
    }
    fields.update(kwargs)
    return member_create(branch=branch, **fields)


def test_it_admits_a_member_with_a_first_period_from_the_joining_date(cast):
    member = admit(cast.branch)

    member.refresh_from_db()
    assert (member.card_number, member.full_name, member.ethnicity) == ("HG10000001", "Triệu Thị Lan", "Dao")
    assert (member.branch, member.status, member.role) == (cast.branch, MemberStatus.ACTIVE, BranchRole.MEMBER)
    assert member.citizen_id is None
    assert member.last_trained_on is None
    assert list(MembershipPeriod.objects.filter(member=member).values_list("branch__code", "start_on", "end_on")) == [
        ("XP-A-01", D(2012, 9, 1), None)
    ]
    assert not MemberRole.objects.filter(member=member).exists()  # a plain member holds no role record
    assert not Training.objects.filter(member=member).exists()


def test_a_chairperson_gets_a_role_from_the_joining_date_and_a_trained_member_a_training(cast):
    member = admit(
        cast.branch,
        role=BranchRole.CHAIR,
        trained_on=D(2020, 10, 5),
        training_course="Tập huấn nghiệp vụ năm 2020",
        training_organizer="LĐLĐ huyện A",
    )

    assert member.role == BranchRole.CHAIR
    assert list(member.roles.values_list("role", "branch__code", "start_on", "end_on")) == [
        (BranchRole.CHAIR, "XP-A-01", D(2012, 9, 1), None)
    ]
    assert list(member.trainings.values_list("course", "trained_on", "organizer")) == [
        ("Tập huấn nghiệp vụ năm 2020", D(2020, 10, 5), "LĐLĐ huyện A")
    ]
    assert Member.objects.get(pk=member.pk).last_trained_on == D(2020, 10, 5)


def test_members_without_a_citizen_id_do_not_clash_but_a_repeated_one_is_refused(cast):
    admit(cast.branch, card_number="A1", citizen_id="")
    admit(cast.branch, card_number="A2", citizen_id=None)
    admit(cast.branch, card_number="A3", citizen_id="002188000123")

    with pytest.raises(ValidationError) as refusal:
        admit(cast.sibling_branch, card_number="B1", citizen_id="002188000123")

    assert "citizen_id" in refusal.value.message_dict
    assert Member.objects.count() == 3


def test_a_card_number_already_in_use_is_refused_whatever_its_case(cast):
    admit(cast.branch, card_number="HG10000001")

    with pytest.raises(ValidationError) as refusal:
        admit(cast.sibling_branch, card_number="hg10000001 ")

    assert "card_number" in refusal.value.message_dict


def test_a_card_number_that_cannot_appear_in_a_web_address_is_refused(cast):
    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch, card_number="HG/123")

    assert "card_number" in refusal.value.message_dict


def test_it_refuses_a_date_of_birth_on_or_after_the_joining_date(cast):
    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch, date_of_birth=D(2012, 9, 1))

    assert list(refusal.value.message_dict) == ["date_of_birth"]  # one clear message, not the bare constraint
    assert not Member.objects.exists()


def test_it_refuses_dates_in_the_future(cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch, date_of_birth=tomorrow, joined_on=tomorrow, card_issued_on=tomorrow)

    assert {"date_of_birth", "joined_on", "card_issued_on"} <= set(refusal.value.message_dict)


def test_members_belong_to_a_base_union_not_to_a_district(cast):
    with pytest.raises(ValidationError) as refusal:
        admit(cast.district)

    assert "branch" in refusal.value.message_dict


def test_it_refuses_a_dissolved_branch(cast):
    organization_services.organization_dissolve(organization=cast.branch, effective_date=D(2024, 1, 1))

    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch)

    assert "branch" in refusal.value.message_dict


def test_a_branch_has_one_chairperson_at_a_time(cast):
    chair = factories.make_member(cast.branch, role=BranchRole.CHAIR)

    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch, role=BranchRole.CHAIR)

    assert chair.full_name in refusal.value.message_dict["role"][0]
    admit(cast.sibling_branch, role=BranchRole.CHAIR)  # another branch has its own chair


def test_a_training_needs_a_course_and_a_date_after_joining(cast):
    with pytest.raises(ValidationError) as refusal:
        admit(cast.branch, trained_on=D(2010, 1, 1), training_course=" ")

    assert {"training_course", "trained_on"} <= set(refusal.value.message_dict)
