"""Importing members: a hand-written file, its history, the round trip, transfers, roles, trainings, scope."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.db import connection
from django.utils import timezone

from imports.services import export_file, import_file
from members.importers import TRAINING_COURSE, MemberImporter
from members.models import BranchRole, Gender, Member, MemberRole, MembershipPeriod, Training
from tests import factories
from unionportal.spreadsheets.reader import read_sheet

from .files import snapshot

D = datetime.date
WRITERS = [
    "orm",
    pytest.param("copy", marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")),
]


def hand_written_rows() -> list[list]:
    return [
        [
            "DV001",
            "Nguyễn Thị Thanh Hương",
            "Nữ",
            D(1985, 11, 20),
            "Kinh",
            "XP-A-01",
            D(2010, 1, 5),
            "Chủ tịch",
            D(2023, 6, 12),
        ],
        ["DV002", "Trần Văn Nam", "Nam", "02/03/1990", "Tày", "XP-A-01", "15/08/2015", None, None],
        ["DV003", "Lò Thị Mai", "Nữ", None, None, "XP-A-01", D(2018, 3, 1), "Ủy viên Ban chấp hành", None],
    ]


def run(path, user, *, writer: str | None = None, today: datetime.date | None = None):
    importer = MemberImporter(user, writer=writer, today=today)
    sheet = read_sheet(path, importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.errors == []
    counts = importer.commit(validation)
    return counts.created, counts.updated, counts.unchanged


@pytest.mark.parametrize("writer", WRITERS)
def test_a_hand_written_members_file_imports_with_its_history(cast, xlsx, writer):
    assert run(xlsx("members", hand_written_rows()), cast.owner, writer=writer) == (3, 0, 0)

    chair = Member.objects.get(card_number="DV001")
    assert (chair.full_name, chair.gender, chair.branch, chair.role) == (
        "Nguyễn Thị Thanh Hương",
        Gender.FEMALE,
        cast.branch,
        BranchRole.CHAIR,
    )
    assert (chair.date_of_birth, chair.joined_on, chair.last_trained_on, chair.ethnicity) == (
        D(1985, 11, 20),
        D(2010, 1, 5),
        D(2023, 6, 12),
        "Kinh",
    )
    period = MembershipPeriod.objects.get(member=chair)
    assert (period.branch, period.start_on, period.end_on) == (cast.branch, D(2010, 1, 5), None)
    role = MemberRole.objects.get(member=chair)
    assert (role.role, role.branch, role.start_on, role.end_on) == (BranchRole.CHAIR, cast.branch, D(2010, 1, 5), None)
    training = Training.objects.get(member=chair)
    assert (training.course, training.trained_on) == (TRAINING_COURSE, D(2023, 6, 12))

    plain = Member.objects.get(card_number="DV002")
    assert (plain.role, plain.date_of_birth, plain.joined_on, plain.last_trained_on) == (
        BranchRole.MEMBER,
        D(1990, 3, 2),
        D(2015, 8, 15),
        None,
    )
    assert not MemberRole.objects.filter(member=plain).exists()
    assert not Training.objects.filter(member=plain).exists()
    assert MembershipPeriod.objects.filter(member=plain, end_on__isnull=True).count() == 1
    assert MemberRole.objects.get(member__card_number="DV003").role == BranchRole.EXECUTIVE


def test_an_export_imports_back_unchanged(cast, xlsx, tmp_path):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    exported = tmp_path / "export.xlsx"
    assert export_file("members", exported, user=cast.owner, under=cast.district) == 3
    before = snapshot()

    outcome = import_file("members", exported, user=cast.owner, commit=True)

    assert outcome.committed and outcome.errors == []
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 3)
    assert snapshot() == before


@pytest.mark.parametrize("writer", WRITERS)
def test_importing_the_same_file_twice_changes_nothing(cast, xlsx, writer):
    path = xlsx("members", hand_written_rows())
    run(path, cast.owner, writer=writer)
    before = snapshot()
    assert run(path, cast.owner, writer=writer) == (0, 0, 3)
    assert snapshot() == before


@pytest.mark.parametrize("writer", WRITERS)
def test_a_new_branch_is_a_transfer_and_a_new_role_starts_on_the_import_day(cast, xlsx, writer):
    other = factories.make_branch(cast.district, code="XP-A-02")
    run(xlsx("members", hand_written_rows()), cast.owner, writer=writer)
    day = D(2024, 5, 2)
    rows = hand_written_rows()
    rows[0][5] = "XP-A-02"  # the chair moves, still chair
    rows[1][7] = "Tổ trưởng"  # a member becomes group leader
    rows[2][7] = "Đoàn viên"  # an executive member steps down
    rows[2][8] = D(2024, 3, 1)  # and attends a training

    assert run(xlsx("members", rows), cast.owner, writer=writer, today=day) == (0, 3, 0)

    chair = Member.objects.get(card_number="DV001")
    assert chair.branch == other
    periods = list(
        MembershipPeriod.objects.filter(member=chair)
        .order_by("start_on")
        .values_list("branch__code", "start_on", "end_on")
    )
    assert periods == [("XP-A-01", D(2010, 1, 5), day), ("XP-A-02", day, None)]
    roles = list(
        MemberRole.objects.filter(member=chair)
        .order_by("start_on")
        .values_list("branch__code", "role", "start_on", "end_on")
    )
    assert roles == [("XP-A-01", "chair", D(2010, 1, 5), day), ("XP-A-02", "chair", day, None)]

    leader = Member.objects.get(card_number="DV002")
    assert leader.role == BranchRole.GROUP_LEADER
    assert list(MemberRole.objects.filter(member=leader).values_list("role", "start_on", "end_on")) == [
        ("group_leader", day, None)
    ]
    assert MembershipPeriod.objects.filter(member=leader).count() == 1

    former = Member.objects.get(card_number="DV003")
    assert (former.role, former.last_trained_on) == (BranchRole.MEMBER, D(2024, 3, 1))
    assert list(MemberRole.objects.filter(member=former).values_list("role", "end_on")) == [("executive", day)]
    assert list(Training.objects.filter(member=former).values_list("trained_on", flat=True)) == [D(2024, 3, 1)]


def test_an_older_training_date_is_recorded_without_moving_the_last_one_back(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    rows = hand_written_rows()[:1]
    rows[0][8] = D(2019, 4, 4)
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert (outcome.counts.created, outcome.counts.updated) == (0, 1)
    chair = Member.objects.get(card_number="DV001")
    assert chair.last_trained_on == D(2023, 6, 12)
    assert sorted(Training.objects.filter(member=chair).values_list("trained_on", flat=True)) == [
        D(2019, 4, 4),
        D(2023, 6, 12),
    ]


def test_empty_optional_cells_keep_what_is_recorded(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    before = snapshot()
    rows = hand_written_rows()
    for row in rows:
        row[3] = row[4] = row[8] = None
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert outcome.counts.unchanged == 3
    assert snapshot() == before


def test_decomposed_vietnamese_is_the_same_value(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    rows = hand_written_rows()
    for row in rows:
        row[1] = unicodedata.normalize("NFD", row[1])
        row[2] = unicodedata.normalize("NFD", row[2])
    assert unicodedata.normalize("NFD", "Nữ") != "Nữ"
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert outcome.errors == []
    assert outcome.counts.unchanged == 3


def test_a_card_held_by_a_member_of_another_subtree_is_an_error_that_tells_nothing_about_them(cast, xlsx):
    import_file(
        "members",
        xlsx(
            "members",
            [["DV900", "Hoàng Văn Bí Mật", "Nam", D(1980, 1, 1), "Nùng", "XP-B-01", D(2005, 1, 1), None, None]],
        ),
        user=cast.outsider,
        commit=True,
    )
    before = snapshot()
    rows = hand_written_rows()
    rows[1][0] = "DV900"
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)

    assert not outcome.committed
    [error] = outcome.errors
    assert (error.code, error.row, error.column, error.value) == ("card_taken", 3, "A", "DV900")
    assert "Bí Mật" not in error.message and "XP-B" not in error.message
    assert snapshot() == before


def test_rows_for_a_branch_of_another_subtree_are_errors(cast, xlsx):
    rows = hand_written_rows()
    rows[2][5] = "XP-B-01"
    before = snapshot()
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert [(e.code, e.row, e.column) for e in outcome.errors] == [("branch_unknown", 4, "F")]
    assert snapshot() == before


def test_a_read_only_colleague_cannot_import_members_of_their_own_district(cast, xlsx):
    outcome = import_file("members", xlsx("members", hand_written_rows()), user=cast.colleague, commit=True)
    assert {e.code for e in outcome.errors} == {"branch_forbidden"}
    assert not Member.objects.exists()


def test_a_member_cannot_join_an_upper_level_union_or_a_dissolved_branch(cast, xlsx):
    from organizations.services import organization_dissolve

    gone = factories.make_branch(cast.district, code="XP-A-09")
    organization_dissolve(organization=gone, effective_date=D(2024, 1, 1))
    rows = hand_written_rows()
    rows[0][5] = "XP-A"
    rows[1][5] = "XP-A-09"
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert [(e.code, e.row) for e in outcome.errors] == [("branch_not_base", 2), ("branch_inactive", 3)]


def test_the_preview_counts_what_the_import_would_do_and_writes_nothing(cast, xlsx):
    before = snapshot()
    outcome = import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=False)
    assert (outcome.rows, outcome.counts.created, outcome.committed) == (3, 3, False)
    assert snapshot() == before


def test_a_member_born_before_the_recorded_date_check_uses_the_recorded_birth_date(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    rows = hand_written_rows()[:1]
    rows[0][3] = None  # keep 20/11/1985
    rows[0][6] = D(1984, 1, 1)  # joined before being born
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert [(e.code, e.column) for e in outcome.errors] == [("born_after_joining", "G")]


def test_a_corrected_join_date_moves_the_start_of_the_first_period(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    rows = hand_written_rows()[:1]
    rows[0][6] = D(2009, 9, 1)
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert outcome.counts.updated == 1
    assert MembershipPeriod.objects.get(member__card_number="DV001").start_on == D(2009, 9, 1)


def test_the_today_of_a_transfer_is_the_local_date(cast, xlsx):
    factories.make_branch(cast.district, code="XP-A-02")
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    rows = hand_written_rows()[1:2]
    rows[0][5] = "XP-A-02"
    import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    open_period = MembershipPeriod.objects.get(member__card_number="DV002", end_on__isnull=True)
    assert open_period.start_on == timezone.localdate()


def test_a_base_union_has_one_chairperson_at_a_time(cast, xlsx):
    import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    newcomer = ["DV004", "Phạm Văn Tư", "Nam", D(1979, 2, 2), "Kinh", "XP-A-01", D(2001, 1, 1), "Chủ tịch", None]
    outcome = import_file("members", xlsx("members", [newcomer]), user=cast.owner, commit=True)
    assert [(e.code, e.row, e.column) for e in outcome.errors] == [("second_chair", 2, "H")]
    assert "DV001" in outcome.errors[0].message  # the chairperson is named: same union, in scope

    # The same file that also steps the current chairperson down is accepted.
    rows = hand_written_rows()[:1]
    rows[0][7] = "Phó Chủ tịch"
    outcome = import_file("members", xlsx("members", [*rows, newcomer]), user=cast.owner, commit=True)
    assert outcome.committed
    assert Member.objects.get(card_number="DV004").role == BranchRole.CHAIR


def test_two_chairpersons_of_one_branch_in_a_file_are_an_error(cast, xlsx):
    rows = hand_written_rows()
    rows[1][7] = "Chủ tịch"
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert [(e.code, e.row) for e in outcome.errors] == [("second_chair", 3)]


def test_card_numbers_are_stored_in_capitals_and_an_empty_ethnicity_is_the_default(cast, xlsx):
    rows = hand_written_rows()
    rows[0][0] = "dv001"
    import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert Member.objects.filter(card_number="DV001").exists()
    assert Member.objects.get(card_number="DV003").ethnicity == "Kinh"
    again = import_file("members", xlsx("members", hand_written_rows()), user=cast.owner, commit=True)
    assert again.counts.unchanged == 3


def test_a_training_before_joining_is_an_error(cast, xlsx):
    rows = hand_written_rows()
    rows[0][8] = D(2009, 1, 1)
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)
    assert [(e.code, e.column) for e in outcome.errors] == [("trained_before_joining", "I")]
