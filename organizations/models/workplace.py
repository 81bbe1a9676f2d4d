"""Employers (đơn vị, doanh nghiệp), with or without a union.

Targets such as "80 % of enterprises with 5 or more workers have a CĐCS" count
workplaces, so the portal keeps every employer and the branch founded there.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionportal.anyof import AnyOf
from unionportal.choices import ChoiceLabels

from .organization import Level, Organization, OrganizationStatus


class WorkplaceKind(models.TextChoices):
    AGENCY = "agency", _("Government agency")
    PUBLIC_SERVICE = "public_service", _("Public-service unit")
    SCHOOL = "school", _("School")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Non-state enterprise")
    FDI_ENTERPRISE = "fdi_enterprise", _("Foreign-invested enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")


# Employers the "enterprises with N or more workers" targets count: the seeds count
# cooperatives with enterprises ("doanh nghiệp, hợp tác xã có tổ chức công đoàn").
ENTERPRISE_KINDS = (
    WorkplaceKind.STATE_ENTERPRISE,
    WorkplaceKind.NON_STATE_ENTERPRISE,
    WorkplaceKind.FDI_ENTERPRISE,
    WorkplaceKind.COOPERATIVE,
)


class WorkplaceQuerySet(models.QuerySet):
    def enterprises(self) -> WorkplaceQuerySet:
        return self.filter(kind__in=ENTERPRISE_KINDS)

    def unionized(self) -> WorkplaceQuerySet:
        return self.filter(branch__isnull=False, branch__status=OrganizationStatus.ACTIVE)

    def without_union(self) -> WorkplaceQuerySet:
        return self.exclude(branch__isnull=False, branch__status=OrganizationStatus.ACTIVE)

    def with_at_least(self, workers: int) -> WorkplaceQuerySet:
        return self.filter(worker_count__gte=workers)

    def within(self, organization: Organization) -> WorkplaceQuerySet:
        """Workplaces an organization's subtree is responsible for (through two indexes: unionportal/anyof.py)."""
        subtree = Organization.objects.filter(path__startswith=organization.path).order_by().values("pk")
        return self.filter(Q(AnyOf("upper_union_id", subtree)) | Q(AnyOf("branch_id", subtree)))


class Workplace(ChoiceLabels, models.Model):
    code = models.CharField(_("workplace code"), max_length=32, unique=True)
    name = models.CharField(_("workplace name"), max_length=255)
    kind = models.CharField(_("type"), max_length=32, choices=WorkplaceKind.choices)
    worker_count = models.PositiveIntegerField(_("workers"), default=0)
    female_worker_count = models.PositiveIntegerField(_("women workers"), default=0)
    upper_union = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="responsible_workplaces",
        verbose_name=_("upper-level union"),
    )
    branch = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workplaces",
        verbose_name=_("Base union at the workplace"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkplaceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("workplace")
        verbose_name_plural = _("workplace")
        constraints = [
            models.CheckConstraint(
                condition=Q(female_worker_count__lte=models.F("worker_count")),
                name="workplace_female_not_above_total",
            )
        ]
        indexes = [models.Index(fields=["kind", "worker_count"])]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_unionized(self) -> bool:
        return self.branch_id is not None and self.branch.status == OrganizationStatus.ACTIVE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.female_worker_count > self.worker_count:
            errors["female_worker_count"] = _("Women workers cannot outnumber all workers.")
        if self.upper_union_id and self.upper_union.level.rank >= _base_rank():
            errors["upper_union"] = _("The upper-level union must be a body above the base level.")
        if self.branch_id and self.branch.level.code != Level.BASE:
            errors["branch"] = _("Only a base union can be linked to a workplace.")
        if errors:
            raise ValidationError(errors)


def _base_rank() -> int:
    return Level.objects.only("rank").get(code=Level.BASE).rank
