"""Feeding generated lines to PostgreSQL's COPY … FROM STDIN (psycopg2's copy_expert)."""

from __future__ import annotations

from collections.abc import Iterator


class LineStream:
    """A file-like read() over lines made on demand: memory stays flat however many rows."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.rest = ""

    def read(self, size: int = -1) -> str:
        # Gather whole lines into a list and join once: appending to one string would copy
        # the growing buffer for every line.
        parts, length = [self.rest], len(self.rest)
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        data = "".join(parts)
        if size < 0 or len(data) <= size:
            self.rest = ""
            return data
        self.rest = data[size:]
        return data[:size]

    def readline(self, size: int = -1) -> str:  # pragma: no cover - COPY reads in blocks
        return self.read(size)
