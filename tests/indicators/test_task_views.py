"""The task page, its forms and the evidence download, as each of the standard cast sees them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import TaskEvidence, TaskReport, TaskStatus
from indicators.tasks.services import task_evidence_add
from tests import builders, factories
from tests.indicators.tasks_world import image_bytes, pdf_bytes, task_world, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "vi"
    world = task_world(cast)
    world.media = tmp_path
    return world


def page(world, code: str) -> str:
    return reverse("indicators:tasks", args=[world.period.code, code])


def record(world, organization, by, status=TaskStatus.DONE, result="Đã tổ chức 12 buổi tuyên truyền"):
    return builders.task_status(world.section, organization, world.period, by, status=status, result=result)


def test_the_responsible_body_gets_a_form_for_its_task(cast, login, world):
    body = login(cast.owner).get(page(world, "XP-A")).content.decode()
    assert "Tuyên truyền phát triển đoàn viên" in body
    assert reverse("indicators:task_save", args=["2024", "XP-A", world.section.pk]) in body
    assert "Chưa báo cáo" in body  # nothing recorded yet


def test_saving_the_form_records_the_task_and_says_so(cast, login, world):
    client = login(cast.owner)
    url = reverse("indicators:task_save", args=["2024", "XP-A", world.section.pk])
    response = client.post(url, {"status": "in_progress", "result": "Đang làm", "version": "0"}, follow=True)
    report = TaskReport.objects.get()
    assert (report.status, report.result, report.organization) == ("in_progress", "Đang làm", cast.district)
    assert "Đã lưu nhiệm vụ" in response.content.decode()


def test_a_read_only_colleague_sees_the_result_without_a_form(cast, login, world):
    record(world, cast.district, cast.owner)
    body = login(cast.colleague).get(page(world, "XP-A")).content.decode()
    assert "Đã tổ chức 12 buổi tuyên truyền" in body
    assert reverse("indicators:task_save", args=["2024", "XP-A", world.section.pk]) not in body
    response = login(cast.colleague).post(reverse("indicators:task_save", args=["2024", "XP-A", world.section.pk]))
    assert response.status_code == 403


def test_the_province_sees_the_counts_per_status_of_its_districts(cast, login, world, django_assert_max_num_queries):
    record(world, cast.district, cast.owner)
    third = factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    world.section.responsible.add(third)
    client = login(cast.provincial)
    client.get(page(world, "XP"))  # warm the session and the user's scope
    with CaptureQueriesContext(connection) as two_bodies:
        body = client.get(page(world, "XP")).content.decode()
    assert "Nhiệm vụ của các đơn vị trực thuộc" in body
    assert "LĐLĐ huyện A" in body and "LĐLĐ huyện B" in body and "LĐLĐ huyện C" in body
    # Counts in the order of the columns: chưa triển khai, đang, hoàn thành, không thực hiện, chưa báo cáo.
    assert re.findall(r'<td class="count[^"]*">(\d+)</td>', body) == ["0", "0", "1", "0", "2"]
    # A fourth body answering for the task adds no query.
    world.section.responsible.add(factories.make_organization(cast.province, code="XP-D"))
    with django_assert_max_num_queries(len(two_bodies)):
        client.get(page(world, "XP"))


def test_the_sibling_district_gets_404_for_the_page_the_forms_and_the_files(cast, login, world):
    record(world, cast.district, cast.owner)
    evidence = task_evidence_add(
        section=world.section,
        organization=cast.district,
        period=world.period,
        upload=upload("a.pdf", pdf_bytes()),
        by=cast.owner,
    )
    client = login(cast.outsider)
    assert client.get(page(world, "XP-A")).status_code == 404
    assert client.get(reverse("indicators:task_evidence", args=["2024", "XP-A", evidence.pk])).status_code == 404
    # Its own district's address with the other's file: still nothing.
    assert client.get(reverse("indicators:task_evidence", args=["2024", "XP-B", evidence.pk])).status_code == 404
    response = client.post(
        reverse("indicators:task_evidence_upload", args=["2024", "XP-A", world.section.pk]),
        {"file": upload("b.pdf", pdf_bytes())},
    )
    assert response.status_code == 404
    assert TaskEvidence.objects.count() == 1


def test_an_evidence_file_is_a_download_that_nothing_in_it_can_run(cast, login, world):
    record(world, cast.district, cast.owner)
    evidence = task_evidence_add(
        section=world.section,
        organization=cast.district,
        period=world.period,
        upload=upload("Ảnh hội nghị.png", image_bytes("PNG")),
        by=cast.owner,
    )
    response = login(cast.provincial).get(reverse("indicators:task_evidence", args=["2024", "XP-A", evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_a_bad_upload_through_the_page_says_why_in_vietnamese_and_writes_nothing(cast, login, world):
    record(world, cast.district, cast.owner)
    client = login(cast.owner)
    url = reverse("indicators:task_evidence_upload", args=["2024", "XP-A", world.section.pk])
    response = client.post(url, {"file": upload("bao-cao.pdf", image_bytes("PNG"), "application/pdf")}, follow=True)
    body = response.content.decode()
    assert "có đuôi .pdf nhưng nội dung là tệp PNG" in body
    assert not TaskEvidence.objects.exists()
    assert [p for p in world.media.rglob("*") if p.is_file()] == []
    response = client.post(url, {"file": upload("bien-ban.pdf", pdf_bytes())}, follow=True)
    assert "Đã đính kèm “bien-ban.pdf”" in response.content.decode()
    assert TaskEvidence.objects.count() == 1


def test_the_body_s_history_shows_its_task_records(cast, login, world):
    from unionportal.acting import acting

    with acting(cast.owner, "web:/tasks/2024/XP-A/"):
        record(world, cast.district, cast.owner)
    response = login(cast.owner).get(reverse("audit:organization", args=["XP-A"]))
    assert response.status_code == 200
    assert "báo cáo nhiệm vụ" in response.content.decode().lower()


def test_an_upload_outside_the_users_scope_or_rights_says_so_in_vietnamese_and_writes_nothing(cast, login, world):
    record(world, cast.district, cast.owner)
    url = reverse("indicators:task_evidence_upload", args=["2024", "XP-A", world.section.pk])
    outsider = login(cast.outsider).post(url, {"file": upload("a.pdf", pdf_bytes())})
    assert outsider.status_code == 404
    assert "nằm ngoài các tổ chức bạn phụ trách" in outsider.content.decode()
    colleague = login(cast.colleague).post(url, {"file": upload("a.pdf", pdf_bytes())})
    assert colleague.status_code == 403
    assert "Bạn không có quyền" in colleague.content.decode()
    assert not TaskEvidence.objects.exists()
    assert [p for p in world.media.rglob("*") if p.is_file()] == []


@pytest.fixture
def body_reads(monkeypatch):
    """How many bytes of the request's body the server read (the test client's payload)."""
    from django.test.client import FakePayload

    counted = {"bytes": 0}
    read = FakePayload.read

    def counting(self, *args, **kwargs):
        content = read(self, *args, **kwargs)
        counted["bytes"] += len(content)
        return content

    monkeypatch.setattr(FakePayload, "read", counting)
    return counted


def test_a_21_mb_upload_is_refused_in_vietnamese_before_its_body_is_read(cast, login, world, body_reads):
    record(world, cast.district, cast.owner)
    url = reverse("indicators:task_evidence_upload", args=["2024", "XP-A", world.section.pk])
    big = upload("bien-ban.pdf", pdf_bytes() + b"0" * (21 * 1024 * 1024))
    client = login(cast.owner)
    response = client.post(url, {"file": big})
    assert body_reads["bytes"] == 0
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Tệp gửi lên có dung lượng 21,0 MB, vượt giới hạn 20,0 MB mỗi tệp" in body
    assert not TaskEvidence.objects.exists()
    assert [p for p in world.media.rglob("*") if p.is_file()] == []


def test_an_upload_past_the_limit_is_stopped_as_it_arrives_and_writes_nothing(cast, login, world, body_reads, settings):
    """A body within the form's margin (so its declared length passes) still stops once the file passes the limit."""
    settings.TASK_EVIDENCE_MAX_BYTES = 100 * 1024
    record(world, cast.district, cast.owner)
    url = reverse("indicators:task_evidence_upload", args=["2024", "XP-A", world.section.pk])
    client = login(cast.owner)
    response = client.post(url, {"file": upload("bien-ban.pdf", pdf_bytes() + b"0" * (150 * 1024))}, follow=True)
    assert "Tệp “bien-ban.pdf” có dung lượng" in response.content.decode()
    assert "vượt giới hạn 0,1 MB mỗi tệp" in response.content.decode()
    assert body_reads["bytes"] < 140 * 1024  # stopped past the limit, not read to the end
    assert not TaskEvidence.objects.exists()
    assert [p for p in world.media.rglob("*") if p.is_file()] == []
    # A file within the limit still goes through the same guard, and the CSRF check still holds.
    response = client.post(url, {"file": upload("nho.pdf", pdf_bytes())}, follow=True)
    assert "Đã đính kèm “nho.pdf”" in response.content.decode()
    from django.test import Client

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(cast.owner)
    assert forged.post(url, {"file": upload("gia.pdf", pdf_bytes())}).status_code == 403
    assert TaskEvidence.objects.count() == 1
