"""Writes of reported figures: one cell of the grid."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Organization

from ..models import DataElement, DataValue, ReportingPeriod
from ..workflow.selectors import is_locked
from .rules import check_rules, parse_value


class EditConflict(Exception):
    """Someone saved the cell after the editor loaded it; carries the newer value."""

    def __init__(self, current: DataValue) -> None:
        super().__init__("stale edit")
        self.current = current


@transaction.atomic
def data_value_save(
    *,
    element: DataElement,
    organization: Organization,
    period: ReportingPeriod,
    raw,
    by,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> DataValue | None:
    """Save one cell. `expected_version` is the version the editor saw (0: the cell was empty).

    Refuses a closed (future) period, a locked submission, a value that breaks a rule,
    and a stale edit (EditConflict, carrying the newer value).
    """
    if not period.is_open(today):
        raise ValidationError(_("This period has not started yet: it is closed for entry."))
    if not element.applies_to(organization) or not element.collected_in(period):
        raise ValidationError(_("This figure is not reported by this body for this period."))
    if is_locked(organization, period):
        raise ValidationError(_("The figures of this period have been submitted and are locked."))
    fields = parse_value(element, raw)
    check_rules(element, organization, period, fields["number"])
    current = (
        DataValue.objects.select_for_update().filter(element=element, organization=organization, period=period).first()
    )
    if expected_version is not None:
        seen = current.version if current else 0
        if seen != expected_version:
            raise EditConflict(current)
    if current is None:
        if fields["number"] is None and fields["boolean"] is None and not fields["choice"]:
            return None
        return DataValue.objects.create(
            element=element, organization=organization, period=period, updated_by=by, **fields
        )
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, fields[name])
    current.version += 1
    current.updated_by = by
    current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return current
