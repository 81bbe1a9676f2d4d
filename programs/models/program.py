"""Program documents (chương trình, kế hoạch, hướng dẫn, nghị quyết) and their parts.

A program is issued by a union body or by an outside body such as a Party
committee (seed 000 comes from the Huyện ủy), runs over a period of years, and
applies to a subtree of the union hierarchy. Its numeric targets live in the
indicators app; here are the document, its legal bases, goals, sections of tasks
with the bodies responsible, and its milestones (reports, sơ kết, tổng kết).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class ProgramKind(models.TextChoices):
    PROGRAM = "program", _("Program")  # Chương trình
    ACTION_PROGRAM = "action_program", _("Action program")  # Chương trình hành động
    PLAN = "plan", _("Plan")  # Kế hoạch
    GUIDANCE = "guidance", _("Guidance")  # Hướng dẫn
    RESOLUTION = "resolution", _("Resolution")  # Nghị quyết


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")


class ProgramQuerySet(models.QuerySet):
    def applying_to(self, organization: Organization) -> ProgramQuerySet:
        """Programs whose subtree contains the organization (or lies inside it)."""
        ancestors = [organization.path[: i * Organization.steplen] for i in range(1, organization.depth + 1)]
        return self.filter(Q(scope__path__in=ancestors) | Q(scope__path__startswith=organization.path))

    def in_force_in(self, year: int) -> ProgramQuerySet:
        return self.filter(start_year__lte=year, end_year__gte=year)


class Program(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("A short code used in addresses and commands, e.g. QB-CTR04."),
    )
    number = models.CharField(
        _("number and symbol"),
        max_length=64,
        blank=True,
        help_text=_("As printed on the document, e.g. 04-CTr/HU; leave blank when the document has none."),
    )
    kind = models.CharField(_("kind of document"), max_length=32, choices=ProgramKind.choices)
    title = models.CharField(_("title"), max_length=500)
    subject = models.CharField(
        _("subject"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the document is about, as a report quotes it after “về”, e.g. phát triển đoàn viên, thành lập "
            "và nâng cao chất lượng hoạt động Công đoàn cơ sở giai đoạn 2021 - 2025."
        ),
    )
    issuer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_programs",
        verbose_name=_("issuing union body"),
    )
    issuer_name = models.CharField(
        _("issuing body"),
        max_length=255,
        help_text=_("As written on the document, e.g. Ban Thường vụ Huyện ủy Quang Bình."),
    )
    issuer_superior = models.CharField(
        _("superior of the issuing body"),
        max_length=255,
        blank=True,
        help_text=_(
            "The line above the issuer in the document header, e.g. LĐLĐ TỈNH HÀ GIANG or ĐẢNG BỘ TỈNH HÀ GIANG."
        ),
    )
    place = models.CharField(_("place of issue"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    scope = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("applies to"),
        help_text=_("The organization whose subtree the program applies to."),
    )
    goals = models.TextField(_("goals"), blank=True)
    # What a reader of the program's figures should know: a target that covers more than the
    # portal holds, a date or an allocation that is an example rather than the document's own.
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.ACTIVE)
    coverage_threshold = models.DecimalField(
        _("coverage needed for a verdict (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(90),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "Below this share of units reporting, a figure is marked “not enough data” instead of being judged."
        ),
    )
    signed_by = models.CharField(_("signed by"), max_length=255, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    original = models.FileField(_("original document"), upload_to="programs/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="program_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})


class ProgramBasis(models.Model):
    """A document the program implements (căn cứ, thực hiện …)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="bases")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("document"))

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.text[:80]


class ProgramSection(models.Model):
    """A section of tasks and solutions, with the bodies responsible for it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("content"), blank=True)
    responsible = models.ManyToManyField(
        Organization, blank=True, related_name="responsible_sections", verbose_name=_("responsible union bodies")
    )
    responsible_text = models.CharField(
        _("responsible (as written)"),
        max_length=500,
        blank=True,
        help_text=_("For bodies outside the union, e.g. Các Chi, Đảng bộ trực thuộc."),
    )

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name = _("section of tasks")
        verbose_name_plural = _("sections of tasks")

    def __str__(self) -> str:
        return self.title


class MilestoneKind(models.TextChoices):
    SIX_MONTHLY = "six_monthly", _("Six-monthly report")
    ANNUAL = "annual", _("Annual report")
    MID_TERM = "mid_term", _("Mid-term review (sơ kết)")
    FINAL = "final", _("Final review (tổng kết)")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)

    class Meta:
        ordering = ["program", "year", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"
