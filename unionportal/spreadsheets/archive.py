"""The parts of an uploaded zip (an .xlsx), inflated by our own loop so that every byte is counted.

What the zip directory declares is read, then checked while inflating, never trusted: a
part that inflates to more than it declares is refused at the first byte over, and the
parts together may not outgrow `Limits.uncompressed_bytes`. The directory must lie as one
block ending at the end record, with no name twice, so that Python's zipfile and the Rust
reader calamine uses cannot disagree on what the file holds.

Pure standard library: read in the child process of `sandbox` (see `guard`).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator

from .limits import MB, Limits, Refused

CHUNK = 4 * MB


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_LOCAL_SIGNATURE = b"PK\x03\x04"


def _check_directory(stream, size: int, limits: Limits) -> None:
    """Read the end record before any zip library does: how many parts, and where the directory lies.

    The directory must end where the end record begins, and the archive must begin at byte 0:
    then Python's zipfile and the Rust reader calamine uses cannot disagree on the parts.
    """
    tail_size = min(size, _END.size + 0xFFFF)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    position = tail.rfind(_END_SIGNATURE)
    if position < 0 or len(tail) - position < _END.size:
        raise Refused("corrupt")
    (_, disk, _, _, entries, directory_size, directory_offset, comment) = _END.unpack_from(tail, position)
    end_at = size - tail_size + position
    if end_at + _END.size + comment != size or disk != 0:
        raise Refused("corrupt")
    directory_end = end_at
    if entries == 0xFFFF or directory_offset == 0xFFFFFFFF or directory_size == 0xFFFFFFFF:
        locator_at = end_at - _END64_LOCATOR.size
        if locator_at < 0:
            raise Refused("corrupt")
        stream.seek(locator_at)
        signature, _, end64_at, _ = _END64_LOCATOR.unpack(stream.read(_END64_LOCATOR.size))
        if signature != _END64_LOCATOR_SIGNATURE or end64_at >= locator_at:
            raise Refused("corrupt")
        stream.seek(end64_at)
        fields = _END64.unpack(stream.read(_END64.size))
        if fields[0] != b"PK\x06\x06":
            raise Refused("corrupt")
        entries, directory_size, directory_offset = fields[7], fields[8], fields[9]
        directory_end = end64_at
    if entries > limits.parts:
        raise Refused("too_many_parts", count=entries, limit=limits.parts)
    if directory_offset + directory_size != directory_end:
        raise Refused("corrupt")


class Archive:
    """The parts of a zip, inflated by our own loop so that every byte is counted."""

    def __init__(self, path, limits: Limits) -> None:
        self.limits = limits
        self.stream = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self.stream.seek(0, 2)
            size = self.stream.tell()
            _check_directory(self.stream, size, limits)
            self.stream.seek(0)
            self.zip = zipfile.ZipFile(self.stream)
            self.infos = {}
            declared = 0
            for info in self.zip.infolist():
                if info.filename in self.infos:
                    raise Refused("corrupt")
                self.infos[info.filename] = info
                declared += info.file_size
            if declared > limits.uncompressed_bytes:
                raise Refused("uncompressed_too_large", size=declared, limit=limits.uncompressed_bytes)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, OSError, EOFError, ValueError):
            self.stream.close()
            raise Refused("corrupt")
        except Refused:
            self.stream.close()
            raise
        self.inflated = 0

    def close(self) -> None:
        self.stream.close()

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def names(self) -> list[str]:
        return list(self.infos)

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's bytes, as inflated; refused as soon as it outgrows what the directory declared."""
        info = self.infos[name]
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused("corrupt")  # zip encryption, or a compression Excel never uses
        self.stream.seek(info.header_offset)
        header = self.stream.read(_LOCAL.size)
        if len(header) != _LOCAL.size:
            raise Refused("corrupt")
        fields = _LOCAL.unpack(header)
        if fields[0] != _LOCAL_SIGNATURE:
            raise Refused("corrupt")
        self.stream.seek(info.header_offset + _LOCAL.size + fields[9] + fields[10])
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left = info.compress_size
        produced = 0
        crc = 0
        while True:
            raw = self.stream.read(min(CHUNK, left)) if left else b""
            left -= len(raw)
            if left and not raw:
                raise Refused("corrupt")  # the archive ends inside the part
            for piece in self._inflate(inflater, raw, final=not left):
                produced += len(piece)
                if produced > info.file_size:
                    raise Refused("size_lies", part=name)
                self.inflated += len(piece)
                if self.inflated > self.limits.uncompressed_bytes:
                    raise Refused("uncompressed_too_large", size=self.inflated, limit=self.limits.uncompressed_bytes)
                crc = zlib.crc32(piece, crc)
                yield piece
            if not left:
                break
        if inflater is not None and not inflater.eof:
            raise Refused("corrupt")
        if produced != info.file_size or crc != info.CRC:
            raise Refused("corrupt")

    @staticmethod
    def _inflate(inflater, raw: bytes, *, final: bool) -> Iterator[bytes]:
        if inflater is None:
            if raw:
                yield raw
            return
        pending = raw
        while True:
            try:
                piece = inflater.decompress(pending, CHUNK)
            except zlib.error:
                raise Refused("corrupt")
            if piece:
                yield piece
            pending = inflater.unconsumed_tail
            # A full piece may leave output inside the inflater even when the input is used up.
            if not pending and len(piece) < CHUNK:
                return
            if inflater.eof:
                return

    def read(self, name: str, limit: int) -> bytes:
        """A small part whole (the workbook, its relationships)."""
        if self.infos[name].file_size > limit:
            raise Refused("corrupt")
        return b"".join(self.chunks(name))
