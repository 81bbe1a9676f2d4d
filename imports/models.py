"""An Excel import as a job: the uploaded file, where it stands, what it found and what it did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionportal.jobs import Watched
from unionportal.spreadsheets.errors import RowError

# Errors kept with a job; every error is counted, the first ones are stored and shown.
STORED_ERRORS = 20_000


class ImportKind(models.TextChoices):
    WORKPLACES = "workplaces", _("Workplaces")
    BRANCHES = "branches", _("Base unions")
    MEMBERS = "members", _("Members")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Checking the file")
    VALID = "valid", _("Ready to import")
    INVALID = "invalid", _("Has errors")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# Statuses during which a background job is at work.
RUNNING = (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.COMMITTING)


def upload_to(job: ImportJob, filename: str) -> str:
    return f"imports/{job.kind}/{filename}"


class ImportJob(Watched):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=10, default="vi")  # of the messages written into the job
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # the first STORED_ERRORS, as RowError dicts
    fixes = models.JSONField(default=list, blank=True)  # what was put right on the way in, as spec.Fix dicts
    diffs = models.JSONField(default=list, blank=True)  # what updated rows change, the first spec.MAX_DIFFS
    error_file = models.FileField(_("file of errors"), upload_to=upload_to, max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)  # why a job failed
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta(Watched.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Excel import")
        verbose_name_plural = _("Excel imports")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    def row_errors(self) -> list[RowError]:
        return [RowError.from_dict(error) for error in self.errors]


class ExportLog(models.Model):
    """Who took a file of personal data out of the portal, when, of what (Decree 13/2023/NĐ-CP)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("rows"))
    channel = models.CharField(_("through"), max_length=16, default="web")  # web or command
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.rows} {self.at:%d/%m/%Y %H:%M}"
