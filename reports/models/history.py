"""The tree as it was before a restructuring: what each changed body's reports of earlier periods rest on.

A restructuring (a move, a merger, a dissolution, a reform plan of hundreds of them) changes the
paths that every figure is grouped by. The reports of periods that ended before its effective date
must stay as they were (issue 16, point 4), so, in the restructuring's transaction and before
anything moves, every body whose subtree or parent changes is sealed for those periods: its rollups
are kept (`Rollup.sealed`: no refresh writes them again) and its children and parent at that moment
are recorded here. `reports.history` reads them back when such a report is built.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from programs.models import Program


class TreeSeal(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # The restructuring's effective date: the seal describes the tree of the periods that ended before it.
    until = models.DateField(_("effective date"))
    parent = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    # Ids of every body directly below, whatever its status; null for a body that only moved (its subtree is unchanged).
    children = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tree before a restructuring")
        verbose_name_plural = _("tree before a restructuring")
        constraints = [models.UniqueConstraint(fields=["organization", "until"], name="one_seal_per_body_and_date")]

    def __str__(self) -> str:
        return f"{self.organization_id} < {self.until:%d/%m/%Y}"


class ScopeSeal(models.Model):
    """A program's scope before a restructuring moved it to a successor (restructure/follow.py):
    the targets of the periods before the date are read against the scope they had."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    until = models.DateField(_("effective date"))
    scope = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("program scope before a restructuring")
        verbose_name_plural = _("program scope before a restructuring")
        constraints = [models.UniqueConstraint(fields=["program", "until"], name="one_scope_seal_per_program_and_date")]

    def __str__(self) -> str:
        return f"{self.program_id} < {self.until:%d/%m/%Y}"
