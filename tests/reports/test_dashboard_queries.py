"""Every dashboard bounded in queries (issue 17, point 3): a base union's ≤ 30, a district's ≤ 25, on a
world of two programs, five years and half-years and every shape of indicator — and the figures the
pages show are those the old computation gives (measure() per year, measure_children() per indicator).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.engine import measure, measure_children
from indicators.models import Indicator, Measure, ReportingPeriod
from organizations.models import Level
from reports import rollups
from reports.data import build_report, report_indicators
from tests import builders

from .test_refresh_series import world  # noqa: F401 - fixture


def _url(organization, program, period="2024") -> str:
    return reverse("reports:dashboard", kwargs={"code": organization.code, "program": program.code, "period": period})


@pytest.fixture
def programs(cast, world):  # noqa: F811
    """The world's first program, and a second one with the same kinds of indicator, both seen from the province."""
    first = world["indicators"][0].program
    second = builders.program(cast.province, start=2022, end=2026)
    for model in world["indicators"][:8]:
        builders.indicator(
            second,
            model.measure,
            time_rule=model.time_rule,
            women_only=model.women_only,
            sectors=model.sectors,
            roles=model.roles,
        )
    builders.indicator(second, Measure.MEMBERS_STOCK, target_value=5)
    rollups.refresh()
    return [first, second]


def _shown(response):
    return response.context["data"]


def _assert_same_figures(data, organization, program) -> None:
    period = ReportingPeriod.objects.get(code="2024")
    models = {i.code: i for i in Indicator.objects.filter(program=program)}
    for report in data.indicators:
        model = models[report.code]
        assert report.figure.actual == measure(model, organization, period).value, report.code
        for point in report.trend:
            year = ReportingPeriod.objects.get(code=point.period)
            assert point.actual == measure(model, organization, year).value, (report.code, point.period)
        children = [c for c in organization.children().filter(status="active").order_by("code") if c.is_base]
        if children:
            old = measure_children(model, organization, period, children)
            for figure, child in zip(report.children, children, strict=True):
                assert figure.actual == old[child.pk].value, (report.code, child.code)


@pytest.fixture
def computed(settings):
    """The dashboards computed on every request: the queries of the computation, not of the cache's hits
    (tests/reports/test_dashboard_cache.py counts those)."""
    settings.REPORT_CACHE_SECONDS = 0


def test_a_base_unions_dashboard_makes_at_most_30_queries_and_shows_the_same_figures(
    cast, login, programs, django_assert_max_num_queries, computed
):
    client = login(cast.owner)
    for program in programs:
        client.get(_url(cast.branch, program))  # warm the per-process caches (levels, content types)
        with django_assert_max_num_queries(30):
            response = client.get(_url(cast.branch, program))
        assert response.status_code == 200
        data = _shown(response)
        assert len(data.indicators) >= 9 and len(data.indicators[0].trend) >= 3
        _assert_same_figures(data, cast.branch, program)


def test_a_districts_dashboard_makes_at_most_25_queries_and_shows_the_same_figures(
    cast, login, programs, django_assert_max_num_queries, computed
):
    client = login(cast.owner)
    for program in programs:
        client.get(_url(cast.district, program))
        with django_assert_max_num_queries(25):
            response = client.get(_url(cast.district, program))
        assert response.status_code == 200
        data = _shown(response)
        assert len(data.indicators[0].children) >= 2
        _assert_same_figures(data, cast.district, program)


def test_a_base_unions_report_reads_no_rollup_and_its_parent_comes_with_its_children(cast, programs):
    """A base union has no rollups (reports.rollups keeps them above the base level): its report asks for none;
    the body above it, which the header names, is read in the query of the children, not in one of its own."""
    period = ReportingPeriod.objects.get(code="2024")
    for body, parent, reads_rollups in ((cast.branch, cast.district, False), (cast.district, cast.province, True)):
        with CaptureQueriesContext(connection) as captured:
            data = build_report(body, programs[0], period)
        assert data.organization["parent_name"] == parent.name
        assert any("reports_rollup" in q["sql"] for q in captured) is reads_rollups, body.code
        alone = f'"organizations_organization"."path" = \'{parent.path}\''
        # Organization.parent(): the parent read on its own.
        assert not [q for q in captured if alone in q["sql"] and "LIMIT 1" in q["sql"]], body.code
    district = build_report(cast.district, programs[0], period)
    expected = list(
        cast.district.children().filter(status="active").exclude(level__code=Level.BELOW_BASE).order_by("code")
    )
    assert [c["code"] for c in district.children] == [c.code for c in expected]


def test_the_reports_indicators_come_with_their_related_rows_without_a_join(cast, programs):
    """report_indicators: the program, levels and data elements select_related gave, read without joining
    seven tables (PostgreSQL planned that join for longer than it ran); nothing more is read afterwards."""
    # An indicator of a level of its own, which no data element has: its level comes in a query of its own.
    Indicator.objects.filter(pk=programs[1].indicators.order_by("pk")[0].pk).update(
        level=Level.objects.get(code=Level.UPPER)
    )
    with_elements = 0
    for program in programs:
        joined = {
            i.pk: i
            for i in program.indicators.exclude(measure=Measure.QUALITATIVE).select_related(
                "program", "element__level", "denominator", "eligibility", "level"
            )
        }
        with CaptureQueriesContext(connection) as captured:
            indicators = report_indicators(program)
        assert len(captured) <= 3
        assert not [q for q in captured if "indicators_indicator" in q["sql"] and "JOIN" in q["sql"]]
        assert [i.pk for i in indicators] == list(
            program.indicators.exclude(measure=Measure.QUALITATIVE)
            .order_by("order", "code")
            .values_list("pk", flat=True)
        )
        with CaptureQueriesContext(connection) as afterwards:
            for indicator in indicators:
                expected = joined[indicator.pk]
                assert indicator.program.pk == program.pk and indicator.program.scope_id == program.scope_id
                assert indicator.level == expected.level
                for name in ("element", "denominator", "eligibility"):
                    assert getattr(indicator, name) == getattr(expected, name), (indicator.code, name)
                if indicator.element is not None:
                    assert indicator.element.level == expected.element.level
        assert len(afterwards) == 0
        with_elements += sum(1 for i in indicators if i.element_id)
        if program == programs[1]:
            assert [i.level.code for i in indicators if i.level_id] == [Level.UPPER]
        # A report of a year before a restructuring sets the program's scope in memory: on its own copy only.
        indicators[0].program.scope_id = cast.district.pk
        assert program.scope_id != cast.district.pk
        assert all(i.program.scope_id == cast.district.pk for i in indicators)
    assert with_elements  # the world holds indicators of data elements, so that their reading is checked
