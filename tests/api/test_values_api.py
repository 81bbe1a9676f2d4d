"""GET periods/, GET and POST data-values/: the grid's service behind every write; every refusal leaves the database unchanged."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from audit.models import AuditEvent
from indicators.models import DataValue, QualityWarning, ReportingPeriod
from indicators.workflow import services as workflow
from tests import builders, factories

from .conftest import make_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/data-values/"


def client_of(user, name: str = "Phần mềm thống kê tỉnh") -> Client:
    return Client(headers={"Authorization": f"Bearer {make_token(user, name=name)}"})


def etag(client: Client, period: str = "2024") -> str:
    response = client.get(URL, {"period": period})
    assert response.status_code == 200
    return response["ETag"]


def post(client: Client, rows, *, if_match: str | None = None, content_type="application/json", raw: str | None = None):
    headers = {"If-Match": if_match} if if_match else {}
    body = raw if raw is not None else json.dumps({"rows": rows})
    return client.post(URL, body, content_type=content_type, headers=headers)


def row(element="workers_informed", organization="XP-A-01", value="120", period="2024", **extra) -> dict:
    return {"period": period, "organization": organization, "element": element, "value": value, **extra}


def snapshot() -> tuple:
    return (
        sorted(DataValue.objects.values_list("element__code", "organization__code", "number", "version", "updated_at")),
        AuditEvent.objects.filter(table_name="indicators_datavalue").count(),
        QualityWarning.objects.count(),
    )


@pytest.fixture
def year(db) -> ReportingPeriod:
    return builders.period("2024")


# --- periods -------------------------------------------------------------------------------------


def test_periods_are_listed_newest_first_with_their_state(cast, year):
    builders.period("2024-H1")
    client = client_of(cast.colleague)
    body = client.get("/api/v1/periods/").json()
    assert [(p["code"], p["dhis2"], p["state"]) for p in body["results"]] == [
        ("2024-H1", "2024S1", "open"),
        ("2024", "2024", "open"),
    ]
    future = client.get("/api/v1/periods/2027/").json()
    assert future["state"] == "closed" and future["kind"] == "annual"
    assert client.get("/api/v1/periods/2024S1/").json()["code"] == "2024-H1"
    assert client.get("/api/v1/periods/2024Q1/").status_code == 404


def test_a_period_is_locked_for_a_body_whose_figures_are_submitted(cast, year):
    builders.save_figure("workers_total", cast.branch, "10", cast.owner)
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    client = client_of(cast.colleague)
    assert client.get("/api/v1/periods/2024/", {"organization": "XP-A-01"}).json()["state"] == "locked"
    assert client.get("/api/v1/periods/", {"organization": "XP-A"}).json()["results"][0]["state"] == "locked"
    assert client.get("/api/v1/periods/2024/").json()["state"] == "open"
    outsider = client_of(cast.outsider)
    assert outsider.get("/api/v1/periods/2024/", {"organization": "XP-A-01"}).status_code == 404


# --- reading values -----------------------------------------------------------------------------


def test_values_are_read_in_scope_with_their_version_and_the_periods_etag(cast, year):
    builders.save_figure("workers_informed", cast.branch, "1.234", cast.owner)
    builders.save_figure("workers_informed", cast.sibling_branch, "5", cast.outsider)
    response = client_of(cast.colleague).get(URL, {"period": "2024"})
    (value,) = response.json()["results"]
    assert value | {"updated_at": ""} == {
        "period": "2024",
        "organization": "XP-A-01",
        "element": "workers_informed",
        "value": "1234",
        "version": 1,
        "updated_at": "",
        "stored_by": "owner",
    }
    assert response["ETag"].startswith('W/"')
    provincial = client_of(cast.provincial)
    assert len(provincial.get(URL, {"under": "XP-B"}).json()["results"]) == 1
    assert provincial.get(URL, {"organization": "XP-A-01", "element": "nothing"}).json()["results"] == []
    assert client_of(cast.colleague).get(URL, {"organization": "XP-B-01"}).status_code == 404


# --- writing values -----------------------------------------------------------------------------


def test_a_set_is_written_through_the_grids_service_with_its_warnings_and_audit(cast, year):
    client = client_of(cast.owner, name="Phần mềm thống kê tỉnh")
    response = post(client, [row(value="99.999")], if_match=etag(client))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["import_count"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    assert [(w["row"], w["rule"]) for w in body["warnings"]] == [(1, "informed_within_workers")]
    assert "99.999" in body["warnings"][0]["message"]
    value = DataValue.objects.get(organization=cast.branch, element__code="workers_informed")
    assert value.number == 99999 and value.version == 1 and value.updated_by == cast.owner
    event = AuditEvent.objects.filter(table_name="indicators_datavalue").latest("pk")
    assert event.actor_id == cast.owner.pk and event.context == "api:Phần mềm thống kê tỉnh"
    # The answer's ETag is the new version: the same value again is ignored, another is an update.
    again = post(client, [row(value="99999")], if_match=body["etags"]["2024"])
    assert again.json()["import_count"]["ignored"] == 1
    changed = post(client, [row(value="")], if_match=again.json()["etags"]["2024"])
    assert changed.json()["import_count"] == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 1}


def test_each_row_may_carry_the_version_it_read_instead_of_if_match(cast, year):
    client = client_of(cast.owner)
    assert post(client, [row(value="10", version=0)]).status_code == 200
    assert post(client, [row(value="11", version=1)]).status_code == 200
    before = snapshot()
    stale = post(client, [row(value="12", version=1)])
    assert stale.status_code == 412
    assert stale.json()["errors"][0] | {"message": ""} == {
        "row": 1,
        "field": "version",
        "value": "1",
        "code": "stale",
        "message": "",
    }
    assert snapshot() == before


def test_a_write_without_if_match_is_428_and_a_replayed_old_etag_is_412(cast, year):
    client = client_of(cast.owner)
    old = etag(client)
    assert post(client, [row(value="10")], if_match=old).status_code == 200
    before = snapshot()
    missing = post(client, [row(value="11")])
    assert missing.status_code == 428 and missing["Content-Type"] == "application/problem+json"
    replayed = post(client, [row(value="11")], if_match=old)
    assert replayed.status_code == 412
    assert "ETag" in replayed.json()["detail"]
    assert snapshot() == before


def test_one_bad_row_and_nothing_is_written_every_rows_problem_listed(cast, year):
    client = client_of(cast.owner)
    rows = [
        row(value="10"),
        row(element="no_such_figure"),
        row(organization="XP-B-01"),  # another district: not told apart from a code that does not exist
        row(element="workers_total", value="mười"),  # checked once every reference is right
        row(period="2024-Q1"),
    ]
    before = snapshot()
    response = post(client, rows, if_match="*")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:unionportal:problem:rows-refused"
    errors = {(e["row"], e["field"], e["code"]) for e in problem["errors"]}
    assert errors == {
        (2, "element", "element_unknown"),
        (3, "organization", "organization_unknown"),
        (5, "period", "period_unknown"),
    }
    by_row = {e["row"]: e["message"] for e in problem["errors"]}
    assert "XP-B-01" in by_row[3] and "B1" not in by_row[3]
    assert by_row[3].startswith("Không có tổ chức nào có mã XP-B-01") and "no_such_figure" in by_row[2]
    assert problem["detail"].startswith("Có 3 lỗi trong 5 dòng đã gửi: chưa ghi gì.")
    assert snapshot() == before
    # Once the references are right, the values' own rules are checked: row 2 is refused, row 1 not written.
    values = post(client, [row(value="10"), row(element="workers_total", value="mười")], if_match="*")
    assert values.status_code == 422
    assert [(e["row"], e["field"], e["code"]) for e in values.json()["errors"]] == [(2, "value", "invalid")]
    assert snapshot() == before


def test_a_value_for_a_submitted_or_future_period_is_refused_and_nothing_is_written(cast, year):
    builders.save_figure("workers_total", cast.branch, "10", cast.owner)
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    client = client_of(cast.owner)
    before = snapshot()
    response = post(
        client, [row("workers_total", value="11"), row("workers_total", period="2027", value="1")], if_match="*"
    )
    assert response.status_code == 422
    assert [(e["row"], e["code"]) for e in response.json()["errors"]] == [(1, "locked"), (2, "locked")]
    assert "khóa" in response.json()["errors"][0]["message"]
    assert snapshot() == before
    assert not ReportingPeriod.objects.filter(code="2027").exists()


def test_malformed_json_a_wrong_content_type_and_too_many_rows_are_refused(cast, year, settings):
    client = client_of(cast.owner)
    before = snapshot()
    malformed = post(client, None, if_match="*", raw='{"rows": [')
    assert malformed.status_code == 400 and malformed.json()["type"].endswith("malformed-json")
    form = post(client, None, if_match="*", content_type="text/plain", raw="rows=1")
    assert form.status_code == 415
    settings.API_MAX_VALUE_ROWS = 2
    many = post(client, [row(), row(), row()], if_match="*")
    assert many.status_code == 413
    assert many.json()["limit"] == 2 and "2" in many.json()["detail"]
    not_rows = post(client, None, if_match="*", raw=json.dumps({"values": []}))
    assert not_rows.status_code == 400
    assert snapshot() == before


def test_a_role_without_data_entry_gets_403_and_a_duplicate_cell_is_a_row_error(cast, year):
    assert post(client_of(cast.colleague), [row()], if_match="*").status_code == 403
    twice = post(client_of(cast.owner), [row(value="1"), row(value="2")], if_match="*")
    assert [(e["row"], e["code"]) for e in twice.json()["errors"]] == [(2, "duplicate")]
    assert not DataValue.objects.exists()


def test_the_warnings_are_those_of_the_set_as_a_whole(cast, year):
    """Refreshed once after the last row: a later row of the set that answers a warning leaves none."""
    client = client_of(cast.owner)
    alone = post(client, [row(value="99.999")], if_match="*")
    assert [w["rule"] for w in alone.json()["warnings"]] == ["informed_within_workers"]
    assert QualityWarning.objects.filter(organization=cast.branch).count() == 1
    with_total = post(client, [row(value="99.998"), row("workers_total", value="100.000")], if_match="*")
    assert with_total.status_code == 200 and with_total.json()["warnings"] == []
    assert not QualityWarning.objects.filter(organization=cast.branch).exists()


def test_a_page_of_values_or_periods_reads_a_fixed_number_of_queries(cast, year, django_assert_max_num_queries):
    for branch in [cast.branch] + [factories.make_branch(cast.district, code=f"XP-A-{n:02}") for n in range(2, 12)]:
        builders.save_figure("workers_total", branch, "10", cast.owner)
    client = client_of(cast.provincial)
    # The token and its last use, the user's scope, the period (for the filter, then the ETag), the page, the ETag.
    with django_assert_max_num_queries(7):
        assert len(client.get(URL, {"period": "2024", "page_size": 1000}).json()["results"]) == 11
    # The token, the scope, the organization, the page, its reporting unit (level, ancestors), the submissions.
    with django_assert_max_num_queries(7):
        client.get("/api/v1/periods/", {"organization": "XP-A-05"})


@pytest.mark.parametrize("url", [URL, "/api/v1/dataValueSets/"])
def test_a_body_of_50_mb_is_refused_before_it_is_read(cast, year, url):
    class Unreadable:
        def read(self, *args):  # the body must not be read at all
            raise AssertionError("the body was read")

        readline = read

    before = snapshot()
    response = client_of(cast.owner).generic(
        "POST",
        url,
        b"",
        content_type="application/json",
        headers={"If-Match": "*"},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413 and response.json()["type"].endswith("body-too-large")
    assert snapshot() == before
