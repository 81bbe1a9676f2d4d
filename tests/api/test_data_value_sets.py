"""GET and POST dataValueSets/: DHIS2's JSON shape with our codes, through the grid's service, all or nothing."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from audit.models import AuditEvent
from indicators.models import DataElement, DataValue, ReportingPeriod
from indicators.workflow import services as workflow
from tests import builders, factories

from .conftest import make_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets/"


def client_of(user, name: str = "DHIS2 tỉnh") -> Client:
    return Client(headers={"Authorization": f"Bearer {make_token(user, name=name)}"})


def read(client: Client, **params):
    response = client.get(URL, params)
    body = json.loads(b"".join(response.streaming_content)) if response.status_code == 200 else response.json()
    return response, body


def send(client: Client, body, *, if_match: str | None = "*"):
    headers = {"If-Match": if_match} if if_match else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def snapshot() -> tuple:
    return (
        sorted(DataValue.objects.values_list("element__code", "organization__code", "number", "version", "updated_at")),
        AuditEvent.objects.filter(table_name="indicators_datavalue").count(),
        sorted(ReportingPeriod.objects.values_list("code", flat=True)),
    )


@pytest.fixture
def figures(cast):
    builders.save_figure("workers_total", cast.branch, "40", cast.owner)
    builders.save_figure("workers_total", cast.sibling_branch, "9", cast.outsider)
    builders.save_figure("party_introductions", cast.branch, "3", cast.owner, period_code="2024-H1")


def test_a_set_is_read_in_dhis2_shape_with_our_codes(cast, figures):
    client = client_of(cast.provincial)
    response, body = read(client, period="2024", orgUnit="XP-A", children="true")
    assert response.status_code == 200 and response["ETag"].startswith('W/"')
    assert body["dataSet"] is None and body["period"] == "2024" and body["orgUnit"] == "XP-A"
    (value,) = body["dataValues"]
    assert value | {"lastUpdated": ""} == {
        "dataElement": "workers_total",
        "period": "2024",
        "orgUnit": "XP-A-01",
        "value": "40",
        "comment": None,
        "lastUpdated": "",
        "storedBy": "owner",
    }
    # Without children, only the body itself; the half-year by DHIS2's code.
    assert read(client, period="2024", orgUnit="XP-A")[1]["dataValues"] == []
    _, half = read(client, period="2024S1", orgUnit="XP-A-01")
    assert half["period"] == "2024S1" and [v["value"] for v in half["dataValues"]] == ["3"]
    _, province = read(client, period="2024", orgUnit="XP", children="true")
    assert sorted(v["orgUnit"] for v in province["dataValues"]) == ["XP-A-01", "XP-B-01"]


def test_a_data_set_keeps_only_its_programs_figures(cast, figures):
    program = builders.program(cast.province, code="CT-01")
    builders.indicator(program, "reported_sum", element=DataElement.objects.get(code="workers_informed"))
    _, body = read(client_of(cast.owner), period="2024", orgUnit="XP-A", children="true", dataSet="CT-01")
    assert body["dataSet"] == "CT-01" and body["dataValues"] == []
    refused = send(
        client_of(cast.owner),
        {
            "dataSet": "CT-01",
            "period": "2024",
            "orgUnit": "XP-A-01",
            "dataValues": [{"dataElement": "workers_total", "value": "41"}],
        },
    )
    assert refused.status_code == 422
    assert [(e["row"], e["field"], e["code"]) for e in refused.json()["errors"]] == [
        (1, "dataElement", "not_in_data_set")
    ]
    assert refused.json()["conflicts"][0]["object"] == "workers_total"
    assert read(client_of(cast.owner), period="2024", orgUnit="XP-A", dataSet="CT-404")[0].status_code == 404


def test_another_districts_org_unit_is_404_on_read_and_write(cast, figures):
    client = client_of(cast.owner)
    assert read(client, period="2024", orgUnit="XP-B")[0].status_code == 404
    before = snapshot()
    response = send(
        client, {"period": "2024", "orgUnit": "XP-B-01", "dataValues": [{"dataElement": "workers_total", "value": "1"}]}
    )
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    # Named per value instead, it is a row error that does not tell it exists, as the members' bulk upsert says.
    per_value = send(
        client, {"period": "2024", "dataValues": [{"dataElement": "workers_total", "orgUnit": "XP-B-01", "value": "1"}]}
    )
    assert per_value.status_code == 422 and per_value.json()["errors"][0]["code"] == "organization_unknown"
    assert per_value.json()["errors"][0]["field"] == "orgUnit"
    assert snapshot() == before


def test_a_set_is_written_with_dhis2s_import_count_and_read_back_the_same(cast, figures):
    client = client_of(cast.owner, name="DHIS2 tỉnh")
    response, exported = read(client, period="2024", orgUnit="XP-A", children="true")
    exported["dataValues"][0]["value"] = "42"
    exported["dataValues"].append(
        {"dataElement": "workers_members", "orgUnit": "XP-A-01", "period": "2024", "value": "12"}
    )
    written = send(client, exported, if_match=response["ETag"])
    assert written.status_code == 200, written.json()
    assert written.json()["importCount"] == {"imported": 1, "updated": 1, "ignored": 0, "deleted": 0}
    assert written.json()["status"] == "SUCCESS" and written.json()["conflicts"] == []
    assert (
        DataValue.objects.get(organization=cast.branch, element__code="workers_total", period__code="2024").number == 42
    )
    assert AuditEvent.objects.filter(table_name="indicators_datavalue").latest("pk").context == "api:DHIS2 tỉnh"
    # The same set again changes nothing; an emptied value is deleted, DHIS2's word.
    again = send(client, exported, if_match=written.json()["etags"]["2024"])
    assert again.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    exported["dataValues"][1]["value"] = ""
    emptied = send(client, exported, if_match=again.json()["etags"]["2024"])
    assert emptied.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}


def test_a_replayed_etag_a_missing_if_match_and_a_quarter_are_refused_and_nothing_is_written(cast, figures):
    client = client_of(cast.owner)
    response, exported = read(client, period="2024", orgUnit="XP-A", children="true")
    old = response["ETag"]
    exported["dataValues"][0]["value"] = "43"
    assert send(client, exported, if_match=old).status_code == 200
    before = snapshot()
    exported["dataValues"][0]["value"] = "44"
    assert send(client, exported, if_match=old).status_code == 412
    assert send(client, exported, if_match=None).status_code == 428
    quarter = send(
        client,
        {"period": "2024Q1", "orgUnit": "XP-A-01", "dataValues": [{"dataElement": "workers_total", "value": "1"}]},
    )
    assert quarter.status_code == 422 and quarter.json()["errors"][0]["code"] == "period_unknown"
    combo = send(
        client,
        {
            "period": "2024",
            "orgUnit": "XP-A-01",
            "dataValues": [{"dataElement": "workers_total", "value": "1", "categoryOptionCombo": "abc"}],
        },
    )
    assert combo.status_code == 422 and combo.json()["errors"][0]["code"] == "disaggregation"
    # Every value's problem in one answer, numbered as sent: DHIS2's own checks, the shape, the references.
    every = {
        "period": "2024",
        "orgUnit": "XP-A-01",
        "dataValues": [
            {"dataElement": "workers_total", "value": "1", "attributeOptionCombo": "xyz"},
            "not an object",
            {"dataElement": "no_such_figure", "value": "1"},
            {"dataElement": "workers_total", "value": "1", "comment": "ghi chú"},
        ],
    }
    listed = send(client, every).json()
    assert [(e["row"], e["field"], e["code"]) for e in listed["errors"]] == [
        (1, "attributeOptionCombo", "disaggregation"),
        (2, None, "not_an_object"),
        (3, "dataElement", "element_unknown"),
        (4, "comment", "comment_not_stored"),
    ]
    assert snapshot() == before


def test_a_locked_period_an_unknown_element_and_a_bad_value_refuse_the_whole_set(cast, figures, settings):
    client = client_of(cast.owner)
    before = snapshot()
    mixed = {
        "period": "2024",
        "orgUnit": "XP-A-01",
        "dataValues": [
            {"dataElement": "workers_total", "value": "41"},
            {"dataElement": "no_such_figure", "value": "1"},
        ],
    }
    unknown = send(client, mixed)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "dataElement"
    mixed["dataValues"][1] = {"dataElement": "workers_members", "value": "500"}  # more members than workers
    rule = send(client, mixed)
    assert rule.status_code == 422 and [(e["row"], e["field"]) for e in rule.json()["errors"]] == [(2, "value")]
    assert snapshot() == before
    workflow.submission_submit(
        organization=cast.district, period=ReportingPeriod.objects.get(code="2024"), by=cast.owner
    )
    before = snapshot()
    locked = send(
        client,
        {"period": "2024", "orgUnit": "XP-A-01", "dataValues": [{"dataElement": "workers_total", "value": "41"}]},
    )
    assert locked.status_code == 422 and locked.json()["errors"][0]["code"] == "locked"
    settings.API_MAX_VALUE_ROWS = 1
    many = send(client, mixed)
    assert many.status_code == 413 and many.json()["limit"] == 1
    malformed = client.post(URL, "{", content_type="application/json", headers={"If-Match": "*"})
    assert malformed.status_code == 400
    assert client.post(URL, "x", content_type="text/csv", headers={"If-Match": "*"}).status_code == 415
    assert snapshot() == before


def test_the_example_of_the_docs_is_accepted(cast):
    """docs/api.md's dataValueSets body, its demo codes replaced by two branches of the owner's district."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    (example,) = re.findall(r"```json\n(.*?)```", doc, re.DOTALL)
    factories.make_branch(cast.district, code="XP-A-02")
    body = json.loads(example.replace("HG-QB-TH01", "XP-A-01").replace("HG-QB-HC01", "XP-A-02"))
    response = send(client_of(cast.owner), body)
    assert response.status_code == 200, response.json()
    assert response.json()["importCount"]["imported"] == 2
    assert set(DataValue.objects.filter(period__code="2024-H1").values_list("organization__code", "number")) == {
        ("XP-A-01", 3),
        ("XP-A-02", 1),
    }


def test_a_dhis2_number_is_read_as_a_machine_writes_it_not_as_typed_in_the_grid(cast):
    client = client_of(cast.owner)
    body = {"period": "2024", "orgUnit": "XP-A-01", "dataValues": [{"dataElement": "workers_total", "value": "1.500"}]}
    assert send(client, body).status_code == 200
    assert DataValue.objects.get(element__code="workers_total").number == Decimal("1.5")
    # Through data-values/, the value is read as typed in the grid: 1.500 is fifteen hundred.
    rows = {"rows": [{"period": "2024", "organization": "XP-A-01", "element": "workers_total", "value": "1.500"}]}
    client.post("/api/v1/data-values/", json.dumps(rows), content_type="application/json", headers={"If-Match": "*"})
    assert DataValue.objects.get(element__code="workers_total").number == 1500
