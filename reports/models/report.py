"""What staff write for a report, and the frozen copies of reports whose period was accepted."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from organizations.models import Organization
from programs.models import Program


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic report (six-monthly or annual)")
    MID_TERM = "mid_term", _("Mid-term review (sơ kết)")
    FINAL = "final", _("Final review (tổng kết)")


class ReportNarrative(models.Model):
    """The document's particulars of "Báo cáo kết quả thực hiện" (number, place, date, recipients, signer).

    Its sections I–III are drafted from the figures (reports/drafting.py); what the office edits
    of them is a NarrativeSection."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of report"), max_length=16, choices=ReportKind.choices, default=ReportKind.PERIODIC)
    number = models.CharField(_("number and symbol"), max_length=64, blank=True, help_text=_("e.g. 12/BC-LĐLĐ"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    dated = models.DateField(_("dated"), null=True, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One per line."))
    signer_on_behalf = models.CharField(_("on behalf of"), max_length=100, blank=True, default="TM. BAN THƯỜNG VỤ")
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program", "period", "kind"], name="one_narrative_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.program_id} {self.period_id} {self.kind}"

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip(" -–") for line in self.recipients.splitlines() if line.strip(" -–")]


class NarrativeSection(models.TextChoices):
    RESULTS = "results", _("I. Results")
    SHORTCOMINGS = "shortcomings", _("II. Shortcomings and causes")
    DIRECTIONS = "directions", _("III. Directions and tasks ahead")


SECTION_TEXT_MAX = 20_000  # characters: a section of a few pages, far more than any report needs


class EditedSection(models.Model):
    """A section of the report's text as the office edited it, in place of the draft written from the figures.

    Without a row the section is the draft (reports/drafting.py), written again from the figures
    each time; with one, this text is the section until someone goes back to the draft (the row
    is deleted). `draft` is the draft the editor started from, to say when the figures moved since."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of report"), max_length=16, choices=ReportKind.choices, default=ReportKind.PERIODIC)
    section = models.CharField(_("section"), max_length=16, choices=NarrativeSection.choices)
    text = models.TextField(_("text"), validators=[MaxLengthValidator(SECTION_TEXT_MAX)])
    draft = models.TextField(_("draft it was edited from"), blank=True)
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), auto_now=True)

    class Meta:
        verbose_name = _("edited section of a report")
        verbose_name_plural = _("edited sections of reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program", "period", "kind", "section"], name="one_edit_per_report_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.program_id} {self.period_id} {self.kind} {self.section}"


class FrozenReportQuerySet(models.QuerySet):
    def latest_for(self, organization, program, period):
        return self.filter(organization=organization, program=program, period=period).order_by("-version").first()


class FrozenReport(models.Model):
    """The figures of a report as they were when its period was accepted.

    Regenerating an accepted period's report reads this copy, so a later restructuring
    or correction does not change a report already sent up. A new version is an
    explicit action; every version stays available.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("figures"))
    # Every base union's own figures at freeze time (reports/branch_table.py: gzip-compressed JSON
    # lines), for the Excel file's "CĐCS" sheet; empty for versions frozen before it was kept.
    branches = models.BinaryField(_("branch figures"), null=True, blank=True, editable=False)
    # Sections I–III as they read when the version was made (reports/narratives.py: texts_snapshot):
    # the draft and every kind of report's edited sections; empty for versions made before.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrozenReportQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "program", "period", "-version"]
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        constraints = [
            models.UniqueConstraint(fields=["organization", "program", "period", "version"], name="one_frozen_version"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.program_id} {self.period_id} v{self.version}"
