"""The ledger of the deadline sweep: which body was reminded of which period, of what, on which day.

`send_reminders` may run any number of times a day (cron, Celery beat, a person at the
console): the unique constraint makes a body get one reminder per kind, period and day.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from organizations.models import Organization

from ..events import DEADLINE_1, DEADLINE_7, KINDS, OVERDUE

SWEEP_KINDS = (DEADLINE_7, DEADLINE_1, OVERDUE)


class ReminderSent(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("period"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=[(code, KINDS[code].label) for code in SWEEP_KINDS], db_index=False
    )
    day = models.DateField(_("day"))  # the sweep's day in Việt Nam
    # The run that wrote the row: a run publishes only the rows it wrote itself, so two runs
    # at once (cron and a person at the console) never both send.
    run = models.UUIDField(default=uuid.uuid4, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["organization", "period", "kind", "day"], name="one_reminder_per_day")
        ]
        indexes = [models.Index(fields=["run"], name="reminder_run")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period_id} {self.kind} {self.day}"
