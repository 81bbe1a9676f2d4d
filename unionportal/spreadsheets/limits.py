"""The limits an uploaded spreadsheet is read within, and the refusal when one is crossed.

Pure standard library: read in the child process of `sandbox` (see `guard`).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    rows: int = 200_000  # data rows below the header row
    columns: int = 100
    uncompressed_bytes: int = 200 * MB  # every part of the archive together
    parts: int = 1_000
    shared_strings_bytes: int = 100 * MB
    cell_chars: int = 32_767
    # The rectangle from A1 to the last cell with content may hold at most this many times the
    # cells present (and always `sparse_floor` cells): a template's rows leave some optional
    # cells empty; a lone cell far from the table does not.
    density: int = 8
    sparse_floor: int = 100_000
    memory_bytes: int = 1024 * MB  # the reading child's address space
    seconds: int = 120  # the reading child's CPU time and wall time

    @property
    def cell_bytes(self) -> int:
        # A character takes at most 4 bytes in UTF-8: the text of a cell at the limit is
        # rarely longer than this (only when written mostly as entities, &amp; and the like).
        return self.cell_chars * 4


class Refused(Exception):
    """The file crosses a limit, or is not what an .xlsx must be. `code` says which; `params` the figures."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params
