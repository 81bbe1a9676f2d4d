"""The audit trail: one row per created, changed or deleted row of a tracked table.

Rows are written by database triggers (audit/triggers.py), so bulk writes (COPY,
bulk_create, queryset.update, raw SQL) are recorded like single saves. The acting user and
what they were doing come from the connection (unionportal/acting.py).

One exception: a bulk writer that knows what it wrote may turn the triggers off for its
statements and record its new rows itself, one event per organization and run of
consecutive ids (unionportal/bulk_trail.py). Such an event covers `row_id` … `last_row_id`;
the history pages read it as one creation per row (audit.selectors, audit.presenters).
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
    # Set on a bulk writer's event only: it covers the rows row_id … last_row_id, created together,
    # and `after` holds their values: {"columns": [...], "same": {...}, "rows": [[...], ...]} in id order.
    last_row_id = models.BigIntegerField(null=True, blank=True)
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
            # A member's history finds the bulk event covering it among a few hundred: only they are indexed.
            models.Index(
                fields=["subject", "row_id", "last_row_id"],
                condition=models.Q(last_row_id__isnull=False),
                name="audit_bulk_rows",
            ),
        ]

    def __str__(self) -> str:
        if self.last_row_id is not None:
            return f"{self.table_name}#{self.row_id}–{self.last_row_id} {self.action}"
        return f"{self.table_name}#{self.row_id} {self.action}"

    @property
    def is_bulk(self) -> bool:
        return self.last_row_id is not None

    def rows(self) -> list[tuple[int, dict]]:
        """A bulk event's rows as (id, values), each as the trigger would have recorded it."""
        if not self.is_bulk:
            return [(self.row_id, self.after or {})]
        whole = self.after or {}
        columns, same = whole.get("columns", []), whole.get("same", {})
        return [
            (row_id, {"id": row_id, **same, **dict(zip(columns, values, strict=True))})
            for row_id, values in zip(range(self.row_id, self.last_row_id + 1), whole.get("rows", []), strict=True)
        ]
