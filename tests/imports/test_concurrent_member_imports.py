"""Two members files that add some of the same people, imported at once, or one after the other's check.

The data stays right whoever wins: the winner's members are there, with their history, and
nothing of the loser's file is written. The loser's job says precisely what happened — on
which rows someone else added the member meanwhile — rather than "an unexpected error".
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from imports import services
from imports.models import ImportJob, ImportStatus
from members.importers import MemberImporter
from members.models import Member, MembershipPeriod
from tests import factories
from unionportal.spreadsheets.reader import read_sheet
from unionportal.spreadsheets.spec import CommitError

from .files import snapshot

D = datetime.date
WRITERS = [
    "orm",
    pytest.param("copy", marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")),
]
ADDED_MEANWHILE = "Đã có người khác thêm đoàn viên này trong lúc tệp đang được nhập — hãy tải tệp lên lại."


def member_row(card: str, branch: str = "XP-A-01") -> list:
    return [card, f"Người {card}", "Nữ", D(1990, 1, 2), "Kinh", branch, D(2015, 3, 4), None, None]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_member_added_by_someone_else_after_the_check_is_named_on_its_row(cast, xlsx, writer):
    importer = MemberImporter(cast.owner, writer=writer)
    sheet = read_sheet(
        xlsx("members", [member_row("DV001"), member_row("DV002"), member_row("DV003")]), importer.columns
    )
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    assert validation.ok and validation.counts.created == 3
    factories.make_member(cast.branch, card_number="DV002")  # someone else, meanwhile
    before = snapshot()

    with pytest.raises(CommitError) as refused:
        importer.commit(validation)

    assert [(e.code, e.row, e.column, e.header, e.value) for e in refused.value.errors] == [
        ("added_meanwhile", 3, "A", "Số thẻ đoàn viên", "DV002")
    ]
    assert snapshot() == before  # nothing of the file: neither DV001 nor DV003


def test_the_refusal_says_so_in_vietnamese(cast, xlsx):
    importer = MemberImporter(cast.owner)
    sheet = read_sheet(xlsx("members", [member_row("DV001")]), importer.columns)
    validation = importer.validate(sheet.rows, formulas=sheet.formulas)
    factories.make_member(cast.branch, card_number="DV001")
    with pytest.raises(CommitError) as refused:
        importer.commit(validation)
    assert refused.value.errors[0].message == ADDED_MEANWHILE


def _job(user, path) -> ImportJob:
    with open(path, "rb") as stream:
        upload = SimpleUploadedFile(path.name, stream.read())
    job = services.import_job_create(user=user, kind="members", upload=upload)  # checked at once (inline jobs)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID
    return job


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections writing at once: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_imports_confirmed_at_once_one_wins_the_other_says_why(cast, xlsx, monkeypatch):
    # The shared card numbers come in opposite orders in the two files: the imports must still
    # not deadlock (the loser waits for the winner, then is refused on those rows). Written in
    # file order, this many rows made PostgreSQL detect a deadlock every time.
    shared = [f"DV{n:04d}" for n in range(3000)]
    first_rows = [member_row(f"A{n:04d}") for n in range(50)] + [member_row(card) for card in shared]
    second_rows = [member_row(card) for card in reversed(shared)] + [member_row(f"B{n:04d}") for n in range(50)]
    first, second = _job(cast.owner, xlsx("members", first_rows)), _job(cast.owner, xlsx("members", second_rows))
    # What import_job_confirm does, but the commits are run below, in two threads at once.
    ImportJob.objects.filter(pk__in=[first.pk, second.pk]).update(status=ImportStatus.COMMITTING)

    # Both have checked their file in their transaction (neither sees the other's members)
    # before either writes a row.
    both_checked = threading.Barrier(2, timeout=20)
    reporter = services._reporter

    def gated(job_id: int):
        report = reporter(job_id)

        def progress(phase: str, done: int, total: int) -> None:
            report(phase, done, total)
            if phase == "committing" and done == 0:
                both_checked.wait()

        return progress

    monkeypatch.setattr(services, "_reporter", gated)
    problems: list[BaseException] = []

    def confirm(job: ImportJob) -> None:
        try:
            services.commit_job(job.pk)
        except BaseException as problem:  # noqa: BLE001 - reported by the test below
            problems.append(problem)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(job,)) for job in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not problems and not any(thread.is_alive() for thread in threads)

    for job in (first, second):
        job.refresh_from_db()
    winner, loser = (first, second) if first.status == ImportStatus.DONE else (second, first)
    assert (winner.status, loser.status) == (ImportStatus.DONE, ImportStatus.INVALID), (first.message, second.message)
    assert loser.message == ""  # not "an unexpected error"
    assert winner.created_count == 3050
    loser_rows = first_rows if loser is first else second_rows
    expected = sorted((row, card) for row, (card, *_rest) in enumerate(loser_rows, start=2) if card in shared)
    assert sorted((e["row"], e["value"]) for e in loser.errors) == expected
    assert {e["code"] for e in loser.errors} == {"added_meanwhile"}
    assert {e["message"] for e in loser.errors} == {ADDED_MEANWHILE}

    winner_rows = first_rows if winner is first else second_rows
    assert set(Member.objects.values_list("card_number", flat=True)) == {row[0] for row in winner_rows}
    assert MembershipPeriod.objects.count() == 3050  # one each, written once
