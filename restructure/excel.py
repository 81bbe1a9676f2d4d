"""A plan as an Excel file: the template (with its "Hướng dẫn" sheet) and the upload of its operations.

The same rules as the other imports (unionportal/spreadsheets/): the headers are checked, a
formula is refused, and a file with any error changes nothing — every error is listed with
its row and column. Codes must name existing bodies or bodies the file itself founds.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.importers.common import SECTORS
from organizations.models import Level, Organization
from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, ValueMap
from unionportal.spreadsheets.errors import RowError
from unionportal.spreadsheets.reader import read_sheet
from unionportal.spreadsheets.spec import CHOICE, CODE, TEXT, Column, RowParser
from unionportal.spreadsheets.writer import write_workbook

from .models import PlanOperationKind as K
from .models import RestructuringPlan

KINDS = ValueMap(
    [
        ("Hợp nhất thành tổ chức mới", K.MERGE_NEW),
        ("Sáp nhập vào tổ chức có sẵn", K.MERGE_INTO),
        ("Giải thể", K.DISSOLVE),
        ("Thành lập", K.CREATE),
        ("Đổi tên", K.RENAME),
        ("Đổi cấp", K.CHANGE_LEVEL),
        ("Đổi khu vực", K.CHANGE_SECTOR),
        ("Chuyển tổ chức cấp trên", K.MOVE),
    ]
)


class PlanFileError(Exception):
    """The uploaded plan has errors: nothing was changed."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _codes(raw) -> list[str]:
    return [code.strip().upper() for code in cells.text(raw, required=False).split(",") if code.strip()]


def _successors(raw) -> dict[str, str]:
    pairs = {}
    for part in cells.text(raw, required=False).split(";"):
        if not part.strip():
            continue
        child, sep, successor = part.partition("=")
        if not sep or not child.strip() or not successor.strip():
            raise CellError("successors", _("Write each successor as CHILD=SUCCESSOR, separated by “;”."))
        pairs[child.strip().upper()] = successor.strip().upper()
    return pairs


def _level(raw) -> str:
    code = cells.text(raw, required=False)
    if code and not Level.objects.filter(code=code).exists():
        allowed = ", ".join(Level.objects.values_list("code", flat=True))
        raise CellError(
            "level", _("Unknown level “%(value)s”: write one of %(allowed)s.") % {"value": code, "allowed": allowed}
        )
    return code


COLUMNS = (
    Column(
        "kind",
        "Thao tác",
        CHOICE,
        lambda raw: cells.choice(raw, KINDS),
        gettext_lazy("What is done."),
        "Giải thể",
        values=KINDS,
        width=28,
    ),
    Column(
        "codes",
        "Mã tổ chức",
        TEXT,
        _codes,
        gettext_lazy("The codes of the bodies acted on, separated by commas (the bodies merged)."),
        "QB-HUYEN",
        required=False,
        width=24,
    ),
    Column(
        "target",
        "Mã tổ chức đích",
        CODE,
        lambda raw: cells.code(raw, required=False),
        gettext_lazy("The body merged into, the new parent, or the successor of a dissolved body."),
        "HG-KV1",
        required=False,
    ),
    Column(
        "new_code",
        "Mã mới",
        CODE,
        lambda raw: cells.code(raw, required=False),
        gettext_lazy("The code of the body founded."),
        "HG-KV1",
        required=False,
    ),
    Column(
        "new_name",
        "Tên mới",
        TEXT,
        lambda raw: cells.text(raw, required=False, max_length=255),
        gettext_lazy("The name of the body founded, or the new name."),
        "Công đoàn khu vực 1",
        required=False,
        width=32,
    ),
    Column(
        "level",
        "Cấp",
        TEXT,
        _level,
        gettext_lazy("The level's code (national, provincial, upper, base, below_base)."),
        "upper",
        required=False,
    ),
    Column(
        "sector",
        "Khu vực",
        CHOICE,
        lambda raw: cells.choice(raw, SECTORS, required=False),
        gettext_lazy("The sector of a base union."),
        "",
        required=False,
        values=SECTORS,
    ),
    Column(
        "successors",
        "Nơi nhận của đơn vị trực thuộc",
        TEXT,
        _successors,
        gettext_lazy("For a dissolution: CHILD=SUCCESSOR; … for the children that do not go to the target body."),
        "CDCS-01=HG-KV2",
        required=False,
        width=36,
    ),
)
NOTES = (
    gettext_lazy("One operation per row; the plan's name and effective date are set on its page."),
    gettext_lazy("Uploading a file replaces every operation of the draft plan."),
)


def write_template(target: IO[bytes], plan: RestructuringPlan | None = None) -> None:
    rows = [_row(op) for op in plan.operations.all()] if plan is not None else []
    write_workbook(
        target,
        columns=COLUMNS,
        sheet_title="Kế hoạch",
        title="Kế hoạch sắp xếp tổ chức công đoàn",
        author=plan.scope.name if plan is not None else "UnionPortal",
        notes=[str(note) for note in NOTES],
        rows=rows,
    )


def _row(op) -> list:
    successors = "; ".join(f"{child}={successor}" for child, successor in op.successors.items())
    return [
        KINDS.label(op.kind),
        ", ".join(op.codes),
        op.target,
        op.new_code,
        op.new_name,
        op.level,
        SECTORS.label(op.sector),
        successors,
    ]


def read_operations(path: str | Path) -> list[dict]:
    """The operations of an uploaded file, or PlanFileError listing every problem (the file's, then each cell's)."""
    from unionportal.spreadsheets.errors import SpreadsheetError

    try:
        sheet = read_sheet(path, COLUMNS)
    except SpreadsheetError as error:
        raise PlanFileError(error.errors) from error
    parser = RowParser(COLUMNS)
    parsed = parser.parse(sheet.rows, formulas=sheet.formulas)
    operations = [dict(zip((c.key for c in COLUMNS), row.values, strict=True)) for row in parsed]
    founded = {op["new_code"] for op in operations if op["new_code"]}
    named = {code for op in operations for code in _named(op)}
    known = set(Organization.objects.filter(code__in=named).values_list("code", flat=True)) | founded
    for row, op in zip(parsed, operations, strict=True):
        for key in ("codes", "target", "successors"):
            for code in _named({key: op[key]}):
                if code not in known:
                    index = next(i for i, c in enumerate(COLUMNS) if c.key == key)
                    parser.error(row.row, index, "unknown", _("No body has the code %(code)s.") % {"code": code}, code)
    if parser.errors:
        raise PlanFileError(sorted(parser.errors, key=lambda e: (e.row or 0, e.column)))
    return [{k: v if v is not None else _empty(k) for k, v in op.items()} for op in operations]


def _named(op: dict) -> list[str]:
    codes = list(op.get("codes") or [])
    if op.get("target"):
        codes.append(op["target"])
    for child, successor in (op.get("successors") or {}).items():
        codes += [child, successor]
    return codes


def _empty(key: str):
    return {"codes": [], "successors": {}}.get(key, "")
