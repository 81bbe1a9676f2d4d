"""Rows of a sheet as frames of bytes: what the reader's child sends, and what a kept copy holds.

A frame is a length (8 bytes, little-endian) and a marshal of one value. The rows go 5,000 to a
frame, each as (row number as Excel shows it, cells); a cell is str, float, int, bool or None as
it is, and a date or time as a tagged tuple (marshal knows no dates, and no cell is a tuple).
The rows an import reads keep their tagged cells: spec.RowParser makes each distinct one a date
as it parses it (plain()), a few thousand in a 100,000-row file rather than 200,000.
marshal writes and reads such lists several times faster than pickle, and refuses, rather than
runs, anything but plain values.

This module imports nothing from Django: the reader's child (sandbox.py) uses it.
"""

from __future__ import annotations

import datetime
import marshal
import struct
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 5000  # rows per frame
_PLAIN = (str, float, int, bool, type(None))
_LENGTH = struct.Struct("<Q")
# Larger than any frame of ours (5,000 rows of short cells): a length beyond it is a broken stream.
MAX_FRAME = 512 * 1024 * 1024


class Unknown(Exception):
    """A cell of a kind this module cannot tag."""


def frame(value) -> bytes:
    data = marshal.dumps(value)
    return _LENGTH.pack(len(data)) + data


def value_of(data: bytes | memoryview):
    """The value of one whole frame (its length included)."""
    return marshal.loads(memoryview(data)[_LENGTH.size :])  # noqa: S302 - frames of our own child or kept copy


def take(data: memoryview, position: int) -> tuple[int, object]:
    """The value of the frame at `position` in `data`, and the position after it."""
    (length,) = _LENGTH.unpack_from(data, position)
    start = position + _LENGTH.size
    if start + length > len(data):
        raise EOFError
    return start + length, marshal.loads(data[start : start + length])  # noqa: S302 - see value_of


def read_frames(stream: BinaryIO) -> Iterator[bytes]:
    """Each whole frame of a stream, as bytes; EOFError if the stream ends inside one."""
    while True:
        head = stream.read(_LENGTH.size)
        if not head:
            return
        if len(head) < _LENGTH.size:
            raise EOFError
        (length,) = _LENGTH.unpack(head)
        if length > MAX_FRAME:
            raise EOFError
        body = stream.read(length)
        if len(body) < length:
            raise EOFError
        yield head + body


def tagged_rows(rows: list[tuple[int, list]]) -> list[tuple[int, list]]:
    return [(number, [cell if cell.__class__ in _PLAIN else tagged(cell) for cell in cells]) for number, cells in rows]


def untagged_rows(rows: list) -> list[tuple[int, list]]:
    return [(number, [untagged(cell) if cell.__class__ is tuple else cell for cell in cells]) for number, cells in rows]


def tagged(value):
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return ("date", value.toordinal())
    if isinstance(value, datetime.time):
        return ("time", value.isoformat())
    if isinstance(value, datetime.timedelta):
        return ("timedelta", value.days, value.seconds, value.microseconds)
    raise Unknown(type(value).__name__)


def plain(cell):
    """A cell as the sheet holds it: a tagged date or time as the value itself, anything else as it is."""
    return untagged(cell) if cell.__class__ is tuple else cell


def untagged(cell: tuple):
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
