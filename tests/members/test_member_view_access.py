"""Every members URL: anonymous → login, outsider → 404 (GET and POST), read-only → 403 on writes, owner → 200."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from organizations.models import Role
from tests import factories


@dataclass(frozen=True)
class Route:
    name: str
    target: str  # "member": /members/<card>/…; "branch" or "district": ?branch= or ?under= that body
    write: bool
    query: str = ""  # the query parameter naming the target, for URLs without one in the path


ROUTES = [
    Route("members:list", "district", write=False, query="under"),
    Route("members:list", "branch", write=False, query="under"),
    Route("members:detail", "member", write=False),
    Route("members:create", "branch", write=True, query="branch"),
    Route("members:edit", "member", write=True),
    Route("members:transfer", "member", write=True),
    Route("members:role", "member", write=True),
    Route("members:leave", "member", write=True),
    Route("members:training", "branch", write=True, query="under"),
    Route("members:training", "district", write=True, query="under"),
]
WRITES = [r for r in ROUTES if r.write]


def route_id(route: Route) -> str:
    return f"{route.name}-{route.target}"


@pytest.fixture
def objects(cast):
    return {
        "own": {
            "branch": cast.branch,
            "district": cast.district,
            "member": factories.make_member(cast.branch, citizen_id="002188000123"),
        },
        "sibling": {
            "branch": cast.sibling_branch,
            "district": cast.sibling,
            "member": factories.make_member(cast.sibling_branch),
        },
    }


def url_for(route: Route, objects: dict, side: str) -> str:
    target = objects[side][route.target]
    if route.target == "member":
        return reverse(route.name, kwargs={"card_number": target.card_number})
    return f"{reverse(route.name)}?{route.query}={target.code}"


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, route):
    url = url_for(route, objects, "own")
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_from_the_sibling_district_gets_404(cast, login, objects, route, method):
    response = getattr(login(cast.outsider), method)(url_for(route, objects, "own"), {})
    assert response.status_code == 404


@pytest.mark.parametrize("route", WRITES, ids=route_id)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_colleague_gets_403_on_writes(cast, login, objects, route, method):
    response = getattr(login(cast.colleague), method)(url_for(route, objects, "own"), {})
    assert response.status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_the_owner_can_open_every_page(cast, login, objects, route):
    response = login(cast.owner).get(url_for(route, objects, "own"))
    assert response.status_code == 200


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.write], ids=route_id)
def test_the_read_only_colleague_can_read(cast, login, objects, route):
    response = login(cast.colleague).get(url_for(route, objects, "own"))
    assert response.status_code == 200


def test_the_owner_sees_the_sibling_districts_members_as_nobody(cast, login, objects):
    client = login(cast.owner)
    for route in ROUTES:
        assert client.get(url_for(route, objects, "sibling")).status_code == 404, route_id(route)


def test_a_read_only_colleague_cannot_open_the_new_member_form_without_a_branch_either(cast, login):
    client = login(cast.colleague)
    assert client.get(reverse("members:create")).status_code == 403
    assert client.post(reverse("members:create"), {}).status_code == 403


def test_a_branch_officer_edits_the_members_of_their_own_branch_only(cast, login, objects):
    other = factories.make_branch(cast.district, code="XP-A-02")
    neighbour = factories.make_member(other)
    officer = factories.make_user("officer", organization=cast.branch, role=Role.BRANCH_OFFICER)
    client = login(officer)

    own = objects["own"]["member"]
    assert client.get(reverse("members:edit", kwargs={"card_number": own.card_number})).status_code == 200
    assert client.get(reverse("members:transfer", kwargs={"card_number": own.card_number})).status_code == 200
    assert client.get(reverse("members:create"), {"branch": cast.branch.code}).status_code == 200
    assert client.get(reverse("members:training"), {"under": cast.branch.code}).status_code == 200
    assert client.get(reverse("members:detail", kwargs={"card_number": neighbour.card_number})).status_code == 404
    assert client.get(reverse("members:training"), {"under": cast.district.code}).status_code == 404


def test_the_national_officer_sees_members_but_cannot_edit_them(cast, login, objects):
    client = login(cast.national_officer)
    card_number = objects["own"]["member"].card_number
    assert client.get(reverse("members:detail", kwargs={"card_number": card_number})).status_code == 200
    assert client.get(reverse("members:edit", kwargs={"card_number": card_number})).status_code == 403
    assert client.post(reverse("members:leave", kwargs={"card_number": card_number}), {}).status_code == 403


def test_the_citizen_id_is_shown_in_full_only_to_those_who_edit_members(cast, login, objects):
    url = reverse("members:detail", kwargs={"card_number": objects["own"]["member"].card_number})

    assert login(cast.owner).get(url).context["citizen_id"] == "002188000123"
    for reader in (cast.colleague, cast.national_officer):
        page = login(reader).get(url)
        assert page.context["citizen_id"] == "••••0123"
        assert "002188000123" not in page.content.decode()


def test_the_member_list_never_shows_citizen_ids(cast, login, objects):
    page = login(cast.owner).get(reverse("members:list"), {"under": cast.district.code}).content.decode()
    assert objects["own"]["member"].card_number in page
    assert "002188000123" not in page
    assert "••••" not in page


def test_the_date_of_birth_is_shown_in_full_only_to_those_who_edit_members(cast, login, objects):
    member = objects["own"]["member"]
    member.date_of_birth = datetime.date(1988, 7, 19)
    member.save(update_fields=["date_of_birth"])
    url = reverse("members:detail", kwargs={"card_number": member.card_number})

    assert "19/07/1988" in login(cast.owner).get(url).content.decode()
    for reader in (cast.colleague, cast.national_officer):
        page = login(reader).get(url).content.decode()
        assert "19/07/1988" not in page
        assert "••/••/1988" in page
