"""plan_apply: a whole reform in one transaction, written as the tree's dated records."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.models import Target
from organizations.models import Assignment, Level, Organization, OrganizationStatus, RestructuringOperation, Role
from programs.models import Program
from restructure import services
from restructure.models import PlanState
from tests import builders, factories

from .helpers import REFORM_DAY, make_plan

REFORM = [
    {"kind": "create", "new_code": "XP-KV1", "new_name": "Công đoàn khu vực 1", "target": "XP"},
    {"kind": "dissolve", "codes": ["XP-A"], "target": "XP-KV1"},
    {"kind": "dissolve", "codes": ["XP-B"], "successors": {"XP-B-01": "XP-KV1"}, "target": "XP-KV1"},
]


def _org(code: str) -> Organization:
    return Organization.objects.select_related("level").get(code=code)


def test_the_districts_are_dissolved_and_their_branches_pass_to_the_regional_union(cast):
    builders.member(cast.branch)
    plan = make_plan(cast, REFORM)

    services.plan_apply(plan=plan, by=cast.provincial)

    region = _org("XP-KV1")
    assert region.level.code == Level.UPPER and region.founded_on == REFORM_DAY
    assert [c.code for c in region.children()] == ["XP-A-01", "XP-B-01"]
    assert [(_org(c).status, _org(c).dissolved_on) for c in ("XP-A", "XP-B")] == [
        (OrganizationStatus.DISSOLVED, REFORM_DAY)
    ] * 2
    assert _org("XP-A-01").members.filter(status="active").count() == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED and plan.applied_by == cast.provincial
    kinds = sorted(plan.records.values_list("kind", flat=True))
    assert kinds == ["create", "dissolve", "dissolve", "move", "move"]
    assert set(
        RestructuringOperation.objects.values_list("effective_date", flat=True).filter(pk__in=plan.records.all())
    ) == {REFORM_DAY}


def test_users_and_programs_of_a_dissolved_body_follow_its_successor(cast):
    program = builders.program(cast.district)
    plan = make_plan(cast, REFORM)

    services.plan_apply(plan=plan, by=cast.provincial)

    region = _org("XP-KV1")
    assert Program.objects.get(pk=program.pk).scope == region
    assert set(Assignment.objects.filter(organization=region).values_list("user__username", "role")) == {
        ("owner", Role.UPPER_STAFF),
        ("colleague", Role.VIEWER),
        ("outsider", Role.UPPER_STAFF),
    }
    assert not Assignment.objects.filter(organization__code__in=["XP-A", "XP-B"]).exists()


def test_bodies_merge_into_a_new_one_with_their_branches_and_members(cast):
    builders.member(cast.sibling_branch)
    plan = make_plan(
        cast, [{"kind": "merge_new", "codes": ["XP-A", "XP-B"], "new_code": "XP-AB", "new_name": "LĐLĐ liên huyện"}]
    )

    services.plan_apply(plan=plan, by=cast.provincial)

    merged = _org("XP-AB")
    assert merged.parent().code == "XP"
    assert [c.code for c in merged.children()] == ["XP-A-01", "XP-B-01"]
    assert _org("XP-A").status == OrganizationStatus.MERGED
    assert Organization.objects.get(code="XP-B-01").members.count() == 1


def test_a_body_changes_level_within_the_bounds_of_the_tree(cast):
    factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    plan = make_plan(cast, [{"kind": "change_level", "codes": ["XP-C"], "level": Level.BASE, "sector": "school"}])

    services.plan_apply(plan=plan, by=cast.provincial)

    assert (_org("XP-C").level.code, _org("XP-C").sector) == (Level.BASE, "school")


def test_rename_move_and_sector_change_are_applied(cast):
    factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    plan = make_plan(
        cast,
        [
            {"kind": "rename", "codes": ["XP-A"], "new_name": "Công đoàn khu vực A"},
            {"kind": "move", "codes": ["XP-B-01"], "target": "XP-C"},
            {"kind": "change_sector", "codes": ["XP-A-01"], "sector": "hcsn"},
        ],
    )

    services.plan_apply(plan=plan, by=cast.provincial)

    assert _org("XP-A").name == "Công đoàn khu vực A"
    assert _org("XP-B-01").parent().code == "XP-C"
    assert _org("XP-A-01").sector == "hcsn"
    assert sorted(plan.records.values_list("kind", flat=True)) == ["move"]


def test_targets_from_the_plans_year_on_follow_the_successor_and_earlier_ones_stay(cast):
    program = builders.program(cast.province, end=2030)
    indicator = builders.indicator(program, "members_total", code="9")
    earlier = builders.target(indicator, cast.district, 100, year=2024)
    later = builders.target(indicator, cast.district, 120, year=2026)
    term = builders.target(indicator, cast.district, 500)
    plan = make_plan(cast, REFORM)

    services.plan_apply(plan=plan, by=cast.provincial)

    region = _org("XP-KV1")
    assert Target.objects.get(pk=earlier.pk).organization.code == "XP-A"
    assert {Target.objects.get(pk=t.pk).organization for t in (later, term)} == {region}


def _apply_counting(cast, branches_per_district: int) -> int:
    for district in (cast.district, cast.sibling):
        for n in range(branches_per_district):
            branch = factories.make_branch(district, code=f"{district.code}-9{n:02d}")
            factories.make_organization(branch, code=f"{branch.code}-T", level_code=Level.BELOW_BASE)
    plan = make_plan(cast, REFORM)
    with CaptureQueriesContext(connection) as queries:
        services.plan_apply(plan=plan, by=cast.provincial)
    assert _org("XP-KV1").children().count() == 2 + 2 * branches_per_district
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    return len(queries)


@pytest.mark.parametrize("more", [12])
def test_a_dissolution_moves_its_children_in_bulk_not_one_by_one(cast, more):
    """The queries of the apply do not grow with the children handed over (each still recorded as a move)."""
    with transaction.atomic():
        few = transaction.savepoint()
        small = _apply_counting(cast, 1)
        transaction.savepoint_rollback(few)
    large = _apply_counting(cast, more)

    assert large == small
    assert RestructuringOperation.objects.filter(kind="move", links__organization__code__startswith="XP-").count() == (
        2 + 2 * more
    )
