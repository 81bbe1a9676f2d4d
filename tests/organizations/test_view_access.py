"""Every organizations view: anonymous → login, outsider → 404 (GET and POST), read-only → 403 on writes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests import factories


@dataclass(frozen=True)
class Route:
    name: str
    target: str | None  # which cast object the URL points at: "branch", "district", "workplace" or None
    write: bool  # does it change data (403 for read-only roles)?


ROUTES = [
    Route("organizations:tree", None, write=False),
    Route("organizations:detail", "branch", write=False),
    Route("organizations:children", "district", write=False),
    Route("organizations:create", "district", write=True),
    Route("organizations:edit", "branch", write=True),
    Route("organizations:dissolve", "branch", write=True),
    Route("organizations:move", "branch", write=True),
    Route("organizations:merge", "district", write=True),
    Route("organizations:split", "branch", write=True),
    Route("organizations:branch_list", None, write=False),
    Route("organizations:workplace_list", None, write=False),
    Route("organizations:workplace_create", None, write=True),
    Route("organizations:workplace_detail", "workplace", write=False),
    Route("organizations:workplace_edit", "workplace", write=True),
]
SCOPED = [r for r in ROUTES if r.target is not None]
WRITES = [r for r in ROUTES if r.write and r.target is not None]


@pytest.fixture
def objects(cast):
    workplace = factories.make_workplace(cast.district, code="WP-A", branch=cast.branch)
    sibling_workplace = factories.make_workplace(cast.sibling, code="WP-B", branch=cast.sibling_branch)
    return {
        "own": {"branch": cast.branch, "district": cast.district, "workplace": workplace},
        "sibling": {"branch": cast.sibling_branch, "district": cast.sibling, "workplace": sibling_workplace},
    }


def url_for(route: Route, objects: dict, side: str) -> str:
    if route.target is None:
        return reverse(route.name)
    return reverse(route.name, kwargs={"code": objects[side][route.target].code})


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, route):
    url = url_for(route, objects, "own")
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", SCOPED, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_from_the_sibling_district_gets_404(cast, login, objects, route, method):
    client = login(cast.outsider)
    response = getattr(client, method)(url_for(route, objects, "own"), {})
    assert response.status_code == 404


@pytest.mark.parametrize("route", WRITES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_writes(cast, login, objects, route, method):
    client = login(cast.colleague)
    response = getattr(client, method)(url_for(route, objects, "own"), {})
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_cannot_open_the_new_workplace_form(cast, login, method):
    response = getattr(login(cast.colleague), method)(reverse("organizations:workplace_create"), {})
    assert response.status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_the_owner_can_open_every_page(cast, login, objects, route):
    response = login(cast.owner).get(url_for(route, objects, "own"))
    assert response.status_code == 200


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write], ids=lambda r: r.name)
def test_the_read_only_colleague_can_read(cast, login, objects, route):
    response = login(cast.colleague).get(url_for(route, objects, "own"))
    assert response.status_code == 200


def test_the_national_officer_sees_branches_but_cannot_edit_them(cast, login, objects):
    client = login(cast.national_officer)
    assert client.get(reverse("organizations:detail", kwargs={"code": cast.branch.code})).status_code == 200
    assert client.get(reverse("organizations:edit", kwargs={"code": cast.branch.code})).status_code == 403
    assert client.post(reverse("organizations:edit", kwargs={"code": cast.branch.code}), {}).status_code == 403


def test_an_outsider_asking_for_a_foreign_subtree_in_a_list_gets_404(cast, login):
    client = login(cast.outsider)
    for name in ("organizations:branch_list", "organizations:workplace_list"):
        response = client.get(reverse(name), {"under": cast.district.code})
        assert response.status_code == 404
