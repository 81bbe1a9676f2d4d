"""Downloads: small reports stream, large ones are prepared in the background and served by a scoped view."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports import selectors
from reports.models import ReportFile, ReportFileStatus
from tests.reports.test_report_data import setup_program


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def kw(code: str) -> dict:
    return {"code": code, "program": "XP-CTR", "period": "2024"}


def test_a_district_excel_file_streams_directly(cast, login):
    setup_program(cast)
    response = login(cast.owner).get(reverse("reports:export_xlsx", kwargs=kw("XP-A")))
    assert response.status_code == 200
    assert 'filename="bao-cao-XP-A-XP-CTR-2024.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Tổng hợp"]
    assert [row[1] for row in sheet.iter_rows(min_row=7, values_only=True)] == ["1", "2"]


def test_a_provincial_excel_file_is_prepared_in_the_background_and_kept(cast, login, media_root):
    setup_program(cast)
    client = login(cast.provincial)
    direct = client.get(reverse("reports:export_xlsx", kwargs=kw("XP")))
    assert direct.status_code == 302 and reverse("reports:document", kwargs=kw("XP")) in direct.url

    response = client.post(reverse("reports:file_create", kwargs=kw("XP")), {"format": "xlsx"})
    assert response.status_code == 302
    report_file = ReportFile.objects.get()  # JOBS_RUN_INLINE: it has run already
    assert report_file.status == ReportFileStatus.DONE and report_file.requested_by == cast.provincial
    assert report_file.path.startswith("reports/XP/") and (media_root / report_file.path).is_file()

    status = client.get(reverse("reports:file_status", kwargs={"code": "XP", "pk": report_file.pk}))
    assert status.status_code == 200 and "hx-get" not in status.content.decode()
    download = client.get(reverse("reports:file_download", kwargs={"code": "XP", "pk": report_file.pk}))
    assert download.status_code == 200
    assert 'filename="bao-cao-XP-XP-CTR-2024.xlsx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_the_page_polls_a_file_still_being_prepared(cast, login):
    program, period = setup_program(cast)
    pending = ReportFile.objects.create(organization=cast.province, program=program, period=period, format="pdf")
    client = login(cast.provincial)
    html = client.get(reverse("reports:document", kwargs=kw("XP"))).content.decode()
    assert reverse("reports:file_status", kwargs={"code": "XP", "pk": pending.pk}) in html
    assert 'hx-trigger="every 1s"' in html
    download = client.get(reverse("reports:file_download", kwargs={"code": "XP", "pk": pending.pk}))
    assert download.status_code == 404


def test_a_large_pdf_is_prepared_in_the_background(cast, login, monkeypatch):
    setup_program(cast)
    monkeypatch.setattr(selectors, "BACKGROUND_BRANCHES", 1)
    client = login(cast.provincial)
    assert client.get(reverse("reports:export_pdf", kwargs=kw("XP"))).status_code == 302
    html = client.get(reverse("reports:document", kwargs=kw("XP"))).content.decode()
    assert 'name="format" value="pdf"' in html
    client.post(reverse("reports:file_create", kwargs=kw("XP")), {"format": "pdf", "kind": "final"})
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFileStatus.DONE and report_file.kind == "final"
    assert report_file.download_name == "bao-cao-XP-XP-CTR-2024-final.pdf"


def test_a_failed_file_says_why(cast, login, monkeypatch):
    setup_program(cast)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("reports.jobs.render_pdf", broken)
    client = login(cast.provincial)
    client.post(reverse("reports:file_create", kwargs=kw("XP")), {"format": "pdf"})
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFileStatus.FAILED and "no fonts" in report_file.message
    assert "no fonts" in client.get(reverse("reports:document", kwargs=kw("XP"))).content.decode()


def test_the_json_is_the_json_of_the_export_command(cast, login, tmp_path):
    setup_program(cast)
    out = tmp_path / "r.json"
    call_command("export_report", organization="XP", program="XP-CTR", period="2024", format="json", output=str(out))
    response = login(cast.provincial).get(reverse("reports:json", kwargs=kw("XP")))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == json.loads(out.read_text(encoding="utf-8"))
