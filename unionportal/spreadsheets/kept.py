"""A file's rows kept beside it once read, so that a job that reads the same file again need not.

    sheet = kept.read(path, columns)   # the kept copy when it holds this file as it is now, else read and kept
    kept.discard(path)                 # once nothing will read the file again

An import is read twice: by the job that checks it, and again by the job that writes it after
"Xác nhận" (the rows are checked once more inside the writing transaction: what was checked is
what is written). Reading a 100,000-row file is two to three seconds of the second job (the
child process: the guard's checks, calamine, the answer carried back); loading the rows kept by
the first is about 0.4 s. Only the reading is skipped: the rows are the same values read_sheet
returned, and every check runs again on them.

The copy is written with marshal, 5,000 rows at a time (the rows are lists of str, float, int, bool
and None; dates and times are tagged tuples, which no cell is): for 100,000 rows 12.5 MB, 0.37 s to
write and 0.35 s to read back, with no second copy of the sheet in memory. It lies next to the
file (`<file>.rows`, a name of our own beside an upload we named ourselves), written through a
temporary file and a rename, so that a reader sees a whole copy or none. It holds the file's size and modification time and the columns it
was read for; a copy that does not match, or cannot be read, is ignored and the file read again.
"""

from __future__ import annotations

import datetime
import marshal
import os
import struct
from pathlib import Path

from .reader import Sheet, read_sheet
from .spec import Column

FORMAT = "unionportal.rows/1"
_PLAIN = (str, float, int, bool, type(None))
CHUNK = 5000  # rows per marshalled chunk


def path_of(source: str | os.PathLike) -> Path:
    return Path(f"{os.fspath(source)}.rows")


def read(source: str | os.PathLike, columns: tuple[Column, ...], *, keep: bool = True) -> Sheet:
    """The file's data rows as read_sheet returns them: from the copy kept beside it, or read from the
    file (and kept, unless `keep` is False: nothing will read it again)."""
    sheet = load(source, columns)
    if sheet is None:
        sheet = read_sheet(source, columns)
        if keep:
            save(sheet, source, columns)
    return sheet


def save(sheet: Sheet, source: str | os.PathLike, columns: tuple[Column, ...]) -> None:
    stat = os.stat(source)
    target = path_of(source)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            _put(out, (FORMAT, stat.st_size, stat.st_mtime_ns, _signature(columns), len(sheet.rows)))
            # By chunks, so that the copy's copy in memory is one chunk, not the whole sheet again.
            for start in range(0, len(sheet.rows), CHUNK):
                chunk = []
                for number, cells in sheet.rows[start : start + CHUNK]:
                    chunk.append((number, [cell if cell.__class__ in _PLAIN else _tagged(cell) for cell in cells]))
                _put(out, chunk)
            _put(out, sheet.formulas)
        os.replace(temporary, target)
    # A full disk, or a kind of value this module does not know: the next reader reads the file.
    except (OSError, _Unknown):
        temporary.unlink(missing_ok=True)


def load(source: str | os.PathLike, columns: tuple[Column, ...]) -> Sheet | None:
    try:
        data = memoryview(path_of(source).read_bytes())
        stat = os.stat(source)
        position, (form, size, modified, signature, count) = _take(data, 0)
        if (form, size, modified, signature) != (FORMAT, stat.st_size, stat.st_mtime_ns, _signature(columns)):
            return None
        rows = []
        while len(rows) < count:
            position, chunk = _take(data, position)
            rows += [
                (number, [_untagged(cell) if cell.__class__ is tuple else cell for cell in cells])
                for number, cells in chunk
            ]
        position, formulas = _take(data, position)
        if len(rows) != count or position != len(data) or not isinstance(formulas, dict):
            return None
        return Sheet(rows=rows, formulas=formulas)
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError, struct.error):
        return None  # no copy, or one this code cannot read: the file is read again


def _put(out, value) -> None:
    data = marshal.dumps(value)
    out.write(struct.pack("<Q", len(data)))
    out.write(data)


def _take(data: memoryview, position: int) -> tuple[int, object]:
    """The value at `position` and the position after it (marshal.load on a file reads it in tiny pieces)."""
    (length,) = struct.unpack_from("<Q", data, position)
    start = position + 8
    if start + length > len(data):
        raise EOFError
    return start + length, marshal.loads(data[start : start + length])  # noqa: S302 - written by save(), beside our own upload


def discard(source: str | os.PathLike) -> None:
    path_of(source).unlink(missing_ok=True)


def _signature(columns: tuple[Column, ...]) -> tuple:
    return tuple(str(column.header) for column in columns)


class _Unknown(Exception):
    pass


def _tagged(value):
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return ("date", value.toordinal())
    if isinstance(value, datetime.time):
        return ("time", value.isoformat())
    if isinstance(value, datetime.timedelta):
        return ("timedelta", value.days, value.seconds, value.microseconds)
    raise _Unknown(type(value).__name__)


def _untagged(cell: tuple):
    kind = cell[0]
    if kind == "date":
        return datetime.date.fromordinal(cell[1])
    if kind == "datetime":
        return datetime.datetime.fromisoformat(cell[1])
    if kind == "time":
        return datetime.time.fromisoformat(cell[1])
    if kind == "timedelta":
        return datetime.timedelta(days=cell[1], seconds=cell[2], microseconds=cell[3])
    raise ValueError(kind)
