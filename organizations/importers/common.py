"""What the workplace and branch importers share: the value maps, the plan, the scope checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from unionportal.spreadsheets.cells import ValueMap
from unionportal.spreadsheets.errors import RowError, column_letter, shown
from unionportal.spreadsheets.spec import (
    MAX_DIFFS,
    BaseImporter,
    CommitError,
    Counts,
    Diff,
)

from ..models import Organization, Sector, Workplace, WorkplaceKind
from ..permissions import Action, UserScope

WORKPLACE_KINDS = ValueMap(
    [
        ("Cơ quan hành chính", WorkplaceKind.AGENCY),
        ("Đơn vị sự nghiệp", WorkplaceKind.PUBLIC_SERVICE),
        ("Trường học", WorkplaceKind.SCHOOL),
        ("Doanh nghiệp nhà nước", WorkplaceKind.STATE_ENTERPRISE),
        ("Doanh nghiệp ngoài nhà nước", WorkplaceKind.NON_STATE_ENTERPRISE),
        ("Doanh nghiệp FDI", WorkplaceKind.FDI_ENTERPRISE),
        ("Hợp tác xã", WorkplaceKind.COOPERATIVE),
    ]
)

SECTORS = ValueMap(
    [
        ("Hành chính sự nghiệp", Sector.ADMINISTRATION),
        ("Trường học", Sector.SCHOOL),
        ("Doanh nghiệp nhà nước", Sector.STATE_ENTERPRISE),
        ("Doanh nghiệp ngoài nhà nước", Sector.NON_STATE_ENTERPRISE),
        ("Hợp tác xã", Sector.COOPERATIVE),
    ]
)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class Planned:
    """What committing one valid row will do."""

    row: int
    action: str
    values: dict
    instance: object | None = None  # the existing workplace or branch
    changes: dict = field(default_factory=dict)
    link: Workplace | None = None  # branches: the workplace to link to the branch


def counts_of(plan: list[Planned]) -> Counts:
    counts = Counts()
    for item in plan:
        if item.action == CREATE:
            counts.created += 1
        elif item.action == UPDATE:
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def diffs_of(plan: list[Planned], importer: BaseImporter) -> list[Diff]:
    """Field by field, what the updated rows change (the first MAX_DIFFS), as the file shows the values."""
    labels = {"kind": WORKPLACE_KINDS.label, "sector": SECTORS.label}
    diffs: list[Diff] = []
    for item in plan:
        if item.action != UPDATE:
            continue
        for key, new in item.changes.items():
            if key not in importer.index:
                continue
            label = labels.get(key, _shown)
            old = getattr(item.instance, key)
            diffs.append(Diff(item.row, item.instance.code, importer.header_of(key), label(old), label(new)))
            if len(diffs) >= MAX_DIFFS:
                return diffs
    return diffs


def _shown(value) -> str:
    if isinstance(value, Organization):
        return value.code
    return shown(value)


def service_errors(
    item: Planned, error: ValidationError, importer: BaseImporter, fields: dict[str, str]
) -> CommitError:
    """A service's refusal while committing, on the column of the field it names."""
    errors = []
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for name, messages in items:
        key = fields.get(name or "")
        index = importer.index.get(key) if key else None
        for message in messages:
            errors.append(
                RowError(
                    code="refused",
                    message=message,
                    row=item.row,
                    column=column_letter(index) if index is not None else "",
                    header=importer.columns[index].header if index is not None else "",
                    value=shown(item.values.get(key, "")) if key else "",
                )
            )
    return CommitError(errors)


class OrganizationChecks:
    """Checks of a referenced organization shared by the importers of this app and of members."""

    def __init__(self, scope: UserScope | None) -> None:
        self.scope = scope

    def sees(self, organization: Organization) -> bool:
        return self.scope is None or self.scope.sees(organization)

    def can(self, action: Action, organization: Organization) -> bool:
        return self.scope is None or self.scope.can(action, organization)


def organizations_by_code(codes) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.filter(code__in=set(codes)).select_related("level").order_by()}
