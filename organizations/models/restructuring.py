"""Restructuring as dated operations with a record (nothing is ever deleted).

Each operation keeps which organizations took part and how: a source that was
merged, split or dissolved, a result that came out of it, or a branch that moved
from one parent to another. An organization's history is read from these links.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Organization


class OperationKind(models.TextChoices):
    CREATE = "create", _("Founding")
    MOVE = "move", _("Move to another parent")
    MERGE = "merge", _("Merger")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolution")


class RestructuringOperation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OperationKind.choices)
    effective_date = models.DateField(_("effective date"))
    decision = models.CharField(_("decision number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    performed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("restructuring operation")
        verbose_name_plural = _("restructuring operation")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"

    def sources(self) -> list[Organization]:
        return [link.organization for link in self.links.all() if link.role == RestructuringLink.SOURCE]

    def results(self) -> list[Organization]:
        return [link.organization for link in self.links.all() if link.role == RestructuringLink.RESULT]


class RestructuringLink(models.Model):
    SOURCE = "source"
    RESULT = "result"
    ROLE_CHOICES = [(SOURCE, _("former body")), (RESULT, _("new body"))]

    operation = models.ForeignKey(RestructuringOperation, on_delete=models.PROTECT, related_name="links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="restructuring_links")
    role = models.CharField(max_length=8, choices=ROLE_CHOICES)
    previous_parent = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_parent = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["operation", "role", "organization__code"]
        constraints = [models.UniqueConstraint(fields=["operation", "organization", "role"], name="one_link_per_role")]

    def __str__(self) -> str:
        return f"{self.operation}: {self.organization.code} ({self.role})"
