"""A reminder sent with "Nhắc": the body above presses it for a body below that is late.

One row per body, period and day, however often the button is pressed (the unique
constraint decides, also for two presses at once); the audit trail records each row
(audit/triggers.py), and the event it publishes reaches the body's staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from organizations.models import Organization


class Reminder(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("body reminded")
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("period"))
    day = models.DateField(_("day"))  # the local date in Việt Nam: one reminder a day
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reminded by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "period", "day"], name="one_reminder_per_body_period_day")
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.period.code} {self.day:%d/%m/%Y}"
