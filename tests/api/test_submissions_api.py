"""/api/v1/submissions/: read; submit, return, accept, reopen through the workflow's services, with If-Match."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from indicators.models import QualityWarning, Submission, SubmissionEvent, SubmissionStatus
from indicators.workflow import services as workflow
from reports.models import FrozenReport
from tests import builders, factories
from tests.reports.test_report_data import setup_program

from .conftest import make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/2024/{code}/"


@pytest.fixture
def year(db):
    return builders.period("2024")


def state_of_db() -> list[tuple]:
    """What a refused call must leave as it was: every submission, its events, the frozen reports."""
    return [
        sorted(Submission.objects.values_list("organization__code", "period__code", "status", "updated_at")),
        sorted(SubmissionEvent.objects.values_list("submission_id", "action", "comment")),
        FrozenReport.objects.count(),
    ]


def act(client, code: str, action: str, comment: str = "", etag: str | None = None):
    if etag is None:
        etag = client.get(URL.format(code=code))["ETag"]
    headers = {"If-Match": etag} if etag else {}
    return client.post(URL.format(code=code) + f"{action}/", {"comment": comment}, headers=headers)


def test_a_district_submits_and_the_province_accepts_and_the_reports_are_frozen(cast, api):
    program, year = setup_program(cast)
    district, province = api(cast.owner), api(cast.provincial)
    before = district.get(URL.format(code="XP-A"))
    assert before.status_code == 200 and before.json()["state"] == "draft" and before.json()["events"] == []
    submitted = act(district, "XP-A", "submit", "Đã rà soát", etag=before["ETag"])
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted" and submitted["ETag"] != before["ETag"]
    assert submitted.json()["etag"] == submitted["ETag"]
    accepted = act(province, "XP-A", "accept", etag=submitted["ETag"])
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["state"] == "accepted"
    assert [(e["action"], e["comment"]) for e in body["events"]] == [("submit", "Đã rà soát"), ("accept", "")]
    assert FrozenReport.objects.filter(organization=cast.district, program=program, period=year).count() == 1


def test_each_action_is_in_the_audit_trail_with_the_tokens_name(cast, api, year):
    act(api(cast.owner), "XP-A", "submit")
    event = AuditEvent.objects.filter(table_name="indicators_submission").latest("pk")
    assert event.actor_id == cast.owner.pk and event.context == "api:hệ thống thử"
    assert event.after["status"] == "submitted" and event.organization_id == cast.district.pk
    act(api(cast.provincial), "XP-A", "return", "Thiếu số liệu")
    event = AuditEvent.objects.filter(table_name="indicators_submission").latest("pk")
    assert event.actor_id == cast.provincial.pk and event.after["status"] == "returned"


def test_return_and_reopen_need_a_comment_400_with_the_services_message(cast, api, year):
    act(api(cast.owner), "XP-A", "submit")
    province = api(cast.provincial)
    before = state_of_db()
    response = act(province, "XP-A", "return", "  ")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    with pytest.raises(ValidationError) as refusal:
        workflow.submission_return(organization=cast.district, period=year, by=cast.provincial, comment="")
    assert problem["detail"] == refusal.value.messages[0] and "bắt buộc" in problem["detail"]
    assert problem["errors"] == [{"field": "comment", "message": problem["detail"]}]
    assert state_of_db() == before
    assert act(province, "XP-A", "accept").status_code == 200
    before = state_of_db()
    assert act(province, "XP-A", "reopen").status_code == 400
    assert state_of_db() == before
    reopened = act(province, "XP-A", "reopen", "Sửa số liệu xếp loại")
    assert reopened.status_code == 200 and reopened.json()["state"] == "returned"


def test_a_write_without_if_match_is_428_and_with_an_old_etag_412(cast, api, year):
    district = api(cast.owner)
    old = district.get(URL.format(code="XP-A"))["ETag"]
    before = state_of_db()
    missing = act(district, "XP-A", "submit", etag="")
    assert missing.status_code == 428 and missing.json()["type"].endswith("precondition-required")
    assert state_of_db() == before
    assert act(district, "XP-A", "submit", etag=old).status_code == 200
    province = api(cast.provincial)
    returned = act(province, "XP-A", "return", "Thiếu", etag=district.get(URL.format(code="XP-A"))["ETag"])
    assert returned.status_code == 200
    before = state_of_db()
    # Replayed with the ETag read before the submission: refused, nothing written.
    replay = act(district, "XP-A", "submit", etag=old)
    assert replay.status_code == 412 and "ETag" in replay.json()["detail"]
    stale_decision = act(province, "XP-A", "accept", etag=returned["ETag"].replace("W/", "W/x"))
    assert stale_decision.status_code == 412
    assert state_of_db() == before


def test_a_refusal_of_the_workflow_is_409_with_the_services_own_message(cast, api, year):
    factories.make_organization(cast.province, code="XP-C")
    provincial = api(cast.provincial)
    before = state_of_db()
    response = act(provincial, "XP", "submit")
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("workflow-refused")
    assert "XP-" in response.json()["detail"] or "3" in response.json()["detail"]
    with pytest.raises(ValidationError) as refusal:
        workflow.submission_submit(organization=cast.province, period=year, by=cast.provincial)
    assert response.json()["detail"] == " ".join(refusal.value.messages)
    assert state_of_db() == before
    detail = provincial.get(URL.format(code="XP")).json()
    assert detail["children_pending"] == ["XP-A", "XP-B", "XP-C"]


def test_an_open_data_quality_warning_refuses_the_submission(cast, api, year, monkeypatch):
    from indicators.workflow import services

    monkeypatch.setattr(services, "open_count", lambda unit, period: 2)
    before = state_of_db()
    response = act(api(cast.owner), "XP-A", "submit")
    assert response.status_code == 409 and "2" in response.json()["detail"]
    assert state_of_db() == before
    assert QualityWarning.objects.count() == 0


def test_the_district_may_not_accept_its_own_figures_403(cast, api, year):
    district = api(cast.owner)
    act(district, "XP-A", "submit")
    before = state_of_db()
    response = act(district, "XP-A", "accept")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert cast.district.name in response.json()["detail"]
    assert act(api(cast.colleague), "XP-A", "submit").status_code == 403
    assert state_of_db() == before


def test_an_organization_of_another_district_or_province_is_404(cast, api, year):
    other_province = factories.make_organization(cast.national, code="XQ", name="LĐLĐ tỉnh Khác")
    factories.make_organization(other_province, code="XQ-A")
    district = api(cast.owner)
    before = state_of_db()
    for code in ("XQ-A", "XQ", "XP-B"):
        assert district.get(URL.format(code=code)).status_code == 404
        response = act(district, code, "submit", etag='W/"x"')
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert act(api(cast.provincial), "XQ-A", "accept", etag='W/"x"').status_code == 404
    assert state_of_db() == before


def test_bad_bodies_and_unknown_periods_change_nothing(cast, api, year):
    text = make_token(cast.owner)
    headers = {"Authorization": f"Bearer {text}"}
    etag = Client().get(URL.format(code="XP-A"), headers=headers)["ETag"]
    headers["If-Match"] = etag
    before = state_of_db()
    url = URL.format(code="XP-A") + "submit/"
    malformed = Client().post(url, '{"comment": "x",', content_type="application/json", headers=headers)
    assert malformed.status_code == 400 and malformed.json()["type"].endswith("malformed-json")
    wrong_type = Client().post(url, "comment=x", content_type="text/plain", headers=headers)
    assert wrong_type.status_code == 415
    not_an_object = Client().post(url, '["x"]', content_type="application/json", headers=headers)
    assert not_an_object.status_code == 400
    for period in ("2024-H3", "1999", "abc"):
        response = Client().post(
            f"/api/v1/submissions/{period}/XP-A/submit/", "{}", content_type="application/json", headers=headers
        )
        assert response.status_code == 404, period
    assert state_of_db() == before


def test_the_list_shows_each_reporting_body_in_scope_with_its_state(cast, api, year):
    third = factories.make_organization(cast.province, code="XP-C")
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    workflow.waiver_grant(organization=third, period=year, by=cast.provincial, reason="Đang sáp nhập")
    provincial = api(cast.provincial)
    rows = provincial.get("/api/v1/submissions/", {"period": "2024"}).json()["results"]
    assert [(r["organization"], r["state"], r["waived"]) for r in rows] == [
        ("XP", "draft", False),
        ("XP-A", "submitted", False),
        ("XP-B", "draft", False),
        ("XP-C", "draft", True),
    ]
    assert "XP-A-01" not in {r["organization"] for r in rows}  # a base union does not submit
    submitted = provincial.get("/api/v1/submissions/", {"period": "2024", "state": "submitted"}).json()["results"]
    assert [r["organization"] for r in submitted] == ["XP-A"]
    drafts = provincial.get("/api/v1/submissions/", {"period": "2024", "state": "draft", "under": "XP-B"}).json()
    assert [r["organization"] for r in drafts["results"]] == ["XP-B"]
    first = provincial.get("/api/v1/submissions/", {"period": "2024", "page_size": 2}).json()
    assert [r["organization"] for r in first["results"]] == ["XP", "XP-A"]
    assert [r["organization"] for r in provincial.get(first["next"]).json()["results"]] == ["XP-B", "XP-C"]
    # A period nobody has written in yet: every body is a draft.
    unused = provincial.get("/api/v1/submissions/", {"period": "2025-H1"}).json()["results"]
    assert {r["state"] for r in unused} == {"draft"} and len(unused) == 4
    district_rows = api(cast.owner).get("/api/v1/submissions/", {"period": "2024"}).json()["results"]
    assert [r["organization"] for r in district_rows] == ["XP-A"]


def test_the_list_needs_a_known_period_and_state(cast, api, year):
    client = api(cast.owner)
    missing = client.get("/api/v1/submissions/")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "period"
    assert client.get("/api/v1/submissions/", {"period": "2024-H9"}).status_code == 404
    bad_state = client.get("/api/v1/submissions/", {"period": "2024", "state": "lost"})
    assert bad_state.status_code == 400 and bad_state.json()["errors"][0]["field"] == "state"


def test_the_list_has_a_fixed_number_of_queries(cast, api, year, django_assert_max_num_queries):
    for n in range(10):
        district = factories.make_organization(cast.province, code=f"XP-{n:02d}")
        workflow.submission_submit(organization=district, period=year, by=cast.provincial)
    client = api(cast.provincial)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/submissions/", {"period": "2024"})
    assert len(response.json()["results"]) == 13


def test_the_status_on_the_page_and_in_the_api_agree(cast, api, login, year):
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    body = api(cast.provincial).get(URL.format(code="XP-A")).json()
    page = login(cast.provincial).get("/data/2024/XP/review/")
    row = next(r for r in page.context["rows"] if r.organization.code == "XP-A")
    assert body["state"] == row.status == SubmissionStatus.SUBMITTED and body["late"] == row.late


def test_the_history_page_of_the_body_shows_the_move_made_through_the_api(cast, api, login, year):
    act(api(cast.owner), "XP-A", "submit")
    page = login(cast.provincial).get("/organizations/XP-A/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "hệ thống thử" in text and "Báo cáo gửi lên" in text and "Đã gửi" in text


def test_in_a_period_nobody_had_opened_the_etag_answered_is_the_one_to_send_next(cast, api):
    district = api(cast.owner)
    fresh = district.get("/api/v1/submissions/2025-H1/XP-A/")
    assert fresh.status_code == 200 and fresh.json()["state"] == "draft"
    submitted = district.post(
        "/api/v1/submissions/2025-H1/XP-A/submit/", {"comment": ""}, headers={"If-Match": fresh["ETag"]}
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert submitted["ETag"] == district.get("/api/v1/submissions/2025-H1/XP-A/")["ETag"] != fresh["ETag"]
    accepted = api(cast.provincial).post(
        "/api/v1/submissions/2025-H1/XP-A/accept/", {}, headers={"If-Match": submitted["ETag"]}
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
