"""Checks on the .xlsx files the portal writes: user text in them stays text, never a formula."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook import Workbook

# What text typed by a user may begin with to run as a formula (tab and carriage return: some
# programs skip them and read the "=" behind).
STARTS = ("=", "+", "-", "@", "\t=", "\r=")
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def hostile(start: str, what: str) -> str:
    """A text that is a live link if a file writes it as a formula."""
    return f'{start}HYPERLINK("http://x.test/{what}","bấm")'


def as_read(text: str) -> str:
    """`text` as any reader gets it back: XML reads a carriage return as a line feed."""
    return text.replace("\r", "\n")


def _bytes(content: bytes | Path) -> bytes:
    return content if isinstance(content, bytes) else Path(content).read_bytes()


def workbook(content: bytes | Path) -> Workbook:
    return load_workbook(io.BytesIO(_bytes(content)))


def formulas_in(content: bytes | Path) -> list[str]:
    """Every formula of the file: the cells openpyxl reads as formulas, and any <f> in a sheet's XML."""
    data = _bytes(content)
    found = [
        f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
        for sheet in workbook(data).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if (
                name.startswith("xl/worksheets/")
                and name.endswith(".xml")
                and FORMULA_ELEMENT.search(archive.read(name))
            ):
                found.append(f"<f> in {name}")
    return found


def texts(sheet) -> set[str]:
    """Every text of a sheet."""
    return {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
