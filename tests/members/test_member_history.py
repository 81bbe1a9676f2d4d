"""members.history: what each event writes to a member's history, and its two appliers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from members import history
from members.history import Delta, TrainingRow
from members.importers.writers import copy_history
from members.models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, Training
from tests import factories

D = datetime.date
DAY = D(2024, 5, 2)
MEMBER, CHAIR, EXECUTIVE = BranchRole.MEMBER, BranchRole.CHAIR, BranchRole.EXECUTIVE


# --- the rules ----------------------------------------------------------------------------------


def test_a_new_member_opens_a_period_in_their_branch_from_the_join_date():
    delta = history.on_admission(member_id=1, branch_id=7, joined_on=D(2018, 3, 1), role=MEMBER)

    assert delta == Delta(1, 7, MEMBER, None, open_period_on=D(2018, 3, 1))


def test_a_new_officer_holds_their_role_from_the_join_date_and_a_plain_member_has_no_role_row():
    officer = history.on_admission(member_id=1, branch_id=7, joined_on=D(2018, 3, 1), role=CHAIR)
    plain = history.on_admission(member_id=2, branch_id=7, joined_on=D(2018, 3, 1), role=MEMBER)

    assert (officer.branch_id, officer.role, officer.open_role_on) == (7, CHAIR, D(2018, 3, 1))
    assert plain.open_role_on is None


def test_a_new_member_brings_their_training_as_a_record_and_as_their_last_training():
    delta = history.on_admission(
        member_id=1, branch_id=7, joined_on=D(2018, 3, 1), role=MEMBER, trained_on=D(2020, 1, 9)
    )

    assert delta.training == TrainingRow(history.TRAINING_COURSE, D(2020, 1, 9))
    assert delta.last_trained_on == D(2020, 1, 9)


def test_a_transfer_ends_the_period_and_the_role_and_the_member_arrives_as_a_plain_member():
    delta = history.on_transfer(member_id=1, old_role=CHAIR, to_branch_id=8, on=DAY, note="Chuyển công tác")

    assert delta == Delta(
        1,
        8,
        MEMBER,
        close_period_on=DAY,
        open_period_on=DAY,
        note="Chuyển công tác",
        close_role_on=DAY,
    )


def test_a_plain_member_who_transfers_has_no_role_to_end():
    assert history.on_transfer(member_id=1, old_role=MEMBER, to_branch_id=8, on=DAY).close_role_on is None


def test_a_new_role_ends_the_old_one_and_starts_that_day_in_the_members_branch():
    delta = history.on_role(member_id=1, branch_id=7, old_role=EXECUTIVE, role=CHAIR, on=DAY)

    assert delta == Delta(1, 7, CHAIR, close_role_on=DAY, open_role_on=DAY)


def test_stepping_down_to_plain_member_only_ends_the_role():
    delta = history.on_role(member_id=1, branch_id=7, old_role=CHAIR, role=MEMBER, on=DAY)

    assert (delta.close_role_on, delta.open_role_on, delta.role) == (DAY, None, MEMBER)


def test_leaving_ends_the_period_and_the_role_that_day():
    assert history.on_exit(member_id=1, old_role=EXECUTIVE, on=DAY) == Delta(
        1, role=MEMBER, close_period_on=DAY, close_role_on=DAY
    )
    assert history.on_exit(member_id=1, old_role=MEMBER, on=DAY).close_role_on is None


def test_in_a_members_file_a_chairperson_who_changes_branch_is_chairperson_there_from_the_import_day():
    delta = history.on_change(member_id=1, old_branch_id=7, branch_id=8, old_role=CHAIR, role=CHAIR, on=DAY)

    assert delta == Delta(
        1,
        8,
        CHAIR,
        close_period_on=DAY,
        open_period_on=DAY,
        close_role_on=DAY,
        open_role_on=DAY,
    )


def test_in_a_members_file_the_same_branch_and_role_close_and_open_nothing():
    delta = history.on_change(member_id=1, old_branch_id=7, branch_id=7, old_role=CHAIR, role=CHAIR, on=DAY)

    assert delta == Delta(1, 7, CHAIR)


def test_in_a_members_file_a_training_already_recorded_adds_no_record():
    recorded = history.on_change(
        member_id=1,
        old_branch_id=7,
        branch_id=7,
        old_role=MEMBER,
        role=MEMBER,
        on=DAY,
        trained_on=D(2023, 1, 1),
        recorded=True,
    )
    new = history.on_change(
        member_id=1, old_branch_id=7, branch_id=7, old_role=MEMBER, role=MEMBER, on=DAY, trained_on=D(2023, 1, 1)
    )

    assert recorded.training is None
    assert new.training == TrainingRow(history.TRAINING_COURSE, D(2023, 1, 1))


def test_in_a_members_file_a_corrected_join_date_moves_the_start_of_the_first_period():
    delta = history.on_change(
        member_id=1,
        old_branch_id=7,
        branch_id=7,
        old_role=MEMBER,
        role=MEMBER,
        on=DAY,
        first_period=(42, D(2017, 1, 1)),
    )

    assert delta.restart_period == (42, D(2017, 1, 1))


@pytest.mark.parametrize(
    ("last", "trained", "after"),
    [
        (None, None, None),
        (None, D(2020, 1, 1), D(2020, 1, 1)),
        (D(2020, 1, 1), None, D(2020, 1, 1)),
        (D(2020, 1, 1), D(2021, 1, 1), D(2021, 1, 1)),
        (D(2021, 1, 1), D(2020, 1, 1), D(2021, 1, 1)),
    ],
)
def test_the_last_training_date_only_moves_forward(last, trained, after):
    assert history.later(last, trained) == after
    training = TrainingRow("Khóa A", trained) if trained else None
    if training is not None:
        assert history.on_training(member_id=1, last_trained_on=last, training=training).last_trained_on == after


def test_a_training_is_recorded_unless_it_already_is():
    training = TrainingRow("Khóa A", D(2021, 1, 1), "LĐLĐ tỉnh")

    assert history.on_training(member_id=1, last_trained_on=None, training=training).training == training
    assert history.on_training(member_id=1, last_trained_on=None, training=training, recorded=True).training is None


def test_a_move_ends_the_period_and_the_role_and_opens_a_period_in_the_new_branch():
    delta = history.on_move(
        member_id=1,
        period_started_on=D(2018, 3, 1),
        role_started_on=D(2019, 1, 1),
        to_branch_id=8,
        on=DAY,
        note="Hợp nhất",
    )

    assert delta == Delta(1, 8, MEMBER, close_period_on=DAY, open_period_on=DAY, note="Hợp nhất", close_role_on=DAY)


def test_a_period_begun_on_or_after_the_move_day_moves_to_the_new_branch_with_its_dates():
    for started in (DAY, D(2024, 6, 1)):
        delta = history.on_move(member_id=1, period_started_on=started, role_started_on=None, to_branch_id=8, on=DAY)

        assert (delta.move_period_to, delta.close_period_on, delta.open_period_on) == (8, None, None)


def test_a_role_begun_after_the_move_or_the_dissolution_ends_on_its_own_start():
    later_role = D(2024, 6, 1)
    moved = history.on_move(
        member_id=1, period_started_on=D(2018, 3, 1), role_started_on=later_role, to_branch_id=8, on=DAY
    )
    ended = history.on_dissolution(member_id=1, period_started_on=later_role, role_started_on=later_role, on=DAY)

    assert moved.close_role_on == later_role
    assert (ended.close_period_on, ended.close_role_on, ended.role) == (later_role, later_role, MEMBER)


def test_a_dissolution_ends_the_period_and_the_role_on_the_day():
    delta = history.on_dissolution(member_id=1, period_started_on=D(2018, 3, 1), role_started_on=None, on=DAY)

    assert delta == Delta(1, role=MEMBER, close_period_on=DAY)


# --- the appliers -------------------------------------------------------------------------------


@pytest.fixture
def story(cast):
    """Members with a history, and one deltas for each kind of event, all on DAY."""
    other = factories.make_branch(cast.district, code="XP-A-02")
    plain = factories.make_member(cast.branch)
    chair = factories.make_member(cast.branch, role=CHAIR, trained_on=D(2019, 4, 1), training_course="Khóa 2019")
    leaver = factories.make_member(cast.branch, role=EXECUTIVE)
    student = factories.make_member(cast.branch)
    moved_early = factories.make_member(cast.branch, role=EXECUTIVE)
    moved_late = factories.make_member(cast.branch, joined_on=D(2024, 6, 1), role=EXECUTIVE)
    dissolved = factories.make_member(cast.sibling_branch, joined_on=D(2024, 6, 1), role=EXECUTIVE)
    newcomer = Member.objects.create(
        branch=other, card_number="NEW1", full_name="Lò Văn Mới", gender=Gender.MALE, joined_on=D(2020, 2, 2)
    )
    first = MembershipPeriod.objects.get(member=plain).pk
    deltas = [
        history.on_admission(
            member_id=newcomer.pk, branch_id=other.pk, joined_on=D(2020, 2, 2), role=CHAIR, trained_on=D(2021, 3, 3)
        ),
        history.on_change(
            member_id=plain.pk,
            old_branch_id=cast.branch.pk,
            branch_id=other.pk,
            old_role=MEMBER,
            role=EXECUTIVE,
            on=DAY,
            trained_on=D(2024, 1, 5),
            first_period=(first, D(2017, 1, 1)),
        ),
        history.on_role(
            member_id=chair.pk, branch_id=cast.branch.pk, old_role=CHAIR, role=BranchRole.VICE_CHAIR, on=DAY
        ),
        history.on_exit(member_id=leaver.pk, old_role=EXECUTIVE, on=DAY),
        history.on_training(member_id=student.pk, last_trained_on=None, training=TrainingRow("Khóa B", DAY, "LĐLĐ")),
    ]
    periods, roles = history.open_starts([moved_early.pk, moved_late.pk, dissolved.pk])
    for member in (moved_early, moved_late):
        deltas.append(
            history.on_move(
                member_id=member.pk,
                period_started_on=periods[member.pk],
                role_started_on=roles[member.pk],
                to_branch_id=other.pk,
                on=DAY,
                note="Hợp nhất",
            )
        )
    deltas.append(
        history.on_dissolution(
            member_id=dissolved.pk, period_started_on=periods[dissolved.pk], role_started_on=roles[dissolved.pk], on=DAY
        )
    )
    return deltas


def history_rows() -> dict[str, list[tuple]]:
    return {
        "periods": sorted(MembershipPeriod.objects.values_list("member_id", "branch_id", "start_on", "end_on", "note")),
        "roles": sorted(MemberRole.objects.values_list("member_id", "branch_id", "role", "start_on", "end_on")),
        "trainings": sorted(Training.objects.values_list("member_id", "course", "trained_on", "organizer")),
    }


def test_apply_writes_the_rows_each_event_says(cast, story):
    before = history_rows()

    history.apply(story)

    after = history_rows()
    opened = {kind: sorted(set(after[kind]) - set(before[kind])) for kind in after}
    closed = {kind: sorted(set(before[kind]) - set(after[kind])) for kind in after}
    newcomer, plain, chair, leaver, student, early, late, dissolved = (d.member_id for d in story)
    other = story[0].branch_id
    assert opened["trainings"] == sorted(
        [
            (newcomer, history.TRAINING_COURSE, D(2021, 3, 3), ""),
            (plain, history.TRAINING_COURSE, D(2024, 1, 5), ""),
            (student, "Khóa B", DAY, "LĐLĐ"),
        ]
    )
    assert sorted(row for row in opened["periods"] if row[0] in (newcomer, plain, early, late)) == sorted(
        [
            (newcomer, other, D(2020, 2, 2), None, ""),
            (plain, cast.branch.pk, D(2017, 1, 1), DAY, ""),
            (plain, other, DAY, None, ""),
            (early, cast.branch.pk, D(2018, 3, 1), DAY, ""),
            (early, other, DAY, None, "Hợp nhất"),
            (late, other, D(2024, 6, 1), None, ""),
        ]
    )
    assert [row for row in opened["periods"] if row[0] in (leaver, dissolved)] == [
        (leaver, cast.branch.pk, D(2018, 3, 1), DAY, ""),
        (dissolved, cast.sibling_branch.pk, D(2024, 6, 1), D(2024, 6, 1), ""),
    ]
    assert opened["roles"] == sorted(
        [
            (newcomer, other, CHAIR, D(2020, 2, 2), None),
            (plain, other, EXECUTIVE, DAY, None),
            (chair, cast.branch.pk, CHAIR, D(2018, 3, 1), DAY),
            (chair, cast.branch.pk, BranchRole.VICE_CHAIR, DAY, None),
            (leaver, cast.branch.pk, EXECUTIVE, D(2018, 3, 1), DAY),
            (early, cast.branch.pk, EXECUTIVE, D(2018, 3, 1), DAY),
            (late, cast.branch.pk, EXECUTIVE, D(2024, 6, 1), D(2024, 6, 1)),
            (dissolved, cast.sibling_branch.pk, EXECUTIVE, D(2024, 6, 1), D(2024, 6, 1)),
        ]
    )
    assert len(closed["roles"]) == 5 and len(closed["trainings"]) == 0


def test_apply_closes_each_members_row_on_its_own_day(cast):
    first, second = factories.make_member(cast.branch), factories.make_member(cast.branch)

    history.apply(
        [
            history.on_exit(member_id=first.pk, old_role=MEMBER, on=D(2023, 1, 1)),
            history.on_exit(member_id=second.pk, old_role=MEMBER, on=D(2024, 1, 1)),
        ]
    )

    assert sorted(MembershipPeriod.objects.values_list("member_id", "end_on")) == [
        (first.pk, D(2023, 1, 1)),
        (second.pk, D(2024, 1, 1)),
    ]


def test_apply_checks_every_new_row_first_and_then_writes_none(cast):
    member = factories.make_member(cast.branch)
    too_long = TrainingRow("x" * 300, D(2023, 1, 1))
    fine = TrainingRow("Khóa A", D(2023, 1, 1))

    with pytest.raises(ValidationError):
        history.apply(
            [
                history.on_training(member_id=member.pk, last_trained_on=None, training=fine),
                history.on_training(member_id=member.pk, last_trained_on=None, training=too_long),
            ],
            clean=True,
        )

    assert not Training.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_the_same_rows_as_the_orm_for_every_kind_of_event(story):
    written = {}
    for name in ("orm", "copy"):
        with transaction.atomic():
            if name == "orm":
                history.apply(story)
            else:
                with connection.cursor() as cursor:
                    copy_history(cursor, story)
            written[name] = history_rows()
            transaction.set_rollback(True)

    assert written["copy"] == written["orm"]
    assert written["orm"] != history_rows()  # the events wrote something, and both were undone
