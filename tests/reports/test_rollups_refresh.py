"""The stored rollups give the same figures as computing them live, after a full and after a subtree refresh."""

import datetime

import pytest

from indicators.engine import ZERO, Parts, from_parts, measure
from indicators.models import ValueType
from members.models import BranchRole
from organizations.models import Sector
from reports import rollups
from reports.models import Rollup
from tests import builders, factories

D = datetime.date


@pytest.fixture
def world(cast):
    """Two districts with branches, members, workplaces and reported figures, and one indicator per shape."""
    rating = builders.element("rating_1294", ValueType.CHOICE)
    houses = builders.element("union_houses", level="upper")
    year, h1 = builders.period("2024"), builders.period("2024-H1")
    extra = factories.make_branch(cast.district, code="XP-A-02", sector=Sector.NON_STATE_ENTERPRISE)
    factories.make_workplace(cast.district, code="E1", workers=30, branch=extra)
    factories.make_workplace(cast.district, code="E2", workers=8)
    factories.make_workplace(cast.sibling, code="E3", workers=12, branch=cast.sibling_branch)
    for branch, grade in ((cast.branch, "good"), (extra, "done"), (cast.sibling_branch, "excellent")):
        builders.report(rating, branch, year, grade)
    builders.report(houses, cast.district, year, 12)
    builders.report(houses, cast.sibling, year, 30)
    builders.member(cast.branch, role=BranchRole.CHAIR, trained=D(2022, 1, 1), gender="female")
    builders.member(extra, role=BranchRole.CHAIR)
    builders.member(cast.sibling_branch, joined=D(2024, 3, 1))
    prog = builders.program(cast.national, start=2021, end=2025)
    indicators = [
        builders.indicator(prog, "workplaces_unionized_share", min_workers=5, target_value=80),
        builders.indicator(prog, "organizations_share", element=rating, min_choice="good", target_value=85),
        builders.indicator(prog, "people_trained_share", roles=[BranchRole.CHAIR], target_value=100),
        builders.indicator(prog, "members_stock", target_value=3),
        builders.indicator(prog, "members_joined", target_value=1),
        builders.indicator(prog, "reported_sum", element=houses, target_value=40),
        builders.indicator(prog, "branches_active"),
    ]
    return {"indicators": indicators, "periods": [year, h1], "rating": rating, "extra": extra}


def stored(indicator, organization, period):
    row = Rollup.objects.filter(indicator=indicator, organization=organization, period=period).first()
    parts = Parts(row.numerator, row.denominator, row.reported, row.expected) if row else ZERO
    return from_parts(indicator, parts, period)


def stored_values(cast, world, bodies=None) -> dict:
    return {
        (indicator.pk, organization.pk, period.pk): stored(indicator, organization, period).value
        for indicator in world["indicators"]
        for period in world["periods"]
        for organization in bodies or (cast.national, cast.province, cast.district, cast.sibling)
    }


def assert_rollups_match(cast, world, periods=None, bodies=None):
    for indicator in world["indicators"]:
        for period in periods or world["periods"]:
            for organization in bodies or (cast.national, cast.province, cast.district, cast.sibling):
                live = measure(indicator, organization, period)
                assert stored(indicator, organization, period).value == live.value, (
                    indicator.measure,
                    organization.code,
                    period.code,
                )


def test_a_full_refresh_stores_what_a_live_computation_gives(cast, world):
    result = rollups.refresh()
    assert result.rows == 7 * 2 * 4  # indicators × periods × bodies above the base level
    assert_rollups_match(cast, world)
    members = world["indicators"][3]
    assert stored(members, cast.national, world["periods"][0]).value == 3


def test_a_subtree_refresh_passes_the_difference_up_to_the_ancestors(cast, world):
    rollups.refresh()
    builders.member(cast.branch, joined=D(2024, 5, 1))
    builders.report(world["rating"], cast.branch, builders.period("2024-H1"), "good")  # not annual: ignored
    rollups.refresh(within=cast.district)
    assert_rollups_match(cast, world)
    members = world["indicators"][3]
    assert stored(members, cast.province, world["periods"][0]).value == 4


def test_a_restructuring_is_followed_by_refreshing_both_subtrees(cast, world):
    from organizations import services

    rollups.refresh()
    before = stored_values(cast, world)
    services.organization_move(organization=world["extra"], new_parent=cast.sibling, effective_date=D(2024, 12, 1))
    rollups.refresh(within=cast.district)
    rollups.refresh(within=cast.sibling)
    year, h1 = world["periods"]
    # 2024, which the move falls in, is on the new tree; 2024-H1 ended before it and keeps the old one
    # (reports.history: sealed), even through a full refresh.
    assert_rollups_match(cast, world, periods=[year])
    rollups.refresh()
    after = stored_values(cast, world)
    assert {k: v for k, v in after.items() if k[2] == h1.pk} == {k: v for k, v in before.items() if k[2] == h1.pk}
    moved = [k for k in before if k[2] == h1.pk and k[1] == cast.district.pk and before[k] != after.get(k)]
    assert moved == [], "the old district keeps its first-half figures"
    assert any(before[k] != after[k] for k in before if k[2] == year.pk), "the year itself follows the move"


def test_indicators_using_an_element_are_found(world):
    found = set(rollups.indicators_using(element_ids=[world["rating"].pk]).values_list("measure", flat=True))
    assert found == {"organizations_share"}


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="row locks and two connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_subtree_refreshes_at_once_lose_neither_change(cast, world):
    """Two grid saves in sibling districts at the same moment both reach the province's total."""
    import threading

    from django.db import connections, transaction

    rollups.refresh()
    members = world["indicators"][3]
    year = world["periods"][0]
    before = stored(members, cast.province, year).value
    national_before = stored(members, cast.national, year).value

    first_locked, second_done = threading.Event(), threading.Event()

    def second_refresh():
        try:
            first_locked.wait(10)
            builders.member(cast.sibling_branch, joined=D(2024, 6, 1))
            rollups.refresh(within=cast.sibling, indicators=[members], periods=[year])
        finally:
            connections.close_all()
            second_done.set()

    thread = threading.Thread(target=second_refresh)
    thread.start()
    with transaction.atomic():
        builders.member(cast.branch, joined=D(2024, 6, 2))
        rollups.refresh(within=cast.district, indicators=[members], periods=[year])
        first_locked.set()
        # The second refresh now waits for this transaction's locks rather than reading the
        # province total as it was before this change.
        assert not second_done.wait(1.5)
    thread.join(20)
    assert second_done.is_set()
    assert stored(members, cast.province, year).value == before + 2
    assert stored(members, cast.national, year).value == national_before + 2


def test_a_merger_of_upper_level_unions_refreshes_their_subtrees_and_the_bodies_above(
    cast, world, django_capture_on_commit_callbacks
):
    """branch_merge's hook names the merged bodies and the one merged into (not their parent): enough."""
    from organizations import services

    rollups.refresh()
    with django_capture_on_commit_callbacks(execute=True):  # the hook's refresh, inline in the tests
        services.branch_merge(sources=[cast.sibling], into=cast.district, effective_date=D(2024, 12, 1))
    year = world["periods"][0]  # the merger falls in 2024 (on the new tree); 2024-H1 ended before it (sealed)
    for indicator in world["indicators"]:
        for organization in (cast.national, cast.province, cast.district):  # the bodies that go on
            live = measure(indicator, organization, year).value
            assert stored(indicator, organization, year).value == live, (indicator.measure, organization.code)
    members = world["indicators"][3]
    assert stored(members, cast.district, world["periods"][0]).value == 3
    assert stored(members, cast.national, world["periods"][0]).value == 3
