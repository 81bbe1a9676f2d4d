"""An import or a report file finished or failed: its user is told (issue 14, point 2), by email too."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import services as imports
from imports.models import ImportJob, ImportStatus
from notifications.models import Notification
from reports import jobs as report_jobs
from reports.models import ReportFile, ReportFileStatus
from tests import builders
from tests.imports.files import write_xlsx
from tests.imports.test_job_outcomes import rows

from .conftest import subject_of, text_of


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(tmp_path, name="doan-vien.xlsx") -> SimpleUploadedFile:
    path = write_xlsx(tmp_path / "source.xlsx", rows(), kind="members")
    return SimpleUploadedFile(name, path.read_bytes())


def test_an_import_done_tells_its_user_and_nobody_else(with_emails, smtp, tmp_path, django_capture_on_commit_callbacks):
    cast = with_emails
    job = imports.import_job_create(user=cast.owner, kind="members", upload=upload(tmp_path))
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALID
    assert not Notification.objects.exists()  # a checked file is not yet an import
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.import_job_confirm(job=job)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE

    stored = Notification.objects.get()
    assert (stored.user, stored.kind, stored.title) == (cast.owner, "import_done", "Đã nhập xong tệp doan-vien.xlsx")
    assert stored.path == reverse("imports:job", kwargs={"pk": job.pk})
    [message] = smtp.messages
    assert message["To"] == "owner@congdoan.example.vn"
    assert subject_of(message) == "[UnionPortal] Đã nhập xong tệp doan-vien.xlsx"
    assert "Dữ liệu đã được ghi" in text_of(message)


def test_an_import_that_fails_tells_its_user(with_emails, smtp, django_capture_on_commit_callbacks):
    cast = with_emails
    job = ImportJob.objects.create(user=cast.owner, kind="members", original_name="hong.xlsx", file="imports/x.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTING)
    with django_capture_on_commit_callbacks(execute=True):
        imports._fail(job, RuntimeError("boom"))
    stored = Notification.objects.get()
    assert (stored.user, stored.kind) == (cast.owner, "import_failed")
    [message] = smtp.messages
    assert subject_of(message) == "[UnionPortal] Nhập tệp hong.xlsx không thành công"
    assert "Chưa ghi dữ liệu nào" in text_of(message)


def test_an_import_whose_rows_were_written_is_never_told_as_failed(
    with_emails, smtp, django_capture_on_commit_callbacks
):
    cast = with_emails
    job = ImportJob.objects.create(user=cast.owner, kind="members", original_name="x.xlsx", file="imports/x.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        imports._fail(job, RuntimeError("the refresh failed"))  # after the commit of its rows
    assert not Notification.objects.exists() and smtp.messages == []


@pytest.fixture
def report_file(with_emails):
    cast = with_emails
    program = builders.program(cast.district, code="P-A")
    return ReportFile.objects.create(
        organization=cast.district,
        program=program,
        period=builders.period("2024"),
        format="pdf",
        requested_by=cast.owner,
    )


def test_a_report_file_ready_tells_who_asked_for_it(report_file, smtp, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(report_jobs, "write_report", lambda target, **kwargs: target.write_bytes(b"%PDF-1.7"))
    with django_capture_on_commit_callbacks(execute=True):
        report_jobs.report_file_build(report_file.pk)
    assert ReportFile.objects.get(pk=report_file.pk).status == ReportFileStatus.DONE
    stored = Notification.objects.get()
    assert (stored.user.username, stored.kind) == ("owner", "report_done")
    assert stored.title == "Tệp báo cáo P-A · Năm 2024 (PDF) đã sẵn sàng"
    assert stored.path.startswith(
        reverse("reports:document", kwargs={"code": "XP-A", "program": "P-A", "period": "2024"})
    )
    [message] = smtp.messages
    assert message["To"] == "owner@congdoan.example.vn"


def test_a_report_file_that_fails_tells_who_asked_for_it(
    report_file, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(target, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(report_jobs, "write_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report_jobs.report_file_build(report_file.pk)
    stored = Notification.objects.get()
    assert stored.kind == "report_failed"
    assert subject_of(smtp.messages[0]) == "[UnionPortal] Không tạo được tệp báo cáo P-A · Năm 2024 (PDF)"
