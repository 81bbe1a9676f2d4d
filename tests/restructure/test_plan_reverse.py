"""plan_reverse: a plan applied by mistake is undone by a plan of its own, until data is entered on the new tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Target
from organizations.models import Assignment, Organization, OrganizationStatus
from restructure import services
from restructure.models import PlanState
from tests import builders, factories

from .helpers import make_plan, tree_state
from .test_plan_apply import REFORM


def _tree_without_records():
    return sorted(Organization.objects.values_list("code", "path", "status", "dissolved_on", "name"))


def test_a_reversal_puts_the_tree_and_the_users_back(cast):
    before = _tree_without_records()
    assignments = sorted(Assignment.objects.values_list("user__username", "organization__code", "role"))
    indicator = builders.indicator(builders.program(cast.province), "members_total", code="9")
    target = builders.target(indicator, cast.sibling, 120, year=2026)
    plan = make_plan(cast, REFORM)
    services.plan_apply(plan=plan, by=cast.provincial)

    reversal = services.plan_reverse(plan=plan, by=cast.provincial)

    after = _tree_without_records()
    # The regional union founded by the plan stays on record, dissolved on the day it was founded.
    assert [row for row in after if row[0] != "XP-KV1"] == before
    assert [row[2] for row in after if row[0] == "XP-KV1"] == [OrganizationStatus.DISSOLVED]
    assert sorted(Assignment.objects.values_list("user__username", "organization__code", "role")) == assignments
    assert Target.objects.get(pk=target.pk).organization == cast.sibling
    plan.refresh_from_db()
    assert plan.state == PlanState.REVERSED and reversal.reverses == plan
    assert reversal.records.count() == 3  # two moves back and the dissolution of the new body


def test_a_reversal_is_refused_once_figures_are_entered_on_the_new_tree(cast):
    plan = make_plan(cast, REFORM)
    services.plan_apply(plan=plan, by=cast.provincial)
    builders.report(builders.element("reform_test"), cast.branch, builders.period("2025-H2"), 3)
    state = tree_state()

    with pytest.raises(ValidationError) as refusal:
        services.plan_reverse(plan=plan, by=cast.provincial)

    assert refusal.value.messages == [
        "Đã có số liệu được nhập trên cây mới kể từ khi áp dụng kế hoạch (CĐCS Trường A1)."
    ]
    assert tree_state() == state
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED


def test_a_plan_with_a_merger_is_not_reversed(cast):
    plan = make_plan(
        cast, [{"kind": "merge_new", "codes": ["XP-A", "XP-B"], "new_code": "XP-AB", "new_name": "LĐLĐ liên huyện"}]
    )
    services.plan_apply(plan=plan, by=cast.provincial)
    state = tree_state()

    with pytest.raises(ValidationError):
        services.plan_reverse(plan=plan, by=cast.provincial)

    assert tree_state() == state


def test_a_draft_is_not_reversed(cast):
    plan = make_plan(cast, REFORM)

    with pytest.raises(ValidationError):
        services.plan_reverse(plan=plan, by=cast.provincial)


def test_figures_entered_outside_the_new_tree_do_not_stop_a_reversal(cast):
    other = factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    plan = make_plan(cast, REFORM)
    plan = services.plan_apply(plan=plan, by=cast.provincial)
    builders.report(builders.element("reform_other", level="upper"), other, builders.period("2025-H2"), 3)

    assert services.reversal_refusal(plan) == ""


def test_one_dissolution_of_two_bodies_and_the_descriptive_changes_are_reversed(cast):
    factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    before = _tree_without_records()
    levels = sorted(Organization.objects.values_list("code", "level__code", "sector"))
    plan = make_plan(
        cast,
        [
            {"kind": "create", "new_code": "XP-KV1", "new_name": "Công đoàn khu vực 1", "target": "XP"},
            {"kind": "dissolve", "codes": ["XP-A", "XP-B"], "target": "XP-KV1"},
            {"kind": "change_sector", "codes": ["XP-A-01", "XP-B-01"], "sector": "cooperative"},
            {"kind": "change_level", "codes": ["XP-C"], "level": "base", "sector": "school"},
        ],
    )
    plan = services.plan_apply(plan=plan, by=cast.provincial)
    assert [c.code for c in Organization.objects.get(code="XP-KV1").children()] == ["XP-A-01", "XP-B-01"]
    assert set(Organization.objects.filter(code__in=["XP-A-01", "XP-B-01"]).values_list("sector", flat=True)) == {
        "cooperative"
    }

    services.plan_reverse(plan=plan, by=cast.provincial)

    assert [row for row in _tree_without_records() if row[0] != "XP-KV1"] == before
    assert sorted(Organization.objects.exclude(code="XP-KV1").values_list("code", "level__code", "sector")) == levels
