"""trainings_record: one training attended by several members, recorded at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member, Training
from members.services import member_mark_left, trainings_record
from tests import factories

D = datetime.date
COURSE = "Tập huấn nghiệp vụ công tác công đoàn năm 2023"


def test_it_records_the_training_for_every_member_chosen(cast):
    first, second = factories.make_member(cast.branch), factories.make_member(cast.sibling_branch)

    created = trainings_record(members=[first, second], course=COURSE, trained_on=D(2023, 9, 14), organizer="LĐLĐ tỉnh")

    assert len(created) == 2
    assert set(Training.objects.values_list("member_id", "course", "trained_on", "organizer")) == {
        (first.pk, COURSE, D(2023, 9, 14), "LĐLĐ tỉnh"),
        (second.pk, COURSE, D(2023, 9, 14), "LĐLĐ tỉnh"),
    }
    assert set(Member.objects.values_list("last_trained_on", flat=True)) == {D(2023, 9, 14)}


def test_sending_the_form_twice_records_nothing_new(cast):
    first, second = factories.make_member(cast.branch), factories.make_member(cast.branch)
    trainings_record(members=[first], course=COURSE, trained_on=D(2023, 9, 14))

    created = trainings_record(members=[first, second, second], course=f" {COURSE} ", trained_on=D(2023, 9, 14))

    assert [t.member_id for t in created] == [second.pk]
    assert Training.objects.count() == 2


def test_the_same_course_on_another_day_is_another_training(cast):
    member = factories.make_member(cast.branch)
    trainings_record(members=[member], course=COURSE, trained_on=D(2023, 9, 14))

    trainings_record(members=[member], course=COURSE, trained_on=D(2023, 9, 15))

    assert member.trainings.count() == 2


def test_the_last_training_date_is_the_latest_whatever_order_they_are_recorded_in(cast):
    member = factories.make_member(cast.branch)
    trainings_record(members=[member], course="Khóa B", trained_on=D(2024, 4, 2))

    trainings_record(members=[member], course="Khóa A", trained_on=D(2021, 4, 2))

    assert Member.objects.get(pk=member.pk).last_trained_on == D(2024, 4, 2)


def test_it_refuses_members_who_had_not_joined_or_had_already_left(cast):
    newcomer = factories.make_member(cast.branch, joined_on=D(2024, 1, 1))
    leaver = factories.make_member(cast.branch, joined_on=D(2015, 1, 1))
    member_mark_left(member=leaver, effective_date=D(2022, 12, 31))

    with pytest.raises(ValidationError) as refusal:
        trainings_record(members=[newcomer, leaver], course=COURSE, trained_on=D(2023, 9, 14))

    messages = refusal.value.message_dict["members"]
    assert newcomer.full_name in messages[0]
    assert leaver.full_name in messages[1]
    assert not Training.objects.exists()


def test_it_needs_members_and_a_course(cast):
    with pytest.raises(ValidationError) as refusal:
        trainings_record(members=[], course="  ", trained_on=D(2023, 9, 14))

    assert {"members", "course"} <= set(refusal.value.message_dict)


def test_forty_members_take_as_many_queries_as_two(cast):
    few = [factories.make_member(cast.branch) for _ in range(2)]
    many = [factories.make_member(cast.branch) for _ in range(40)]

    with CaptureQueriesContext(connection) as two:
        trainings_record(members=few, course=COURSE, trained_on=D(2023, 9, 14))
    with CaptureQueriesContext(connection) as forty:
        trainings_record(members=many, course=COURSE, trained_on=D(2023, 9, 14))

    assert len(forty) == len(two)
