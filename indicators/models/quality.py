"""Plausibility rules (as DHIS2's validation rules and outlier checks) and the warnings they raise.

A rule never refuses a figure: it raises a warning on the figure's cell. The hard rules of a
figure (its type, its bounds, DataElementRule) refuse the save; these only say "this looks
wrong". Before a body submits, each of its open warnings needs a confirmation with a short
comment; the reviewer reads them. Rules are data, edited in the admin beside the catalogue.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .data import DataElement, RuleOperator, ValueType
from .expressions import check_rule
from .period import ReportingPeriod

NUMERIC = (ValueType.NUMBER, ValueType.MONEY)


class RuleKind(models.TextChoices):
    FIELDS = "fields", _("Between figures")
    REGISTRY = "registry", _("Against the registry")
    CHANGE = "change", _("Against the previous period")
    OUTLIER = "outlier", _("Outlier in the unit's history")


class RegistrySource(models.TextChoices):
    MEMBERS = "members", _("Members on the register at the end of the period")
    WOMEN_MEMBERS = "women_members", _("Women members on the register at the end of the period")
    WORKERS = "workers", _("Workers of the branch's workplaces on the register")


class MissingValues(models.TextChoices):
    SKIP = "skip", _("Skip when a figure of the right side (or the registry) is missing")
    ZERO = "zero", _("Count a missing figure of the right side (or the registry) as 0")


class PlausibilityRule(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, help_text=_("What the rule checks, as users read it."))
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    element = models.ForeignKey(
        DataElement,
        on_delete=models.CASCADE,
        related_name="plausibility_rules",
        verbose_name=_("figure checked"),
        help_text=_("Its cell shows the warning."),
    )
    left = models.CharField(
        _("left side"),
        max_length=255,
        blank=True,
        help_text=_("Between figures: an expression over figure codes, e.g. workers_members + workers_informed."),
    )
    operator = models.CharField(_("operator"), max_length=4, choices=RuleOperator.choices, default=RuleOperator.LTE)
    right = models.CharField(
        _("right side"), max_length=255, blank=True, help_text=_("Between figures: e.g. workers_total.")
    )
    missing = models.CharField(
        _("missing figures"), max_length=8, choices=MissingValues.choices, default=MissingValues.SKIP
    )
    registry = models.CharField(_("registry figure"), max_length=16, choices=RegistrySource.choices, blank=True)
    tolerance = models.DecimalField(
        _("tolerance (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Registry: how far from the registry a figure may be. Outlier: the narrowest band, in percent of the median."
        ),
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal("1.01"))],
        help_text=_("Previous period: warn above ×factor or below ÷factor. Outlier: k in median ± k·MAD."),
    )
    floor = models.DecimalField(
        _("ignore small figures up to"),
        max_digits=20,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Previous period and outlier: no warning when both the figure and the one it is compared with are at most this."
        ),
    )
    history = models.PositiveSmallIntegerField(
        _("periods of history"),
        default=6,
        validators=[MinValueValidator(3)],
        help_text=_("Outlier: how many previous periods the band is learned from (at least 3 values are needed)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["element__order", "code"]
        verbose_name = _("plausibility rule")
        verbose_name_plural = _("plausibility rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        numeric = {code: kind in NUMERIC for code, kind in DataElement.objects.values_list("code", "value_type")}
        errors = check_rule(self, numeric)
        if errors:
            raise ValidationError(errors)


class QualityWarningManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        # Its name reads the rule and the period: the audit trail names a confirmation's warning by it.
        return super().get_queryset().select_related("rule", "period")


class QualityWarning(models.Model):
    """A rule that a saved figure breaks, kept until the figure (or the registry) no longer breaks it.

    `value` is the checked figure when the warning was raised; `reference`, `low` and `high`
    what it was compared with (the right side, the registry, the previous figure, the band).
    """

    rule = models.ForeignKey(PlausibilityRule, on_delete=models.CASCADE, related_name="warnings")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="quality_warnings")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="quality_warnings")
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=20, decimal_places=2)
    reference = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    missing = models.CharField(max_length=255, blank=True)  # codes of figures counted as 0
    raised_at = models.DateTimeField(auto_now_add=True)

    objects = QualityWarningManager()

    class Meta:
        verbose_name = _("data-quality warning")
        verbose_name_plural = _("data-quality warnings")
        constraints = [
            models.UniqueConstraint(fields=["rule", "organization", "period"], name="one_warning_per_rule_cell")
        ]
        indexes = [models.Index(fields=["period", "organization"])]

    def __str__(self) -> str:
        return f"{self.rule.name} ({self.period.code})"

    @property
    def is_confirmed(self) -> bool:
        """Confirmed for this very figure: a changed figure needs a new confirmation."""
        confirmation = getattr(self, "confirmation", None)
        return confirmation is not None and confirmation.value == self.value


class QualityConfirmation(models.Model):
    """Someone who enters the figures says the flagged figure is right, and why (audited)."""

    warning = models.OneToOneField(QualityWarning, on_delete=models.CASCADE, related_name="confirmation")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("figure confirmed"), max_digits=20, decimal_places=2)
    comment = models.CharField(_("explanation"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now=True)

    class Meta:
        verbose_name = _("confirmation of a warning")
        verbose_name_plural = _("confirmations of warnings")

    def __str__(self) -> str:
        return f"{self.warning}: {self.comment}"
