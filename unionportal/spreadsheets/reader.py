"""Open an uploaded .xlsx and hand its first sheet over as rows, after checking the file itself.

What is checked here concerns the whole file, and any failure means nothing is imported:
the size limit (settings.IMPORT_MAX_BYTES), the kind of file (an .xlsx is a zip starting
with PK\\x03\\x04; an encrypted .xlsx or an old .xls is an OLE2 compound file starting with
D0 CF 11 E0), whether it opens, whether the first sheet has data, and whether the first row
holds exactly the expected headers.

Cells are read with python-calamine, which gives the values Excel computed for formulas;
formulas are found separately, by scanning the sheet's XML for <f> elements, so that every
cell holding one is reported.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from .cells import is_blank
from .errors import SpreadsheetError, column_letter
from .spec import Column

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted Office file is an OLE2 container holding a stream of this name.
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_FIRST_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*>")
_REL_ID = re.compile(rb'\s[A-Za-z_][\w.-]*:id="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb'([A-Za-z_][\w.:-]*)="([^"]*)"')
_CHUNK = 1 << 22
_OVERLAP = 1 << 16


@dataclass
class Sheet:
    """The data rows of a first sheet: (row number as Excel shows it, cells), blank rows left out."""

    rows: list[tuple[int, list]]
    formulas: dict[int, set[int]]  # row number -> indexes of the columns holding a formula


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise SpreadsheetError(
            "too_large",
            _(
                "The file is %(size)s MB, over the limit of %(limit)s MB. Split it into several files "
                "(for example one per upper-level union) and import them one after the other."
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_kind(path: Path) -> None:
    """Tell an .xlsx from an encrypted workbook, an old .xls, or anything else."""
    with open(path, "rb") as stream:
        head = stream.read(8)
        if head.startswith(OLE2_MAGIC):
            # The directory may lie anywhere in the container; the file is under the size limit.
            body = head + stream.read()
            if ENCRYPTION_STREAM in body:
                raise SpreadsheetError(
                    "encrypted",
                    _(
                        "The file is protected by a password. Open it in Excel, remove the password "
                        "(File > Info > Protect Workbook > Encrypt with Password, then empty the box), "
                        "save it and upload it again."
                    ),
                )
            raise SpreadsheetError(
                "old_xls",
                _(
                    "This is an old Excel 97–2003 file (.xls). Open it in Excel and save it as "
                    "“Excel Workbook (*.xlsx)”, then upload the new file."
                ),
            )
    if not head.startswith(ZIP_MAGIC):
        raise _not_xlsx()


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(
        "not_xlsx",
        _(
            "This is not an Excel file (.xlsx). Download the template, copy your data into it, "
            "save it as “Excel Workbook (*.xlsx)” and upload it."
        ),
    )


def _corrupt() -> SpreadsheetError:
    return SpreadsheetError(
        "corrupt",
        _("The file is damaged and cannot be opened. Open it in Excel, save it again as .xlsx and upload it again."),
    )


def first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip member holding the first sheet (usually xl/worksheets/sheet1.xml, not always).

    Read with two regular expressions rather than an XML parser: the two files are small,
    and nothing in an uploaded file gets to an XML parser's entity handling.
    """
    workbook = archive.read("xl/workbook.xml")
    sheet = _FIRST_SHEET.search(workbook)
    if sheet is None:
        raise _corrupt()
    rel_id = _REL_ID.search(sheet.group(0))
    if rel_id is None:
        raise _corrupt()
    for relationship in _RELATIONSHIP.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        attributes = dict(_ATTRIBUTE.findall(relationship.group(0)))
        if attributes.get(b"Id") == rel_id.group(1):
            target = attributes.get(b"Target", b"").decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise _corrupt()


def scan_formulas(archive: zipfile.ZipFile, part: str) -> dict[int, set[int]]:
    """Every cell of the sheet holding a formula, found as <f> elements in its XML.

    The XML of a 100,000-row sheet is tens of megabytes: it is read in chunks with an
    overlap, so a cell cut by a chunk boundary is still seen whole.
    """
    found: dict[int, set[int]] = {}
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            for match in _FORMULA.finditer(buffer, max(0, len(tail) - 64)):
                position = match.start()
                cell = max(buffer.rfind(b"<c ", 0, position), buffer.rfind(b":c ", 0, position))
                if cell < 0:
                    continue
                ref = _CELL_REF.search(buffer, cell, position)
                if ref is None:
                    continue
                found.setdefault(int(ref.group(2)), set()).add(_column_index(ref.group(1).decode()))
            tail = buffer[-_OVERLAP:]
    return found


def _scan_file(path: Path, part: str) -> dict[int, set[int]]:
    with zipfile.ZipFile(path) as archive:
        return scan_formulas(archive, part)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _header(value) -> str:
    text = unicodedata.normalize("NFC", str(value)) if value is not None else ""
    return " ".join(text.split()).casefold()


def check_headers(found: list, columns: tuple[Column, ...]) -> None:
    expected = [c.header for c in columns]
    problems = []
    for index, header in enumerate(expected):
        actual = found[index] if index < len(found) else ""
        if _header(actual) == _header(header):
            continue
        if is_blank(actual):
            problems.append(
                _("column %(column)s should be “%(expected)s” but is empty")
                % {"column": column_letter(index), "expected": header}
            )
        else:
            problems.append(
                _("column %(column)s should be “%(expected)s” but is “%(found)s”")
                % {"column": column_letter(index), "expected": header, "found": str(actual).strip()}
            )
    if problems:
        raise SpreadsheetError(
            "headers",
            _(
                "The first row does not have the template's headers: %(problems)s. The first row must be, "
                "in this order: %(expected)s. Download the template and copy your data into it."
            )
            % {"problems": "; ".join(problems), "expected": " | ".join(expected)},
        )


def read_sheet(path: str | os.PathLike, columns: tuple[Column, ...]) -> Sheet:
    """Check the file and return the data rows of its first sheet, or raise SpreadsheetError."""
    path = Path(path)
    check_size(path.stat().st_size)
    check_kind(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _not_xlsx()
            part = first_sheet_part(archive)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        raise _corrupt()
    # The formula scan runs beside calamine, which leaves the interpreter free while it parses.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(_scan_file, path, part)
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            # From A1, so that row and column numbers are Excel's.
            raw_rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except PasswordError:
            raise SpreadsheetError(
                "encrypted", _("The file is protected by a password. Remove the password and upload it again.")
            )
        except Exception:  # calamine raises several kinds (XmlError, ZipError, CalamineError, ValueError)
            raise _corrupt()
        try:
            formulas = scan.result()
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
            raise _corrupt()

    width = len(columns)
    header: list | None = None
    rows: list[tuple[int, list]] = []
    try:
        for number, cells in enumerate(raw_rows, start=1):
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if header is None:
                header = cells
                continue
            if all(c == "" or is_blank(c) for c in cells):
                continue
            rows.append((number, cells[:width] if len(cells) > width else cells))
    except Exception:
        raise _corrupt()
    if header is None or (all(is_blank(c) for c in header) and not rows):
        raise SpreadsheetError(
            "empty",
            _("The first sheet is empty. Put the headers in the first row and one record per row below them."),
        )
    check_headers(header, columns)
    if not rows:
        raise SpreadsheetError(
            "no_rows",
            _("The first sheet has the headers but no data below them. Fill in one record per row from row 2."),
        )
    return Sheet(rows=rows, formulas=formulas)
