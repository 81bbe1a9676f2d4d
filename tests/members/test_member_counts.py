"""The counts the targets need, from the history: members on a day, joined and left in a period,
women, chairs trained, and members per child. Every expected value is worked out by hand from
the story below, which includes transfers within a district and between districts.

    XP (province)
    ├── XP-A (district): XP-A-01, XP-A-02
    └── XP-B (district): XP-B-01

    Lan  (F) joins XP-A-01 01/03/2015; chair from 01/06/2018, steps down 01/01/2023; trained 10/05/2019
    Hùng (M) joins XP-A-01 10/01/2016; executive from 01/01/2017; transferred to XP-B-01 01/07/2020
    Mai  (F) joins XP-B-01 01/09/2017; leaves 31/12/2021
    Nam  (M) joins XP-A-02 01/04/2019 as its chair; trained 15/03/2022
    Hoa  (F) joins XP-A-01 01/02/2021; transferred to XP-A-02 01/06/2022
    Tuấn (M) joins XP-B-01 01/07/2020, the day Hùng arrives
"""

import datetime

import pytest

from members import selectors
from members.models import BranchRole, Gender
from members.services import member_mark_left, member_set_role, member_transfer, trainings_record
from tests import factories

D = datetime.date


@pytest.fixture
def story(cast):
    a02 = factories.make_branch(cast.district, code="XP-A-02")
    lan = factories.make_member(cast.branch, full_name="Lan", gender=Gender.FEMALE, joined_on=D(2015, 3, 1))
    hung = factories.make_member(cast.branch, full_name="Hùng", joined_on=D(2016, 1, 10))
    mai = factories.make_member(cast.sibling_branch, full_name="Mai", gender=Gender.FEMALE, joined_on=D(2017, 9, 1))
    nam = factories.make_member(a02, full_name="Nam", joined_on=D(2019, 4, 1), role=BranchRole.CHAIR)
    hoa = factories.make_member(cast.branch, full_name="Hoa", gender=Gender.FEMALE, joined_on=D(2021, 2, 1))
    factories.make_member(cast.sibling_branch, full_name="Tuấn", joined_on=D(2020, 7, 1))

    member_set_role(member=lan, role=BranchRole.CHAIR, effective_date=D(2018, 6, 1))
    member_set_role(member=lan, role=BranchRole.MEMBER, effective_date=D(2023, 1, 1))
    member_set_role(member=hung, role=BranchRole.EXECUTIVE, effective_date=D(2017, 1, 1))
    member_transfer(member=hung, to_branch=cast.sibling_branch, effective_date=D(2020, 7, 1))
    member_mark_left(member=mai, effective_date=D(2021, 12, 31), reason="Nghỉ việc")
    member_transfer(member=hoa, to_branch=a02, effective_date=D(2022, 6, 1))
    trainings_record(members=[lan], course="Khóa 2019", trained_on=D(2019, 5, 10))
    trainings_record(members=[nam], course="Khóa 2022", trained_on=D(2022, 3, 15))
    cast.a02 = a02
    return cast


@pytest.mark.parametrize(
    ("where", "day", "expected", "who"),
    [
        ("district", D(2016, 6, 30), 2, "Lan, Hùng"),
        ("district", D(2020, 6, 30), 3, "Lan, Hùng (still in A), Nam"),
        ("district", D(2020, 7, 1), 2, "Lan, Nam: Hùng is in B from that day"),
        ("sibling", D(2020, 7, 1), 3, "Hùng, Mai, Tuấn"),
        ("province", D(2020, 7, 1), 5, "Hùng counted once, in B"),
        ("province", D(2021, 12, 30), 6, "everyone"),
        ("province", D(2021, 12, 31), 5, "Mai has left that day"),
        ("branch", D(2022, 6, 1), 1, "Lan: Hoa moved to XP-A-02"),
        ("a02", D(2022, 6, 1), 2, "Nam, Hoa"),
        ("district", D(2022, 6, 1), 3, "Lan, Nam, Hoa, each once"),
        ("province", D(2014, 12, 31), 0, "before anyone joined"),
    ],
)
def test_members_on_a_day_follow_the_periods(story, where, day, expected, who):
    assert selectors.members_on(getattr(story, where), day) == expected, who


def test_women_on_a_day(story):
    assert selectors.women_on(story.province, D(2021, 12, 30)) == 3  # Lan, Mai, Hoa
    assert selectors.women_on(story.province, D(2022, 1, 1)) == 2  # Mai has left
    assert selectors.women_on(story.sibling, D(2021, 12, 30)) == 1  # Mai


def test_joined_counts_admissions_not_transfers_in(story):
    assert selectors.joined_between(story.district, D(2015, 1, 1), D(2019, 12, 31)) == 3  # Lan, Hùng, Nam
    assert selectors.joined_between(story.sibling, D(2020, 1, 1), D(2020, 12, 31)) == 1  # Tuấn, not Hùng
    assert selectors.joined_between(story.province, D(2020, 1, 1), D(2021, 12, 31)) == 2  # Tuấn, Hoa
    assert selectors.joined_between(story.a02, D(2022, 1, 1), D(2022, 12, 31)) == 0  # Hoa transferred in
    assert selectors.joined_between(story.sibling, D(2020, 7, 1), D(2020, 7, 1)) == 1  # both ends included


def test_left_counts_departures_not_transfers_out(story):
    assert selectors.left_between(story.province, D(2021, 1, 1), D(2021, 12, 31)) == 1  # Mai
    assert selectors.left_between(story.sibling, D(2021, 12, 31), D(2021, 12, 31)) == 1  # both ends included
    assert selectors.left_between(story.district, D(2020, 1, 1), D(2022, 12, 31)) == 0  # Hùng and Hoa moved
    assert selectors.left_between(story.province, D(2022, 1, 1), D(2025, 12, 31)) == 0


@pytest.mark.parametrize(
    ("day", "chairs", "trained", "why"),
    [
        (D(2019, 1, 1), 1, 0, "Lan is chair, trained only in May"),
        (D(2020, 1, 1), 2, 1, "Lan (trained) and Nam (not yet)"),
        (D(2022, 3, 14), 2, 1, "the day before Nam's training"),
        (D(2022, 3, 15), 2, 2, "a training on the day counts"),
        (D(2023, 6, 30), 1, 1, "Lan stepped down; Nam, trained"),
    ],
)
def test_chairs_trained_are_chairs_in_office_with_a_training_by_that_day(story, day, chairs, trained, why):
    assert selectors.chairs_on(story.district, day) == chairs, why
    assert selectors.chairs_trained(story.district, day) == trained, why


def test_the_executive_committee_counts_chairs_vice_chairs_and_members_whose_role_covers_the_day(story):
    assert selectors.role_holders_on(story.district, D(2020, 6, 30)) == 3  # Lan, Hùng, Nam
    assert selectors.role_holders_on(story.district, D(2020, 7, 1)) == 2  # Hùng's role ended with his transfer
    assert selectors.role_holders_trained(story.district, D(2020, 6, 30)) == 1  # Lan
    assert selectors.role_holders_on(story.sibling, D(2020, 7, 1)) == 0  # Hùng arrived as a plain member


def test_members_per_child_roll_up_in_one_group_by(story, django_assert_num_queries):
    with django_assert_num_queries(1):
        by_district = selectors.members_on_by_child(story.province, D(2020, 7, 1))
    assert by_district == {story.district.path: 2, story.sibling.path: 3}
    assert selectors.members_on_by_child(story.district, D(2022, 6, 1)) == {story.branch.path: 1, story.a02.path: 2}
    assert selectors.members_on_by_child(story.national, D(2020, 7, 1)) == {story.province.path: 5}
    assert selectors.women_on_by_child(story.province, D(2021, 12, 30)) == {
        story.district.path: 2,
        story.sibling.path: 1,
    }


def test_every_count_is_one_query(story, django_assert_num_queries):
    day, start, end = D(2021, 1, 1), D(2015, 1, 1), D(2022, 12, 31)
    for count in (
        lambda: selectors.members_on(story.province, day),
        lambda: selectors.women_on(story.province, day),
        lambda: selectors.joined_between(story.province, start, end),
        lambda: selectors.left_between(story.province, start, end),
        lambda: selectors.chairs_trained(story.province, day),
    ):
        with django_assert_num_queries(1):
            count()


def test_member_totals_of_a_list(story):
    from members.models import Member

    totals = selectors.member_totals(Member.objects.within(story.province))

    assert totals == selectors.MemberTotals(count=6, women=3, active=5, trained=2, committee=1)  # Nam chairs
