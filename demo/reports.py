"""Demo: the dashboards' rollups, and frozen copies of the accepted annual reports of 2022 and 2023.

Accepting a period freezes its reports (reports.services.period_accepted); the demo's
periods were accepted by demo/indicators.py without that step, so it is taken here for
the two most recent accepted years — enough to see that a report sent up keeps its
figures after a later merger.
"""

from __future__ import annotations

import time
from typing import TextIO

from django.utils.translation import gettext as _

from indicators.models import Submission, SubmissionStatus
from reports import rollups
from reports.models import FrozenReport, Rollup
from reports.services import period_accepted

FROZEN_YEARS = ("2022", "2023")


def load(*, password: str, stdout: TextIO | None = None) -> None:
    started = time.perf_counter()
    if not Rollup.objects.exists():
        rollups.refresh()
    accepted = Submission.objects.filter(
        status=SubmissionStatus.ACCEPTED, period__code__in=FROZEN_YEARS
    ).select_related("organization__level", "period")
    frozen = 0
    for submission in accepted:
        if FrozenReport.objects.filter(organization=submission.organization, period=submission.period).exists():
            continue
        # The rollups were refreshed above, for everything.
        frozen += len(period_accepted(organization=submission.organization, period=submission.period, refresh=False))
    if stdout is not None:
        stdout.write(
            _("Rollups ready; %(frozen)s accepted reports frozen (%(seconds)s s).")
            % {"frozen": frozen, "seconds": round(time.perf_counter() - started, 1)}
        )
