"""Reported figures written as a set through the API: every row through the grid's own service.

    outcome = data_values_write(user=user, rows=[{"period": "2024", "organization": "HG-QB-001",
                                "element": "houses_built", "value": "12"}, …], context="api:name")

Each row goes through indicators.entry.services.data_value_save, the service a grid cell calls:
the same parsing of the value, the same rules, the same locks (a period not started, figures
submitted), the same versions and plausibility warnings. All or nothing: every row is tried
inside one transaction, and if any row is refused the transaction is rolled back and every
row's problem is listed (row n is the n-th object, from 1), as the Excel import lists them.

A row names its organization by code: one outside the user's subtrees is "not among the
organizations you manage", never told apart from one that does not exist (as members/bulk/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils.translation import gettext as _

from indicators.entry.rules import Locked, is_empty
from indicators.entry.services import data_value_save
from indicators.models import DataElement, DataValue, QualityWarning, ReportingPeriod
from indicators.periods import get_period
from indicators.quality.services import warnings_refresh
from indicators.quality.texts import describe
from organizations.models import Level, Organization
from organizations.permissions import Action, scope_for
from unionportal.acting import acting
from unionportal.concurrency import StaleEdit

from .etags import weak_etag

KEYS = ("period", "organization", "element", "value", "comment", "version")
REQUIRED = ("period", "organization", "element")
STALE = "stale"


@dataclass
class WriteOutcome:
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    imported: int = 0  # cells that had no value
    updated: int = 0  # cells whose value changed
    ignored: int = 0  # rows that changed nothing (the same value again)
    deleted: int = 0  # values emptied
    warnings: list[dict] = field(default_factory=list)
    committed: bool = False

    @property
    def stale(self) -> bool:
        return any(error["code"] == STALE for error in self.errors)


def row_error(number: int, name: str | None, value, code: str, message: str) -> dict:
    return {
        "row": number,
        "field": name,
        "value": "" if value is None else str(value),
        "code": code,
        "message": message,
    }


def values_etag(user, period: ReportingPeriod) -> str:
    """The version of a period's values in the user's subtrees: what If-Match names on a write of that period.

    A hash of how many there are, the latest change and the highest id (docs/api.md), as the members' list.
    """
    if not period.pk:
        return weak_etag("data-values", user.pk, period.code, 0, None, None)
    figures = DataValue.objects.filter(scope_for(user).q("organization__path"), period=period).aggregate(
        count=Count("pk"), latest=Max("updated_at"), last=Max("pk")
    )
    return weak_etag("data-values", user.pk, period.code, figures["count"], figures["latest"], figures["last"])


@dataclass
class _Row:
    number: int
    period: ReportingPeriod
    organization: Organization
    element: DataElement
    value: object
    version: int | None


def _shape(rows: list) -> list[dict]:
    errors = []
    for number, row in enumerate(rows, start=1):
        if row.__class__ is not dict:
            errors.append(row_error(number, None, "", "not_an_object", _("Each row is a JSON object of field: value.")))
            continue
        for key in sorted(row.keys() - set(KEYS), key=str):
            errors.append(
                row_error(
                    number,
                    str(key),
                    row[key],
                    "unknown_field",
                    _("Unknown field “%(key)s”. The fields are: %(keys)s.") % {"key": key, "keys": ", ".join(KEYS)},
                )
            )
        for key in REQUIRED:
            if not isinstance(row.get(key), str) or not row[key].strip():
                errors.append(
                    row_error(
                        number, key, row.get(key), "required", _("Give “%(key)s”: a code, as text.") % {"key": key}
                    )
                )
        if "value" not in row:
            errors.append(
                row_error(number, "value", "", "required", _('Give “value” (null or "" empties the figure).'))
            )
        elif row["value"] is not None and row["value"].__class__ not in (str, int, float, bool, Decimal):
            errors.append(
                row_error(number, "value", row["value"], "invalid", _("A value is a number, true/false or text."))
            )
        if row.get("comment") not in (None, ""):
            errors.append(
                row_error(
                    number,
                    "comment",
                    row["comment"],
                    "comment_not_stored",
                    _(
                        "The portal keeps no comment with a figure: leave “comment” empty, or explain it to the reviewer."
                    ),
                )
            )
        version = row.get("version")
        if version is not None and (version.__class__ is not int or version < 0):
            errors.append(
                row_error(
                    number,
                    "version",
                    version,
                    "invalid",
                    _("“version” is the value's version when you read it: a whole number, 0 for an empty cell."),
                )
            )
    return errors


def _resolve(user, numbered: list[tuple[int, dict]]) -> tuple[list[_Row], list[dict]]:
    """Each row's period, organization (in the user's scope, where they may enter figures) and element.

    `numbered`: (row number, row) of the rows whose shape is right.
    """
    scope = scope_for(user)
    rows = [row for _number, row in numbered]
    codes = {row["organization"].strip() for row in rows}
    organizations = {
        o.code: o for o in Organization.objects.filter(scope.q("path")).filter(code__in=codes).select_related("level")
    }
    elements = {
        e.code: e
        for e in DataElement.objects.filter(code__in={row["element"].strip() for row in rows}).select_related("level")
    }
    periods: dict[str, ReportingPeriod | None] = {}
    resolved, errors, seen = [], [], {}
    for number, row in numbered:
        period_code, code, element_code = row["period"].strip(), row["organization"].strip(), row["element"].strip()
        if period_code not in periods:
            try:
                periods[period_code] = get_period(period_code)
            except Http404:
                periods[period_code] = None
        period = periods[period_code]
        if period is None:
            errors.append(
                row_error(
                    number,
                    "period",
                    period_code,
                    "period_unknown",
                    _(
                        "No reporting period %(code)s. A period is written YYYY, YYYY-H1 or YYYY-H2, e.g. 2024 or 2024-H1."
                    )
                    % {"code": period_code},
                )
            )
        organization = organizations.get(code)
        problem = _organization_problem(scope, code, organization)
        if problem is not None:
            errors.append(row_error(number, "organization", code, *problem))
            organization = None
        element = elements.get(element_code)
        if element is None:
            errors.append(
                row_error(
                    number,
                    "element",
                    element_code,
                    "element_unknown",
                    _("No reported figure has the code %(code)s. The codes are listed in the data-entry grid's file.")
                    % {"code": element_code},
                )
            )
        if period is None or organization is None or element is None:
            continue
        cell = (period.code, organization.pk, element.pk)
        if cell in seen:
            errors.append(
                row_error(
                    number,
                    "element",
                    element_code,
                    "duplicate",
                    _("Row %(first)s already gives this figure of this body for this period.") % {"first": seen[cell]},
                )
            )
            continue
        seen[cell] = number
        resolved.append(_Row(number, period, organization, element, row["value"], row.get("version")))
    return resolved, errors


def _organization_problem(scope, code: str, organization: Organization | None) -> tuple[str, str] | None:
    """(code, message) of why figures may not be written for this organization, or None.

    One outside the user's subtrees reads as one that does not exist: its existence is not told.
    """
    if organization is None:
        return (
            "organization_unknown",
            _("There is no organization with code %(code)s among the organizations you manage. Check the code.")
            % {"code": code},
        )
    if organization.level.code == Level.BELOW_BASE:
        return (
            "organization_not_reporting",
            _("%(name)s does not report figures of its own.") % {"name": organization.name},
        )
    if not scope.can(Action.ENTER_DATA, organization):
        return (
            "organization_forbidden",
            _("You may not enter figures for %(name)s.") % {"name": organization.name},
        )
    return None


def data_values_write(
    *,
    user,
    rows: list,
    context: str,
    precondition: Callable[[], None] | None = None,
    refused: list[dict] | None = None,
) -> WriteOutcome:
    """Check every row and, when none is refused, write them all in one transaction through data_value_save.

    `precondition()` runs first inside that transaction (the If-Match of the call): what it raises
    refuses the call before anything is written. A row carrying `version` is written only if the
    value is still at that version (0: the cell is empty); otherwise the row is refused as stale.
    `refused`: the rows' problems the caller found in its own shape (dataValueSets), listed with
    these rows' own; nothing is written if there is any.
    """
    outcome = WriteOutcome(rows=len(rows))
    shape = _shape(rows)
    misshapen = {error["row"] for error in shape}
    resolved, errors = _resolve(user, [(n, row) for n, row in enumerate(rows, start=1) if n not in misshapen])
    outcome.errors = _by_row([*(refused or []), *shape, *errors])
    if outcome.errors:
        return outcome
    with transaction.atomic(), acting(user, context):
        if precondition is not None:
            precondition()
        before = _versions(resolved)
        written = []
        for row in resolved:
            try:
                value = data_value_save(
                    element=row.element,
                    organization=row.organization,
                    period=row.period,
                    raw=row.value,
                    by=user,
                    expected_version=row.version,
                    refresh_warnings=False,  # once for the whole set, below
                )
            except Locked as refusal:
                outcome.errors.append(row_error(row.number, "period", row.period.code, "locked", refusal.messages[0]))
            except StaleEdit:
                outcome.errors.append(
                    row_error(
                        row.number,
                        "version",
                        row.version,
                        STALE,
                        _("Someone saved this figure after you read it: read it again, then send its new version."),
                    )
                )
            except ValidationError as refusal:
                outcome.errors.append(row_error(row.number, "value", row.value, "invalid", " ".join(refusal.messages)))
            except IntegrityError:
                outcome.errors.append(
                    row_error(
                        row.number,
                        "value",
                        row.value,
                        "conflict",
                        _("Someone saved this figure at the same moment. Send the call again."),
                    )
                )
            else:
                _count(outcome, before.get((row.period.code, row.organization.pk, row.element.pk)), value)
                written.append(row)
        if outcome.errors:
            transaction.set_rollback(True)
            outcome.imported = outcome.updated = outcome.ignored = outcome.deleted = 0
            return outcome
        _refresh_warnings(written)
        outcome.warnings = _warnings(written)
    outcome.committed = True
    return outcome


def _by_row(errors: list[dict]) -> list[dict]:
    return sorted(errors, key=lambda error: error["row"] or 0)


def _versions(rows: list[_Row]) -> dict[tuple, tuple[int, bool]]:
    """(period code, organization, element) -> (version, empty) of the values already saved, in one query."""
    cells = Q(pk__in=[])
    for row in rows:
        if row.period.pk:
            cells |= Q(period_id=row.period.pk, organization_id=row.organization.pk, element_id=row.element.pk)
    return {
        (code, organization, element): (version, number is None and boolean is None and not choice)
        for code, organization, element, version, number, boolean, choice in DataValue.objects.filter(
            cells
        ).values_list("period__code", "organization_id", "element_id", "version", "number", "boolean", "choice")
    }


def _count(outcome: WriteOutcome, before: tuple[int, bool] | None, value: DataValue | None) -> None:
    """imported / updated / ignored / deleted, DHIS2's importCount, from the cell's version before and after."""
    if value is None or (before is not None and value.version == before[0]):
        outcome.ignored += 1
        return
    now_empty = is_empty({"number": value.number, "boolean": value.boolean, "choice": value.choice})
    if before is None or before[1]:
        outcome.imported += 1
    elif now_empty:
        outcome.deleted += 1
    else:
        outcome.updated += 1


def _refresh_warnings(rows: list[_Row]) -> None:
    """The plausibility warnings of every body written, per period, as each cell's save raises them (one refresh a period)."""
    bodies: dict[str, set[int]] = {}
    for row in rows:
        bodies.setdefault(row.period.code, set()).add(row.organization.pk)
    for period in ReportingPeriod.objects.filter(code__in=bodies):
        warnings_refresh(organizations=Organization.objects.filter(pk__in=bodies[period.code]), period=period)


def _warnings(rows: list[_Row]) -> list[dict]:
    """The plausibility warnings the written figures now carry (they never refuse a figure, as in the grid)."""
    if not rows:
        return []
    cells = Q(pk__in=[])
    for row in rows:
        # By the period's code: a period first written in this call was saved by data_value_save.
        cells |= Q(period__code=row.period.code, organization_id=row.organization.pk, element_id=row.element.pk)
    numbers = {(r.period.code, r.organization.code, r.element.code): r.number for r in rows}
    warnings = QualityWarning.objects.filter(cells).select_related("rule", "period", "organization", "element")
    found = []
    for warning in warnings.order_by("organization__code", "element__order", "rule__code"):
        key = (warning.period.code, warning.organization.code, warning.element.code)
        found.append(
            {
                "row": numbers.get(key),
                "period": key[0],
                "organization": key[1],
                "element": key[2],
                "rule": warning.rule.code,
                "rule_name": warning.rule.name,
                "message": describe(warning),
            }
        )
    return found
