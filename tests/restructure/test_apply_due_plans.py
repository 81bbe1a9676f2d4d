"""A plan scheduled for a future date is applied by the daily job on that day, not before."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from organizations.models import Organization
from restructure import services
from restructure.models import PlanState

from .helpers import make_plan, tree_state
from .test_plan_apply import REFORM

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _run() -> str:
    out = io.StringIO()
    call_command("apply_due_plans", stdout=out)
    return out.getvalue()


def test_a_scheduled_plan_is_applied_on_its_day_and_only_once(cast):
    plan = make_plan(cast, REFORM, day=datetime.date(2026, 1, 1))
    with time_machine.travel(datetime.datetime(2025, 12, 20, 9, 0, tzinfo=VN), tick=False):
        services.plan_schedule(plan=plan, by=cast.provincial)

    with time_machine.travel(datetime.datetime(2025, 12, 31, 23, 50, tzinfo=VN), tick=False):
        state = tree_state()
        assert _run().endswith("2025-12-31: 0 plans applied, 0 refused\n")
        assert tree_state() == state
    with time_machine.travel(datetime.datetime(2026, 1, 1, 0, 15, tzinfo=VN), tick=False):
        assert "2026-01-01: 1 plans applied, 0 refused" in _run()
        assert "2026-01-01: 0 plans applied" in _run()

    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED and plan.applied_by == cast.provincial
    assert Organization.objects.get(code="XP-A-01").parent().code == "XP-KV1"


def test_a_plan_refused_on_its_day_stays_scheduled_and_the_log_says_why(cast):
    plan = make_plan(
        cast, [{"kind": "rename", "codes": ["XP-A"], "new_name": "Khu vực A"}], day=datetime.date(2026, 1, 1)
    )
    services.plan_schedule(plan=plan, by=cast.provincial)
    Organization.objects.filter(code="XP-A").update(status="dissolved")  # dissolved since, by a single operation

    with time_machine.travel(datetime.datetime(2026, 1, 1, 0, 15, tzinfo=VN), tick=False):
        out = _run()

    assert "LĐLĐ huyện A (XP-A) không còn hoạt động." in out
    plan.refresh_from_db()
    assert plan.state == PlanState.SCHEDULED


def test_a_plan_with_conflicts_cannot_be_scheduled(cast):
    plan = make_plan(cast, [{"kind": "dissolve", "codes": ["XP-A"]}])

    with pytest.raises(ValidationError):
        services.plan_schedule(plan=plan, by=cast.provincial)

    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
