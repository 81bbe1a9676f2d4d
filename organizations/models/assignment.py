"""Who works where: a user holds one or more assignments (organization + role)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Organization


class Role(models.TextChoices):
    NATIONAL_OFFICER = "national_officer", _("Cán bộ Tổng Liên đoàn")
    PROVINCIAL_OFFICER = "provincial_officer", _("Cán bộ LĐLĐ tỉnh, thành phố")
    UPPER_STAFF = "upper_staff", _("Cán bộ công đoàn cấp trên cơ sở")
    BRANCH_OFFICER = "branch_officer", _("Cán bộ công đoàn cơ sở")
    VIEWER = "viewer", _("Chỉ xem")


class Assignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="one_assignment_per_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization.code}"
