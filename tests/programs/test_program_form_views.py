"""Creating and editing a program in the browser: the document, its bases, sections, milestones and original file."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import MilestoneKind, Program


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def edit_data(cast, **overrides) -> dict:
    """The form as the edit page sends it back: the saved rows counted as initial forms."""
    data = program_data(cast, **overrides)
    data.pop("code")
    data["sections-INITIAL_FORMS"] = "1"
    data["milestones-INITIAL_FORMS"] = "2"
    data["bases-INITIAL_FORMS"] = "1"
    return data


def program_data(cast, **overrides) -> dict:
    data = {
        "code": "XA-CTR04",
        "kind": "program",
        "number": "04-CTr/HU",
        "title": "Chương trình phát triển đoàn viên, thành lập CĐCS giai đoạn 2021 - 2025",
        "issuer": "",
        "issuer_name": "Ban Thường vụ Huyện ủy A",
        "issuer_superior": "ĐẢNG BỘ TỈNH THỬ",
        "place": "Huyện A",
        "issued_on": "05/01/2021",
        "start_year": "2021",
        "end_year": "2025",
        "scope": str(cast.district.pk),
        "status": "active",
        "goals": "Ở đâu có công nhân, ở đó có tổ chức công đoàn.",
        "signed_by": "Triệu Tài Phong",
        "signer_title": "T/M BAN THƯỜNG VỤ — BÍ THƯ",
        "coverage_threshold": "85",
    }
    data |= formset("bases", [{"text": "Nghị quyết Đại hội Đảng bộ huyện lần thứ IV"}, {"text": ""}])
    data |= formset(
        "sections",
        [
            {
                "title": "Tổ chức phát triển đoàn viên",
                "body": "",
                "responsible": str(cast.district.pk),
                "responsible_text": "Các Chi, Đảng bộ trực thuộc",
            },
            {"title": "", "body": "", "responsible_text": ""},
        ],
    )
    data |= formset(
        "milestones",
        [
            {"kind": "mid_term", "year": "2023", "due_on": "31/12/2023", "title": "Sơ kết chương trình"},
            {"kind": "final", "year": "2025", "due_on": "31/12/2025", "title": "Tổng kết chương trình"},
            {"kind": "", "year": "", "due_on": "", "title": ""},
        ],
    )
    return data | overrides


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_provincial_officer_creates_a_program_with_its_parts_and_original(cast, login):
    data = program_data(cast)
    data["original"] = SimpleUploadedFile("04-CTr-HU.pdf", b"%PDF-1.4 seed 000", content_type="application/pdf")
    response = login(cast.provincial).post(reverse("programs:create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    program = Program.objects.get(code="XA-CTR04")
    assert response.url == reverse("indicators:program", kwargs={"code": "XA-CTR04"})
    assert (program.scope, program.issuer, program.issued_on) == (cast.district, None, datetime.date(2021, 1, 5))
    assert [b.text for b in program.bases.all()] == ["Nghị quyết Đại hội Đảng bộ huyện lần thứ IV"]
    (section,) = program.sections.all()
    assert list(section.responsible.all()) == [cast.district]
    assert section.responsible_text == "Các Chi, Đảng bộ trực thuộc"
    assert [(m.kind, m.year, m.due_on) for m in program.milestones.all()] == [
        (MilestoneKind.MID_TERM, 2023, datetime.date(2023, 12, 31)),
        (MilestoneKind.FINAL, 2025, datetime.date(2025, 12, 31)),
    ]
    assert program.original.read() == b"%PDF-1.4 seed 000"
    assert program.coverage_threshold == 85


def test_the_coverage_threshold_is_a_percentage(cast, login):
    response = login(cast.provincial).post(reverse("programs:create"), program_data(cast, coverage_threshold="120"))
    assert response.status_code == 200 and "coverage_threshold" in response.context["form"].errors
    assert not Program.objects.filter(code="XA-CTR04").exists()


def test_the_form_refuses_a_used_code_reversed_years_and_a_missing_issuer(cast, login):
    client = login(cast.provincial)
    assert client.post(reverse("programs:create"), program_data(cast)).status_code == 302
    response = client.post(
        reverse("programs:create"), program_data(cast, start_year="2025", end_year="2021", issuer_name="")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"code", "end_year", "issuer_name"}


def test_the_scope_must_be_a_body_the_user_manages(cast, login):
    response = login(cast.provincial).post(reverse("programs:create"), program_data(cast, scope=str(cast.national.pk)))
    assert "scope" in response.context["form"].errors


def test_a_file_that_is_not_a_document_is_refused(cast, login):
    data = program_data(cast)
    data["original"] = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = login(cast.provincial).post(reverse("programs:create"), data)
    assert "original" in response.context["form"].errors


def test_editing_shows_the_parts_and_replaces_them_in_order(cast, login):
    client = login(cast.provincial)
    client.post(reverse("programs:create"), program_data(cast))
    url = reverse("programs:edit", kwargs={"code": "XA-CTR04"})
    page = client.get(url)
    assert page.context["formsets"]["bases"].initial == [{"text": "Nghị quyết Đại hội Đảng bộ huyện lần thứ IV"}]
    assert "code" not in page.context["form"].fields
    data = edit_data(cast, title="Chương trình (sửa đổi)", status="closed")
    data |= formset(
        "bases",
        [
            {"text": "Nghị quyết Đại hội Đảng bộ huyện lần thứ IV", "DELETE": "on"},
            {"text": "Chương trình hành động số 05-CTr/HU"},
        ],
        initial=1,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    program = Program.objects.get(code="XA-CTR04")
    assert (program.title, program.status) == ("Chương trình (sửa đổi)", "closed")
    assert [b.text for b in program.bases.all()] == ["Chương trình hành động số 05-CTr/HU"]
    assert program.milestones.count() == 2


def test_the_original_can_be_replaced_and_removed(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.provincial)
    data = program_data(cast)
    data["original"] = SimpleUploadedFile("a.pdf", b"first", content_type="application/pdf")
    client.post(reverse("programs:create"), data)
    first = Program.objects.get(code="XA-CTR04").original
    url = reverse("programs:edit", kwargs={"code": "XA-CTR04"})
    edit = edit_data(cast)
    edit["original"] = SimpleUploadedFile("b.pdf", b"second", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, edit)
    program = Program.objects.get(code="XA-CTR04")
    assert program.original.read() == b"second"
    program.original.close()
    assert not first.storage.exists(first.name)  # the replaced file is gone once the change is committed
    client.post(url, edit_data(cast, remove_original="on"))
    assert not Program.objects.get(code="XA-CTR04").original
