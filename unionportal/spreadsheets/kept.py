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

import os
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

from . import frames
from .reader import Sheet, StreamedRows, open_sheet
from .spec import Column

FORMAT = "unionportal.rows/1"


def path_of(source: str | os.PathLike) -> Path:
    return Path(f"{os.fspath(source)}.rows")


def read(source: str | os.PathLike, columns: tuple[Column, ...], *, keep: bool = True) -> Sheet:
    """The file's data rows as read_sheet returns them: from the copy kept beside it, or read from the
    file as open_sheet does (and kept as they come, unless `keep` is False: nothing will read it again)."""
    sheet = load(source, columns)
    if sheet is None:
        sheet = open_sheet(source, columns)
        if keep:
            sheet.rows = KeptWhileRead(sheet.rows, source, columns, sheet.formulas)
    return sheet


class KeptWhileRead:
    """Rows being read (StreamedRows), written to the copy as they pass: the child's frames are the
    copy's chunks as they are (frames.py), so keeping them costs a write, not a second encoding. The
    copy is renamed into place once the last row has passed; a reading left unfinished keeps none."""

    def __init__(self, rows: StreamedRows, source: str | os.PathLike, columns: tuple[Column, ...], formulas) -> None:
        self.rows, self.source, self.columns, self.formulas = rows, source, columns, formulas

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        for chunk in self.chunks():
            yield from chunk

    def close(self) -> None:
        self.rows.close()

    def chunks(self, *, tee: Callable[[bytes], None] | None = None) -> Iterator[list[tuple[int, list]]]:
        target = path_of(self.source)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        out = None
        try:
            stat = os.stat(self.source)
            out = open(temporary, "wb")  # noqa: SIM115 - closed below, whatever happens
            out.write(frames.frame((FORMAT, stat.st_size, stat.st_mtime_ns, _signature(self.columns), len(self.rows))))
        except OSError:
            out = _closed(out, temporary)

        def keep(data: bytes) -> None:
            nonlocal out
            if out is not None:
                try:
                    out.write(data)
                except OSError:  # a full disk: the rows go on, the next reader reads the file
                    out = _closed(out, temporary)
            if tee is not None:
                tee(data)

        try:
            yield from self.rows.chunks(tee=keep)
            if out is not None:
                try:
                    out.write(frames.frame(self.formulas))
                    out.close()
                    os.replace(temporary, target)
                    out = None
                except OSError:
                    pass  # kept none: the next reader reads the file
        finally:
            _closed(out, temporary)


def _closed(out, temporary: Path) -> None:
    if out is not None:
        out.close()
        temporary.unlink(missing_ok=True)


def load(source: str | os.PathLike, columns: tuple[Column, ...]) -> Sheet | None:
    try:
        data = memoryview(path_of(source).read_bytes())
        stat = os.stat(source)
        position, (form, size, modified, signature, count) = frames.take(data, 0)
        if (form, size, modified, signature) != (FORMAT, stat.st_size, stat.st_mtime_ns, _signature(columns)):
            return None
        rows = []
        while len(rows) < count:
            position, chunk = frames.take(data, position)
            rows += chunk  # dates still tagged, as the reader's child sends them (frames.plain)
        position, formulas = frames.take(data, position)
        if len(rows) != count or position != len(data) or not isinstance(formulas, dict):
            return None
        return Sheet(rows=rows, formulas=formulas)
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError, struct.error):
        return None  # no copy, or one this code cannot read: the file is read again


def discard(source: str | os.PathLike) -> None:
    path_of(source).unlink(missing_ok=True)


def _signature(columns: tuple[Column, ...]) -> tuple:
    return tuple(str(column.header) for column in columns)
