"""Scheduled plans are applied on their day: `manage.py apply_due_plans` (cron) or Celery beat.

Each plan is applied in its own transaction, as the user who scheduled it (their rights are
checked again that day); a plan refused then stays scheduled and its reasons are returned,
for the command's log.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from unionportal.acting import acting

from .models import PlanState, RestructuringPlan
from .services import plan_apply

logger = logging.getLogger(__name__)


@dataclass
class DueResult:
    day: datetime.date
    applied: list[RestructuringPlan] = field(default_factory=list)
    refused: list[tuple[RestructuringPlan, list[str]]] = field(default_factory=list)


def apply_due_plans(today: datetime.date | None = None) -> DueResult:
    result = DueResult(day=today or timezone.localdate())
    due = RestructuringPlan.objects.filter(state=PlanState.SCHEDULED, effective_date__lte=result.day)
    for plan in due.select_related("created_by").order_by("effective_date", "pk"):
        try:
            with acting(plan.created_by, f"apply_due_plans:{plan.pk}"):
                result.applied.append(plan_apply(plan=plan, by=plan.created_by))
        except (ValidationError, PermissionDenied) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            logger.warning("Scheduled plan %s not applied: %s", plan.pk, reasons)
            result.refused.append((plan, reasons))
    return result


def apply_due_plans_job() -> None:
    """The scheduled job (Celery beat): the plans due today."""
    apply_due_plans()
