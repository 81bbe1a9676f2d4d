"""Reads of the data-entry grid: its rows, its columns and every value, in one query each."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from organizations.models import Level, Organization

from ..models import DataElement, DataValue, ReportingPeriod


@dataclass(frozen=True)
class Cell:
    element: DataElement
    organization: Organization
    value: DataValue | StoredValue | None

    @property
    def version(self) -> int:
        return self.value.version if self.value else 0

    @property
    def raw(self):
        return self.value.raw if self.value else None

    @property
    def filled(self) -> bool:
        return self.raw is not None


@dataclass(frozen=True)
class Row:
    organization: Organization
    cells: list[Cell | None]  # None where the element does not apply to this body (its sector)

    # Counted once: the progress, the row's mark and the submit page each ask (a frozen dataclass
    # keeps a cached_property in its __dict__ all the same).
    @cached_property
    def expected(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)

    @cached_property
    def filled(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.filled)

    @property
    def complete(self) -> bool:
        return self.filled == self.expected


@dataclass(frozen=True)
class Progress:
    complete: int  # branches with every cell filled
    total: int
    own_filled: int
    own_expected: int

    @property
    def incomplete(self) -> int:
        return self.total - self.complete


@dataclass(frozen=True)
class Grid:
    organization: Organization  # whose grid: an upper-level union (its branches) or one branch
    period: ReportingPeriod
    columns: list[DataElement]
    rows: list[Row]
    own: Row | None  # the organization's own figures, when it is above the base level
    progress: Progress = field(compare=False)


def grid_rows(organization: Organization, period: ReportingPeriod) -> list[Organization]:
    """The branches of a grid: an upper-level union's base unions that existed at the end of the period.

    A base union's own grid has its one row.
    """
    if organization.is_base:
        return [organization]
    return list(
        Organization.objects.filter(
            path__startswith=organization.path, depth=organization.depth + 1, level__code=Level.BASE
        )
        .active_on(period.end_on)
        .select_related("level")
        .order_by("code")
    )


def _elements(period: ReportingPeriod, levels: set[int]) -> list[DataElement]:
    return [
        e for e in DataElement.objects.filter(level_id__in=levels).order_by("order", "code") if e.collected_in(period)
    ]


@dataclass(frozen=True, slots=True)
class StoredValue:
    """A figure as the grid shows it: its value and the version it is saved at (not who saved it, nor when).

    Read as plain rows, not as DataValue models: a district of 330 branches has 5,600 of them.
    grid_cell, after a save, reads the whole DataValue.
    """

    element: DataElement
    number: Decimal | None
    boolean: bool | None
    choice: str
    version: int

    raw = DataValue.raw


def _values(period: ReportingPeriod, organizations: list[Organization], elements: list[DataElement]) -> dict:
    by_pk = {e.pk: e for e in elements}
    values = {}
    if not period.pk:
        return values  # nobody has written in this period yet
    rows = DataValue.objects.filter(period=period, organization__in=organizations, element__in=elements).values_list(
        "organization_id", "element_id", "number", "boolean", "choice", "version"
    )
    for organization_id, element_id, number, boolean, choice, version in rows:
        values[(organization_id, element_id)] = StoredValue(by_pk[element_id], number, boolean, choice, version)
    return values


def _row(organization: Organization, elements: list[DataElement], values: dict, applies: dict | None = None) -> Row:
    kind = (organization.level_id, organization.sector)
    mask = applies.get(kind) if applies is not None else None
    if mask is None:
        mask = [e.applies_to(organization) for e in elements]
        if applies is not None:
            applies[kind] = mask
    pk = organization.pk
    return Row(
        organization=organization,
        cells=[
            Cell(e, organization, values.get((pk, e.pk))) if applied else None
            for e, applied in zip(elements, mask, strict=True)
        ],
    )


def grid_for(organization: Organization, period: ReportingPeriod) -> Grid:
    rows = grid_rows(organization, period)
    own_level = None if organization.is_base else organization.level_id
    levels = {r.level_id for r in rows} | ({own_level} if own_level else set())
    elements = _elements(period, levels)
    columns = [e for e in elements if any(e.applies_to(r) for r in rows)]
    own_elements = [e for e in elements if own_level and e.applies_to(organization)]
    values = _values(period, [*rows, organization], elements)
    applies: dict = {}  # which columns apply, by level and sector: the same for most rows
    branch_rows = [_row(r, columns, values, applies) for r in rows]
    own = _row(organization, own_elements, values) if own_level else None
    return Grid(
        organization=organization,
        period=period,
        columns=columns,
        rows=branch_rows,
        own=own,
        progress=_progress(branch_rows, own),
    )


def _progress(rows: list[Row], own: Row | None) -> Progress:
    return Progress(
        complete=sum(1 for row in rows if row.expected and row.complete),
        total=sum(1 for row in rows if row.expected),
        own_filled=own.filled if own else 0,
        own_expected=own.expected if own else 0,
    )


def grid_cell(
    organization: Organization, element: DataElement, period: ReportingPeriod
) -> Cell:  # one cell, re-read after a save
    value = (
        DataValue.objects.filter(period=period, organization=organization, element=element)
        .select_related("updated_by")
        .first()
        if period.pk
        else None
    )
    if value is not None:
        value.element = element
    return Cell(element, organization, value)
