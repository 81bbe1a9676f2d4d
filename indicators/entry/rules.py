"""The rules of a figure, shared by a cell's save and the grid file's upload.

What may be typed (parse_value), the cross-field rules ("women ≤ total"), the new version of
a changed value, and when a grid takes no figures at all (check_open).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from organizations.models import Organization
from unionportal.numbers import read_number

from ..models import DataElement, DataElementRule, DataValue, ReportingPeriod, ValueType
from ..workflow.selectors import is_locked

TRUE_WORDS = {"1", "true", "yes", "x", "có", "co", "đã", "da", "c"}
FALSE_WORDS = {"0", "false", "no", "không", "khong", "chưa", "chua", "k"}


def _figure(value: Decimal) -> str:
    """A bound in a message as users write it: 1.000, not 1000.00."""
    whole = value == value.to_integral_value()
    return number_format(value, decimal_pos=0 if whole else None, use_l10n=True, force_grouping=True)


def parse_value(element: DataElement, raw) -> dict:
    """The stored fields for a typed-in value, or ValidationError saying what to type."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if element.required:
            raise ValidationError(_("This figure is required."))
        return {"number": None, "boolean": None, "choice": ""}
    if element.value_type in (ValueType.NUMBER, ValueType.MONEY):
        number = read_number(raw)
        if element.min_value is not None and number < element.min_value:
            raise ValidationError(_("The value must be at least %(min)s.") % {"min": _figure(element.min_value)})
        if element.max_value is not None and number > element.max_value:
            raise ValidationError(_("The value must be at most %(max)s.") % {"max": _figure(element.max_value)})
        return {"number": number, "boolean": None, "choice": ""}
    if element.value_type == ValueType.BOOLEAN:
        word = str(raw).strip().lower()
        if raw is True or word in TRUE_WORDS:
            return {"number": None, "boolean": True, "choice": ""}
        if raw is False or word in FALSE_WORDS:
            return {"number": None, "boolean": False, "choice": ""}
        raise ValidationError(_("Answer “Có” (yes) or “Không” (no)."))
    text = str(raw).strip()
    for choice in element.choices:
        if text in (choice["code"], choice["label"]):
            return {"number": None, "boolean": None, "choice": choice["code"]}
    raise ValidationError(
        _("Choose one of: %(choices)s.") % {"choices": ", ".join(c["label"] for c in element.choices)}
    )


def rules_touching(elements: list[DataElement]) -> list[DataElementRule]:
    """Every cross-field rule that involves one of these figures, on either side."""
    rules = list(DataElementRule.objects.filter(element__in=elements).select_related("element", "other"))
    return rules + [
        rule
        for rule in DataElementRule.objects.filter(other__in=elements).select_related("element", "other")
        if rule.element not in elements
    ]


def broken_rules(rules: list[DataElementRule], numbers: dict[int, Decimal], changed: set[int]) -> list:
    """The rules, among those involving a changed figure, that `numbers` (figure id -> number) break."""
    broken = []
    for rule in rules:
        if not {rule.element_id, rule.other_id} & changed:
            continue
        left, right = numbers.get(rule.element_id), numbers.get(rule.other_id)
        if left is not None and right is not None and not rule.holds(left, right):
            broken.append(rule)
    return broken


def check_rules(element: DataElement, organization: Organization, period: ReportingPeriod, number) -> None:
    """Cross-field rules ("women ≤ total") against the other values already saved, read from either side."""
    if number is None:
        return
    numbers = {
        v.element_id: v.number
        for v in DataValue.objects.filter(organization=organization, period=period, number__isnull=False)
    }
    numbers[element.pk] = number
    broken = broken_rules(rules_touching([element]), numbers, {element.pk})
    if broken:
        raise ValidationError(broken[0].message)


def is_empty(fields: dict) -> bool:
    return fields["number"] is None and fields["boolean"] is None and not fields["choice"]


def apply_value(current: DataValue, fields: dict, by) -> list[str]:
    """Write `fields` on a saved value, counting a new version; the names of what changed ([]: nothing)."""
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, fields[name])
    if changed:
        current.version += 1
        current.updated_by = by
        current.updated_at = timezone.now()
    return changed


# --- when a grid takes figures -------------------------------------------------------------------

CLOSED, SUBMITTED = "closed", "submitted"


class Locked(ValidationError):
    """The grid takes no figures now: the period has not started, or its figures are submitted."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def lock_of(organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None) -> str:
    """Why the organization's grid of the period takes no figures now (CLOSED, SUBMITTED), or ""."""
    if not period.is_open(today):
        return CLOSED
    if is_locked(organization, period):
        return SUBMITTED
    return ""


def check_open(organization: Organization, period: ReportingPeriod, *, today: datetime.date | None = None) -> None:
    """Refuse (Locked) a figure for a period not started, or whose figures are submitted."""
    reason = lock_of(organization, period, today=today)
    if reason == CLOSED:
        raise Locked(_("This period has not started yet: it is closed for entry."), reason=reason)
    if reason == SUBMITTED:
        raise Locked(_("The figures of this period have been submitted and are locked."), reason=reason)
