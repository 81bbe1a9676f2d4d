"""Reporting periods: the first half of a year (6 tháng), the second half, and the whole year.

Six-monthly and annual statistics go up the hierarchy once per period (seed 004:
"6 tháng, hàng năm thống kê, báo cáo"). Codes are how commands and URLs name them:
"2024", "2024-H1", "2024-H2".
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")
# Days after a period's end by which its report is due (the union's statistics calendar).
DEFAULT_DEADLINE_DAYS = 15


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", _("Year")
    HALF = "half", _("Half-year")


class ReportingPeriodQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> ReportingPeriodQuerySet:
        """Periods data may be entered for: started by `day` (future periods are closed)."""
        return self.filter(start_on__lte=day)


class ReportingPeriod(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half"), null=True, blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    deadline = models.DateField(_("deadline"))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "half"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.ANNUAL:
            return str(_("Year %(year)s") % {"year": self.year})
        if self.half == 1:
            return str(_("First half of %(year)s") % {"year": self.year})
        return str(_("Second half of %(year)s") % {"year": self.year})

    @property
    def is_annual(self) -> bool:
        return self.kind == PeriodKind.ANNUAL

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.start_on <= (today or datetime.date.today())

    @classmethod
    def bounds(cls, code: str) -> dict:
        """The fields of the period a code names, or ValidationError for a malformed code."""
        match = CODE.match(code.strip())
        if not match:
            raise ValidationError(_("A period is written YYYY, YYYY-H1 or YYYY-H2, e.g. 2024 or 2024-H1."))
        year = int(match["year"])
        half = int(match["half"]) if match["half"] else None
        if half is None:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif half == 1:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 6, 30)
        else:
            start, end = datetime.date(year, 7, 1), datetime.date(year, 12, 31)
        return {
            "code": code.strip(),
            "kind": PeriodKind.ANNUAL if half is None else PeriodKind.HALF,
            "year": year,
            "half": half,
            "start_on": start,
            "end_on": end,
            "deadline": end + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS),
        }
