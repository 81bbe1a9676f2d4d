"""Organizations (the tree, a node, its restructuring history) and workplaces through the API."""

from __future__ import annotations

import datetime

import pytest

from organizations import services as organization_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_tree_lists_every_node_in_scope_with_its_parents_code(cast, api):
    rows = api(cast.provincial).get("/api/v1/organizations/").json()["results"]
    assert [(r["code"], r["parent"]) for r in rows] == [
        ("XP", "XVN"),
        ("XP-A", "XP"),
        ("XP-A-01", "XP-A"),
        ("XP-B", "XP"),
        ("XP-B-01", "XP-B"),
    ]
    base = api(cast.provincial).get("/api/v1/organizations/", {"level": "base", "under": "XP-B"}).json()["results"]
    assert [r["code"] for r in base] == ["XP-B-01"]


def test_a_node_has_an_etag_and_an_outsider_gets_404(cast, api):
    response = api(cast.owner).get("/api/v1/organizations/XP-A-01/")
    assert response.status_code == 200 and response["ETag"].startswith('W/"')
    assert response.json()["parent"] == "XP-A" and response.json()["level"] == "base"
    assert api(cast.owner).get("/api/v1/organizations/XP-B-01/").status_code == 404
    assert api(cast.owner).get("/api/v1/organizations/XP/").status_code == 404


def test_a_nodes_history_lists_its_restructuring(cast, api):
    organization_services.organization_move(
        organization=cast.branch, new_parent=cast.sibling, effective_date=datetime.date(2025, 7, 1), by=cast.provincial
    )
    rows = api(cast.provincial).get("/api/v1/organizations/XP-A-01/history/").json()["results"]
    assert rows and rows[0]["kind"] == "move"
    assert rows[0]["previous_parent"] == "XP-A" and rows[0]["new_parent"] == "XP-B"
    assert rows[0]["effective_date"] == "2025-07-01"


def test_workplaces_are_listed_in_scope_and_filtered(cast, api):
    factories.make_workplace(cast.district, code="W-A1", branch=cast.branch)
    factories.make_workplace(cast.district, code="W-A2")
    factories.make_workplace(cast.sibling, code="W-B1")
    client = api(cast.owner)
    assert [w["code"] for w in client.get("/api/v1/workplaces/").json()["results"]] == ["W-A1", "W-A2"]
    assert [w["code"] for w in client.get("/api/v1/workplaces/", {"unionized": "false"}).json()["results"]] == ["W-A2"]
    one = client.get("/api/v1/workplaces/W-A1/")
    assert one.json()["branch"] == "XP-A-01" and one.json()["upper_union"] == "XP-A" and one["ETag"]
    assert client.get("/api/v1/workplaces/W-B1/").status_code == 404
