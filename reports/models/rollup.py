"""Precomputed rollups: the additive parts of every indicator for every body above the base level.

A dashboard at national scale cannot aggregate eleven million members on each page
view. The parts of each measurement (numerator, denominator, how many rows reported)
add up from children to parents, so they are stored per organization and period and
refreshed by an explicit step after data changes (reports/rollups.py). Base unions are
not stored: a district's drill-down to its ninety branches is one small live query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, ReportingPeriod
from organizations.models import Organization


class Rollup(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    numerator = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    denominator = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    reported = models.PositiveIntegerField(default=0)  # units that reported (for a reported figure)
    expected = models.PositiveIntegerField(default=0)  # units expected to report: the coverage's whole
    computed_at = models.DateTimeField(auto_now=True)
    # Kept as computed on the tree before a restructuring whose date is after the period's end
    # (reports/models/history.py): no refresh writes it again.
    sealed = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "organization", "period"], name="one_rollup_per_cell")
        ]
        indexes = [models.Index(fields=["organization", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.organization_id} {self.period_id}"
