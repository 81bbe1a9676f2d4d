"""What each responsible body did about a program's qualitative tasks, period by period.

A task is a section of tasks of a program (programs.ProgramSection) with its responsible
union bodies. For every period each of them records a status, a short result and evidence
files. The report goes up with the body's figures: the same submission locks it
(indicators/tasks/services.py), and the audit trail records every change (audit/triggers.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from programs.models import ProgramSection

from .period import ReportingPeriod

# A short result, as a report's table can hold it.
RESULT_MAX_CHARS = 1000
# Evidence files per task report, and the size of each.
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")  # chưa triển khai
    IN_PROGRESS = "in_progress", _("In progress")  # đang triển khai
    DONE = "done", _("Completed")  # hoàn thành
    NOT_DONE = "not_done", _("Not carried out")  # không thực hiện


class EvidenceKind(models.TextChoices):
    """What an evidence file is, as read from its content (indicators/tasks/evidence.py)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
    DOC = "doc", "Word (.doc)"
    XLSX = "xlsx", "Excel (.xlsx)"
    XLS = "xls", "Excel (.xls)"
    JPEG = "jpeg", "JPG"
    PNG = "png", "PNG"


class TaskReport(models.Model):
    section = models.ForeignKey(
        ProgramSection, on_delete=models.PROTECT, related_name="task_reports", verbose_name=_("task")
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="task_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="task_reports")
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices)
    result = models.TextField(_("result"), max_length=RESULT_MAX_CHARS, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        constraints = [
            models.UniqueConstraint(fields=["section", "organization", "period"], name="one_task_report_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.section_id} {self.period_id}: {self.status}"


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    """A random name under MEDIA_ROOT: the user's file name is kept in the row, never on disk."""
    return f"evidence/{timezone.now():%Y}/{secrets.token_hex(16)}.{instance.kind}"


class TaskEvidence(models.Model):
    report = models.ForeignKey(TaskReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=8, choices=EvidenceKind.choices)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
