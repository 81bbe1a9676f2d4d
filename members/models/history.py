"""What a member's history is made of: where they belonged, which roles, which trainings.

Periods are half-open: [start_on, end_on). A period with no end is the current one.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .member import BranchRole, Member


class HistoryQuerySet(models.QuerySet):
    """Filters shared by the dated history tables (periods and roles), both half-open [start_on, end_on)."""

    def within(self, organization: Organization) -> HistoryQuerySet:
        """Rows held in a branch of the organization's subtree."""
        return self.filter(branch__path__startswith=organization.path)

    def covering(self, day: datetime.date) -> HistoryQuerySet:
        """Rows that were running on `day`: started on or before it and not yet ended."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gt=day), start_on__lte=day)

    def open(self) -> HistoryQuerySet:
        return self.filter(end_on__isnull=True)


class MembershipPeriod(models.Model):
    """A stretch of time a member belonged to one branch; a transfer closes one and opens the next."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    # Not indexed alone: the (branch, start_on, end_on) index below serves every lookup by branch,
    # and each index is one more write per row of a 100,000-member import.
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="membership_periods", db_index=False
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "start_on"]
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        indexes = [models.Index(fields=["branch", "start_on", "end_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="period_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(end_on__isnull=True), name="one_open_period_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.branch_id} {self.start_on}–{self.end_on or ''}"


class MemberRole(models.Model):
    """A role held in a branch for a stretch of time (Chủ tịch from 2020 to 2025, …)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="roles")
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="member_roles")
    role = models.CharField(_("role"), max_length=16, choices=BranchRole.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["member", "start_on"]
        verbose_name = _("role held")
        verbose_name_plural = _("roles held")
        indexes = [models.Index(fields=["role", "start_on", "end_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="role_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(end_on__isnull=True), name="one_open_role_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.role} {self.start_on}–{self.end_on or ''}"


class Training(models.Model):
    """A training (tập huấn) a member attended."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=255)
    trained_on = models.DateField(_("trained on"))
    organizer = models.CharField(_("organizer"), max_length=255, blank=True)

    class Meta:
        ordering = ["member", "trained_on"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["trained_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "trained_on", "course"], name="one_training_record_per_course_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.course} {self.trained_on}"
