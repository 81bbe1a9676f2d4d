"""plan_check and plan_apply refuse every bad plan, and a refused plan changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations.models import Assignment
from reports.models import FrozenReport
from restructure import services
from restructure.checks import plan_check
from restructure.models import PlanState
from tests import builders, factories

from .helpers import make_plan, tree_state


def _refused(cast, plan, by=None, state=PlanState.DRAFT) -> list[str]:
    before = tree_state(), list(Assignment.objects.values_list("pk", "organization_id"))
    with pytest.raises(ValidationError) as refusal:
        services.plan_apply(plan=plan, by=by or cast.provincial)
    assert (tree_state(), list(Assignment.objects.values_list("pk", "organization_id"))) == before
    plan.refresh_from_db()
    assert plan.state == state
    return refusal.value.messages


def test_a_body_outside_the_users_registry_is_refused(cast):
    plan = make_plan(
        cast, [{"kind": "move", "codes": ["XP-B-01"], "target": "XP-A"}], by=cast.owner, scope=cast.district
    )

    messages = _refused(cast, plan, by=cast.owner)

    assert messages == ["CĐCS UBND xã B1 (XP-B-01) nằm ngoài phạm vi quản lý của bạn."]


def test_a_cycle_is_refused(cast):
    plan = make_plan(
        cast,
        [
            {"kind": "move", "codes": ["XP-A"], "target": "XP-B"},
            {"kind": "move", "codes": ["XP-B"], "target": "XP-A"},
        ],
    )

    messages = _refused(cast, plan)

    assert sum("vòng" in m for m in messages) == 2


def test_a_body_dissolved_with_members_and_no_successor_is_refused(cast):
    builders.member(cast.branch)
    plan = make_plan(cast, [{"kind": "dissolve", "codes": ["XP-A-01"]}])

    messages = _refused(cast, plan)

    assert messages == ["CĐCS Trường A1 (XP-A-01) còn 1 đoàn viên và 0 đơn vị sử dụng lao động: hãy chỉ định nơi nhận."]


def test_a_child_left_without_a_parent_is_refused(cast):
    plan = make_plan(cast, [{"kind": "dissolve", "codes": ["XP-A"]}])

    messages = _refused(cast, plan)

    assert len(messages) == 1 and "XP-A-01" in messages[0] and "XP-A)" in messages[0]


def test_two_operations_on_one_body_are_refused(cast):
    plan = make_plan(
        cast,
        [
            {"kind": "rename", "codes": ["XP-A"], "new_name": "LĐLĐ khu vực A"},
            {"kind": "move", "codes": ["XP-A"], "target": "XVN"},
        ],
    )

    messages = _refused(cast, plan, by=factories.make_user("root", is_superuser=True))

    assert any("XP-A" in m and "nhiều thao tác" in m for m in messages)


def test_a_successor_dissolved_in_the_same_plan_is_refused(cast):
    plan = make_plan(
        cast,
        [
            {"kind": "dissolve", "codes": ["XP-A"], "target": "XP-B"},
            {"kind": "dissolve", "codes": ["XP-B"], "target": "XP-A"},
        ],
    )

    messages = _refused(cast, plan)

    assert sum("giải thể" in m and "nhận" in m for m in messages) >= 2


def test_an_effective_date_before_a_frozen_report_of_the_body_is_refused(cast):
    program = builders.program(cast.province)
    FrozenReport.objects.create(
        organization=cast.branch, program=program, period=builders.period("2025-H1"), version=1, data={}
    )
    plan = make_plan(cast, [{"kind": "move", "codes": ["XP-A-01"], "target": "XP-B"}], day=datetime.date(2025, 6, 1))

    messages = _refused(cast, plan)

    assert messages == [
        "Ngày hiệu lực 01/06/2025 trước khi kết thúc kỳ 2025-H1, mà báo cáo của CĐCS Trường A1 đã được chốt."
    ]
    plan.effective_date = datetime.date(2025, 7, 1)
    plan.save()
    assert plan_check(plan, cast.provincial) == []


def test_unknown_codes_are_refused(cast):
    plan = make_plan(cast, [{"kind": "move", "codes": ["XP-Z"], "target": "XP-B"}])

    assert _refused(cast, plan) == ["Không có tổ chức nào mang mã XP-Z."]


def test_a_plan_is_applied_only_once(cast):
    plan = make_plan(cast, [{"kind": "move", "codes": ["XP-A-01"], "target": "XP-B"}])
    services.plan_apply(plan=plan, by=cast.provincial)

    messages = _refused(cast, plan, state=PlanState.APPLIED)

    assert messages == ["Kế hoạch đã được áp dụng."]


def test_a_refusal_of_a_service_midway_undoes_the_operations_before_it(cast):
    plan = make_plan(
        cast,
        [
            {"kind": "create", "new_code": "XP-KV1", "new_name": "Công đoàn khu vực 1", "target": "XP"},
            {"kind": "merge_into", "codes": ["XP-A-01"], "target": "XP-B"},  # a branch into a district
        ],
    )

    messages = _refused(cast, plan)

    assert messages[0].startswith("Thao tác 2")


def test_a_level_change_below_the_bodys_children_is_refused(cast):
    plan = make_plan(cast, [{"kind": "change_level", "codes": ["XP-A"], "level": "base", "sector": "school"}])

    assert _refused(cast, plan) == ["Thao tác 1 (Đổi cấp):", "LĐLĐ huyện A phải ở trên cấp của các đơn vị trực thuộc."]


def test_a_frozen_report_of_a_body_that_receives_is_refused_too(cast):
    program = builders.program(cast.province)
    FrozenReport.objects.create(
        organization=cast.sibling, program=program, period=builders.period("2025-H1"), version=1, data={}
    )
    plan = make_plan(cast, [{"kind": "move", "codes": ["XP-A-01"], "target": "XP-B"}], day=datetime.date(2025, 6, 1))

    assert _refused(cast, plan) == [
        "Ngày hiệu lực 01/06/2025 trước khi kết thúc kỳ 2025-H1, mà báo cáo của LĐLĐ huyện B đã được chốt."
    ]
