"""The figures of every base union below a body, one row each: the Excel file's "CĐCS" sheet.

Live, the members' indicators in one pass over the membership periods and a grouped query for
each other indicator (indicators.engine.measure_many_by_organization) fill one compact array of
values per indicator, and the rows then stream in one ordered pass over
the branches: the sheet of all 135,000 branches of the country never sits in memory as
Python objects.

Frozen, the same rows are kept with the report's version (FrozenReport.branches, gzip-compressed
JSON lines: a line of columns, then a line per branch), so the Excel file of an accepted report
gives the numbers, names and parents it had when it was frozen, whatever was restructured or
corrected since.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from indicators.engine import ZERO, from_parts, measure_many_by_organization, planner
from indicators.models import Indicator, ReportingPeriod
from organizations.models import Level, Organization

from .data import fits_a_branch

NOTHING = math.nan  # "no figure" in the arrays of values (a float array holds no None)


@dataclass(frozen=True)
class Column:
    code: str
    name: str


@dataclass(frozen=True)
class BranchTable:
    """Columns, then rows of (code, name, parent's name, sector code, *values: int, float or None)."""

    columns: tuple[Column, ...]
    rows: Iterable[tuple]
    frozen: bool = False


def branch_indicators(indicators: Iterable[Indicator]) -> list[Indicator]:
    return [i for i in indicators if fits_a_branch(i)]


def live(organization: Organization, indicators: Iterable[Indicator], period: ReportingPeriod) -> BranchTable:
    """The table as the figures are now: the rows are read when iterated (once)."""
    chosen = branch_indicators(indicators)
    branches = Organization.objects.filter(
        path__startswith=organization.path, level__code=Level.BASE, status="active"
    ).order_by("path")
    position = {pk: index for index, pk in enumerate(branches.values_list("pk", flat=True).iterator(chunk_size=20000))}
    # One transaction, without JIT (compiling each aggregate took longer than it saved) and with room
    # for the grouping in memory: the members' columns in one pass, the others one query each.
    columns: list[array] = []
    with planner(jit="off", work_mem="64MB"):
        for indicator, measured in measure_many_by_organization(chosen, period, within=organization):
            empty = from_parts(indicator, ZERO, period).value
            values = array("d", [NOTHING if empty is None else float(empty)]) * len(position)
            for pk, measurement in measured.items():
                index = position.get(pk)
                if index is not None:
                    values[index] = NOTHING if measurement.value is None else float(measurement.value)
            columns.append(values)
            del measured  # before the next indicator's figures are read
    parents = dict(
        Organization.objects.filter(
            path__startswith=organization.path, level__rank__lt=Level.objects.get(code=Level.BASE).rank
        ).values_list("path", "name")
    )

    def rows() -> Iterator[tuple]:
        steplen = Organization.steplen
        unknown = (None,) * len(columns)  # a branch made since the figures were read has none yet
        for pk, code, name, sector, path in branches.values_list("pk", "code", "name", "sector", "path").iterator(
            chunk_size=5000
        ):
            index = position.get(pk)
            figures = unknown if index is None else tuple(_float(values[index]) for values in columns)
            yield (code, name, parents.get(path[:-steplen], ""), sector, *figures)

    return BranchTable(columns=tuple(Column(i.code, i.name) for i in chosen), rows=rows())


def _float(value: float) -> int | float | None:
    if math.isnan(value):
        return None
    return int(value) if value.is_integer() else value


def pack(table: BranchTable) -> bytes:
    """The table as gzip-compressed JSON lines, for FrozenReport.branches."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as archive:
        head = {"columns": [[c.code, c.name] for c in table.columns]}
        archive.write(json.dumps(head, ensure_ascii=False).encode() + b"\n")
        for row in table.rows:
            archive.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    return buffer.getvalue()


def unpack(blob: bytes) -> BranchTable:
    """The table kept by pack(): its rows are read from the compressed copy as they are iterated."""
    archive = gzip.GzipFile(fileobj=io.BytesIO(bytes(blob)), mode="rb")
    head = json.loads(archive.readline())

    def rows() -> Iterator[tuple]:
        with archive:
            for line in archive:
                yield tuple(json.loads(line))

    return BranchTable(columns=tuple(Column(code, name) for code, name in head["columns"]), rows=rows(), frozen=True)
