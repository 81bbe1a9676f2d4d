"""The figures of every base union below a body, one row each: the Excel file's "CĐCS" sheet.

Live, the members' indicators in one pass over the membership periods and a grouped query for
each other indicator (indicators.engine.values_many_by_organization) fill one compact array of
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

from django.db.models import Q

from indicators.engine import ZERO, from_parts, planner, values_many_by_organization
from indicators.models import Indicator, ReportingPeriod
from organizations.models import Level, Organization

from .data import fits_a_branch
from .history import BEFORE, report_basis
from .models import TreeSeal

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
    basis = report_basis(organization, period)
    if basis.kind == BEFORE:  # the base unions it had then, wherever they are now (reports.history)
        branches, within, parents = _branches_then(organization, period, basis)
    else:
        branches, within, parents = _branches_now(organization)
    position = {pk: index for index, pk in enumerate(branches.values_list("pk", flat=True).iterator(chunk_size=20000))}
    # One transaction, without JIT (compiling each aggregate took longer than it saved) and with room
    # for the grouping in memory: the members' columns in one pass, the others one query each.
    found: dict[int, array] = {}  # the figures come the members' last (values_many_by_organization)
    with planner(jit="off", work_mem="64MB"):
        for indicator, measured in values_many_by_organization(chosen, period, within=within):
            empty = from_parts(indicator, ZERO, period).value
            values = array("d", [NOTHING if empty is None else float(empty)]) * len(position)
            for pk, value in measured.items():
                index = position.get(pk)
                if index is not None:
                    values[index] = NOTHING if value is None else float(value)
            found[indicator.pk] = values
            del measured  # before the next indicator's figures are read
    columns = [found[indicator.pk] for indicator in chosen]

    def rows() -> Iterator[tuple]:
        steplen = Organization.steplen
        unknown = (None,) * len(columns)  # a branch made since the figures were read has none yet
        for pk, code, name, sector, path in branches.values_list("pk", "code", "name", "sector", "path").iterator(
            chunk_size=5000
        ):
            index = position.get(pk)
            figures = unknown if index is None else tuple(_float(values[index]) for values in columns)
            yield (code, name, parents.get(pk) or parents.get(path[:-steplen], ""), sector, *figures)

    return BranchTable(columns=tuple(Column(i.code, i.name) for i in chosen), rows=rows())


def _branches_now(organization: Organization):
    """The active base unions below the body, the body to measure within, {parent path: name}."""
    branches = Organization.objects.filter(
        path__startswith=organization.path, level__code=Level.BASE, status="active"
    ).order_by("path")
    parents = dict(
        Organization.objects.filter(
            path__startswith=organization.path, level__rank__lt=Level.objects.get(code=Level.BASE).rank
        ).values_list("path", "name")
    )
    return branches, organization, parents


def _branches_then(organization: Organization, period: ReportingPeriod, basis):
    """Before a restructuring: the base unions of the subtree then (active then), measured within the
    lowest body that holds them all now, each under the parent it had then ({id or path: name})."""
    until = basis.date
    branches = (
        Organization.objects.filter(basis.subtree(), level__code=Level.BASE)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lt=until))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=until))
        .order_by("path")
    )
    paths = [*basis.exact, *basis.prefixes]
    common = paths[0] if paths else organization.path
    for path in paths:
        while not path.startswith(common):
            common = common[: -Organization.steplen]
    within = Organization.objects.filter(path=common).first() if common else None
    upper = Organization.objects.filter(level__rank__lt=Level.objects.get(code=Level.BASE).rank)
    parents = dict(upper.filter(basis.subtree()).values_list("path", "name"))
    moved = TreeSeal.objects.filter(organization__in=branches, until__gt=period.end_on, parent__isnull=False)
    for pk, name in moved.order_by("-until").values_list("organization_id", "parent__name"):
        parents[pk] = name  # the earliest seal after the period wins
    return branches, within, parents


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
