"""The rows of an upload kept once read (unionportal/spreadsheets/kept.py): the job that writes a checked file
reads the copy its check kept, not the file, and the copy is never taken for another file or other columns."""

from __future__ import annotations

import datetime
import os

import pytest
from django.urls import reverse

from imports.kinds import importer_class
from imports.models import ImportJob, ImportStatus
from members.models import Member
from unionportal.spreadsheets import frames, kept, sandbox
from unionportal.spreadsheets.reader import Sheet, read_sheet

D = datetime.date
COLUMNS = importer_class("members").columns


def rows():
    return [
        ["DV001", "Nguyễn Thị Thanh Hương", "Nữ", D(1985, 11, 20), "Kinh", "XP-A-01", D(2010, 1, 5), "Chủ tịch", None],
        ["DV002", "Trần Văn Nam", "Nam", None, None, "XP-A-01", "15/08/2015", None, None],
        ["DV003", "Lò Thị Mai", "Nữ", D(1991, 2, 3), None, "XP-A-01", D(2018, 3, 1), None, D(2024, 5, 6)],
    ]


def upload(client, path) -> None:
    with open(path, "rb") as stream:
        client.post(reverse("imports:upload", kwargs={"kind": "members"}), {"file": stream})


@pytest.fixture
def reads(monkeypatch):
    """How many times a file went through the reader's child process."""
    count = {"n": 0}
    real = sandbox.open_stream

    def counted(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(sandbox, "open_stream", counted)
    return count


def test_a_kept_copy_gives_back_every_kind_of_value_as_read():
    """The copy's chunks are the reader's frames (KeptWhileRead writes them as they pass): each kind of value
    goes through a frame as it was read."""
    values = [
        "Lò Thị \\ Mai\t",
        1.5,
        7,
        True,
        None,
        D(1990, 5, 17),
        datetime.datetime(2024, 3, 1, 8, 30, 5, 123),
        datetime.time(7, 45),
        datetime.timedelta(days=2, seconds=5, microseconds=9),
        ("a tuple", "read as is"),
    ]
    rows = [(2, values[:9]), (5, ["", "x", 0.0, False, None, None, None, None, None])]
    again = frames.untagged_rows(frames.value_of(frames.frame(frames.tagged_rows(rows))))
    assert again == rows
    assert [type(v) for v in again[0][1]] == [type(v) for v in values[:9]]


def test_a_value_it_does_not_know_is_not_kept():
    # The reader's child answers such a file as corrupt (sandbox.child_main): no frame, no copy.
    with pytest.raises(frames.Unknown):
        frames.tagged_rows([(2, [object()])])


def test_a_copy_of_another_state_of_the_file_or_other_columns_or_broken_is_ignored(tmp_path, xlsx):
    source = xlsx("members", rows())
    sheet = read_sheet(source, COLUMNS)
    list(kept.read(source, COLUMNS).rows)  # kept as its rows pass
    assert untagged(kept.load(source, COLUMNS)) == sheet
    assert kept.load(source, importer_class("workplaces").columns) is None  # read for other columns
    os.utime(source, ns=(1, 1))  # the file changed since
    assert kept.load(source, COLUMNS) is None
    list(kept.read(source, COLUMNS).rows)
    data = kept.path_of(source).read_bytes()
    for broken in (
        data[: len(data) // 2],
        b"",
        b"\x00garbage",
        data.replace(b"unionportal.rows/1", b"unionportal.rows/9"),
    ):
        kept.path_of(source).write_bytes(broken)
        assert kept.load(source, COLUMNS) is None
    again = kept.read(source, COLUMNS)  # read from the file again, and kept as its rows pass
    assert (frames.untagged_rows(list(again.rows)), again.formulas) == (sheet.rows, sheet.formulas)
    assert untagged(kept.load(source, COLUMNS)) == sheet


@pytest.mark.django_db(transaction=True)
def test_the_job_that_writes_a_checked_file_reads_the_rows_its_check_kept(cast, login, xlsx, reads):
    client = login(cast.owner)
    upload(client, xlsx("members", rows()))
    job = ImportJob.objects.get()
    assert (job.status, reads["n"]) == (ImportStatus.VALID, 1)
    assert kept.path_of(job.file.path).exists()

    client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 3)
    assert reads["n"] == 1  # not read again
    assert sorted(Member.objects.values_list("card_number", "last_trained_on")) == [
        ("DV001", None),
        ("DV002", None),
        ("DV003", D(2024, 5, 6)),
    ]
    assert not kept.path_of(job.file.path).exists()  # let go once written


@pytest.mark.django_db(transaction=True)
def test_without_its_copy_the_job_reads_the_file_again_and_a_file_with_errors_keeps_none(cast, login, xlsx, reads):
    client = login(cast.owner)
    upload(client, xlsx("members", rows()))
    job = ImportJob.objects.get()
    kept.path_of(job.file.path).write_bytes(b"\x00broken")
    client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert (job.status, job.created_count, reads["n"]) == (ImportStatus.DONE, 3, 2)
    assert not kept.path_of(job.file.path).exists()

    wrong = [["DV009", "Lò Văn Chín", "Nam", None, None, "NO-SUCH-BRANCH", D(2020, 1, 5), None, None]]
    upload(client, xlsx("members", wrong))
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportStatus.INVALID
    assert not kept.path_of(job.file.path).exists()


def untagged(sheet: Sheet | None) -> Sheet | None:
    """The kept rows with their dates as read_sheet gives them (the copy keeps them tagged, as the child sent them)."""
    return None if sheet is None else Sheet(rows=frames.untagged_rows(sheet.rows), formulas=sheet.formulas)
