"""One cell in, one Python value out, or a CellError saying what is wrong and what to do.

Values come as python-calamine gives them: str, float (every number, 25 -> 25.0), int,
bool, datetime.date / datetime.datetime (cells formatted as dates), datetime.timedelta,
or "" for an empty cell. openpyxl gives the same kinds, so the parsers serve both.

What has one reading only is put right, and the parser notes the kind of fix (`note_fix`,
collected by `noting_fixes`) so that the preview can say "Họ và tên: 56 ô đã bỏ dấu cách thừa":
spaces at either end and runs of spaces (SPACES), non-breaking spaces (NBSP), decomposed
Vietnamese (NFC), a whole number or a decimal with one separator stored as text (NUMBER_TEXT),
a date typed as text dd/mm/yyyy (DATE_TEXT). What could be read two ways stays an error that
says what to type: a line break or a tab inside a text, "1.234" (a thousand or one point two),
a date in another order.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal

from django.utils.translation import gettext as _

# The apostrophe exports put before formula-like text (safe_text.escape) comes off on import.
from .safe_text import unescape

_DATE_TEXT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DIGITS = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")
_ONE_SEPARATOR = re.compile(r"([+-]?\d+)[.,](\d+)")
_SPACE_RUNS = re.compile(r" {2,}")
# Spaces that look like one but are another character (copied from the web or Word).
_NBSP = str.maketrans(dict.fromkeys("\u00a0\u2007\u202f", " "))

# The kinds of fix a parser makes on its own, in the order the preview lists them.
SPACES, NBSP, NFC, NUMBER_TEXT, DATE_TEXT = "spaces", "nbsp", "nfc", "number_text", "date_text"
FIX_KINDS = (SPACES, NBSP, NFC, NUMBER_TEXT, DATE_TEXT)

_noted: ContextVar[list[str] | None] = ContextVar("cell_fixes", default=None)


def note_fix(kind: str) -> None:
    """Say that the cell being parsed was put right (a no-op unless someone is `noting_fixes`)."""
    noted = _noted.get()
    if noted is not None and kind not in noted:
        noted.append(kind)


@contextlib.contextmanager
def noting_fixes() -> Iterator[list[str]]:
    """Collect the kinds of fix of the parses inside the block (empty the list between cells)."""
    noted: list[str] = []
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(raw) -> bool:
    return raw is None or raw == "" or (isinstance(raw, str) and not raw.strip())


def _required() -> CellError:
    return CellError("required", _("This cell must be filled in."))


def tidy(value: str) -> str:
    """The text in NFC, non-breaking spaces as spaces, no whitespace at either end, no runs of spaces.

    Each kind of fix is noted. A line break or a tab inside the text is refused: it may join two
    values in one cell, and only the person who typed it knows.
    """
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
        note_fix(NFC)
    if "\u00a0" in value or "\u2007" in value or "\u202f" in value:
        value = value.translate(_NBSP)
        note_fix(NBSP)
    clean = value.strip()
    if "  " in clean:
        clean = _SPACE_RUNS.sub(" ", clean)
    if len(clean) != len(value):
        note_fix(SPACES)
    if "\n" in clean or "\r" in clean or "\t" in clean or "\v" in clean or "\f" in clean:
        raise CellError(
            "line_break",
            _(
                "The text has a line break or a tab inside it (shown as ⏎ or →). Put it on one line, "
                "for example: “%(clean)s”, or split it if the cell holds two values."
            )
            % {"clean": " ".join(clean.split())},
        )
    return clean


def text(raw, *, required: bool = True, max_length: int | None = None) -> str:
    """Text, NFC-normalized, with no spaces at either end and no double spaces (put right, and noted)."""
    if raw is None or raw == "":
        if required:
            raise _required()
        return ""
    if isinstance(raw, str):
        value = tidy(unescape(raw))
        if not value:  # a cell of spaces only is an empty cell
            if required:
                raise _required()
            return ""
    elif isinstance(raw, bool):
        raise CellError("not_text", _("A true/false value is not expected here: type the text itself."))
    elif isinstance(raw, float | int):
        # A card number or a code typed as a number: 12345.0 is "12345".
        value = repr(raw) if isinstance(raw, float) and not raw.is_integer() else str(int(raw))
    else:
        raise CellError("not_text", _("A date is not expected here: type the text itself."))
    if max_length is not None and len(value) > max_length:
        raise CellError(
            "too_long",
            _("The text is too long: at most %(max)s characters, this one has %(length)s. Shorten it.")
            % {"max": max_length, "length": len(value)},
        )
    return value


def code(raw, *, required: bool = True, max_length: int = 32) -> str:
    """A code (branch, workplace): text without spaces, compared in capitals as the registry stores it."""
    value = text(raw, required=required, max_length=max_length)
    if " " in value:
        raise CellError(
            "code_spaces",
            _("A code has no spaces inside. Type it as: “%(clean)s”.") % {"clean": value.replace(" ", "")},
        )
    return value.upper()


def integer(raw, *, required: bool = True, minimum: int | None = 0) -> int | None:
    """A whole number typed as a number (not as text)."""
    if raw is None or raw == "":
        if required:
            raise _required()
        return None
    if isinstance(raw, bool):
        raise CellError("not_a_number", _("This is not a number. Type a whole number, for example 25."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise CellError("not_whole_number", _("Type a whole number, without decimals."))
        value = int(raw)
    elif isinstance(raw, str):
        value = _whole_number_text(raw)
    else:
        raise CellError("not_a_number", _("This is not a number. Type a whole number, for example 25."))
    if minimum is not None and value < minimum:
        raise CellError("too_small", _("The number cannot be less than %(minimum)s.") % {"minimum": minimum})
    return value


def _number_text(raw: str) -> str:
    """A number stored as text, without its spaces and apostrophe (noted as a fix when it then reads as one)."""
    return raw.translate(_NBSP).strip().lstrip("'").strip()


def _whole_number_text(raw: str) -> int:
    """A whole number stored as text: read when it has one reading only, else an error saying what to type."""
    stripped = _number_text(raw)
    if _WHOLE.fullmatch(stripped):
        note_fix(NUMBER_TEXT)
        return int(stripped)
    if match := _ONE_SEPARATOR.fullmatch(stripped):
        if len(match.group(2)) == 3:
            raise _ambiguous(stripped)
        raise CellError("not_whole_number", _("Type a whole number, without decimals."))
    if _DIGITS.fullmatch(stripped.replace(".", "").replace(",", "")):
        raise CellError(
            "number_as_text",
            _(
                "The number is stored as text with several separators. Retype it as a number, without dots, "
                "commas or spaces, for example 1234567."
            ),
        )
    raise CellError("not_a_number", _("This is not a number. Type a whole number, for example 25."))


def _ambiguous(typed: str) -> CellError:
    return CellError(
        "number_ambiguous",
        _(
            "“%(typed)s” can be read two ways (a thousand and more, or a number with decimals). "
            "Type it as a number without a separator for thousands, for example %(whole)s, or with a comma "
            "for decimals, for example %(decimal)s."
        )
        % {"typed": typed, "whole": typed.replace(".", "").replace(",", ""), "decimal": typed.replace(".", ",")},
    )


def decimal(raw, *, required: bool = True) -> Decimal | None:
    """A number, typed as a number or stored as text with one reading only (12,5 or 12.5; 1.234 is ambiguous)."""
    if raw is None or raw == "":
        if required:
            raise _required()
        return None
    if isinstance(raw, bool):
        raise CellError("not_a_number", _("This is not a number. Type a number, for example 12,5."))
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    if not isinstance(raw, str):
        raise CellError("not_a_number", _("This is not a number. Type a number, for example 12,5."))
    stripped = _number_text(raw)
    if _WHOLE.fullmatch(stripped):
        note_fix(NUMBER_TEXT)
        return Decimal(stripped)
    if match := _ONE_SEPARATOR.fullmatch(stripped):
        if len(match.group(2)) == 3:
            raise _ambiguous(stripped)
        note_fix(NUMBER_TEXT)
        return Decimal(f"{match.group(1)}.{match.group(2)}")
    raise CellError(
        "not_a_number",
        _("This is not a number, or it has several separators. Type a number, for example 1234 or 12,5."),
    )


def date(raw, *, required: bool = True) -> datetime.date | None:
    """A date: a cell formatted as a date, or text written dd/mm/yyyy."""
    if raw is None or raw == "":
        if required:
            raise _required()
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        value = tidy(raw)
        if not value:
            if required:
                raise _required()
            return None
        match = _DATE_TEXT.fullmatch(value)
        if match is None:
            raise _date_format()
        day, month, year = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            raise CellError(
                "date_impossible",
                _("The date %(date)s does not exist: there is no month %(month)s. Write the date as dd/mm/yyyy.")
                % {"date": value, "month": month},
            )
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= days or year < 1:
            raise CellError(
                "date_impossible",
                _(
                    "The date %(date)s does not exist: month %(month)s of %(year)s has %(days)s days. Check the day and the month."
                )
                % {"date": value, "month": month, "year": year, "days": days},
            )
        note_fix(DATE_TEXT)
        return datetime.date(year, month, day)
    raise _date_format()


def _date_format() -> CellError:
    return CellError(
        "date_format",
        _("This is not a date. Type it as dd/mm/yyyy, for example 05/01/2021, or format the cell as a date."),
    )


class ValueMap:
    """The Vietnamese labels of a drop-down column and the values they stand for.

    Labels are fixed by the file format, not by the interface's translations (the
    TextChoices' own labels are English msgids). `aliases` are other spellings accepted
    on the way in ("Uỷ viên" for "Ủy viên"); exports always write the first label.
    """

    def __init__(self, pairs: list[tuple[str, str]], aliases: Mapping[str, str] | None = None) -> None:
        self.labels = [label for label, _value in pairs]
        self.label_of = {value: label for label, value in pairs}
        self.by_label = dict(pairs) | dict(aliases or {})
        self.by_folded = {label.casefold(): value for label, value in self.by_label.items()}

    def label(self, value: str) -> str:
        return self.label_of.get(value, "")


def choice(raw, values: ValueMap, *, required: bool = True, blank: str | None = None) -> str:
    """One of the labels of a drop-down list, matched after NFC and regardless of capitals."""
    if raw is None or raw == "":
        if blank is not None:
            return blank
        if required:
            raise _required()
        return ""
    label = text(raw)
    value = values.by_label.get(label)
    if value is None:
        value = values.by_folded.get(label.casefold())
    if value is None:
        raise CellError(
            "choice",
            _("“%(value)s” is not one of the allowed values: %(allowed)s. Choose one from the drop-down list.")
            % {"value": label, "allowed": "; ".join(values.labels)},
        )
    return value
