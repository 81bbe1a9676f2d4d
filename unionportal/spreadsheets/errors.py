"""What a user is told about a file or one of its rows: where, what was found, what to do."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an uploaded file.

    `row` is the row number as Excel shows it (the header row is 1); `column` the letter
    and `header` the column's title; `value` the cell as found. `code` is stable (tests and
    code use it); `message` is for people: in the user's language, it says what to do.
    A problem of the whole file (not an .xlsx, wrong headers) has no row.
    """

    code: str
    message: str
    row: int | None = None
    column: str = ""
    header: str = ""
    value: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def value_shown(self) -> str:
        """The value with its stray whitespace made visible (·, ⏎, →)."""
        return visible_whitespace(self.value)

    @classmethod
    def from_dict(cls, data: dict) -> RowError:
        return cls(
            **{key: data.get(key, "") for key in ("code", "message", "column", "header", "value")}, row=data.get("row")
        )

    def describe(self) -> str:
        """One line for the command line: where, what, and the message."""
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s (%(header)s)") % {"column": self.column, "header": self.header})
        if self.value != "":
            where.append(_("value “%(value)s”") % {"value": self.value})
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, too big, wrong headers, empty)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.error = RowError(code=code, message=message)

    @property
    def errors(self) -> list[RowError]:
        return [self.error]


def shown(value) -> str:
    """A cell's value as a person would read it in Excel: 05/01/2021, 25, not 25.0."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


_VISIBLE = str.maketrans({" ": "·", "\u00a0": "·", "\u2007": "·", "\u202f": "·", "\n": "⏎", "\r": "⏎", "\t": "→"})


def visible_whitespace(value: str) -> str:
    """A value whose spaces are not plain single spaces between words, with every space shown:
    "  Phạm Ngọc  Dũng" -> "··Phạm·Ngọc··Dũng". A plain value is left as it is."""
    if value == " ".join(value.split()):
        return value
    return value.translate(_VISIBLE)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
