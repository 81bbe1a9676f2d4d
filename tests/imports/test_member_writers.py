"""The two writers of a members import write the same rows for the same plan (PostgreSQL, where both run)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from members.importers import MemberImporter
from members.models import Member, MemberRole, MembershipPeriod, Training
from tests import factories
from unionportal.acting import acting, paused
from unionportal.spreadsheets.reader import read_sheet

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

D = datetime.date
DAY = D(2024, 5, 2)


def rows_by_card() -> dict[str, list[tuple]]:
    """Every row an import writes, members named by card number (the writers take ids differently)."""
    cards = dict(Member.objects.values_list("pk", "card_number"))
    return {
        "members": sorted(
            Member.objects.values_list(
                "card_number",
                "full_name",
                "gender",
                "date_of_birth",
                "ethnicity",
                "joined_on",
                "status",
                "branch_id",
                "role",
                "last_trained_on",
            )
        ),
        "periods": sorted(
            (cards[m], *rest)
            for m, *rest in MembershipPeriod.objects.values_list("member_id", "branch_id", "start_on", "end_on", "note")
        ),
        "roles": sorted(
            (cards[m], *rest)
            for m, *rest in MemberRole.objects.values_list("member_id", "branch_id", "role", "start_on", "end_on")
        ),
        "trainings": sorted(
            (cards[m], *rest)
            for m, *rest in Training.objects.values_list("member_id", "course", "trained_on", "organizer")
        ),
    }


def test_the_orm_writer_and_the_copy_writer_write_the_same_rows_for_one_plan(cast, xlsx):
    other = factories.make_branch(cast.district, code="XP-A-02")
    factories.make_member(cast.branch, card_number="DV001", role="chair", trained_on=D(2020, 1, 1), training_course="K")
    factories.make_member(cast.branch, card_number="DV002")
    factories.make_member(cast.branch, card_number="DV003", role="executive")
    factories.make_member(cast.branch, card_number="DV004", joined_on=D(2018, 3, 1))
    rows = [
        # the chairperson moves to another branch, still chairperson, with a new training
        ["DV001", "Nguyễn Văn Một", "Nam", D(1990, 5, 17), "Kinh", "XP-A-02", D(2018, 3, 1), "Chủ tịch", D(2024, 3, 1)],
        # a plain member becomes group leader, with an older training than none
        ["DV002", "Nguyễn Văn Hai", "Nam", None, None, "XP-A-01", D(2018, 3, 1), "Tổ trưởng", D(2019, 2, 2)],
        # an executive steps down
        ["DV003", "Nguyễn Văn Ba", "Nam", None, None, "XP-A-01", D(2018, 3, 1), "Đoàn viên", None],
        # a corrected join date moves the first period
        ["DV004", "Nguyễn Văn Bốn", "Nam", None, None, "XP-A-01", D(2016, 7, 7), None, None],
        # new members: the new chairperson of the first branch, and a plain member with a training
        ["DV005", "Lò Thị Năm", "Nữ", D(1991, 1, 1), "Tày", "XP-A-01", D(2015, 8, 15), "Chủ tịch", D(2022, 6, 12)],
        ["DV006", "Lò Văn Sáu", "Nam", None, None, "XP-A-02", D(2020, 1, 5), None, None],
    ]
    importer = MemberImporter(cast.owner, today=DAY)
    sheet = read_sheet(xlsx("members", rows), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.errors == []
    assert (validation.counts.created, validation.counts.updated) == (2, 4)
    before = rows_by_card()

    written = {}
    for writer in ("orm", "copy"):
        with transaction.atomic():
            importer.writer = writer
            importer.commit(validation)
            written[writer] = rows_by_card()
            transaction.set_rollback(True)

    assert written["copy"] == written["orm"]
    assert rows_by_card() == before  # both were undone: each wrote on the same rows
    assert ("DV001", other.pk, "chair", DAY, None) in written["orm"]["roles"]
    assert ("DV004", cast.branch.pk, D(2016, 7, 7), None, "") in written["orm"]["periods"]
    assert len(written["orm"]["trainings"]) == 4


def events_by_card(*, since: int) -> list[tuple]:
    """The audit events written since an event id, rows named by card number and ids left out (they differ)."""
    cards = dict(Member.objects.values_list("pk", "card_number"))
    roles = dict(MemberRole.objects.values_list("pk", "member_id"))
    trainings = dict(Training.objects.values_list("pk", "member_id"))
    owners = {"members_member": cards, "members_memberrole": roles, "members_training": trainings}
    events = []
    for event in AuditEvent.objects.filter(pk__gt=since):
        member = owners[event.table_name][event.row_id]
        card = cards[member] if event.table_name != "members_member" else member
        after = {k: v for k, v in (event.after or {}).items() if k not in ("id", "member_id", "created_at")}
        before = {k: v for k, v in (event.before or {}).items() if k not in ("id", "member_id", "created_at")}
        assert event.subject_id == (event.row_id if event.table_name == "members_member" else member)
        events.append(
            (event.table_name, card, event.action, event.actor_id, event.context, event.subject)
            + (event.organization_id, sorted(before.items()), sorted(after.items()))
        )
    return sorted(events, key=repr)


def test_the_two_writers_leave_the_same_audit_events(cast, xlsx):
    factories.make_member(cast.branch, card_number="DV001")
    rows = [
        [
            "DV001",
            "Nguyễn Văn Một",
            "Nam",
            D(1990, 5, 17),
            "Kinh",
            "XP-A-01",
            D(2018, 3, 1),
            "Phó Chủ tịch",
            D(2024, 3, 1),
        ],
        [
            "DV005",
            'Lò Thị "Năm" \\ Tab',
            "Nữ",
            D(1991, 1, 1),
            "Tày",
            "XP-A-01",
            D(2015, 8, 15),
            "Chủ tịch",
            D(2022, 6, 12),
        ],
        ["DV006", "Lò Văn Sáu", "Nam", None, None, "XP-A-01", D(2020, 1, 5), None, None],
        ["DV007", "Lò Văn Bảy", "Nam", None, None, "XP-A-01", D(2020, 1, 5), "Tổ trưởng", None],
    ]
    importer = MemberImporter(cast.owner, today=DAY)
    sheet = read_sheet(xlsx("members", rows), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.errors == []
    since = AuditEvent.objects.order_by("pk").last().pk

    written = {}
    for writer in ("orm", "copy"):
        with transaction.atomic(), acting(cast.owner, "import:members:hoi-vien.xlsx"):
            importer.writer = writer
            importer.commit(validation)
            written[writer] = events_by_card(since=since)
            with connection.cursor() as cursor:
                cursor.execute("SELECT now()")
                (now,) = cursor.fetchone()
            assert {event.at for event in AuditEvent.objects.filter(pk__gt=since)} == {now}
            transaction.set_rollback(True)

    assert written["copy"] == written["orm"]
    created = [event for event in written["copy"] if event[2] == "create"]
    # 3 new members, their 2 roles and 1 training; DV001's update, its new role and training
    assert len(created) == 8, created
    assert ("members_member", "DV001", "update") in {event[:3] for event in written["copy"]}
    assert {event[3:6] for event in written["copy"]} == {(cast.owner.pk, "import:members:hoi-vien.xlsx", "member")}


def test_a_paused_trail_records_nothing_from_the_copy_writer(cast, xlsx):
    rows = [["DV006", "Lò Văn Sáu", "Nam", None, None, "XP-A-01", D(2020, 1, 5), None, D(2021, 1, 1)]]
    importer = MemberImporter(cast.owner, today=DAY, writer="copy")
    sheet = read_sheet(xlsx("members", rows), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    before = AuditEvent.objects.count()
    with paused():
        importer.commit(validation)
    assert Member.objects.filter(card_number="DV006").exists()
    assert AuditEvent.objects.count() == before
