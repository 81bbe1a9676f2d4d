"""Bounded inspection of an uploaded .xlsx, before any cell is materialized.

An .xlsx is a zip of XML parts, and everything in it is the uploader's to choose: the sizes
the zip directory declares, compressed streams that inflate to far more than declared, cells
at XFD1048576 (a reader that builds the sheet as a grid allocates every cell up to there),
XML with a DTD and entities, a 200 MB cell. `inspect` measures all of it while inflating,
and the first limit crossed raises `Refused(code, params)` at once:

- the zip: how many parts its directory lists (read from the end record before anything is
  parsed), the uncompressed size of every part as declared and as it really inflates (our
  own inflater counts the bytes and stops at the declared size: a part that inflates to
  more is refused, not trusted), the directory laid out as one (no second archive hidden
  before it, no name twice), so that every zip reader sees the same parts;
- every XML part: UTF-8, no DTD, no entity declaration;
- the sheet: its declared dimension, the real row and column of every cell with content,
  how many there are, how sparse they lie (a reader builds the rectangle from A1 to the
  last cell: it may not be much larger than the cells present), and the length of any one
  text;
- the shared-strings table: its size.

Pure standard library, no Django: it runs in the child process of `sandbox`, under a memory
and CPU ceiling, so that even a file these limits miss cannot take the web process down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .archive import Archive
from .limits import MB, Limits, Refused

__all__ = ["Inspection", "Limits", "Refused", "inspect"]


@dataclass
class Inspection:
    sheet_part: str
    formulas: dict[int, set[int]] = field(default_factory=dict)  # row number -> column indexes
    cells: int = 0  # cells with content in the first sheet
    last_row: int = 0
    last_column: int = 0  # 1-based
    uncompressed_bytes: int = 0


def column_index(letters: bytes | str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    index = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        index = index * 26 + letter - 64
    return index


def column_letters(column: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


# --- XML ------------------------------------------------------------------------------------------

_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_DOCTYPE_MARKS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


class _XmlWatch:
    """Checks the chunks of one XML part: UTF-8 only, no DTD, no entity declaration, no text run over the cell limit.

    A run of text is found by windows, not by a regular expression (which would try every
    position of a long run): when some aligned window of `cell_bytes` holds no '<', a run at
    least that long is there. Runs under `cell_bytes` always pass; runs of twice that never do.
    """

    def __init__(self, limits: Limits) -> None:
        self.first = True
        self.tail = b""
        self.run = 0  # bytes since the last '<', carried across chunks
        self.window = limits.cell_bytes

    def feed(self, chunk: bytes) -> int | None:
        """Check a chunk; return an offset in it where a text run crossed the cell limit, or None."""
        if self.first:
            self.first = False
            if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]:
                raise Refused("encoding")
            declared = _DECLARED_ENCODING.match(chunk)
            if declared and declared.group(1).lower() not in _UTF8_NAMES:
                raise Refused("encoding")
        # "<!" opens a DTD, an entity, a comment or CDATA: rare enough to look closer only when seen.
        if b"<!" in chunk or b"<!" in self.tail + chunk[:16]:
            window = self.tail + chunk
            if any(mark in window for mark in _DOCTYPE_MARKS):
                raise Refused("dtd")
        self.tail = chunk[-16:]
        first_open = chunk.find(b"<")
        if first_open < 0:
            self.run += len(chunk)
            return 0 if self.run >= self.window else None
        if self.run + first_open >= self.window:
            return 0
        for start in range(first_open, len(chunk) - self.window + 1, self.window):
            if chunk.find(b"<", start, start + self.window) < 0:
                return start
        self.run = len(chunk) - chunk.rfind(b"<") - 1
        return None


# --- the sheet ------------------------------------------------------------------------------------

_FIRST_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*>")
_REL_ID = re.compile(rb'\s[A-Za-z_][\w.-]*:id="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb'([A-Za-z_][\w.:-]*)="([^"]*)"')
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_DIMENSION = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref="\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"'
)
# Every tag the exact scan follows: a row, a cell, a formula (any namespace prefix); not their ends.
_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|f)(?=[\s/>])([^>]*)>")
_ROW_TAGS = (b"<row", b":row")  # <rowBreaks> counts too: one more, once
_R_ATTRIBUTE = re.compile(rb'(?:^|\s)r\s*=\s*["\']\$?([A-Z]{0,3})\$?([0-9]{0,7})["\']')


def first_sheet_part(archive: Archive) -> str:
    """The zip member holding the first sheet (usually xl/worksheets/sheet1.xml, not always)."""
    if "xl/workbook.xml" not in archive or "xl/_rels/workbook.xml.rels" not in archive:
        raise Refused("not_xlsx")
    workbook = archive.read("xl/workbook.xml", 16 * MB)
    sheet = _FIRST_SHEET.search(workbook)
    rel_id = _REL_ID.search(sheet.group(0)) if sheet else None
    if rel_id is None:
        raise Refused("corrupt")
    for relationship in _RELATIONSHIP.finditer(archive.read("xl/_rels/workbook.xml.rels", 16 * MB)):
        attributes = dict(_ATTRIBUTE.findall(relationship.group(0)))
        if attributes.get(b"Id") == rel_id.group(1):
            target = attributes.get(b"Target", b"").decode(errors="replace")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part not in archive:
                raise Refused("corrupt")
            return part
    raise Refused("corrupt")


class _SheetScan:
    """Where the cells with content are, and which hold a formula, followed tag by tag.

    A cell's position is its `r` attribute, or, without one, the cell after the previous one
    in its row (a row's own `r`, or the row after the previous one): as a reader places it.
    A cell counts as having content unless it is written empty (`<c r="B2" s="1"/>`).
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.row = 0
        self.column = 0
        self.cells = 0
        self.last_row = 0
        self.last_column = 0
        self.far_row_cell = ""  # the cell of the last row, for the message
        self.far_column_cell = ""
        self.formulas: dict[int, set[int]] = {}
        self.carry = b""
        self.fallback = False
        self.row_elements = 0

    def _split(self, chunk: bytes, final: bool) -> bytes:
        """The part of carry + chunk that holds only whole cells; the rest is carried to the next chunk."""
        buffer = self.carry + chunk
        if final:
            self.carry = b""
            return buffer
        end = buffer.rfind(b"<c ")
        if end <= 0:
            end = buffer.rfind(b"<")
        if end < 0:
            end = len(buffer)  # no tag at all: text, which the run check bounds
        self.carry = buffer[end:]
        return buffer[:end]

    def count_rows(self, body: bytes) -> None:
        """However the rows are numbered, a sheet with more row elements than the limit is refused at once."""
        self.row_elements += sum(body.count(tag) for tag in _ROW_TAGS)
        # The header, the rows, and one whose cells wait in the carry for the next chunk.
        if self.row_elements > self.limits.rows + 2:
            raise Refused("row_count", count=self.row_elements, limit=self.limits.rows)

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        body = self._split(chunk, final)
        # Counted first: a sheet of a million unnumbered rows is refused before they are followed.
        self.count_rows(body)
        for match in _TOKEN.finditer(body):
            name, attributes = match.group(1), match.group(2)
            position = _R_ATTRIBUTE.search(attributes)
            if name == b"row":
                self.row = int(position.group(2)) if position and position.group(2) else self.row + 1
                self.column = 0
            elif name == b"c":
                if position and position.group(1):
                    self.column = column_index(position.group(1))
                    if position.group(2):
                        self.row = int(position.group(2))
                else:
                    self.column += 1
                if not attributes.endswith(b"/"):
                    self.cells += 1
                    self.reach(self.row, self.column)
            else:  # a formula, in the cell it sits in
                self.formulas.setdefault(self.row, set()).add(self.column - 1)

    def reach(self, row: int, column: int) -> None:
        """A cell with content at (row, column): refused at once when it lies beyond the limits."""
        if row > self.last_row:
            self.last_row = row
            self.far_row_cell = cell_name(row, column)
            if row > self.limits.rows + 1:
                raise Refused("too_many_rows", row=row, cell=self.far_row_cell, limit=self.limits.rows)
        if column > self.last_column:
            self.last_column = column
            self.far_column_cell = cell_name(row, column)
            if column > self.limits.columns:
                raise Refused(
                    "too_many_columns",
                    cell=self.far_column_cell,
                    column=column_letters(column),
                    limit=self.limits.columns,
                )


class _FastSheetScan(_SheetScan):
    """The same answers for the sheets Excel, LibreOffice and openpyxl write, at the speed of C.

    Those write every cell as `<c r="B7" ...>`, the reference first, without a namespace
    prefix: one regular expression finds them all. When a chunk holds a cell it cannot place
    that way (no reference, another prefix, other spacing), `fallback` is set and the exact
    scan starts over.
    """

    # `[^>/]*`: a cell whose attributes hold a '/' is not matched, and the counts below send it to the exact scan.
    _CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*(/?)>')
    _ODD_CELL = re.compile(rb"<c(?![ oufe])")  # <c>, <c/>, <c\tr=...; not <col, <cfRule, <cellWatch, <customSheetView
    _PREFIXED = re.compile(rb":[cf][\s/>]")  # <x:c ...>, <x:f>
    _FORMULA = re.compile(rb"<f[\s/>]")

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        body = self._split(chunk, final)
        found = self._CELL.findall(body)
        if (
            len(found) != body.count(b"<c ")
            or self._ODD_CELL.search(body) is not None
            or self._PREFIXED.search(body) is not None
        ):
            self.fallback = True
            return
        content = [(letters, number) for letters, number, empty in found if not empty]
        if content:
            self.cells += len(content)
            numbers = list(map(int, [number for _, number in content]))
            highest = max(numbers)
            if highest > self.last_row:
                self.reach(highest, column_index(content[numbers.index(highest)][0]))
            for letters in {letters for letters, _ in content}:
                column = column_index(letters)
                if column > self.last_column:
                    number = next(number for other, number in content if other == letters)
                    self.reach(int(number), column)
        for formula in self._FORMULA.finditer(body):
            start = body.rfind(b"<c ", 0, formula.start())
            cell = self._CELL.match(body, start) if start >= 0 else None
            if cell is not None:
                self.formulas.setdefault(int(cell.group(2)), set()).add(column_index(cell.group(1)) - 1)
        self.count_rows(body)


def _scan_sheet(archive: Archive, part: str, limits: Limits, scan: _SheetScan) -> _SheetScan:
    watch = _XmlWatch(limits)
    checked_dimension = False
    for chunk in archive.chunks(part):
        too_long = watch.feed(chunk)
        if too_long is not None:
            raise Refused("cell_too_long", cell=_cell_before(chunk, too_long), limit=limits.cell_chars)
        if not checked_dimension:
            checked_dimension = True
            _check_dimension(chunk, limits)
        scan.feed(chunk)
        if scan.fallback:
            return scan
    scan.feed(b"", final=True)
    return scan


def _cell_before(chunk: bytes, offset: int) -> str:
    start = max(chunk.rfind(b"<c ", 0, offset + 1), chunk.rfind(b":c ", 0, offset + 1))
    if start >= 0:
        position = _R_ATTRIBUTE.search(chunk, start + 2, chunk.find(b">", start) if b">" in chunk[start:] else None)
        if position:
            return (position.group(1) + position.group(2)).decode()
    return ""


def _check_dimension(chunk: bytes, limits: Limits) -> None:
    prefix = _ROOT_PREFIX.search(chunk)
    dimension = _DIMENSION.search(chunk, prefix.end() if prefix else 0)
    if dimension is None:
        return
    letters, number = (dimension.group(3), dimension.group(4)) if dimension.group(3) else dimension.group(1, 2)
    row, column = int(number), column_index(letters)
    if row > limits.rows + 1 or column > limits.columns:
        area = dimension.group(0).split(b'ref="')[1].rstrip(b'"').decode()
        raise Refused("declared_too_large", area=area, rows=limits.rows, columns=limits.columns)


def inspect(path, limits: Limits, *, before_sheet: Callable[[int], None] | None = None) -> Inspection:
    """Check the whole file within `limits`; return where its first sheet is and what it holds.

    `before_sheet(size)` is called when everything but the first sheet has passed, with the
    size the sheet declares, before the sheet is scanned.
    """
    archive = Archive(path, limits)
    try:
        part = first_sheet_part(archive)
        # Every XML part but the sheets, which are read once below (the first) or never (the others).
        for name in archive.names():
            if name == part or re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                continue
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            watch = _XmlWatch(limits)
            size = 0
            for chunk in archive.chunks(name):
                size += len(chunk)
                too_long = watch.feed(chunk)
                if name == "xl/sharedStrings.xml":
                    if size > limits.shared_strings_bytes:
                        raise Refused("shared_strings_too_large", size=size, limit=limits.shared_strings_bytes)
                    if too_long is not None:
                        raise Refused("cell_too_long", cell="", limit=limits.cell_chars)
        if before_sheet is not None:
            before_sheet(archive.infos[part].file_size)
        before = archive.inflated
        scan = _scan_sheet(archive, part, limits, _FastSheetScan(limits))
        if scan.fallback:
            archive.inflated = before  # the sheet is inflated again from its start
            scan = _scan_sheet(archive, part, limits, _SheetScan(limits))
        area = scan.last_row * scan.last_column
        if area > max(limits.sparse_floor, limits.density * scan.cells):
            raise Refused(
                "sparse",
                cells=scan.cells,
                area=area,
                far=sorted({scan.far_row_cell, scan.far_column_cell} - {""}),
            )
        return Inspection(
            sheet_part=part,
            formulas=scan.formulas,
            cells=scan.cells,
            last_row=scan.last_row,
            last_column=scan.last_column,
            uncompressed_bytes=archive.inflated,
        )
    finally:
        archive.close()
