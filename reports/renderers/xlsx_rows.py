"""Rows of plain values appended to a sheet of a saved workbook, written as raw SpreadsheetML.

openpyxl builds a cell object and an element tree for every cell it writes, even in
write-only mode: for the "CĐCS" sheet of the whole country (135,000 rows, 1.6 million
cells) that was most of the file's time. Rows without styles need none of it. They are
written here as the XML openpyxl itself writes for such cells — text as inline strings
(never evaluated, whatever they begin with: unionportal/spreadsheets/safe_text.py), numbers
as numbers, empty cells left out — into the saved file, between the sheet's last row and the
end of its data, streamed into the archive so memory stays flat.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

from unionportal.spreadsheets.safe_text import inline_string

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
END_OF_DATA = b"</sheetData>"
ROWS_PER_WRITE = 2000


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str:
    """The archive member holding the sheet called `sheet_name`."""
    # Trusted XML: the file openpyxl has just written.
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    ids = {s.get("name"): s.get(f"{RELATIONSHIPS}id") for s in workbook.iter(f"{MAIN}sheet")}
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    target = next(r.get("Target") for r in relations.iter(f"{PACKAGE}Relationship") if r.get("Id") == ids[sheet_name])
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _row(number: int, values, letters: list[str]) -> str:
    cells = []
    for index, value in enumerate(values):
        if value is None or value == "":
            continue
        ref = f"{letters[index]}{number}"
        if isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f'<c r="{ref}" t="n"><v>{value!r}</v></c>')
        else:
            cells.append(inline_string(ref, str(value)))
    return f'<row r="{number}">{"".join(cells)}</row>'


def append_rows(path: Path | str, sheet_name: str, rows: Iterable[tuple], *, first_row: int) -> int:
    """Append `rows` (text, int, float, bool or None) to the sheet from row `first_row` on; the number written."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    written = 0
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
            part = _sheet_part(source, sheet_name)
            for info in source.infolist():
                if info.filename != part:
                    target.writestr(info, source.read(info.filename))
                    continue
                head, end, tail = source.read(part).rpartition(END_OF_DATA)
                if not end:
                    raise ValueError(f"{part} has no rows to append to")
                entry = zipfile.ZipInfo(part, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as out:
                    out.write(head)
                    letters: list[str] = []
                    batch: list[str] = []
                    for number, row in enumerate(rows, start=first_row):
                        if len(row) > len(letters):
                            letters = [get_column_letter(i) for i in range(1, len(row) + 1)]
                        batch.append(_row(number, row, letters))
                        written += 1
                        if len(batch) >= ROWS_PER_WRITE:
                            out.write("".join(batch).encode())
                            batch.clear()
                    out.write("".join(batch).encode())
                    out.write(end + tail)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return written
