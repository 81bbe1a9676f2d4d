"""Writes of reported figures: one cell of the grid, and the grid's Excel file.

Each is a whole action in one transaction: the period opened if it is new, the grid's lock,
every rule of the figures, the values and their versions; once it commits, the hook
figures_changed lets the dashboards catch up (reports refreshes its rollups in the background).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import tempfile
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations.models import Organization
from unionportal.acting import acting
from unionportal.concurrency import check_version
from unionportal.spreadsheets.errors import SpreadsheetError
from unionportal.spreadsheets.reader import check_size

from ..models import DataElement, DataValue, ReportingPeriod
from ..periods import period_open
from ..quality.services import unit_refresh, warnings_refresh
from ..workflow.selectors import reporting_unit
from . import hooks
from .excel import Upload, file_error, import_grid
from .rules import apply_value, check_open, check_rules, is_empty, parse_value


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
    refresh_warnings: bool = True,
) -> DataValue | None:
    """Save one cell. `expected_version` is the version the editor saw (0: the cell was empty).

    `refresh_warnings=False` leaves the plausibility warnings to the caller, which must refresh
    them (warnings_refresh) for every body it wrote, once, after its last value: a set of values
    written in one transaction (api.values), whose warnings depend on the set as a whole.

    Refuses a closed (future) period or a submitted one (rules.Locked), a figure the body does
    not report, a value that breaks a rule (ValidationError), and a stale edit (StaleEdit,
    carrying the newer value).
    """
    period = period_open(code=period.code)
    check_open(organization, period, today=today)
    if not element.applies_to(organization) or not element.collected_in(period):
        raise ValidationError(_("This figure is not reported by this body for this period."))
    fields = parse_value(element, raw)
    check_rules(element, organization, period, fields["number"])
    current = (
        DataValue.objects.select_for_update().filter(element=element, organization=organization, period=period).first()
    )
    if _holds(current, fields):
        # Already there: a replayed edit whose first answer was lost (static/js/keepedits.js),
        # or two people typing the same figure. Nothing to overwrite, so no conflict.
        return current
    check_version(current, expected_version, message=_("Someone else saved this figure after you opened the grid."))
    if current is None:
        if is_empty(fields):
            return None
        current = DataValue.objects.create(
            element=element, organization=organization, period=period, updated_by=by, **fields
        )
    else:
        changed = apply_value(current, fields, by)
        if not changed:
            return current
        current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    # Plausibility warnings never refuse a figure: they are raised (or dropped) with it.
    if refresh_warnings:
        warnings_refresh(organizations=Organization.objects.filter(pk=organization.pk), period=period)
    _figures_changed(organization, [element.pk], period)
    return current


def _holds(current: DataValue | None, fields: dict) -> bool:
    """Whether the cell already holds exactly `fields` (an empty cell holds an empty value)."""
    if current is None:
        return is_empty(fields)
    return all(getattr(current, name) == value for name, value in fields.items())


def grid_import(*, organization: Organization, period: ReportingPeriod, upload, by) -> Upload:
    """Import a filled-in grid file (an uploaded file): every cell checked; any error, nothing written.

    Recorded in the audit trail as an import of the file, by `by`.
    """
    try:
        check_size(upload.size)
    except SpreadsheetError as problem:
        return Upload(errors=problem.errors)
    with acting(by, f"import:grid:{upload.name}"), _on_disk(upload) as path:
        try:
            with transaction.atomic():
                period = period_open(code=period.code)
                result = import_grid(path, organization, period, by=by)
                if not result.ok:
                    transaction.set_rollback(True)
                elif result.element_ids:
                    unit_refresh(unit=organization, period=period)
                    _figures_changed(organization, sorted(result.element_ids), period)
        except IntegrityError:
            return file_error(
                "conflict",
                _("Someone saved figures of this grid while the file was being imported. Upload the file again."),
            )
    return result


@contextlib.contextmanager
def _on_disk(upload) -> Iterator[str]:
    """The spreadsheet reader reads a path: the upload goes through a temporary file, removed afterwards."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        yield path
    finally:
        os.unlink(path)


def _figures_changed(organization: Organization, element_ids: list[int], period: ReportingPeriod) -> None:
    """Once the transaction commits: the figures computed from these, in the reporting unit's subtree and above."""
    hooks.figures_changed.run_on_commit(
        within=[reporting_unit(organization)], element_ids=element_ids, periods=[period], bodies=[organization]
    )
