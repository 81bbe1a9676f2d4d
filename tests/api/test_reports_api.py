"""/api/v1/reports/: which reports exist in scope, the figures (report.json's own JSON), frozen versions, files."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from indicators.workflow import services as workflow
from reports import services as report_services
from reports.models import FrozenReport, ReportFile, ReportFileStatus
from tests import builders, factories
from tests.reports.test_report_data import setup_program

from .conftest import make_token

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/reports/XP-CTR/2024/{code}/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def program(cast):
    program, year = setup_program(cast)
    return program


def accept(cast, code="XP-A"):
    year = builders.period("2024")
    organization = {"XP-A": cast.district, "XP-B": cast.sibling}[code]
    workflow.submission_submit(organization=organization, period=year, by=cast.provincial)
    workflow.submission_accept(organization=organization, period=year, by=cast.provincial)


def files_state() -> list:
    return sorted(ReportFile.objects.values_list("pk", "status", "format"))


def test_the_figures_are_the_same_json_as_the_report_json_page(cast, api, login, program):
    body = api(cast.owner).get(REPORT.format(code="XP-A"))
    page = login(cast.owner).get(
        reverse("reports:json", kwargs={"code": "XP-A", "program": "XP-CTR", "period": "2024"})
    )
    assert body.status_code == 200 and page.status_code == 200
    assert body.json() == json.loads(page.content)
    assert body.json()["organization"] == "XP-A" and [i["code"] for i in body.json()["indicators"]] == ["1", "2"]
    assert "ETag" not in body  # live figures: no version to name


def test_a_frozen_version_is_answered_once_accepted_and_each_version_on_demand(cast, api, login, program):
    accept(cast)
    district = cast.district
    year = builders.period("2024")
    # A later correction: the frozen copy still answers, the live figures move.
    report_services.report_freeze(organization=district, program=program, period=year, by=cast.provincial, reason="sửa")
    client = api(cast.owner)
    latest = client.get(REPORT.format(code="XP-A"))
    first = client.get(REPORT.format(code="XP-A"), {"version": 1})
    assert latest.status_code == first.status_code == 200 and latest["ETag"] != first["ETag"]
    page = login(cast.owner).get(
        reverse("reports:json", kwargs={"code": "XP-A", "program": "XP-CTR", "period": "2024"}), {"version": 1}
    )
    assert first.json() == json.loads(page.content)
    assert client.get(REPORT.format(code="XP-A"), {"version": 7}).status_code == 404
    assert client.get(REPORT.format(code="XP-A"), {"version": "x"}).status_code == 404
    versions = client.get(REPORT.format(code="XP-A") + "versions/").json()["results"]
    assert [(v["version"], v["reason"]) for v in versions] == [(2, "sửa"), (1, "accepted")]
    assert versions[1]["url"].endswith("/api/v1/reports/XP-CTR/2024/XP-A/?version=1")
    assert client.get(versions[1]["url"]).json() == first.json()


def test_unknown_programs_periods_and_outsiders_are_404(cast, api, program):
    other_province = factories.make_organization(cast.national, code="XQ")
    builders.program(other_province, code="XQ-CTR")
    client = api(cast.owner)
    for url in (
        "/api/v1/reports/NOPE/2024/XP-A/",
        "/api/v1/reports/XP-CTR/2019/XP-A/",  # before the program
        "/api/v1/reports/XP-CTR/2023/XP-A/",  # a period nobody opened
        "/api/v1/reports/XP-CTR/20x4/XP-A/",
        "/api/v1/reports/XP-CTR/2024/XP-B/",  # the sibling district
        "/api/v1/reports/XQ-CTR/2024/XQ/",  # another province
        "/api/v1/reports/XP-CTR/2024/XP-A/versions/".replace("XP-A", "XQ"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_the_list_names_each_report_in_scope_with_its_versions(cast, api, program):
    accept(cast)
    provincial = api(cast.provincial)
    rows = provincial.get("/api/v1/reports/").json()["results"]
    assert [r["organization"] for r in rows] == ["XP", "XP-A", "XP-B"]
    by_code = {r["organization"]: r["reports"] for r in rows}
    assert [(e["program"], e["period"], e["versions"], e["latest_version"]) for e in by_code["XP-A"]] == [
        ("XP-CTR", "2024", [1], 1)
    ]
    assert by_code["XP-B"][0]["versions"] == [] and by_code["XP-B"][0]["latest_version"] is None
    assert provincial.get(by_code["XP-A"][0]["url"]).status_code == 200
    branch = provincial.get("/api/v1/reports/", {"organization": "XP-A-01"}).json()["results"]
    assert [(r["organization"], len(r["reports"])) for r in branch] == [("XP-A-01", 1)]
    assert [r["organization"] for r in api(cast.owner).get("/api/v1/reports/").json()["results"]] == ["XP-A"]
    assert provincial.get("/api/v1/reports/", {"under": "XP-B"}).json()["results"][0]["organization"] == "XP-B"
    assert provincial.get("/api/v1/reports/", {"program": "NOPE"}).status_code == 404
    assert provincial.get("/api/v1/reports/", {"period": "2023"}).status_code == 404
    assert api(cast.owner).get("/api/v1/reports/", {"organization": "XP-B"}).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(cast, api, program, django_assert_max_num_queries):
    for n in range(10):
        factories.make_organization(cast.province, code=f"XP-{n:02d}")
    client = api(cast.provincial)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/reports/")
    assert len(response.json()["results"]) == 13


def test_a_file_is_requested_202_then_its_status_then_downloaded(cast, api, program, media_root):
    client = api(cast.owner)
    response = client.post(REPORT.format(code="XP-A") + "files/", {"format": "xlsx"})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"] and body["status"] == "done"  # JOBS_RUN_INLINE in the tests
    report_file = ReportFile.objects.get()
    assert report_file.requested_by == cast.owner and report_file.status == ReportFileStatus.DONE
    status = client.get(body["url"])
    assert status.status_code == 200 and status.json()["download_url"] == body["download_url"]
    assert status.json()["file_name"] == "bao-cao-XP-A-XP-CTR-2024.xlsx"
    download = client.get(body["download_url"], headers={"Accept": "application/json"})
    assert download.status_code == 200
    assert 'filename="bao-cao-XP-A-XP-CTR-2024.xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Tổng hợp"]
    assert [row[1] for row in sheet.iter_rows(min_row=7, values_only=True)] == ["1", "2"]
    # A colleague who sees the district may read it too (as on the report page); the sibling district may not.
    assert api(cast.colleague).get(body["download_url"]).status_code == 200
    assert api(cast.outsider).get(body["url"]).status_code == 404
    assert api(cast.outsider).get(body["download_url"]).status_code == 404
    # The request is in the district's history with the token's name; the file's making is no event.
    events = AuditEvent.objects.filter(table_name="reports_reportfile")
    assert [(e.action, e.actor_id, e.context, e.organization_id) for e in events] == [
        ("create", cast.owner.pk, "api:hệ thống thử", cast.district.pk)
    ]


def test_a_pdf_of_a_frozen_version_is_the_document(cast, api, program):
    accept(cast)
    client = api(cast.owner)
    response = client.post(REPORT.format(code="XP-A") + "files/", {"format": "pdf", "version": 1, "kind": "final"})
    assert response.status_code == 202, response.json()
    report_file = ReportFile.objects.get()
    assert report_file.frozen.version == 1 and report_file.kind == "final"
    download = client.get(response.json()["download_url"])
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert "-v1.pdf" in download["Content-Disposition"]


def test_a_file_not_ready_has_no_download_and_a_file_of_another_report_is_404(cast, api, program):
    year = builders.period("2024")
    pending = ReportFile.objects.create(organization=cast.district, program=program, period=year, format="pdf")
    client = api(cast.owner)
    status = client.get(REPORT.format(code="XP-A") + f"files/{pending.pk}/").json()
    assert status["status"] == "pending" and status["download_url"] is None
    assert client.get(REPORT.format(code="XP-A") + f"files/{pending.pk}/download/").status_code == 404
    other = builders.program(cast.district, code="XP-A-CTR")
    assert client.get(f"/api/v1/reports/{other.code}/2024/XP-A/files/{pending.pk}/").status_code == 404


def test_bad_file_requests_change_nothing(cast, program):
    headers = {"Authorization": f"Bearer {make_token(cast.owner)}"}
    url = REPORT.format(code="XP-A") + "files/"
    before = files_state()
    cases = [
        ('{"format": "xlsx",', "application/json", 400, "malformed-json"),
        ("format=xlsx", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
        ('{"format": "odt"}', "application/json", 400, "invalid"),
        ('{"format": "pdf", "version": 3}', "application/json", 404, "not-found"),
    ]
    for body, content_type, code, slug in cases:
        response = Client().post(url, body, content_type=content_type, headers=headers)
        assert response.status_code == code, body
        assert response.json()["type"].endswith(slug) and response.json()["detail"]
    assert (
        Client()
        .post(url.replace("XP-A", "XP-B"), '{"format": "xlsx"}', content_type="application/json", headers=headers)
        .status_code
        == 404
    )
    assert files_state() == before
    assert FrozenReport.objects.count() == 0
