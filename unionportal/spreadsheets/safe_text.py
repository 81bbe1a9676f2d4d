"""Text written into the portal's spreadsheets: always as text, never as a formula.

Much of what the portal's .xlsx files hold was typed by users (names of bodies, members,
programs, indicators, drop-down labels). A branch called '=HYPERLINK("http://x","y")' must
not become a live link in a report, nor "+1", "-5" or "@SUM(A1)" run when a cell is edited.
Every writer of the portal — the openpyxl ones and the raw SpreadsheetML rows — goes through
here, so the rule lives in one place. Two ways, for two kinds of file:

* Files to read (report workbooks): the exact text, in a cell whose type is text. openpyxl
  makes any text beginning with "=" a formula (and "#N/A" an error value), so those cells get
  their type set back to text; raw rows are inline strings, which Excel never evaluates.
* Files filled in and imported back (templates, exports, the grid's download): text beginning
  with one of FORMULA_STARTS gets an apostrophe before it, so that it stays text even after
  someone edits the cell in Excel; `unescape` takes it off again on import.

Both drop the control characters XML cannot hold (openpyxl would refuse the whole file) and
cut text at Excel's limit. A carriage return is written as a line feed: what XML reads back
from a raw one anyway, and the same file whether openpyxl writes through the standard library
(raw, read back as a line feed) or through lxml when it is installed (python-docx brings it;
it writes "&#13;", which every reader would keep as a carriage return).
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell

# Tab and carriage return: some programs skip them and read the formula behind. Line feed:
# XML reads a carriage return back as one, and an escaped text must still unescape then.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_LENGTH = 32767  # characters in one Excel cell


def clean(value: str) -> str:
    """The text without the characters a worksheet cannot hold, line ends as line feeds, at most
    MAX_LENGTH long."""
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))[:MAX_LENGTH]


# --- files to read: the exact text --------------------------------------------------------------


def text_cell(sheet, value: str) -> Cell:
    """A write-only cell holding `value` as text, whatever it begins with (style it as any cell)."""
    cell = WriteOnlyCell(sheet, value=clean(value))
    cell.data_type = "s"
    return cell


def text(sheet, value: str) -> str | Cell:
    """`value` for a plain row of a write-only sheet, as exactly that text."""
    return _kept_as_text(sheet, clean(value))


def _kept_as_text(sheet, value: str) -> str | Cell:
    """The text itself where openpyxl keeps it as text, a text cell where it would not (a cell
    object for every text would slow a 100,000-row export down)."""
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def inline_string(ref: str, value: str) -> str:
    """A cell of raw SpreadsheetML holding `value` as an inline string: text, never evaluated."""
    value = clean(value)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def list_formula(labels: list[str]) -> str:
    """The formula of a drop-down list: the labels inside one quoted string, their quotes doubled
    (a quote left alone would end the string and let the rest of a label run as a formula)."""
    return '"' + ",".join(label.replace('"', '""') for label in labels) + '"'


# --- files imported back: the apostrophe ---------------------------------------------------------


def needs_escape(value: str) -> bool:
    """Would Excel read this text as a formula? An apostrophe before such text counts too,
    so that escaping then unescaping gives back exactly what was written."""
    if value.startswith(FORMULA_STARTS):
        return True
    return value.startswith("'") and needs_escape(value[1:])


def escape(value: str) -> str:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)": shown as text, never run."""
    return "'" + value if needs_escape(value) else value


def unescape(value: str) -> str:
    """Undo escape: "'=SUM(A1)" -> "=SUM(A1)"; any other text is left alone."""
    if value.startswith("'") and needs_escape(value[1:]):
        return value[1:]
    return value


def escaped(sheet, value: str) -> str | Cell:
    """`value` for a file that is imported back: escaped, and kept as text."""
    return _kept_as_text(sheet, escape(clean(value)))
