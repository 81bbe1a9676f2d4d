"""Every data-entry and workflow page: anonymous → login, outsider → 404 (GET and POST, the htmx cell
endpoint included), read-only colleague → 403 on every write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests import builders

PERIOD = "2024"


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[dict], str]
    write: bool


def at(name: str, target: str = "district") -> Callable[[dict], str]:
    return lambda o: reverse(name, kwargs={"period": PERIOD, "code": o[target].code})


def cell_url(o: dict) -> str:
    return reverse(
        "indicators:cell",
        kwargs={"period": PERIOD, "code": o["district"].code, "row": o["branch"].code, "element": o["element"].code},
    )


ROUTES = [
    Route("indicators:grid", at("indicators:grid"), write=False),
    Route("indicators:grid (branch)", at("indicators:grid", "branch"), write=False),
    Route("indicators:cell", cell_url, write=True),
    Route("indicators:submit", at("indicators:submit"), write=True),
    Route("indicators:review", at("indicators:review"), write=False),
    Route("indicators:accept", at("indicators:accept"), write=True),
    Route("indicators:return", at("indicators:return"), write=True),
    Route("indicators:reopen", at("indicators:reopen"), write=True),
    Route("indicators:waive", at("indicators:waive"), write=True),
]
WRITES = [r for r in ROUTES if r.write]


@pytest.fixture
def objects(cast):
    builders.period(PERIOD)
    return {"district": cast.district, "branch": cast.branch, "element": builders.element("t_workers_total")}


def test_the_periods_list_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("indicators:periods"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, route):
    url = route.url(objects)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    # A cell's save from an expired session: 401 for the page's script, never the login page in the cell.
    refused = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 401 and refused.json()["login_url"] == reverse("login")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_from_the_sibling_district_gets_404(cast, login, objects, route, method):
    response = getattr(login(cast.outsider), method)(route.url(objects), {"value": "5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_an_outsider_gets_404_on_the_periods_of_a_foreign_district(cast, login, objects):
    response = login(cast.outsider).get(reverse("indicators:periods"), {"org": cast.district.code})
    assert response.status_code == 404


@pytest.mark.parametrize("route", WRITES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_writes(cast, login, objects, route, method):
    response = getattr(login(cast.colleague), method)(
        route.url(objects), {"value": "5", "comment": "x", "reason": "x"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write], ids=lambda r: r.name)
def test_the_read_only_colleague_can_read(cast, login, objects, route):
    assert login(cast.colleague).get(route.url(objects)).status_code == 200


def test_the_read_only_colleague_sees_the_periods(cast, login, objects):
    assert login(cast.colleague).get(reverse("indicators:periods")).status_code == 200


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write], ids=lambda r: r.name)
def test_the_owner_opens_every_page(cast, login, objects, route):
    assert login(cast.owner).get(route.url(objects)).status_code == 200


def test_a_cell_only_takes_posts(cast, login, objects):
    assert login(cast.owner).get(cell_url(objects)).status_code == 405


@pytest.mark.parametrize("name", ["indicators:accept", "indicators:return", "indicators:reopen", "indicators:waive"])
def test_the_district_cannot_decide_on_its_own_figures(cast, login, objects, name):
    response = login(cast.owner).post(at(name)(objects), {"comment": "x", "reason": "x"})
    assert response.status_code == 403


def test_a_cell_of_a_body_outside_the_grid_is_404(cast, login, objects):
    url = reverse(
        "indicators:cell",
        kwargs={"period": PERIOD, "code": cast.district.code, "row": cast.province.code, "element": "t_workers_total"},
    )
    assert login(cast.provincial).post(url, {"value": "5"}).status_code == 404


def test_a_malformed_or_far_away_period_is_404(cast, login, objects):
    client = login(cast.owner)
    for period in ("2024-H3", "x", "2999"):
        assert client.get(reverse("indicators:grid", kwargs={"period": period, "code": "XP-A"})).status_code == 404
