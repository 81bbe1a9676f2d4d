"""The rules of one cell, shared by a cell's save and the grid's upload: what may be typed, and the cross-field rules."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from organizations.models import Organization
from unionportal.numbers import read_number

from ..models import DataElement, DataElementRule, DataValue, ReportingPeriod, ValueType

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


def check_rules(element: DataElement, organization: Organization, period: ReportingPeriod, number) -> None:
    """Cross-field rules ("women ≤ total") against the other values already saved."""
    if number is None:
        return
    outgoing = list(element.rules.select_related("other"))
    others = {
        v.element_id: v.number
        for v in DataValue.objects.filter(organization=organization, period=period, number__isnull=False)
    }
    for rule in outgoing:
        other = others.get(rule.other_id)
        if other is not None and not rule.holds(number, other):
            raise ValidationError(rule.message)
    # The same rules read from the other side: saving the total checks "women ≤ total" too.
    for rule in DataElementRule.objects.filter(other=element).select_related("element"):
        left = others.get(rule.element_id)
        if left is not None and not rule.holds(left, number):
            raise ValidationError(rule.message)
