"""Share of workplaces with a union: '>80 % of units/enterprises with 5 or more workers have a CĐCS' (seed 000)."""

import datetime
from decimal import Decimal

from indicators.engine import measure, measure_children
from organizations import services
from organizations.models import WorkplaceKind
from tests import builders, factories

NON_STATE = WorkplaceKind.NON_STATE_ENTERPRISE


def test_it_counts_workplaces_of_five_or_more_workers_with_a_union_on_the_period_end(cast):
    # District A: 4 enterprises with ≥5 workers (3 with a union), 1 with 3 workers (ignored), 1 school (ignored).
    new_branch = factories.make_branch(cast.district, code="XP-A-DN", founded_on=datetime.date(2024, 3, 1))
    factories.make_workplace(cast.district, code="E1", workers=5, kind=NON_STATE, branch=cast.branch)
    factories.make_workplace(cast.district, code="E2", workers=50, kind=NON_STATE, branch=new_branch)
    factories.make_workplace(cast.district, code="E3", workers=9, kind=WorkplaceKind.FDI_ENTERPRISE, branch=cast.branch)
    factories.make_workplace(cast.district, code="E4", workers=6, kind=NON_STATE)
    factories.make_workplace(cast.district, code="E5", workers=3, kind=NON_STATE)
    factories.make_workplace(cast.district, code="S1", workers=40, kind=WorkplaceKind.SCHOOL)
    # District B: 1 of 2 unionized.
    factories.make_workplace(cast.sibling, code="B1", workers=12, kind=NON_STATE, branch=cast.sibling_branch)
    factories.make_workplace(cast.sibling, code="B2", workers=12, kind=NON_STATE)

    prog = builders.program(cast.province)
    ind = builders.indicator(
        prog,
        "workplaces_unionized_share",
        workplace_kinds=[NON_STATE, WorkplaceKind.FDI_ENTERPRISE, WorkplaceKind.STATE_ENTERPRISE],
        min_workers=5,
        comparison="gt",
        target_value=80,
    )

    year_2024 = measure(ind, cast.district, builders.period("2024"))
    assert (year_2024.numerator, year_2024.denominator, year_2024.value) == (3, 4, Decimal("75.00"))
    # On 31/12/2023 the branch of E2 did not exist yet: 2 of 4.
    assert measure(ind, cast.district, builders.period("2023")).value == Decimal("50.00")
    # The province: 4 of 6.
    assert measure(ind, cast.province, builders.period("2024")).value == Decimal("66.67")

    by_child = measure_children(ind, cast.province, builders.period("2024"), [cast.district, cast.sibling])
    assert by_child[cast.district.pk].value == Decimal("75.00")
    assert by_child[cast.sibling.pk].value == Decimal("50.00")


def test_a_dissolved_branch_no_longer_makes_its_workplace_unionized(cast):
    factories.make_workplace(cast.district, code="E1", workers=20, kind=NON_STATE, branch=cast.branch)
    services.organization_dissolve(organization=cast.branch, effective_date=datetime.date(2024, 6, 30))
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "workplaces_unionized_share", min_workers=5, target_value=80)
    assert measure(ind, cast.district, builders.period("2023")).value == Decimal("100.00")
    assert measure(ind, cast.district, builders.period("2024")).value == Decimal("0.00")


def test_no_workplace_to_count_is_no_data(cast):
    prog = builders.program(cast.province)
    ind = builders.indicator(prog, "workplaces_unionized_share", min_workers=5, target_value=80)
    result = measure(ind, cast.district, builders.period("2024"))
    assert result.value is None and result.denominator == 0


def test_workplaces_of_25_or_more_workers_with_and_without_a_union(cast):
    factories.make_workplace(cast.district, code="E1", workers=25, kind=NON_STATE, branch=cast.branch)
    factories.make_workplace(cast.district, code="E2", workers=30, kind=NON_STATE)
    factories.make_workplace(cast.district, code="E3", workers=24, kind=NON_STATE)
    prog = builders.program(cast.province)
    every = builders.indicator(prog, "workplaces_count", min_workers=25)
    with_union = builders.indicator(prog, "workplaces_count", min_workers=25, union_filter="with")
    without = builders.indicator(prog, "workplaces_count", min_workers=25, union_filter="without")
    year = builders.period("2024")
    assert [measure(i, cast.district, year).value for i in (every, with_union, without)] == [2, 1, 1]
