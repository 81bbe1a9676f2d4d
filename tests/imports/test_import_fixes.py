"""Imports put right what has one reading only, say so in a note per column, and keep ambiguity an error."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportJob, ImportStatus
from imports.services import import_file
from members.models import Member
from organizations.models import Workplace
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError
from unionportal.spreadsheets.marked import ERRORS_HEADER, RED

from .files import snapshot

D = datetime.date


def members(*rows: list) -> list[list]:
    return [list(row) for row in rows]


def member(card: str, name: str, **cells_) -> list:
    row = [card, name, "Nữ", D(1985, 11, 20), "Kinh", "XP-A-01", D(2010, 1, 5), "Đoàn viên", None]
    for index, value in cells_.items():
        row[int(index[1:])] = value
    return row


def fixes_of(outcome) -> dict[tuple[str, str], int]:
    return {(fix.header, fix.kind): fix.count for fix in outcome.fixes}


# --- each kind of fix, cell by cell ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean", "kinds"),
    [
        ("  Phạm Ngọc Dũng ", "Phạm Ngọc Dũng", ["spaces"]),
        ("Phạm  Ngọc   Dũng", "Phạm Ngọc Dũng", ["spaces"]),
        ("Phạm\u00a0Ngọc Dũng", "Phạm Ngọc Dũng", ["nbsp"]),
        ("Phạm Ngọc Dũng\u00a0", "Phạm Ngọc Dũng", ["nbsp", "spaces"]),
        (unicodedata.normalize("NFD", "Phạm Ngọc Dũng"), "Phạm Ngọc Dũng", ["nfc"]),
        ("Phạm Ngọc Dũng\n", "Phạm Ngọc Dũng", ["spaces"]),
        ("Phạm Ngọc Dũng", "Phạm Ngọc Dũng", []),
    ],
)
def test_text_is_put_right_and_each_fix_is_noted(raw, clean, kinds):
    with cells.noting_fixes() as noted:
        assert cells.text(raw) == clean
    assert sorted(noted) == sorted(kinds)


@pytest.mark.parametrize("raw", ["Phạm Ngọc\nDũng", "Phạm\tNgọc Dũng", "Phạm\r\nNgọc"])
def test_a_line_break_or_a_tab_inside_a_text_stays_an_error(raw):
    with pytest.raises(CellError) as refusal:
        cells.text(raw)
    assert refusal.value.code == "line_break"


@pytest.mark.parametrize(
    ("raw", "value"), [("25", 25), (" 25 ", 25), ("'25", 25), ("25\u00a0", 25), ("-3", -3), ("0", 0)]
)
def test_a_whole_number_stored_as_text_is_read(raw, value):
    with cells.noting_fixes() as noted:
        assert cells.integer(raw, minimum=None) == value
    assert noted == ["number_text"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.234", "number_ambiguous"),  # a thousand two hundred, or one point two
        ("1,234", "number_ambiguous"),
        ("1.234.567", "number_as_text"),
        ("12,5", "not_whole_number"),
        ("hai mươi", "not_a_number"),
    ],
)
def test_a_number_with_two_readings_or_decimals_stays_an_error_in_a_whole_number_column(raw, code):
    with pytest.raises(CellError) as refusal:
        cells.integer(raw)
    assert refusal.value.code == code


@pytest.mark.parametrize(("raw", "value"), [("12,5", "12.5"), ("12.5", "12.5"), ("1234", "1234"), ("0,25", "0.25")])
def test_a_decimal_with_one_separator_stored_as_text_is_read(raw, value):
    from decimal import Decimal

    with cells.noting_fixes() as noted:
        assert cells.decimal(raw) == Decimal(value)
    assert noted == ["number_text"]


@pytest.mark.parametrize(("raw", "code"), [("1.234", "number_ambiguous"), ("1.234,5", "not_a_number")])
def test_a_decimal_with_two_readings_stays_an_error(raw, code):
    with pytest.raises(CellError) as refusal:
        cells.decimal(raw)
    assert refusal.value.code == code


@pytest.mark.parametrize(("raw", "kinds"), [("05/01/2021", ["date_text"]), (" 05/01/2021 ", ["spaces", "date_text"])])
def test_a_date_typed_as_text_is_read_and_noted(raw, kinds):
    with cells.noting_fixes() as noted:
        assert cells.date(raw) == D(2021, 1, 5)
    assert noted == kinds


def test_a_cell_of_spaces_only_is_an_empty_cell():
    assert cells.text("   ", required=False) == ""
    with pytest.raises(CellError) as refusal:
        cells.text("   ")
    assert refusal.value.code == "required"


# --- whole files --------------------------------------------------------------------------------


def test_a_file_refused_only_for_its_spaces_now_imports_with_its_notes(cast, xlsx):
    rows = members(
        member("DV001", " Phạm Ngọc Dũng"),
        member("DV002", "Trần  Văn Nam "),
        member("DV003", "Lò\u00a0Thị Mai", c4=" Tày"),
        member("DV004", unicodedata.normalize("NFD", "Nguyễn Thị Hương"), c6="15/08/2015"),
    )
    outcome = import_file("members", xlsx("members", rows), user=cast.owner, commit=True)

    assert outcome.committed and not outcome.errors
    assert sorted(Member.objects.values_list("full_name", flat=True)) == [
        "Lò Thị Mai",
        "Nguyễn Thị Hương",
        "Phạm Ngọc Dũng",
        "Trần Văn Nam",
    ]
    assert Member.objects.get(card_number="DV003").ethnicity == "Tày"
    assert fixes_of(outcome) == {
        ("Họ và tên", "spaces"): 2,
        ("Họ và tên", "nbsp"): 1,
        ("Họ và tên", "nfc"): 1,
        ("Dân tộc", "spaces"): 1,
        ("Ngày vào công đoàn", "date_text"): 1,
    }


def test_a_number_stored_as_text_imports_into_a_workplace(cast, xlsx):
    rows = [["DV-A-01", "Trường Tiểu học A1", "Trường học", "32", " 24 ", "XP-A"]]
    outcome = import_file("workplaces", xlsx("workplaces", rows), user=cast.owner, commit=True)
    assert outcome.committed
    school = Workplace.objects.get(code="DV-A-01")
    assert (school.worker_count, school.female_worker_count) == (32, 24)
    assert fixes_of(outcome) == {("Số lao động", "number_text"): 1, ("Số lao động nữ", "number_text"): 1}


def upload(client, path, kind="members"):
    with open(path, "rb") as stream:
        return client.post(reverse("imports:upload", kwargs={"kind": kind}), {"file": stream})


def test_the_preview_lists_each_fix_as_a_note_with_its_count_per_column(cast, login, xlsx):
    rows = members(*(member(f"DV{n:03}", f" Người  số {n}") for n in range(1, 57)))
    client = login(cast.owner)
    response = upload(client, xlsx("members", rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALID and job.error_count == 0

    page = client.get(response.url).content.decode()
    assert "Họ và tên: 56 ô đã bỏ dấu cách thừa" in page
    assert "không phải lỗi" in page


def test_an_error_value_shows_its_whitespace(cast, login, xlsx):
    client = login(cast.owner)
    response = upload(client, xlsx("members", members(member("DV001", "Phạm Ngọc\nDũng"))))
    page = client.get(response.url).content.decode()
    assert "Phạm·Ngọc⏎Dũng" in page


# --- the file of errors -------------------------------------------------------------------------


def test_a_bad_file_comes_back_with_its_wrong_cells_red_a_comment_and_a_column_of_errors(cast, login, xlsx, tmp_path):
    rows = members(
        member("DV001", "Phạm Ngọc Dũng", c3="31/02/1990"),
        member("DV002", "Trần Văn Nam"),
        member("DV003", "Lò Thị Mai", c2="Nu", c5="XP-A-99"),
    )
    client = login(cast.owner)
    before = snapshot()
    response = upload(client, xlsx("members", rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.error_file
    assert snapshot() == before

    page = client.get(response.url).content.decode()
    url = reverse("imports:job_error_file", kwargs={"pk": job.pk})
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    path = tmp_path / "back.xlsx"
    path.write_bytes(b"".join(download.streaming_content))

    workbook = load_workbook(path)
    # The portal's file now: its title and the issuing body (the user's), not the upload's own.
    assert workbook.properties.title == "Lỗi của tệp: Đoàn viên"
    assert workbook.properties.creator == "LĐLĐ huyện A"
    sheet = workbook.worksheets[0]
    assert sheet["J1"].value == ERRORS_HEADER
    for ref in ("D2", "C4", "F4"):
        assert sheet[ref].fill.fgColor.rgb == RED, ref
        assert sheet[ref].comment is not None and sheet[ref].comment.text, ref
    assert "dd/mm/yyyy" in sheet["D2"].comment.text or "không tồn tại" in sheet["D2"].comment.text
    assert sheet["B2"].fill.fgColor.rgb != RED and sheet["B2"].comment is None
    assert sheet["J2"].value.startswith("D: ")
    assert sheet["J3"].value is None  # the good row has no error
    assert sheet["J4"].value.count(": ") >= 2 and "C: " in sheet["J4"].value and "F: " in sheet["J4"].value


def test_the_file_of_errors_corrected_in_place_imports(cast, login, xlsx, tmp_path):
    client = login(cast.owner)
    upload(client, xlsx("members", members(member("DV001", "Phạm Ngọc Dũng", c2="Nu"))))
    job = ImportJob.objects.get()
    path = tmp_path / "corrected.xlsx"
    path.write_bytes(b"".join(client.get(reverse("imports:job_error_file", kwargs={"pk": job.pk})).streaming_content))
    workbook = load_workbook(path)
    workbook.worksheets[0]["C2"] = "Nữ"
    workbook.save(path)

    outcome = import_file("members", path, user=cast.owner, commit=True)
    assert outcome.committed and Member.objects.get().gender == "female"


def test_a_file_with_only_a_whole_file_error_has_no_file_of_errors(cast, login, xlsx):
    client = login(cast.owner)
    upload(client, xlsx(None, [["a", "b"]], headers=["Sai", "Tiêu đề"]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and not job.error_file
    assert client.get(reverse("imports:job_error_file", kwargs={"pk": job.pk})).status_code == 404


# --- the preview of changes ---------------------------------------------------------------------


def test_the_preview_lists_the_old_and_new_value_of_each_changed_field(cast, login, xlsx):
    import_file(
        "members",
        xlsx("members", members(member("DV001", "Phạm Ngọc Dũng"), member("DV002", "Trần Văn Nam"))),
        user=cast.owner,
        commit=True,
    )
    client = login(cast.owner)
    changed = members(member("DV001", "Phạm Ngọc Dũng"), member("DV002", "Trần Văn Năm", c7="Chủ tịch"))
    response = upload(client, xlsx("members", changed))
    job = ImportJob.objects.get()
    assert (job.status, job.updated_count, job.unchanged_count) == (ImportStatus.VALID, 1, 1)
    assert [(d["row"], d["key"], d["header"], d["old"], d["new"]) for d in job.diffs] == [
        (3, "DV002", "Họ và tên", "Trần Văn Nam", "Trần Văn Năm"),
        (3, "DV002", "Chức vụ", "Đoàn viên", "Chủ tịch"),
    ]
    page = client.get(response.url).content.decode()
    assert "Trần Văn Năm" in page and "Chủ tịch" in page and "Đang ghi nhận" in page


def test_the_preview_of_changes_is_paged(cast, login, xlsx):
    first = members(*(member(f"DV{n:03}", f"Người số {n}") for n in range(1, 61)))
    import_file("members", xlsx("members", first), user=cast.owner, commit=True)
    renamed = members(*(member(f"DV{n:03}", f"Người thứ {n}") for n in range(1, 61)))
    client = login(cast.owner)
    response = upload(client, xlsx("members", renamed))
    job = ImportJob.objects.get()
    assert len(job.diffs) == 60
    first_page = client.get(response.url).content.decode()
    second_page = client.get(response.url, {"page": 2}).content.decode()
    assert "Người thứ 1<" in first_page and "Người thứ 60<" not in first_page
    assert "Người thứ 60<" in second_page and "Người thứ 1<" not in second_page


def test_a_file_too_large_to_mark_says_so_and_keeps_its_list_of_errors(cast, login, xlsx, monkeypatch):
    from unionportal.spreadsheets import marked

    monkeypatch.setattr(marked, "MAX_ROWS", 2)
    rows = members(*(member(f"DV{n:03}", "Phạm Ngọc Dũng", c2="Nu") for n in range(1, 4)))
    client = login(cast.owner)
    response = upload(client, xlsx("members", rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.error_count == 3 and not job.error_file
    page = client.get(response.url).content.decode()
    assert "Tệp đánh dấu lỗi chỉ được tạo cho tệp có tối đa 2 dòng" in page
    assert reverse("imports:job_error_file", kwargs={"pk": job.pk}) not in page
