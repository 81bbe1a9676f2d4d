"""The program page: every indicator with its target, the actual and the status, for a chosen organization and year."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import engine
from indicators.models import ValueType
from indicators.status import Status, evaluate, target_for
from organizations.models import Sector
from tests import builders, factories


@pytest.fixture
def setup(cast):
    """A provincial program with one indicator of each kind the page must show."""
    program = builders.program(cast.province, start=2021, end=2025, code="XP-CTR")
    rating = builders.element("t_rating", ValueType.CHOICE)
    houses = builders.element("t_houses", level="upper")
    indicators = {
        "share": builders.indicator(
            program, "organizations_share", code="1", element=rating, min_choice="good", target_value=90
        ),
        "sum": builders.indicator(program, "reported_sum", code="2", element=houses, target_value=20),
        "founded": builders.indicator(
            program, "branches_founded", code="3", target_value=4, allocation="sum", name="Thành lập CĐCS mới"
        ),
        "stock": builders.indicator(
            program, "members_stock", code="4", target_value=500, time_rule="by_year", target_year=2025
        ),
        "task": builders.indicator(program, "qualitative", code="5", name="Tuyên truyền"),
    }
    year = builders.period("2024")
    builders.report(rating, cast.branch, year, "good")
    builders.report(rating, cast.sibling_branch, year, "done")
    builders.report(houses, cast.district, year, 12)
    builders.report(houses, cast.sibling, year, 9)
    builders.target(indicators["founded"], cast.district, 2, year=2024)
    builders.target(indicators["founded"], cast.sibling, 1, year=2024)
    factories.make_branch(cast.district, code="XP-A-02", founded_on=datetime.date(2024, 5, 1))
    return {"program": program, "indicators": indicators, "year": year, "elements": (rating, houses)}


def page(client, org=None, period="2024"):
    params = {"period": period}
    if org is not None:
        params["org"] = org.code
    return client.get(reverse("indicators:program", kwargs={"code": "XP-CTR"}), params)


def test_every_indicator_is_listed_with_its_target_actual_and_status(cast, login, setup):
    response = page(login(cast.provincial))
    assert response.context["organization"] == cast.province  # the program's own scope by default
    scores = {s.indicator.code: s for s in response.context["scores"]}
    assert list(scores) == ["1", "2", "3", "4", "5"]
    # 1 of the 2 branches that reported is rated good (XP-A-02 was founded in 2024 and has not been
    # rated): 2 of 3 reporting is below the program's 90 %, so no verdict is drawn.
    assert (str(scores["1"].measurement.value), scores["1"].status) == ("50.00", Status.INSUFFICIENT)
    assert (scores["1"].measurement.reported, scores["1"].measurement.expected) == (2, 3)
    assert (scores["2"].measurement.value, scores["2"].status) == (21, Status.EXCEEDED)
    assert scores["3"].measurement.value == 1 and scores["3"].status == Status.NOT_ACHIEVED
    assert scores["5"].status == Status.NO_DATA and scores["5"].is_qualitative
    allocation = scores["3"].allocation  # 2 + 1 allocated to the districts against the province's 4
    assert (allocation.parent_value, allocation.children_value, allocation.ok) == (4, 3, False)
    html = response.content.decode()
    assert "50,00\u00a0%" in html and "1 / 2" in html  # the actual the Vietnamese way, and what it is made of
    assert "2/3 CĐCS báo cáo" in html  # what it rests on
    assert "Chưa đủ số liệu" in html and "dưới 90 % đơn vị báo cáo" in html  # the status, and the rule that gave it


def test_the_page_follows_the_chosen_organization_and_year(cast, login, setup):
    response = page(login(cast.provincial), org=cast.district, period="2024")
    scores = {s.indicator.code: s for s in response.context["scores"]}
    assert scores["1"].measurement.value == 100  # XP-A-01 rated good, XP-A-02 not rated: over the one that reported
    assert scores["1"].status == Status.INSUFFICIENT
    assert scores["2"].target is None and scores["2"].status == Status.NO_DATA  # a count is not inherited
    assert scores["3"].target.value == 2 and scores["3"].target.source == "allocated"
    assert scores["3"].measurement.value == 1 and scores["3"].status == Status.NOT_ACHIEVED
    for score in response.context["scores"]:  # the same rules as indicators/status.py
        target = target_for(score.indicator, cast.district, 2024)
        actual = engine.measure(score.indicator, cast.district, setup["year"])
        assert score.status == evaluate(score.indicator, target, actual, setup["year"])


def test_a_district_officer_sees_their_district_by_default(cast, login, setup):
    response = page(login(cast.owner))
    assert response.context["organization"] == cast.district
    assert cast.province not in response.context["organizations"]


def test_a_year_outside_the_program_or_not_started_is_404(cast, login, setup):
    assert page(login(cast.provincial), period="2019").status_code == 404
    assert page(login(cast.provincial), period="2024-H2").status_code == 404  # no such half-year on record


def test_the_periods_are_the_started_years_and_the_half_years_on_record(cast, login, setup):
    builders.period("2023-H1")
    codes = [p.code for p in page(login(cast.provincial)).context["periods"]]
    assert codes[:4] == ["2021", "2022", "2023", "2023-H1"]
    assert "2024" in codes and "2026" not in codes


def test_the_program_page_reads_a_fixed_number_of_queries(cast, login, setup):
    client = login(cast.provincial)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert page(client).status_code == 200
        return len(queries)

    page(client)  # the first page of a session also counts the navigation bar's to-do list (kept a minute)
    small = count()
    rating, houses = setup["elements"]
    year = setup["year"]
    for n in range(2, 12):
        branch = factories.make_branch(cast.sibling, code=f"XP-B-{n:02d}", sector=Sector.SCHOOL)
        builders.report(rating, branch, year, "excellent")
        for _ in range(3):
            builders.member(branch, trained=datetime.date(2022, 3, 1))
    district = factories.make_organization(cast.province, code="XP-C")
    builders.report(houses, district, year, 3)
    builders.target(setup["indicators"]["founded"], district, 1, year=2024)
    assert count() == small
