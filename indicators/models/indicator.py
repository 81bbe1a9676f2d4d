"""Indicators (chỉ tiêu) and their targets.

An indicator says what is measured — one of the shapes of DOMAIN.md's table, as a
`Measure` with its parameters — and its target: a comparison, a value (or a range),
a unit and a time rule. Targets can be set per organization and per year, and a
body allocates its own target to its children (phân bổ chỉ tiêu).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Level, Organization
from programs.models import Program

from .data import DataElement


class Measure(models.TextChoices):
    """The shapes of target in DOMAIN.md, each computed by indicators/engine/ (specs.py)."""

    WORKPLACES_UNIONIZED_SHARE = "workplaces_unionized_share", _("Share of workplaces with a base union")
    WORKPLACES_COUNT = "workplaces_count", _("Number of workplaces")
    ORGANIZATIONS_SHARE = "organizations_share", _("Share of union bodies meeting a condition")
    PEOPLE_TRAINED_SHARE = "people_trained_share", _("Share of officers trained")
    MEMBERS_STOCK = "members_stock", _("Members at the end of the period")
    MEMBERS_JOINED = "members_joined", _("New members in the period")
    MEMBERS_LEFT = "members_left", _("Members who left in the period")
    BRANCHES_ACTIVE = "branches_active", _("Base unions at the end of the period")
    BRANCHES_FOUNDED = "branches_founded", _("New base unions in the period")
    BRANCHES_DISSOLVED = "branches_dissolved", _("Base unions dissolved in the period")
    ORGANIZATIONS_COUNT = "organizations_count", _("Number of union bodies meeting a condition")
    AVERAGE_PER_BRANCH = "average_per_branch", _("Average per base union")
    REPORTED_SUM = "reported_sum", _("Total of a reported figure")
    REPORTED_RATIO = "reported_ratio", _("Ratio of two reported figures")
    QUALITATIVE = "qualitative", _("Task without a figure")


SHARE_MEASURES = (
    Measure.WORKPLACES_UNIONIZED_SHARE,
    Measure.ORGANIZATIONS_SHARE,
    Measure.PEOPLE_TRAINED_SHARE,
    Measure.REPORTED_RATIO,
)
FLOW_MEASURES = (
    Measure.MEMBERS_JOINED,
    Measure.MEMBERS_LEFT,
    Measure.BRANCHES_FOUNDED,
    Measure.BRANCHES_DISSOLVED,
    Measure.REPORTED_SUM,
)


class UnionFilter(models.TextChoices):
    ANY = "", _("with or without a union")
    WITH = "with", _("with a base union")
    WITHOUT = "without", _("without a base union")


class Comparison(models.TextChoices):
    GT = "gt", _("more than")  # "trên 80%"
    GTE = "gte", _("at least")  # "từ 80% trở lên", "80% trở lên"
    LT = "lt", _("less than")
    LTE = "lte", _("at most")
    EQ = "eq", _("exactly")
    RANGE = "range", _("between")  # "30–35"


class TimeRule(models.TextChoices):
    EVERY_YEAR = "every_year", _("every year")  # "hàng năm"
    BY_YEAR = "by_year", _("by the end of a year")  # "đến năm 2025"
    CUMULATIVE = "cumulative", _("over the whole period")  # "trong nhiệm kỳ", "giai đoạn 2018–2023"
    # "Bình quân hàng năm": the average of the yearly figures over the term so far.
    ANNUAL_AVERAGE = "annual_average", _("on average per year over the term")


class Direction(models.TextChoices):
    """Which way is good: beyond a minimum, or beyond the good end of a range, is "exceeded".

    It matters for a range ("30–35 a year" to reach or pass: higher; "2–3 % of revenue" to rise:
    higher; a band to stay in: within); any other comparison says its own direction
    (indicators/status.py: direction_of).
    """

    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    WITHIN = "within", _("within the range")


class UnreportedRule(models.TextChoices):
    """How units that have not reported count (docs: "Reporting in an open period: coverage")."""

    REPORTED = "reported", _("over the units that reported; not judged below the program's coverage")
    STRICT = "strict", _("strict: a unit that has not reported counts as not meeting it")


class AllocationRule(models.TextChoices):
    SUM = "sum", _("children's targets add up to the parent's")
    AVERAGE = "average", _("children's targets average to the parent's")
    NONE = "none", _("not allocated")


class Indicator(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=32)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    source_text = models.TextField(_("as written in the document"), blank=True)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)

    # What is counted (each measure reads the parameters it needs; see engine.py).
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level counted"),
        help_text=_("For shares of union bodies: which level (base unions unless said otherwise)."),
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    workplace_kinds = models.JSONField(_("types of workplace"), default=list, blank=True)
    min_workers = models.PositiveIntegerField(_("at least this many workers"), null=True, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    women_only = models.BooleanField(_("women only"), default=False)
    union_filter = models.CharField(
        _("workplaces"), max_length=8, choices=UnionFilter.choices, blank=True, default=UnionFilter.ANY
    )
    element = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported figure"),
    )
    min_choice = models.CharField(
        _("grade or better"), max_length=32, blank=True, help_text=_("For a graded figure: this grade or a better one.")
    )
    denominator = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("divided by"),
    )
    eligibility = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only where"),
        help_text=_("A yes/no figure saying which bodies are eligible (e.g. 'meets the conditions')."),
    )
    trained_within_program = models.BooleanField(
        _("trained during the program"), default=False, help_text=_("Count only trainings since the program began.")
    )

    # The target of the program's own scope; allocations per organization and year are Target rows.
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices, default=Comparison.GTE)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=2, null=True, blank=True)
    target_value_max = models.DecimalField(
        _("upper end of the range"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    unreported_rule = models.CharField(
        _("units that have not reported"),
        max_length=8,
        choices=UnreportedRule.choices,
        default=UnreportedRule.REPORTED,
    )
    time_rule = models.CharField(_("time rule"), max_length=16, choices=TimeRule.choices, default=TimeRule.EVERY_YEAR)
    target_year = models.PositiveSmallIntegerField(_("by the end of"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=20, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    allocation = models.CharField(
        _("allocation to children"), max_length=8, choices=AllocationRule.choices, default=AllocationRule.NONE
    )

    class Meta:
        ordering = ["program", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="indicator_code_unique_in_program")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_share(self) -> bool:
        return self.measure in SHARE_MEASURES

    @property
    def is_flow(self) -> bool:
        return self.measure in FLOW_MEASURES

    @property
    def is_strict(self) -> bool:
        return self.unreported_rule == UnreportedRule.STRICT

    @property
    def is_annual_average(self) -> bool:
        return self.time_rule == TimeRule.ANNUAL_AVERAGE and self.is_flow

    @property
    def units_are_branches(self) -> bool:
        """Whether the units its coverage counts are base unions (else upper-level bodies)."""
        if self.element_id and self.measure in (Measure.REPORTED_SUM, Measure.REPORTED_RATIO):
            return self.element.level.code == Level.BASE
        return not self.level_id or self.level.code == Level.BASE

    @property
    def decimals(self) -> int:
        """Places the figure is written with (and rounded half up to): 2 for a share, an average or a
        yearly average, none for a count."""
        if self.is_share or self.measure == Measure.AVERAGE_PER_BRANCH or self.is_annual_average:
            return 2
        return 0

    def clean(self) -> None:
        errors: dict[str, str] = {}
        needs_element = {Measure.AVERAGE_PER_BRANCH, Measure.REPORTED_SUM, Measure.REPORTED_RATIO}
        if self.measure in needs_element and not self.element_id:
            errors["element"] = _("This measure needs a reported figure.")
        if self.measure == Measure.REPORTED_RATIO and not self.denominator_id:
            errors["denominator"] = _("A ratio needs the figure it is divided by.")
        if self.comparison == Comparison.RANGE and self.target_value_max is None:
            errors["target_value_max"] = _("A range needs its upper end.")
        if self.time_rule == TimeRule.BY_YEAR and not self.target_year:
            errors["target_year"] = _("Say by the end of which year.")
        if errors:
            raise ValidationError(errors)


class TargetQuerySet(models.QuerySet):
    def for_year(self, year: int) -> TargetQuerySet:
        """The year's own targets first, then the term-long ones (year empty)."""
        return self.filter(Q(year=year) | Q(year__isnull=True))


class Target(models.Model):
    """An organization's target for an indicator, term-long (no year) or for one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices)
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=2)
    value_max = models.DecimalField(_("upper end of the range"), max_digits=20, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "organization__path", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "year"],
                condition=Q(year__isnull=False),
                name="one_target_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "organization"], condition=Q(year__isnull=True), name="one_target_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.organization.code} {self.year or ''}: {self.value}"

    @property
    def midpoint(self) -> Decimal:
        if self.comparison == Comparison.RANGE and self.value_max is not None:
            return (self.value + self.value_max) / 2
        return self.value
