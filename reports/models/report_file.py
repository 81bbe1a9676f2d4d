"""A report file made in the background (a provincial or national PDF or Excel), kept for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from unionportal.jobs import Watched

from .report import FrozenReport, ReportKind


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    DOCX = "docx", "Word"


class ReportFileStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


RUNNING = (ReportFileStatus.PENDING, ReportFileStatus.RUNNING)


class ReportFile(Watched):
    """One generated file. It belongs to the organization's scope: whoever sees the organization may fetch it.

    The file lies under MEDIA_ROOT/reports/ and is only ever served through the scoped
    download view, never from a public media URL.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of report"), max_length=16, choices=ReportKind.choices, default=ReportKind.PERIODIC)
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    frozen = models.ForeignKey(
        FrozenReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("version")
    )
    live = models.BooleanField(_("live figures"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportFileStatus.choices, default=ReportFileStatus.PENDING
    )
    path = models.CharField(max_length=255, blank=True)  # relative to MEDIA_ROOT
    size = models.PositiveBigIntegerField(default=0)
    message = models.TextField(blank=True)  # why it failed
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(Watched.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        indexes = [models.Index(fields=["organization", "program", "period", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.program_id} {self.period_id} {self.format} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def progress_key(self) -> str:
        return f"report-file:{self.pk}"

    @property
    def download_name(self) -> str:
        return f"{self.file_stem}.{self.format}"

    @property
    def file_stem(self) -> str:
        org_code = self.organization.code if self.organization_id else "report"
        version = f"-v{self.frozen.version}" if self.frozen_id else ("-live" if self.live else "")
        suffix = "" if self.kind == ReportKind.PERIODIC else f"-{self.kind.replace('_', '-')}"
        return f"bao-cao-{org_code}-{self.program.code}-{self.period.code}{suffix}{version}"
