"""One cell in, one Python value out, or a CellError saying what is wrong and what to do.

Values come as python-calamine gives them: str, float (every number, 25 -> 25.0), int,
bool, datetime.date / datetime.datetime (cells formatted as dates), datetime.timedelta,
or "" for an empty cell. openpyxl gives the same kinds, so the parsers serve both.

Strictness is deliberate: a stray space or a number stored as text is an error with the
value to type, because a file that "almost" matches would otherwise create near-duplicate
names or miss its codes. Decomposed Vietnamese (Excel files often carry it) is not an error:
text is normalized to NFC on the way in.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext as _

# The apostrophe exports put before formula-like text (safe_text.escape) comes off on import.
from .safe_text import unescape

_DATE_TEXT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DIGITS = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(raw) -> bool:
    return raw is None or raw == "" or (isinstance(raw, str) and not raw.strip())


def _required() -> CellError:
    return CellError("required", _("This cell must be filled in."))


def text(raw, *, required: bool = True, max_length: int | None = None) -> str:
    """Text, NFC-normalized, with no spaces at either end and no double spaces."""
    if raw is None or raw == "":
        if required:
            raise _required()
        return ""
    if isinstance(raw, str):
        value = unescape(raw)
    elif isinstance(raw, bool):
        raise CellError("not_text", _("A true/false value is not expected here: type the text itself."))
    elif isinstance(raw, float | int):
        # A card number or a code typed as a number: 12345.0 is "12345".
        value = repr(raw) if isinstance(raw, float) and not raw.is_integer() else str(int(raw))
    else:
        raise CellError("not_text", _("A date is not expected here: type the text itself."))
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    clean = " ".join(value.split())
    if clean != value:
        if not clean:
            if required:
                raise _required()
            raise CellError("stray_spaces", _("The cell holds only spaces. Empty it (select it and press Delete)."))
        raise CellError(
            "stray_spaces",
            _("The text has spaces at the start or the end, double spaces or line breaks. Type it as: “%(clean)s”.")
            % {"clean": clean},
        )
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
        stripped = raw.strip().lstrip("'")
        if _DIGITS.fullmatch(stripped.replace(".", "").replace(",", "")) or _DIGITS.fullmatch(stripped):
            raise CellError(
                "number_as_text",
                _(
                    "The number is stored as text. Retype it as a number, without an apostrophe or spaces "
                    "(or select the column and use Data > Text to Columns > Finish)."
                ),
            )
        raise CellError("not_a_number", _("This is not a number. Type a whole number, for example 25."))
    else:
        raise CellError("not_a_number", _("This is not a number. Type a whole number, for example 25."))
    if minimum is not None and value < minimum:
        raise CellError("too_small", _("The number cannot be less than %(minimum)s.") % {"minimum": minimum})
    return value


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
        value = unicodedata.normalize("NFC", raw)
        clean = " ".join(value.split())
        if clean != value:
            raise CellError(
                "stray_spaces",
                _("The date has spaces around or inside it. Type it as: “%(clean)s”.") % {"clean": clean},
            )
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
