"""Employers (đơn vị, doanh nghiệp), with or without a union.

Targets such as "80 % of enterprises with 5 or more workers have a CĐCS" count
workplaces, so the portal keeps every employer and the branch founded there.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organization import Level, Organization, OrganizationStatus


class WorkplaceKind(models.TextChoices):
    AGENCY = "agency", _("Cơ quan hành chính")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    SCHOOL = "school", _("Trường học")
    STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Doanh nghiệp ngoài nhà nước")
    FDI_ENTERPRISE = "fdi_enterprise", _("Doanh nghiệp FDI")
    COOPERATIVE = "cooperative", _("Hợp tác xã")


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
        """Workplaces an organization's subtree is responsible for."""
        return self.filter(
            Q(upper_union__path__startswith=organization.path) | Q(branch__path__startswith=organization.path)
        )


class Workplace(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại hình"), max_length=32, choices=WorkplaceKind.choices)
    worker_count = models.PositiveIntegerField(_("số lao động"), default=0)
    female_worker_count = models.PositiveIntegerField(_("số lao động nữ"), default=0)
    upper_union = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="responsible_workplaces",
        verbose_name=_("công đoàn cấp trên"),
    )
    branch = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workplaces",
        verbose_name=_("CĐCS tại đơn vị"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkplaceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị, doanh nghiệp")
        verbose_name_plural = _("đơn vị, doanh nghiệp")
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
            errors["female_worker_count"] = _("Số lao động nữ không thể lớn hơn tổng số lao động.")
        if self.upper_union_id and self.upper_union.level.rank >= _base_rank():
            errors["upper_union"] = _("Công đoàn cấp trên phải là một công đoàn trên cấp cơ sở.")
        if self.branch_id and self.branch.level.code != Level.BASE:
            errors["branch"] = _("Chỉ một công đoàn cơ sở mới được gắn với đơn vị.")
        if errors:
            raise ValidationError(errors)


def _base_rank() -> int:
    return Level.objects.only("rank").get(code=Level.BASE).rank
