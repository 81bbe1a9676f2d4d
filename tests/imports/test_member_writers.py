"""The two writers of a members import write the same rows for the same plan (PostgreSQL, where both run)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from members.importers import MemberImporter
from members.models import Member, MemberRole, MembershipPeriod, Training
from organizations.models import RestructuringLink
from tests import factories
from unionportal.acting import acting, paused
from unionportal.pgcopy import own_foreign_key_checks
from unionportal.spreadsheets.reader import read_sheet
from unionportal.spreadsheets.spec import CommitError

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
    """The audit events written since an event id, one per row (a bulk event read as the creation
    of each row it covers), rows named by card number and ids left out (they differ)."""
    cards = dict(Member.objects.values_list("pk", "card_number"))
    roles = dict(MemberRole.objects.values_list("pk", "member_id"))
    trainings = dict(Training.objects.values_list("pk", "member_id"))
    owners = {"members_member": cards, "members_memberrole": roles, "members_training": trainings}
    events = []
    for event in AuditEvent.objects.filter(pk__gt=since):
        if event.is_bulk:
            assert (event.table_name, event.subject, event.subject_id) == ("members_member", "member", None)
        for row_id, values in event.rows():
            member = owners[event.table_name][row_id]
            card = cards[member] if event.table_name != "members_member" else member
            after = {k: v for k, v in (values if event.after else {}).items() if k not in ("id", "member_id")}
            before = {k: v for k, v in (event.before or {}).items() if k not in ("id", "member_id", "created_at")}
            after.pop("created_at", None)
            if not event.is_bulk:
                assert event.subject_id == (row_id if event.table_name == "members_member" else member)
            events.append(
                (event.table_name, card, event.action, event.actor_id, event.context, event.subject)
                + (event.organization_id, sorted(before.items()), sorted(after.items()))
            )
    return sorted(events, key=repr)


def test_the_two_writers_leave_the_same_history_of_every_member(cast, xlsx):
    """The COPY writer records its new members itself, one event per branch (unionportal.bulk_trail):
    read row by row, the same events as the triggers write for the ORM writer's, and the new
    members' roles and trainings in their creation's values rather than as events of their own."""
    factories.make_member(cast.branch, card_number="DV001")
    branch2 = factories.make_branch(cast.district, code="XP-A-02", name="CĐCS Trường A2")
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
        ["DV007", "Lò Văn Bảy", "Nam", None, None, "XP-A-02", D(2020, 1, 5), "Tổ trưởng", None],
    ]
    importer = MemberImporter(cast.owner, today=DAY)
    sheet = read_sheet(xlsx("members", rows), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.errors == []
    since = AuditEvent.objects.order_by("pk").last().pk

    written, bulk = {}, {}
    for writer in ("orm", "copy"):
        with transaction.atomic(), acting(cast.owner, "import:members:hoi-vien.xlsx"):
            importer.writer = writer
            importer.commit(validation)
            written[writer] = events_by_card(since=since)
            bulk[writer] = sorted(
                (event.organization_id, event.last_row_id - event.row_id + 1)
                for event in AuditEvent.objects.filter(pk__gt=since, last_row_id__isnull=False)
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT now()")
                (now,) = cursor.fetchone()
            assert {event.at for event in AuditEvent.objects.filter(pk__gt=since)} == {now}
            transaction.set_rollback(True)

    new_cards = {"DV005", "DV006", "DV007"}
    folded = [e for e in written["orm"] if e[0] != "members_member" and e[1] in new_cards and e[2] == "create"]
    # DV005's and DV007's roles and DV005's training: in their creation's values with the COPY writer
    assert sorted((e[0], e[1]) for e in folded) == [
        ("members_memberrole", "DV005"),
        ("members_memberrole", "DV007"),
        ("members_training", "DV005"),
    ]
    assert written["copy"] == [e for e in written["orm"] if e not in folded]
    created = {e[1]: dict(e[8]) for e in written["copy"] if e[0] == "members_member" and e[2] == "create"}
    assert (created["DV005"]["role"], created["DV005"]["last_trained_on"]) == ("chair", "2022-06-12")
    assert (created["DV007"]["role"], created["DV007"]["branch_id"]) == ("group_leader", branch2.pk)
    # one event per branch for the COPY writer's new members, one per row for the ORM writer's
    assert bulk == {"orm": [], "copy": sorted([(cast.branch.pk, 2), (branch2.pk, 1)])}
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


def test_a_branch_deleted_after_the_check_refuses_the_copy_writers_new_members(cast, xlsx):
    """The COPY writer skips PostgreSQL's per-row foreign-key checks of its new members and checks
    (and holds) their branches itself: a branch gone since the check refuses the whole file."""
    late = factories.make_branch(cast.district, code="XP-A-09", name="CĐCS giải thể")
    rows = [
        ["DV008", "Lò Văn Tám", "Nam", None, None, "XP-A-01", D(2020, 1, 5), "Chủ tịch", D(2021, 1, 1)],
        ["DV009", "Lò Văn Chín", "Nam", None, None, "XP-A-09", D(2020, 1, 5), "Chủ tịch", D(2021, 1, 1)],
    ]
    importer = MemberImporter(cast.owner, today=DAY, writer="copy")
    sheet = read_sheet(xlsx("members", rows), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.errors == []
    before = rows_by_card()
    # Someone else, between the check and the commit (an administrator removing a mistaken branch).
    RestructuringLink.objects.filter(organization=late).delete()
    late.delete()
    with pytest.raises(CommitError):
        importer.commit(validation)
    assert rows_by_card() == before


def test_the_foreign_key_checks_are_skipped_only_where_the_role_may_and_run_otherwise(cast):
    with transaction.atomic(), connection.cursor() as cursor:
        with own_foreign_key_checks(cursor) as skipped:
            cursor.execute("SHOW session_replication_role")
            assert (skipped, cursor.fetchone()[0]) == (True, "replica")  # the tests' role is a superuser
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute("DROP ROLE IF EXISTS unionportal_plain; CREATE ROLE unionportal_plain NOSUPERUSER")
        cursor.execute("SET LOCAL ROLE unionportal_plain")
        with own_foreign_key_checks(cursor) as skipped:
            cursor.execute("SHOW session_replication_role")
            assert (skipped, cursor.fetchone()[0]) == (False, "origin")
        transaction.set_rollback(True)
