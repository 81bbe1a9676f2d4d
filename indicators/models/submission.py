"""The submit–accept workflow: an organization submits a period to its parent, which accepts or returns it.

Accepted data is locked until the parent reopens it. Every transition is kept as an
event (who, when, comment). A parent may waive a child that cannot submit, with a reason.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .period import ReportingPeriod


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Being entered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


# The states in which the organization's figures for the period may not change.
LOCKED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class Submission(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["organization", "period"], name="one_submission_per_period")]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.period.code}: {self.status}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_late(self) -> bool:
        if self.submitted_at is None:
            return False
        # Deadlines are Vietnamese calendar days: compare the local date, not the UTC one.
        return timezone.localdate(self.submitted_at) > self.period.deadline


class SubmissionEvent(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted")
        RETURN = "return", _("returned")
        ACCEPT = "accept", _("accepted")
        REOPEN = "reopen", _("reopened")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")

    def __str__(self) -> str:
        return f"{self.submission} {self.action}"


class Waiver(models.Model):
    """A parent lets a child off a period's submission, with the reason on record."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="waivers")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="waivers")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [models.UniqueConstraint(fields=["organization", "period"], name="one_waiver_per_period")]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.period.code}"
