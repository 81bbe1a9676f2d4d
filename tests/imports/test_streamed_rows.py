"""The reader's child sends its rows 5,000 at a time and the parent checks each chunk as it comes
(unionportal/spreadsheets/sandbox.py, frames.py): the same rows as one whole answer, errors on the
right rows across chunks, a copy kept as the rows pass, and an answer that ends early (killed, out
of time, broken) told as a refusal with nothing written and no child left behind."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from imports.kinds import importer_class
from imports.services import import_file
from members.models import Member
from unionportal.spreadsheets import frames, kept, sandbox
from unionportal.spreadsheets.limits import Limits
from unionportal.spreadsheets.reader import StreamedRows, limits, open_sheet, read_sheet

D = datetime.date
COLUMNS = importer_class("members").columns
HEADERS = [str(column.header) for column in COLUMNS]
ROWS = 12_345  # three chunks: 5,000, 5,000 and 2,345


def member(number: int, branch: str = "XP-A-01") -> list:
    born = D(1970 + number % 30, 1 + number % 12, 1 + number % 28)
    return [f"SR{number:06d}", f"Đoàn viên {number}", "Nữ" if number % 2 else "Nam", born, "Kinh", branch,
            D(2015, 1, 1) + datetime.timedelta(days=number % 3000), None, None]  # fmt: skip


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    from .files import write_xlsx

    path = tmp_path_factory.mktemp("streamed") / "large.xlsx"
    return write_xlsx(path, [member(n) for n in range(ROWS)], kind="members")


def readers_free() -> bool:
    """Both reading slots free: no stream left holding one."""
    taken = [sandbox._READERS.acquire(blocking=False) for _ in range(2)]
    for ok in taken:
        if ok:
            sandbox._READERS.release()
    return all(taken)


def test_the_rows_come_in_chunks_equal_to_one_whole_read(large):
    seen: list[bytes] = []
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=limits())
    assert (stream.refused, stream.count, [str(h) for h in stream.header]) == (None, ROWS, HEADERS)
    chunks = list(stream.chunks(tee=seen.append))
    assert [len(chunk) for chunk in chunks] == [5000, 5000, 2345]
    whole = read_sheet(large, COLUMNS)  # every row in one list
    # The chunks keep their dates tagged (the parser makes each distinct one a date); read_sheet's are dates.
    assert chunks[0][0] == (2, [*frames.tagged_rows([(2, member(0)[:7])])[0][1], "", ""])
    assert [row for chunk in chunks for row in frames.untagged_rows(chunk)] == whole.rows
    assert whole.rows[0] == (2, [*member(0)[:7], "", ""])  # dates as dates, empty cells as ""
    # What the tee got is each chunk as the child wrote it: the kept copy's chunks (frames.py).
    assert [frames.value_of(data) for data in seen] == chunks
    assert stream.process.returncode == 0 and readers_free()


def test_read_sheet_and_a_streamed_open_give_the_same_rows(large):
    sheet = open_sheet(large, COLUMNS)
    assert isinstance(sheet.rows, StreamedRows) and len(sheet.rows) == ROWS
    assert frames.untagged_rows(list(sheet.rows)) == read_sheet(large, COLUMNS).rows
    assert readers_free()


def test_a_stream_closed_before_its_end_ends_its_child(large):
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=limits())
    next(stream.chunks())
    stream.close()
    assert stream.process.returncode is not None and readers_free()


@pytest.mark.django_db
def test_errors_are_on_their_rows_in_every_chunk(cast, large, tmp_path):
    from .files import write_xlsx

    rows = [member(n, branch=cast.branch.code) for n in range(ROWS)]
    rows[7001][5] = "NO-SUCH-BRANCH"  # row 7,003 of the sheet, in the second chunk
    rows[11000][6] = "32/13/2020"  # row 11,002, in the third
    rows[12000][0] = rows[3][0]  # row 12,002: the card of row 5 again
    outcome = import_file(
        "members", write_xlsx(tmp_path / "errors.xlsx", rows, kind="members"), user=cast.owner, commit=True
    )
    assert not outcome.committed and Member.objects.count() == 0
    assert sorted({(error.row, error.column) for error in outcome.errors}) == [(7003, "F"), (11002, "G"), (12002, "A")]
    assert outcome.rows == ROWS and readers_free()


@pytest.mark.django_db
def test_a_large_file_is_written_whole_and_its_copy_kept_as_it_was_read(cast, tmp_path):
    from .files import write_xlsx

    path = write_xlsx(tmp_path / "good.xlsx", [member(n, branch=cast.branch.code) for n in range(ROWS)], kind="members")
    checked = import_file("members", path, user=cast.owner, commit=False, keep=True)
    assert (checked.errors, checked.counts.created) == ([], ROWS)
    copy = kept.load(path, COLUMNS)
    assert copy is not None and frames.untagged_rows(copy.rows) == read_sheet(path, COLUMNS).rows
    written = import_file("members", path, user=cast.owner, commit=True, keep=True)
    assert written.committed and Member.objects.count() == ROWS


# --- answers that end early: a child of our own making stands in for the reader's -----------------


def fake_child(monkeypatch, *parts: bytes, stderr: str = "", sleep: float = 0) -> None:
    """The reader's child replaced by one that writes these bytes (and this on stderr), then ends."""
    script = (
        "import sys, time; "
        f"sys.stdout.buffer.write({b''.join(parts)!r}); sys.stdout.flush(); "
        f"sys.stderr.write({stderr!r}); time.sleep({sleep})"
    )
    monkeypatch.setattr(sandbox, "_BOOT", script)


def head(count: int) -> bytes:
    return frames.frame(("rows", HEADERS, {}, count))


def test_an_answer_that_ends_inside_its_rows_is_a_refusal_with_the_childs_last_words(monkeypatch, large):
    fake_child(
        monkeypatch, head(10), frames.frame(frames.tagged_rows([(2, member(1))])), stderr="killed: out of memory"
    )
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=Limits())
    chunks = stream.chunks()
    assert len(next(chunks)) == 1
    with pytest.raises(sandbox.Ended) as ended:
        next(chunks)
    assert ended.value.code == "memory" and "out of memory" in ended.value.params["detail"]
    assert readers_free()


def test_a_row_the_child_could_not_send_is_refused(monkeypatch, large):
    fake_child(monkeypatch, head(10), frames.frame(("refused", "corrupt", {})))
    with pytest.raises(sandbox.Ended) as ended:
        list(sandbox.open_stream(large, width=len(COLUMNS), limits=Limits()).chunks())
    assert ended.value.code == "corrupt" and readers_free()


def test_a_broken_answer_is_a_refusal(monkeypatch, large):
    fake_child(monkeypatch, head(10)[:5])
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=Limits())
    assert stream.refused[0] == "memory" and readers_free()


def test_a_child_past_its_time_is_stopped_by_the_clock(monkeypatch, large):
    fake_child(monkeypatch, b"", sleep=60)
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=Limits(seconds=-4))  # the clock: 1 s
    assert stream.refused == ("timeout", {"seconds": -4}) and readers_free()


def test_a_child_past_its_cpu_time_is_a_timeout(large):
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=Limits(seconds=0))
    assert stream.refused == ("timeout", {"seconds": 0}) and readers_free()


@pytest.mark.django_db
def test_an_import_whose_reading_ends_early_says_so_in_vietnamese_and_writes_nothing(cast, monkeypatch, tmp_path):
    from .files import write_xlsx

    path = write_xlsx(tmp_path / "m.xlsx", [member(1, branch=cast.branch.code)], kind="members")
    fake_child(monkeypatch, head(2), frames.frame(frames.tagged_rows([(2, member(1, branch=cast.branch.code))])))
    with translation.override("vi"):
        outcome = import_file("members", path, user=cast.owner, commit=True)
    assert not outcome.committed and Member.objects.count() == 0
    assert [error.code for error in outcome.errors] == ["memory"]
    assert "bộ nhớ" in outcome.errors[0].message and "chưa ghi dữ liệu" in outcome.errors[0].message
    assert readers_free()


@pytest.mark.parametrize(
    "answer",
    [
        frames.frame(("rows", HEADERS, {}, 2)) + b"\x08\x00\x00\x00\x00\x00\x00\x00notmarsh",  # rows that do not decode
        frames.frame(("rows", HEADERS, {}, 2)) + frames.frame([(2, [("no such tag", 1)])]),  # a cell of no known kind
        frames.frame(("rows", HEADERS)),  # a head of the wrong shape
        frames.frame(42),
    ],
)
def test_an_answer_that_does_not_decode_is_a_refusal_not_a_crash(monkeypatch, large, answer):
    fake_child(monkeypatch, answer)
    stream = sandbox.open_stream(large, width=len(COLUMNS), limits=Limits())
    if stream.refused is None:
        with pytest.raises(sandbox.Ended):
            list(stream.chunks())
    else:
        assert stream.refused[0] == "memory"
    assert readers_free()


# --- where the rows lie in the sheet: Excel's row numbers, blank rows left out, cells cut to the columns ---


def whole_sheet(path, width: int) -> tuple[list, list]:
    """The header and the non-blank data rows of calamine's whole sheet from A1, each cut or padded to `width`."""
    from python_calamine import CalamineWorkbook

    fitted = [
        (number, (cells + [""] * width)[:width])
        for number, cells in enumerate(
            CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False), start=1
        )
    ]
    return fitted[0][1], [(n, c) for n, c in fitted[1:] if not all(sandbox._blank(v) for v in c)]


@pytest.mark.parametrize("first", ["A1", "C1", "A3", "D4"])
def test_a_sheet_that_starts_anywhere_with_blank_rows_between_is_read_with_excels_numbers(tmp_path, first):
    from openpyxl import Workbook
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letter, top = coordinate_from_string(first)
    left = column_index_from_string(letter)
    workbook = Workbook()
    sheet = workbook.active
    values = {0: ["Số thẻ", "Họ tên"], 1: ["A1", "Lê Văn Một"], 2: [], 3: ["  ", None], 4: [None, "Trần Thị Hai"]}
    values[12_000] = ["cuối", datetime.date(2024, 5, 6)]  # in the third chunk
    for k in range(5, 11_000):
        values[k] = [f"T{k}", f"Tên {k}"]
    for offset, cells in values.items():
        for index, value in enumerate(cells):
            sheet.cell(row=top + offset, column=left + index, value=value)
    path = tmp_path / f"from-{first}.xlsx"
    workbook.save(path)
    header, rows = whole_sheet(path, width=4)
    stream = sandbox.open_stream(path, width=4, limits=limits())
    assert stream.refused is None and stream.header == header
    streamed = [row for chunk in stream.chunks() for row in frames.untagged_rows(chunk)]
    assert streamed == rows and stream.count == len(rows)
    numbers = {number for number, _cells in streamed}
    assert top + 1 in numbers and top + 2 not in numbers and top + 3 not in numbers  # an empty row, one of spaces
    assert (top + 4 in numbers) == (left + 1 <= 4)  # from D, its one value lies in the fifth column, cut: blank
    assert streamed[-1] == (top + 12_000, ([""] * (left - 1) + ["cuối", datetime.date(2024, 5, 6)] + [""] * 4)[:4])
    assert readers_free()


def test_a_sheet_of_headers_and_blank_rows_has_no_rows(tmp_path):
    from openpyxl import Workbook

    from unionportal.spreadsheets.errors import SpreadsheetError

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in range(2, 30):
        sheet.cell(row=row, column=2, value="   ")  # cells of spaces: blank rows
    path = tmp_path / "blank.xlsx"
    workbook.save(path)
    with pytest.raises(SpreadsheetError) as refused:
        open_sheet(path, COLUMNS)
    assert refused.value.errors[0].code == "no_rows" and readers_free()


def test_dates_tagged_as_the_reader_sends_them_are_parsed_and_shown_as_dates():
    # The reader's rows keep their dates tagged (frames.py): the parser makes each distinct one a date,
    # and an error on such a cell shows it as Excel does, not as its tag.
    importer = importer_class("members")()
    born, joined, misplaced = datetime.date(1990, 1, 2), datetime.date(2015, 3, 4), datetime.date(2024, 6, 5)
    rows = frames.tagged_rows(
        [
            (2, ["TG001", "Lê Văn Một", "Nam", born, "Kinh", "XP-A-01", joined, "", ""]),
            (3, ["TG002", "Lê Văn Hai", misplaced, born, "Kinh", "XP-A-01", joined, "", ""]),
        ]
    )
    assert rows[0][1][3] == ("date", born.toordinal())
    parsed = importer.parser.parse(rows, formulas={3: {6}})
    assert parsed[0].values[3:7] == [born, "Kinh", "XP-A-01", joined] and parsed[0].ok
    assert [(e.row, e.column, e.value) for e in importer.errors] == [(3, "C", "05/06/2024"), (3, "G", "04/03/2015")]
