"""POST /api/v1/members/bulk/: the Excel import's importer, fed JSON rows; every refusal leaves the database unchanged."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from audit.models import AuditEvent
from imports.services import import_file
from members.models import Member, MemberRole, MembershipPeriod, Training
from organizations.models import Role
from tests import factories
from tests.imports.files import write_xlsx

from .conftest import make_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/members/bulk/"


def row(card: str, branch: str = "XP-A-01", **extra) -> dict:
    values = {
        "card_number": card,
        "full_name": f"Hoàng Thị {card}",
        "gender": "Nữ",
        "date_of_birth": "20/11/1985",
        "ethnicity": "Tày",
        "branch": branch,
        "joined_on": "2010-01-05",
        "role": "Đoàn viên",
        "trained_on": "",
    }
    values.update(extra)
    return values


def post(user, body, *, name="Phần mềm đoàn viên", headers=None):
    auth = {"Authorization": f"Bearer {make_token(user, name=name)}", **(headers or {})}
    import json

    return Client().post(URL, json.dumps(body), content_type="application/json", headers=auth)


def snapshot() -> tuple:
    return (
        sorted(Member.objects.values_list("card_number", "full_name", "branch_id", "role", "updated_at")),
        MembershipPeriod.objects.count(),
        MemberRole.objects.count(),
        Training.objects.count(),
        AuditEvent.objects.count(),
    )


def test_rows_are_created_then_a_second_call_changes_nothing(cast):
    rows = [row("DV001"), row("DV002", role="Chủ tịch", trained_on="12/06/2023")]
    first = post(cast.owner, {"rows": rows})
    assert first.status_code == 200, first.json()
    assert first.json() | {"etag": ""} == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "committed": True,
        "etag": "",
    }
    chair = Member.objects.get(card_number="DV002")
    assert chair.role == "chair" and chair.date_of_birth == datetime.date(1985, 11, 20)
    assert MembershipPeriod.objects.filter(member=chair, end_on=None).count() == 1
    assert Training.objects.filter(member=chair).count() == 1
    before = snapshot()
    second = post(cast.owner, {"rows": rows})
    assert second.json()["unchanged"] == 2 and second.json()["created"] == 0
    assert snapshot()[:4] == before[:4]


def test_another_branch_is_a_transfer_dated_the_day_as_in_the_excel_import(cast):
    other = factories.make_branch(cast.district, code="XP-A-02")
    post(cast.owner, {"rows": [row("DV001")]})
    response = post(cast.owner, {"rows": [row("DV001", branch=other.code)]})
    assert response.json()["updated"] == 1
    periods = list(MembershipPeriod.objects.filter(member__card_number="DV001").order_by("start_on", "pk"))
    assert [p.branch.code for p in periods] == ["XP-A-01", other.code]
    assert periods[0].end_on is not None and periods[1].end_on is None


def test_every_write_is_in_the_audit_trail_with_the_tokens_name(cast):
    post(cast.owner, {"rows": [row("DV001")]}, name="Phần mềm tỉnh")
    events = AuditEvent.objects.filter(table_name="members_member", action="create")
    assert {(e.actor_id, e.context) for e in events} == {(cast.owner.pk, "api:Phần mềm tỉnh")}


def test_a_duplicate_card_number_in_one_call_is_refused_and_nothing_is_written(cast):
    before = snapshot()
    response = post(cast.owner, {"rows": [row("DV001"), row("DV002"), row("DV001")]})
    assert response.status_code == 422
    body = response.json()
    assert body["type"].endswith("rows-refused") and "chưa ghi gì" in body["detail"]
    rows = {(e["row"], e["column"]) for e in body["errors"]}
    assert (3, "card_number") in rows
    assert snapshot() == before


def test_a_row_for_another_province_is_refused_with_its_row_number(cast):
    other_province = factories.make_organization(cast.national, code="YP", name="LĐLĐ tỉnh Khác")
    other_district = factories.make_organization(other_province, code="YP-A")
    factories.make_branch(other_district, code="YP-A-01")
    before = snapshot()
    response = post(cast.owner, {"rows": [row("DV001"), row("DV002", branch="YP-A-01")]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "branch")]
    assert errors[0]["message"] and errors[0]["value"] == "YP-A-01"
    assert snapshot() == before


def test_a_call_over_the_row_limit_is_refused_saying_the_limit(cast, settings):
    before = snapshot()
    response = post(cast.owner, {"rows": [{}] * 100_001})
    assert response.status_code == 413
    body = response.json()
    assert body["type"].endswith("too-many-rows") and "100.000" in body["detail"] and "100.001" in body["detail"]
    assert body["limit"] == 100_000
    assert snapshot() == before


def test_exactly_the_limit_is_not_refused_for_its_size(cast, settings):
    settings.API_MAX_BULK_ROWS = 3
    response = post(cast.owner, {"rows": [row("DV001"), row("DV002"), row("DV003")]})
    assert response.status_code == 200
    assert post(cast.owner, {"rows": [row("DV004")] * 4}).status_code == 413


def test_the_checks_are_the_excel_imports_own(cast, tmp_path):
    """The same bad rows through the file and through the API: the same errors, the row one lower (no header)."""
    bad = [
        ["DV 001", "Nguyễn Văn A", "Nam", None, "Kinh", "XP-A-01", datetime.date(2020, 5, 1), None, None],
        ["DV002", "Nguyễn  Văn B", "Nammm", None, "Kinh", "XP-B-01", datetime.date(2020, 5, 1), None, None],
        ["DV003", "", "Nữ", datetime.date(2019, 1, 1), "Kinh", "XP-A-01", datetime.date(2020, 5, 1), "Sếp", None],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", bad, kind="members")
    excel = import_file("members", path, user=cast.owner, commit=True)
    keys = [
        "card_number",
        "full_name",
        "gender",
        "date_of_birth",
        "ethnicity",
        "branch",
        "joined_on",
        "role",
        "trained_on",
    ]
    rows = [
        {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in zip(keys, r, strict=True)} for r in bad
    ]
    before = snapshot()
    response = post(cast.owner, {"rows": rows})
    assert response.status_code == 422
    from_file = sorted((e.row - 1, keys["ABCDEFGHI".index(e.column)], e.code, e.message) for e in excel.errors)
    from_api = sorted((e["row"], e["column"], e["code"], e["message"]) for e in response.json()["errors"])
    assert from_api == from_file and len(from_api) >= 4
    assert snapshot() == before


def test_unknown_columns_and_rows_that_are_not_objects_are_refused(cast):
    before = snapshot()
    response = post(cast.owner, {"rows": [row("DV001", nickname="x"), "DV002"]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {(e["row"], e["code"]) for e in errors} == {(1, "unknown_column"), (2, "not_an_object")}
    assert "card_number" in errors[0]["message"]
    assert snapshot() == before


def test_rows_must_be_a_list(cast):
    before = snapshot()
    response = post(cast.owner, {"rows": "DV001"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "rows"
    assert snapshot() == before


def test_a_dry_run_checks_and_writes_nothing(cast):
    before = snapshot()
    response = post(cast.owner, {"rows": [row("DV001")], "dry_run": True})
    assert response.json()["created"] == 1 and response.json()["committed"] is False
    assert snapshot() == before


def test_if_match_on_the_members_list_refuses_a_replay_over_newer_rows(cast):
    token = {"Authorization": f"Bearer {make_token(cast.owner)}"}
    etag = Client().get("/api/v1/members/", headers=token)["ETag"]
    assert post(cast.owner, {"rows": [row("DV001")]}, headers={"If-Match": etag}).status_code == 200
    before = snapshot()
    replay = post(cast.owner, {"rows": [row("DV001", full_name="Tên Khác")]}, headers={"If-Match": etag})
    assert replay.status_code == 412 and replay.json()["type"].endswith("precondition-failed")
    assert snapshot() == before
    fresh = Client().get("/api/v1/members/", headers=token)["ETag"]
    assert (
        post(cast.owner, {"rows": [row("DV001", full_name="Tên Khác")]}, headers={"If-Match": fresh}).json()["updated"]
        == 1
    )


def test_a_viewer_may_not_write_members(cast):
    before = snapshot()
    response = post(cast.colleague, {"rows": [row("DV001")]})
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert snapshot() == before


def test_a_branch_officer_writes_only_in_their_branch(cast):
    officer = factories.make_user("chu-tich", organization=cast.branch, role=Role.BRANCH_OFFICER)
    other = factories.make_branch(cast.district, code="XP-A-02")
    before = snapshot()
    response = post(officer, {"rows": [row("DV001"), row("DV002", branch=other.code)]})
    assert response.status_code == 422 and [e["row"] for e in response.json()["errors"]] == [2]
    assert snapshot() == before
