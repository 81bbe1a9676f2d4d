"""Reported data: what organizations report per period where the registry does not know.

A data element is one figure or fact (the yearly rating, "women's committee
established", "union houses built", revenue …), entered at a given level of the
hierarchy, with its type and validation. A data value is one organization's
answer for one period. Values carry a version so two people editing the same
cell cannot silently overwrite each other.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Level, Organization

from .period import ReportingPeriod


class ValueType(models.TextChoices):
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount of money (VND)")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Every year")
    SEMIANNUAL = "semiannual", _("Every six months")


class DataElement(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("column header"), max_length=80, help_text=_("Short, for the data-entry grid."))
    description = models.TextField(_("description"), blank=True)
    value_type = models.CharField(_("type"), max_length=16, choices=ValueType.choices)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    # [{"code": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "rank": 4}, …]: higher rank is better,
    # so "that grade or better" is rank >= the grade's rank.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered at level"))
    sectors = models.JSONField(
        _("sectors"), default=list, blank=True, help_text=_("Only base unions of these sectors report it (empty: all).")
    )
    frequency = models.CharField(_("collected"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL)
    min_value = models.DecimalField(_("smallest value"), max_digits=20, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("largest value"), max_digits=20, decimal_places=2, null=True, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")

    def __str__(self) -> str:
        return self.name

    @property
    def is_numeric(self) -> bool:
        return self.value_type in (ValueType.NUMBER, ValueType.MONEY)

    def choice_rank(self, code: str) -> int | None:
        for choice in self.choices:
            if choice["code"] == code:
                return int(choice["rank"])
        return None

    def choice_label(self, code: str) -> str:
        for choice in self.choices:
            if choice["code"] == code:
                return choice["label"]
        return code

    def applies_to(self, organization: Organization) -> bool:
        if organization.level_id != self.level_id:
            return False
        return not self.sectors or organization.sector in self.sectors

    def collected_in(self, period: ReportingPeriod) -> bool:
        return period.is_annual or self.frequency == Frequency.SEMIANNUAL


class RuleOperator(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    GTE = "gte", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class DataElementRule(models.Model):
    """A cross-field rule between two numeric elements of the same organization and period ("women ≤ total")."""

    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="rules")
    operator = models.CharField(_("operator"), max_length=4, choices=RuleOperator.choices)
    other = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=255)

    class Meta:
        verbose_name = _("cross-field rule")
        verbose_name_plural = _("cross-field rules")

    def __str__(self) -> str:
        return f"{self.element.code} {self.get_operator_display()} {self.other.code}"

    def holds(self, left: Decimal, right: Decimal) -> bool:
        return {
            RuleOperator.LTE: left <= right,
            RuleOperator.LT: left < right,
            RuleOperator.GTE: left >= right,
            RuleOperator.GT: left > right,
            RuleOperator.EQ: left == right,
        }[self.operator]


class DataValue(models.Model):
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="data_values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(_("number"), max_digits=20, decimal_places=2, null=True, blank=True)
    boolean = models.BooleanField(_("yes / no"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=32, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(fields=["element", "organization", "period"], name="one_value_per_cell"),
        ]
        indexes = [models.Index(fields=["period", "element"])]

    def __str__(self) -> str:
        return f"{self.element.code} {self.organization_id} {self.period_id}: {self.display}"

    @property
    def raw(self):
        if self.element.is_numeric:
            return self.number
        if self.element.value_type == ValueType.BOOLEAN:
            return self.boolean
        return self.choice or None

    @property
    def display(self) -> str:
        value = self.raw
        return "" if value is None else str(value)
