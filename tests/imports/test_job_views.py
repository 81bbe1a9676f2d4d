"""The import pages as a person uses them: upload, see the errors or the counts, confirm, see the result."""

from __future__ import annotations

import datetime

from django.urls import reverse

from imports.models import STORED_ERRORS, ImportJob, ImportStatus
from members.models import Member

from .files import snapshot

D = datetime.date


def rows():
    return [
        ["DV001", "Nguyễn Thị Thanh Hương", "Nữ", D(1985, 11, 20), "Kinh", "XP-A-01", D(2010, 1, 5), "Chủ tịch", None],
        ["DV002", "Trần Văn Nam", "Nam", None, None, "XP-A-01", "15/08/2015", None, None],
    ]


def upload(client, path, kind="members"):
    with open(path, "rb") as stream:
        return client.post(reverse("imports:upload", kwargs={"kind": kind}), {"file": stream})


def test_a_good_file_is_checked_then_imported_on_confirmation(cast, login, xlsx):
    client = login(cast.owner)
    response = upload(client, xlsx("members", rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", kwargs={"pk": job.pk})
    assert (job.status, job.row_count, job.created_count, job.user) == (ImportStatus.VALID, 2, 2, cast.owner)
    assert not Member.objects.exists()

    page = client.get(response.url).content.decode()
    assert reverse("imports:job_confirm", kwargs={"pk": job.pk}) in page

    response = client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert Member.objects.count() == 2
    # Confirming twice does nothing more.
    client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk}))
    assert Member.objects.count() == 2


def test_a_bad_file_lists_every_error_with_row_column_header_and_value(cast, login, xlsx):
    bad = rows()
    bad[1][3] = "31/02/1990"
    bad[0][2] = "Nu"
    client = login(cast.owner)
    before = snapshot()
    response = upload(client, xlsx("members", bad))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.error_count == 2
    page = client.get(response.url).content.decode()
    for text in ("31/02/1990", "Ngày sinh", "Giới tính", "Nu"):
        assert text in page
    assert reverse("imports:job_confirm", kwargs={"pk": job.pk}) not in page
    assert client.post(reverse("imports:job_confirm", kwargs={"pk": job.pk})).status_code == 302
    assert snapshot() == before


def test_a_file_that_is_not_an_xlsx_becomes_an_invalid_job_with_its_message(cast, login, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a spreadsheet")
    response = upload(login(cast.owner), path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.errors[0]["code"] == "not_xlsx"
    assert response.status_code == 302


def test_a_file_over_the_limit_is_refused_on_the_form(cast, login, xlsx, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(login(cast.owner), xlsx("members", rows()))
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert "MB" in response.content.decode()


def test_the_error_table_is_paged(cast, login):
    errors = [
        {"code": "required", "message": "m", "row": n, "column": "B", "header": "Họ và tên", "value": ""}
        for n in range(2, 130)
    ]
    job = ImportJob.objects.create(
        user=cast.owner,
        kind="members",
        file="x.xlsx",
        original_name="x.xlsx",
        status=ImportStatus.INVALID,
        errors=errors,
        error_count=128,
    )
    client = login(cast.owner)
    first = client.get(reverse("imports:job", kwargs={"pk": job.pk})).content.decode()
    third = client.get(reverse("imports:job", kwargs={"pk": job.pk}), {"page": 3}).content.decode()
    assert '"num">2<' in first and '"num">51<' in first and '"num">52<' not in first
    assert '"num">129<' in third and '"num">101<' not in third


def test_the_status_box_polls_while_running_and_reloads_the_page_when_done(cast, login):
    job = ImportJob.objects.create(
        user=cast.owner, kind="members", file="x.xlsx", original_name="x.xlsx", status=ImportStatus.VALIDATING
    )
    client = login(cast.owner)
    running = client.get(reverse("imports:job_status", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    job.status = ImportStatus.VALID
    job.save()
    done = client.get(reverse("imports:job_status", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_stored_errors_are_capped_but_all_are_counted(cast, xlsx, tmp_path, settings):
    from imports.services import validate_job

    many = [[f"C{n}", "", "Nam", None, None, "XP-A-01", "01/01/2010", None, None] for n in range(30)]
    job = ImportJob.objects.create(
        user=cast.owner, kind="members", file=xlsx("members", many).name, original_name="m.xlsx"
    )
    import imports.services as services

    cap = services.STORED_ERRORS
    services.STORED_ERRORS = 10
    try:
        validate_job(job.pk)
    finally:
        services.STORED_ERRORS = cap
    job.refresh_from_db()
    assert (job.error_count, len(job.errors)) == (30, 10)
    assert STORED_ERRORS == 20_000
