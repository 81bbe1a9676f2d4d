"""Open an uploaded .xlsx and hand its first sheet over as rows, after checking the file itself.

What is checked here concerns the whole file, and any failure means nothing is imported:
the size of the upload (settings.IMPORT_MAX_BYTES), the kind of file (an .xlsx is a zip
starting with PK\\x03\\x04; an encrypted .xlsx or an old .xls is an OLE2 compound file
starting with D0 CF 11 E0), then, in a child process with a memory ceiling (`sandbox`),
everything the file holds once unpacked (`guard`: sizes, rows, columns, cells, DTDs, within
settings.SPREADSHEET_LIMITS), whether it opens, whether the first sheet has data, and
whether the first row holds exactly the expected headers.

Cells are read with python-calamine, which gives the values Excel computed for formulas;
formulas are found separately, by scanning the sheet's XML for <f> elements, so that every
cell holding one is reported.
"""

from __future__ import annotations

import gc
import logging
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import frames, sandbox
from .cells import is_blank
from .errors import SpreadsheetError, column_letter
from .limits import MB, Limits
from .spec import Column

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted Office file is an OLE2 container holding a stream of this name.
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Sheet:
    """The data rows of a first sheet: (row number as Excel shows it, cells), blank rows left out."""

    rows: list[tuple[int, list]] | StreamedRows
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


def limits() -> Limits:
    """The limits of settings.SPREADSHEET_LIMITS over the defaults of guard.Limits."""
    configured = getattr(settings, "SPREADSHEET_LIMITS", {})
    known = {f.name for f in fields(Limits)}
    return Limits(**{key: value for key, value in configured.items() if key in known})


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _archive_messages(params: dict) -> dict[str, Callable[[], str]]:
    """The refusals of the file as an archive: its parts, their size, their XML."""
    return {
        "too_many_parts": lambda: (
            _(
                "The file is made of %(count)s parts; an Excel workbook has a few dozen (the limit is %(limit)s). "
                "Open it in Excel, save it again as .xlsx and upload the new file."
            )
            % {"count": _number(params["count"]), "limit": _number(params["limit"])}
        ),
        "uncompressed_too_large": lambda: (
            _(
                "Once unpacked, the file takes more than %(limit)s MB (an .xlsx is a compressed archive), over the "
                "limit. Split it into several files and import them one after the other."
            )
            % {"limit": _number(params["limit"] // MB)}
        ),
        "shared_strings_too_large": lambda: (
            _(
                "The texts of the file take more than %(limit)s MB once unpacked, over the limit. "
                "Split it into several files and import them one after the other."
            )
            % {"limit": _number(params["limit"] // MB)}
        ),
        "encoding": lambda: _(
            "The file is not saved the way Excel saves it (its XML is not UTF-8). "
            "Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload the new file."
        ),
        "dtd": lambda: _(
            "The file contains an XML document type declaration (DTD), which Excel never writes; it is refused "
            "for safety. Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload the new file."
        ),
    }


def _sheet_messages(params: dict, limits: Limits) -> dict[str, Callable[[], str]]:
    """The refusals of the first sheet: its area, its rows, columns and cells; and of the reading itself."""
    return {
        "declared_too_large": lambda: (
            _(
                "The first sheet declares a used area of %(area)s, beyond the limit of %(rows)s rows and %(columns)s "
                "columns. Copy your table into the template and upload that file."
            )
            % {"area": params["area"], "rows": _number(params["rows"]), "columns": _number(params["columns"])}
        ),
        "too_many_rows": lambda: (
            _(
                "The first sheet has data down to row %(row)s (cell %(cell)s); at most %(limit)s rows below the "
                "headers can be imported from one file. Delete what lies below your table, or split the file."
            )
            % {"row": _number(params["row"]), "cell": params["cell"], "limit": _number(params["limit"])}
        ),
        "row_count": lambda: (
            _(
                "The first sheet has more than %(limit)s rows below the headers, the most that can be imported from "
                "one file. Delete the empty rows below your table, or split the file."
            )
            % {"limit": _number(params["limit"])}
        ),
        "too_many_columns": lambda: (
            _(
                "The first sheet has data in column %(column)s (cell %(cell)s); at most %(limit)s columns are read. "
                "Delete what lies to the right of your table and upload the file again."
            )
            % {"column": params["column"], "cell": params["cell"], "limit": _number(params["limit"])}
        ),
        "sparse": lambda: (
            _(
                "The first sheet has data far from the rest (%(cells)s): the area from A1 to there holds %(area)s "
                "cells, of which only %(filled)s are filled. Delete the cells outside your table and upload the "
                "file again."
            )
            % {"cells": ", ".join(params["far"]), "area": _number(params["area"]), "filled": _number(params["cells"])}
        ),
        "cell_too_long": lambda: (
            _(
                "A cell%(where)s holds more than %(limit)s characters, the most a cell of Excel can hold. "
                "Shorten it and upload the file again."
            )
            % {"where": f" ({params['cell']})" if params.get("cell") else "", "limit": _number(params["limit"])}
        ),
        "memory": lambda: (
            _(
                "Reading the file needed more than %(limit)s MB of memory and was stopped; nothing was written. "
                "Split it into smaller files, or copy the table into the template and upload that file."
            )
            % {"limit": _number(limits.memory_bytes // MB)}
        ),
        "timeout": lambda: (
            _(
                "Reading the file took more than %(seconds)s seconds and was stopped; nothing was written. "
                "Split it into smaller files and import them one after the other."
            )
            % {"seconds": _number(limits.seconds)}
        ),
    }


def _refusal(code: str, params: dict, limits: Limits) -> SpreadsheetError:
    """What the user is told when the file crosses a limit: which limit, and what to do."""
    if code == "not_xlsx":
        return _not_xlsx()
    if code in ("corrupt", "size_lies"):
        return _corrupt()
    if code == "encrypted":
        return SpreadsheetError(
            "encrypted", _("The file is protected by a password. Remove the password and upload it again.")
        )
    messages = {**_archive_messages(params), **_sheet_messages(params, limits)}
    if code not in messages:
        return _corrupt()
    if code in ("memory", "timeout"):
        logger.warning("Reading a spreadsheet was stopped (%s): %s", code, params.get("detail", ""))
    return SpreadsheetError(code, messages[code]())


def read_sheet(path: str | os.PathLike, columns: tuple[Column, ...]) -> Sheet:
    """Check the file and return the data rows of its first sheet, or raise SpreadsheetError."""
    sheet = open_sheet(path, columns)
    collecting = gc.isenabled()
    gc.disable()  # a million cells and no cycles: the collector would walk them as they are made
    try:
        rows = [row for chunk in sheet.rows.chunks() for row in frames.untagged_rows(chunk)]
        return Sheet(rows=rows, formulas=sheet.formulas)
    finally:
        if collecting:
            gc.enable()


def open_sheet(path: str | os.PathLike, columns: tuple[Column, ...]) -> Sheet:
    """Check the file and start reading it: the rows of the Sheet come as the reader sends them
    (StreamedRows), or raise SpreadsheetError."""
    path = Path(path)
    check_size(path.stat().st_size)
    check_kind(path)
    bounds = limits()
    stream = sandbox.open_stream(path, width=len(columns), limits=bounds)
    if stream.refused is not None:
        raise _refusal(*stream.refused, bounds)
    try:
        header = stream.header
        if not header or (all(is_blank(c) for c in header) and not stream.count):
            raise SpreadsheetError(
                "empty",
                _("The first sheet is empty. Put the headers in the first row and one record per row below them."),
            )
        check_headers(header, columns)
        if not stream.count:
            raise SpreadsheetError(
                "no_rows",
                _("The first sheet has the headers but no data below them. Fill in one record per row from row 2."),
            )
    except SpreadsheetError:
        stream.close()
        raise
    return Sheet(rows=StreamedRows(stream, bounds), formulas=stream.formulas)


class StreamedRows:
    """The data rows of a sheet being read, taken once, a chunk at a time, as the reader's child sends
    them (RowParser.parse checks each chunk as it comes), dates still tagged (frames.plain); len() is
    their number, known at once.
    A reading that ends early raises SpreadsheetError ("memory" or "timeout") from chunks()."""

    def __init__(self, stream: sandbox.Stream, bounds: Limits) -> None:
        self.stream, self.bounds = stream, bounds

    def __len__(self) -> int:
        return self.stream.count

    def chunks(self, *, tee: Callable[[bytes], None] | None = None) -> Iterator[list[tuple[int, list]]]:
        """Each chunk of rows; `tee` gets each chunk's frame as the child wrote it (kept.py keeps them)."""
        try:
            yield from self.stream.chunks(tee=tee)
        except sandbox.Ended as ended:
            raise _refusal(ended.code, ended.params, self.bounds) from None

    def __iter__(self) -> Iterator[tuple[int, list]]:
        for chunk in self.chunks():
            yield from chunk

    def close(self) -> None:
        self.stream.close()
