"""A restructuring plan: many operations on the tree, decided together, applied on one date.

Each operation names its bodies by code (a plan may be uploaded as a spreadsheet, and may
name bodies it will itself create). Applying a plan writes every operation through the
organizations' services, so the tree's dated history (RestructuringOperation) is the same
as for a single move or merger; the plan keeps what it did in `done`, for the preview of
what followed and for its reversal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, RestructuringOperation


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    APPLIED = "applied", _("Applied")
    REVERSED = "reversed", _("Reversed")


class RestructuringPlan(models.Model):
    name = models.CharField(_("name"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    decision = models.CharField(_("decision number"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"))
    state = models.CharField(_("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT)
    scope = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization in charge")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # What applying did beyond the tree: {"assignments": [[id, from_pk, to_pk]], "programs": [...]}.
    followed = models.JSONField(default=dict, blank=True, editable=False)
    # A reversal is a plan of its own, applied at once, naming the plan it undoes.
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal", editable=False
    )
    records = models.ManyToManyField(RestructuringOperation, blank=True, related_name="+", editable=False)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("restructuring plan")
        verbose_name_plural = _("restructuring plans")

    def __str__(self) -> str:
        return self.name


class PlanOperationKind(models.TextChoices):
    MERGE_NEW = "merge_new", _("Merge into a new body")
    MERGE_INTO = "merge_into", _("Merge into an existing body")
    DISSOLVE = "dissolve", _("Dissolve, handing the children to successors")
    CREATE = "create", _("Found a body")
    RENAME = "rename", _("Rename")
    CHANGE_LEVEL = "change_level", _("Change the level")
    CHANGE_SECTOR = "change_sector", _("Change the sector")
    MOVE = "move", _("Move to another parent")


class PlanOperation(models.Model):
    """One step of a plan. Which fields it reads depends on its kind (restructure/operations.py)."""

    plan = models.ForeignKey(RestructuringPlan, on_delete=models.CASCADE, related_name="operations")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=PlanOperationKind.choices)
    # The bodies acted on: the sources of a merger, the body dissolved, renamed, moved …
    codes = models.JSONField(_("bodies"), default=list, blank=True)
    # The body merged into, the new parent (move, create, merge into a new body), or the
    # successor of a dissolved body for the children not named in `successors`.
    target = models.CharField(_("target body"), max_length=32, blank=True)
    new_code = models.CharField(_("new code"), max_length=32, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    level = models.CharField(_("level"), max_length=32, blank=True)
    sector = models.CharField(_("sector"), max_length=32, blank=True)
    # Dissolve: {child code: successor code}.
    successors = models.JSONField(_("successors"), default=dict, blank=True)
    # What each body was before the operation ({code: {"name", "level", "sector"} or {"workplaces"}}), for the reversal.
    before = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("plan operation")
        verbose_name_plural = _("plan operations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {', '.join(self.codes) or self.new_code}"
