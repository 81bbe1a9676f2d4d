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

from unionportal.choices import ChoiceLabels


class Level(models.Model):
    """A level of the hierarchy; `rank` grows downwards (national = 0)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    UPPER = "upper"
    BASE = "base"
    BELOW_BASE = "below_base"

    code = models.SlugField(_("level code"), max_length=32, unique=True)
    name = models.CharField(_("level name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("organization level")
        verbose_name_plural = _("organization level")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    """The sector (khu vực) of a base branch, used to scope targets."""

    ADMINISTRATION = "hcsn", _("Administration and public service")
    SCHOOL = "school", _("School")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Non-state enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")


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


class Organization(ChoiceLabels, MP_Node):
    steplen = 4  # 36**4 children per node: room for 135,000 branches under one body

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("level"))
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolution date"), null=True, blank=True)
    # The latest effective date of a restructuring that changed the body's parent or subtree: reports
    # of earlier periods rest on the tree as it was (organizations.moves.tree_changing, reports.history).
    restructured_on = models.DateField(_("last restructured"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Who signs the body's reports by default (the report form can name someone else).
    # db_default: the bulk loaders (COPY) that name their columns need not name this one.
    chair_name = models.CharField(_("chair's full name"), max_length=100, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("union organization")
        verbose_name_plural = _("union organization")
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

    @classmethod
    def lineage(cls, path: str) -> list[str]:
        """The paths of the body at `path` and of every body above it, top first (no query)."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]

    @classmethod
    def common_head(cls, paths: list[str]) -> str:
        """The path of the lowest body at or above every one of these paths ("": none, the whole tree; no query)."""
        head = min(paths)
        for path in paths:
            while not path.startswith(head):
                head = head[: -cls.steplen]
        return head

    def ancestors(self) -> OrganizationQuerySet:
        """Every body above, top first (read from the path, one query)."""
        paths = Organization.lineage(self.path)[:-1]
        return Organization.objects.filter(path__in=paths).select_related("level").order_by("depth")

    def children(self) -> OrganizationQuerySet:
        return Organization.objects.filter(path__startswith=self.path, depth=self.depth + 1)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.level_id and self.level.code == Level.BASE and not self.sector:
            errors["sector"] = _("A base union must have a sector.")
        if self.level_id and self.level.code != Level.BASE and self.sector:
            errors["sector"] = _("Only a base union has a sector.")
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = _("The dissolution date cannot be before the founding date.")
        if errors:
            raise ValidationError(errors)
