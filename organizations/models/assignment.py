"""Who works where: a user holds one or more assignments (organization + role)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Organization


class Role(models.TextChoices):
    NATIONAL_OFFICER = "national_officer", _("National officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    UPPER_STAFF = "upper_staff", _("Upper-level union staff")
    BRANCH_OFFICER = "branch_officer", _("Base union officer")
    VIEWER = "viewer", _("Viewer (read only)")


class Assignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignment")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="one_assignment_per_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization.code}"
