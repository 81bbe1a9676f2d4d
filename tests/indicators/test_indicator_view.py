"""The indicator page: its definition in words, its targets per organization and year, the actual per child."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import engine
from indicators.models import Measure, ValueType
from indicators.status import Status
from indicators.templatetags.indicator_tags import definition
from organizations.models import Sector
from tests import builders, factories


@pytest.fixture
def rated(cast):
    program = builders.program(cast.province, start=2021, end=2025, code="XP-CTR")
    rating = builders.element("t_rating", ValueType.CHOICE)
    indicator = builders.indicator(
        program,
        "organizations_share",
        code="4.1",
        name="CĐCS hoàn thành tốt nhiệm vụ trở lên",
        source_text="Hàng năm, phấn đấu có trên 97% CĐCS hoàn thành tốt nhiệm vụ.",
        element=rating,
        min_choice="good",
        sectors=[Sector.ADMINISTRATION, Sector.SCHOOL],
        comparison="gt",
        target_value=97,
        unit="%",
    )
    year = builders.period("2024")
    builders.report(rating, cast.branch, year, "excellent")
    builders.report(rating, cast.sibling_branch, year, "done")
    return indicator, year, rating


def url(indicator) -> str:
    return reverse("indicators:detail", kwargs={"code": indicator.program.code, "indicator": indicator.code})


def test_the_page_gives_the_actual_and_status_of_every_child(cast, login, rated):
    indicator, year, _rating = rated
    response = login(cast.provincial).get(url(indicator), {"period": "2024"})
    assert response.context["organization"] == cast.province
    assert response.context["measurement"].value == 50
    children = {c.organization.code: c for c in response.context["children"]}
    assert list(children) == ["XP-A", "XP-B"]
    assert (children["XP-A"].measurement.value, children["XP-A"].status) == (100, Status.EXCEEDED)
    assert (children["XP-B"].measurement.value, children["XP-B"].status) == (0, Status.NOT_ACHIEVED)
    assert children["XP-A"].target.source == "inherited"  # "97 % of branches" holds for each district too
    for child in response.context["children"]:
        assert child.measurement == engine.measure(indicator, child.organization, year)
    assert "Hàng năm, phấn đấu có trên 97% CĐCS hoàn thành tốt nhiệm vụ." in response.content.decode()


def test_drilling_down_to_a_district_lists_its_branches(cast, login, rated):
    indicator, _year, _rating = rated
    response = login(cast.owner).get(url(indicator), {"org": "XP-A", "period": "2024"})
    assert [c.organization for c in response.context["children"]] == [cast.branch]
    assert not response.context["can_allocate"]


def test_the_definition_is_written_out_from_the_measure_and_its_parameters(rated):
    indicator, _year, _rating = rated
    words = definition(indicator)
    assert words.summary
    facts = dict(words.facts)
    condition = next(text for text in facts.values() if "t_rating" in text)
    assert "Hoàn thành tốt nhiệm vụ" in condition  # the grade, as the catalogue writes it
    assert len(words.facts) >= 5  # bodies counted, sectors, condition, result, target, allocation


@pytest.mark.parametrize("measure", list(Measure))
def test_every_measure_has_words(cast, measure):
    program = builders.program(cast.province)
    element = builders.element("t_figure")
    fields = {"element": element, "denominator": element} if measure.startswith(("reported", "average")) else {}
    indicator = builders.indicator(program, measure, target_value=1, **fields)
    assert definition(indicator).summary


def test_the_targets_table_lists_the_targets_set_per_body_and_year(cast, login, rated):
    indicator, _year, _rating = rated
    builders.target(indicator, cast.district, 98, year=2024)
    builders.target(indicator, cast.sibling, 95)
    rows = login(cast.provincial).get(url(indicator)).context["targets"]
    assert [(r.organization.code, sorted(r.by_year, key=str)) for r in rows] == [("XP-A", [2024]), ("XP-B", [None])]
    rows = login(cast.owner).get(url(indicator)).context["targets"]
    assert [r.organization.code for r in rows] == ["XP-A"]  # only what the user sees


def test_the_indicator_page_reads_a_fixed_number_of_queries(cast, login, rated):
    indicator, year, rating = rated
    client = login(cast.provincial)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(indicator), {"org": "XP-A", "period": "2024"}).status_code == 200
        return len(queries)

    client.get(
        url(indicator), {"org": "XP-A", "period": "2024"}
    )  # the first page of a session also counts the navigation bar's to-do list (kept a minute)
    small = count()
    for n in range(2, 15):
        branch = factories.make_branch(cast.district, code=f"XP-A-{n:02d}")
        builders.report(rating, branch, year, "good")
        builders.target(indicator, branch, 90, year=2024)
    assert count() == small
