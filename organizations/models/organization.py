"""The union hierarchy: national → provincial → upper-level → base (CĐCS) → below base.

The tree is a materialized path (django-treebeard's MP_Node): a subtree is one
`path LIKE 'prefix%'` and a rollup per child is a GROUP BY on a path prefix, so
no query ever recurses. Levels are rows, not code, so a new kind of body
(regional unions since the 2025 reform) needs no migration.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class Level(models.Model):
    """A level of the hierarchy; `rank` grows downwards (national = 0)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    UPPER = "upper"
    BASE = "base"
    BELOW_BASE = "below_base"

    code = models.SlugField(_("mã cấp"), max_length=32, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), unique=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("cấp tổ chức")
        verbose_name_plural = _("cấp tổ chức")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    """The sector (khu vực) of a base branch, used to scope targets."""

    ADMINISTRATION = "hcsn", _("Hành chính sự nghiệp")
    SCHOOL = "school", _("Trường học")
    STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Doanh nghiệp ngoài nhà nước")
    COOPERATIVE = "cooperative", _("Hợp tác xã")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")
    MERGED = "merged", _("Đã hợp nhất")
    SPLIT = "split", _("Đã chia tách")


class OrganizationQuerySet(MP_NodeQuerySet):
    def within(self, organization: Organization) -> OrganizationQuerySet:
        """The organization and everything below it."""
        return self.filter(path__startswith=organization.path)

    def below(self, organization: Organization) -> OrganizationQuerySet:
        """Everything below the organization, not the organization itself."""
        return self.filter(path__startswith=organization.path, depth__gt=organization.depth)

    def active(self) -> OrganizationQuerySet:
        return self.filter(status=OrganizationStatus.ACTIVE)

    def active_on(self, day: datetime.date) -> OrganizationQuerySet:
        """Organizations that existed on `day`, whatever has happened to them since."""
        return self.filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=day),
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day),
        )

    def at_level(self, code: str) -> OrganizationQuerySet:
        return self.filter(level__code=code)

    def base(self) -> OrganizationQuerySet:
        return self.at_level(Level.BASE)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def get_by_natural_key(self, code: str) -> Organization:
        return self.get(code=code)


class Organization(MP_Node):
    steplen = 4  # 36**4 children per node: room for 135,000 branches under one body

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp"))
    sector = models.CharField(_("khu vực"), max_length=32, choices=Sector.choices, blank=True)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("tổ chức công đoàn")
        verbose_name_plural = _("tổ chức công đoàn")
        indexes = [
            models.Index(fields=["level", "status"]),
            models.Index(fields=["sector"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE

    @property
    def is_base(self) -> bool:
        return self.level.code == Level.BASE

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen] if self.depth > 1 else ""

    def parent(self) -> Organization | None:
        """The body directly above (read from the path, one query)."""
        if self.depth <= 1:
            return None
        return Organization.objects.select_related("level").filter(path=self.parent_path).first()

    def ancestors(self) -> OrganizationQuerySet:
        """Every body above, top first (read from the path, one query)."""
        paths = [self.path[: i * self.steplen] for i in range(1, self.depth)]
        return Organization.objects.filter(path__in=paths).select_related("level").order_by("depth")

    def children(self) -> OrganizationQuerySet:
        return Organization.objects.filter(path__startswith=self.path, depth=self.depth + 1)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.level_id and self.level.code == Level.BASE and not self.sector:
            errors["sector"] = _("Công đoàn cơ sở phải có khu vực.")
        if self.level_id and self.level.code != Level.BASE and self.sector:
            errors["sector"] = _("Chỉ công đoàn cơ sở mới có khu vực.")
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = _("Ngày giải thể không thể trước ngày thành lập.")
        if errors:
            raise ValidationError(errors)
