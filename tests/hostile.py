"""Hostile .xlsx files, built byte by byte: what an attacker with the import right could upload.

    raw_xlsx(path, sheet_data=row(1, HEADERS) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')

Each builder writes the smallest valid package (content types, workbook, relationships, one
sheet) around the XML it is given, so that a test says in one line what is wrong with a file.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row(number: int, values) -> str:
    cells = "".join(cell(f"{column_name(i)}{number}", v) for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(sheet_data: str, *, dimension: str | None = None, before: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before}'
        f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{sheet_data}</sheetData></worksheet>'
    )


def raw_xlsx(path: Path, *, sheet_data: str = "", sheet: str | bytes | None = None, extra: dict | None = None) -> Path:
    """A workbook whose first sheet holds `sheet_data` (or the whole `sheet` part), plus `extra` parts."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(sheet_data),
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def streamed_xlsx(path: Path, *, head: bytes, repeat: bytes, times: int, tail: bytes) -> Path:
    """A workbook whose sheet is `head + repeat * times + tail`, compressed as it is written:
    a sheet of a gigabyte costs a megabyte on disk and little memory to build."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(head)
            block = repeat * max(1, (1 << 20) // max(1, len(repeat)))
            written = 0
            while written + len(block) // len(repeat) <= times:
                stream.write(block)
                written += len(block) // len(repeat)
            stream.write(repeat * (times - written))
            stream.write(tail)
    return path


def lie_about_size(path: Path, part: str, declared: int) -> Path:
    """Rewrite the zip's central directory (and local header) so that `part` declares `declared`
    bytes uncompressed, and a CRC matching the first `declared` bytes: the stream inflates to more."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
        content = archive.read(part)
    crc = zlib.crc32(content[:declared])
    # Local header: crc at +14, uncompressed size at +22.
    struct.pack_into("<L", data, info.header_offset + 14, crc)
    struct.pack_into("<L", data, info.header_offset + 22, declared)
    name = part.encode()
    # Central directory entries: crc at +16, uncompressed size at +24, the name from +46.
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<L", data, at + 16, crc)
            struct.pack_into("<L", data, at + 24, declared)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path
