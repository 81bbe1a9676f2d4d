"""The parts' SQL compiled once per process (indicators/engine/compiled.py): the same figures as the
querysets built afresh, for every base union that reuses a statement, and never a statement of an
indicator as it was before an edit."""

from __future__ import annotations

from indicators.engine import compiled as compiled_sql
from indicators.engine import parts_by_prefix, parts_for_many
from indicators.models import Measure
from organizations.models import Level, Organization
from tests import factories
from tests.reports.test_refresh_series import world  # noqa: F401 - fixture

MEMBER_MEASURES = {Measure.MEMBERS_STOCK, Measure.MEMBERS_JOINED, Measure.MEMBERS_LEFT, Measure.PEOPLE_TRAINED_SHARE}


def test_each_base_union_gets_its_own_figures_from_statements_compiled_once(cast, world):  # noqa: F811
    indicators = [i for i in world["indicators"] if i.measure not in MEMBER_MEASURES]
    periods = world["periods"]
    branches = list(Organization.objects.filter(level__code=Level.BASE).order_by("path"))
    assert len(branches) >= 4
    compiled_sql._store.clear()
    sizes, differ = [], set()
    for branch in branches:
        series = parts_for_many([(i, periods) for i in indicators], length=len(branch.path), within=branch)
        sizes.append(len(compiled_sql._store))
        for indicator in indicators:
            for period in periods:
                alone = parts_by_prefix(indicator, period, length=len(branch.path), within=branch)
                assert series.get(indicator.pk, {}).get(period.pk, {}) == alone, (branch.code, indicator, period)
                differ.add(repr(sorted(alone.items())))
    assert sizes[0] > 0 and len(set(sizes)) == 1  # compiled for the first base union, reused by the others
    assert len(differ) > 3  # not a comparison of empty groups: the base unions' figures differ


def test_an_edited_indicator_is_compiled_again(cast, world):  # noqa: F811
    indicator = next(i for i in world["indicators"] if i.measure == Measure.WORKPLACES_UNIONIZED_SHARE)
    factories.make_workplace(cast.district, code="W3", workers=6, branch=cast.branch)
    period = world["periods"][-1]
    length = len(cast.district.path)

    def shown():
        return parts_for_many([(indicator, [period])], length=length, within=cast.district)[indicator.pk][period.pk]

    before = shown()[cast.district.path]
    indicator.min_workers = 10
    indicator.save()
    after = shown()[cast.district.path]
    assert (before.numerator, before.denominator) == (2, 2)
    assert (after.numerator, after.denominator) == (1, 1)
    assert after == parts_by_prefix(indicator, period, length=length, within=cast.district)[cast.district.path]


def test_on_postgresql_the_years_of_an_indicator_share_one_statement(cast, world):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicators = [i for i in world["indicators"] if i.measure not in MEMBER_MEASURES]
    periods = world["periods"]
    with CaptureQueriesContext(connection) as queries:
        parts_for_many([(i, periods) for i in indicators], length=len(cast.branch.path), within=cast.branch)
    union = max((q["sql"] for q in queries.captured_queries), key=len)
    lateral = union.count("CROSS JOIN LATERAL")
    if connection.vendor == "postgresql":
        # Every one of these measures reads only its window's dates and period: one subquery per indicator
        # and part, whatever the number of years (the per-year subqueries were len(periods) times as many).
        assert lateral >= len(indicators) and union.count(" UNION ALL ") < 3 * len(indicators)
    else:
        assert lateral == 0


def test_a_process_that_starts_reads_what_another_compiled_from_the_shared_cache(cast, world, monkeypatch):  # noqa: F811
    indicators = [i for i in world["indicators"] if i.measure not in MEMBER_MEASURES]
    periods = world["periods"]
    items = [(i, periods) for i in indicators]
    first = parts_for_many(items, length=len(cast.branch.path), within=cast.branch)
    compiled_sql._store.clear()  # a new worker: nothing of its own yet

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled_sql, "_compile", no_compiling)
    assert parts_for_many(items, length=len(cast.branch.path), within=cast.branch) == first
    assert len(compiled_sql._store) > 0


def test_a_base_unions_members_measures_read_each_members_first_training_by_the_index(cast, world):  # noqa: F811
    """A base union's people trained (its members' first trainings read one by one, the program's
    start too): the same as each period measured on its own."""
    indicators = [i for i in world["indicators"] if i.measure in MEMBER_MEASURES]
    assert any(i.trained_within_program for i in indicators)
    periods = world["periods"]
    seen = set()
    for branch in Organization.objects.filter(level__code=Level.BASE).order_by("path"):
        series = parts_for_many([(i, periods) for i in indicators], length=len(branch.path), within=branch)
        for indicator in indicators:
            for period in periods:
                alone = parts_by_prefix(indicator, period, length=len(branch.path), within=branch)
                assert series.get(indicator.pk, {}).get(period.pk, {}) == alone, (branch.code, indicator, period)
                if indicator.measure == Measure.PEOPLE_TRAINED_SHARE:
                    seen.update(p.numerator for p in alone.values())
    assert len(seen) > 1  # trained people counted, not only zeros


def test_several_subtrees_measured_side_by_side_in_the_same_queries(cast, world):  # noqa: F811
    """A report's branches then, now under two bodies: each subtree's groups as measured alone, in the queries
    of one subtree (every measure, several periods and one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicators, periods = world["indicators"], world["periods"]
    subtrees = [cast.district, cast.sibling]
    length = len(cast.district.path) + Organization.steplen  # their base unions
    for chosen in (periods, periods[-1:]):
        items = [(i, chosen) for i in indicators]
        with CaptureQueriesContext(connection) as one:
            parts_for_many(items, length=length, within=cast.district)
        with CaptureQueriesContext(connection) as both:
            together = parts_for_many(items, length=length, within=subtrees)
        assert len(both) == len(one)
        found = set()
        for indicator in indicators:
            for period in chosen:
                alone = {}
                for subtree in subtrees:
                    alone.update(parts_by_prefix(indicator, period, length=length, within=subtree))
                assert together.get(indicator.pk, {}).get(period.pk, {}) == alone, (indicator, period)
                found.update(key[: len(cast.district.path)] for key in alone)
        assert found == {cast.district.path, cast.sibling.path}  # both subtrees have figures: not an empty check
