"""Union members (đoàn viên). A member belongs to one base branch at a time.

The member row holds who the member is and where they are now; the history tables
(members/models/history.py) hold where they were, which roles they held and which
trainings they attended, so a count "on any date" is a query over the history.
The current branch, role and last training are kept on the row too, by the
services, because every list and every export filters on them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from unionportal.choices import ChoiceLabels


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED = "transferred", _("Transferred out")
    LEFT = "left", _("Left the union")


class BranchRole(models.TextChoices):
    """Roles in the base branch, most senior first (the order of the import template)."""

    CHAIR = "chair", _("Chairperson")
    VICE_CHAIR = "vice_chair", _("Vice-chairperson")
    EXECUTIVE = "executive", _("Executive committee member")
    INSPECTION = "inspection", _("Inspection committee member")
    GROUP_LEADER = "group_leader", _("Group leader")
    MEMBER = "member", _("Member")


# Roles that sit on the executive committee (Ban chấp hành): targets such as "90 % of
# executive-committee members trained" count these.
EXECUTIVE_COMMITTEE_ROLES = (BranchRole.CHAIR, BranchRole.VICE_CHAIR, BranchRole.EXECUTIVE)


class MemberQuerySet(models.QuerySet):
    def within(self, organization: Organization) -> MemberQuerySet:
        """Members whose current branch lies in the organization's subtree."""
        return self.filter(branch__path__startswith=organization.path)

    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)

    def women(self) -> MemberQuerySet:
        return self.filter(gender=Gender.FEMALE)

    def trained(self) -> MemberQuerySet:
        return self.filter(last_trained_on__isnull=False)


class Member(ChoiceLabels, models.Model):
    card_number = models.CharField(_("member card number"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=255)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True, default="Kinh")
    # Unique when given: NULL, not "", for members without one.
    citizen_id = models.CharField(_("citizen ID"), max_length=12, null=True, blank=True, unique=True)
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    joined_on = models.DateField(_("joined the union on"))
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    # No index of its own: (branch, status) and (branch, full_name) below start with it.
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("base union"), db_index=False
    )
    role = models.CharField(_("role"), max_length=16, choices=BranchRole.choices, default=BranchRole.MEMBER)
    last_trained_on = models.DateField(_("last trained on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "card_number"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        # Few indexes on purpose: every one slows the bulk import of a district's members.
        # Lists filter by branch (and status) and sort by name; counts go through the history tables.
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["branch", "full_name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(date_of_birth__lt=models.F("joined_on")),
                name="member_born_before_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def natural_key(self) -> tuple[str]:
        return (self.card_number,)
