"""The uploaded workbook given back with its errors marked, so that it is corrected in Excel.

    write_marked(source_path, errors, target, width=len(columns), title=..., author=...)

Each wrong cell is filled red with a comment saying what is wrong and what to type; a "Lỗi"
column after the template's columns lists the row's errors, so that a filter on it shows the
rows left to correct. Errors of the whole file (no row) have no cell to mark: none is written.

The source is a file the reader already accepted (its size, rows and cells within
settings.SPREADSHEET_LIMITS), but openpyxl holds every cell in memory: only a file of at most
MAX_ROWS data rows and MAX_BYTES is marked; a larger one is refused with `TooLarge`, and its
errors stay on the job's page.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from typing import IO

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .errors import RowError
from .properties import describe
from .safe_text import clean, escape

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
MAX_MARKED = 5_000  # cells filled and commented; the "Lỗi" column still names every error of a row
ERRORS_HEADER = "Lỗi"  # fixed by the file format, as the template's headers
AUTHOR = "UnionPortal"

RED = "FFFF9B9B"
WRONG = PatternFill(fill_type="solid", fgColor=RED, bgColor=RED)


class TooLarge(Exception):
    """The file is too large to be marked in memory."""


def write_marked(
    source: str | os.PathLike,
    errors: Iterable[RowError],
    target: str | IO[bytes],
    *,
    width: int,
    title: str,
    author: str,
) -> int:
    """Write the workbook at `source` with `errors` marked to `target`; return how many rows are marked.

    `width` is the number of the template's columns: the "Lỗi" column comes right after them.
    The file given back is the portal's: its `title` and `author` (the issuing body) replace the upload's.
    """
    if os.path.getsize(source) > MAX_BYTES:
        raise TooLarge
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for error in errors:
        if error.row is not None:
            by_row[error.row].append(error)
    workbook = load_workbook(source, rich_text=False, keep_links=False)
    sheet = workbook.worksheets[0]
    if sheet.max_row > MAX_ROWS + 1:
        workbook.close()
        raise TooLarge
    errors_column = _errors_column(sheet, width)
    header = sheet.cell(row=1, column=errors_column, value=ERRORS_HEADER)
    header.font = Font(bold=True, color="FFC00000")
    sheet.column_dimensions[header.column_letter].width = 60
    marked = 0
    for row in sorted(by_row):
        found = by_row[row]
        notes: dict[str, list[str]] = defaultdict(list)
        for error in found:
            if error.column:
                notes[error.column].append(error.message)
        for column, messages in notes.items():
            if marked >= MAX_MARKED:
                break
            cell = sheet[f"{column}{row}"]
            cell.fill = WRONG
            comment = Comment(clean("\n".join(messages)), AUTHOR)
            comment.width, comment.height = 320, 140
            cell.comment = comment
            marked += 1
        summary = "; ".join(f"{error.column}: {error.message}" if error.column else error.message for error in found)
        sheet.cell(row=row, column=errors_column, value=escape(clean(summary)))
    describe(workbook, title=title, author=author)
    workbook.save(target)
    return len(by_row)


def _errors_column(sheet, width: int) -> int:
    """The first column after the template's whose header is empty, or the "Lỗi" of an earlier marking."""
    column = width + 1
    while column < width + 50 and sheet.cell(row=1, column=column).value not in (None, "", ERRORS_HEADER):
        column += 1
    return column
