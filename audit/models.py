"""The audit trail: one row per created, changed or deleted row of a tracked table.

Rows are written by database triggers (audit/triggers.py), never by Python code, so bulk
writes (COPY, bulk_create, queryset.update, raw SQL) are recorded like single saves. The
acting user and what they were doing come from the connection (unionportal/acting.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"))
    # No foreign-key constraints: the trail must outlive the users and rows it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("by"),
        db_index=False,  # never searched by user alone; every index slows a bulk import
    )
    context = models.CharField(_("through"), max_length=255, blank=True)
    table_name = models.CharField(max_length=63)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    row_id = models.BigIntegerField()
    # Whose history tab shows the event: a member's role row belongs to the member.
    subject = models.CharField(max_length=32)
    subject_id = models.BigIntegerField(null=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        db_index=False,  # the (organization, id) index below serves it
    )
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subject", "subject_id", "id"]),
            models.Index(fields=["organization", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.table_name}#{self.row_id} {self.action}"
