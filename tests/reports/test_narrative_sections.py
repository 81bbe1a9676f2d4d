"""Sections I–III on the report page: drafted from the figures, edited per section, kept, marked, frozen, reset."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from indicators.models import DataValue
from reports import rollups, services
from reports.data import build_report
from reports.models import SECTION_TEXT_MAX, EditedSection
from reports.narratives import narrative_save, report_texts
from tests import builders
from tests.reports.test_report_data import setup_program

KW = {"code": "XP-A", "program": "XP-CTR", "period": "2024"}
DRAFTED_SHARE = "- 1. Tỷ lệ CĐCS tốt trở lên đạt 50 %, chỉ tiêu ≥ 85 %, còn thiếu 35 điểm phần trăm: Không đạt."


def section_url(section: str, *, reset: bool = False) -> str:
    return reverse("reports:section_reset" if reset else "reports:section", kwargs={**KW, "section": section})


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def texts_of(cast, program, period, kind="periodic"):
    data = build_report(cast.district, program, period)
    return report_texts(data, organization=cast.district, program=program, period=period, kind=kind)


def test_the_page_shows_each_section_drafted_from_the_figures_in_a_form_of_its_own(cast, login):
    setup_program(cast)
    html = login(cast.owner).get(reverse("reports:document", kwargs=KW)).content.decode()
    for section in ("results", "shortcomings", "directions"):
        assert f'action="{section_url(section)}"' in html
        assert f'id="id_{section}_text"' in html and f'maxlength="{SECTION_TEXT_MAX}"' in html
    assert DRAFTED_SHARE in html
    assert html.count(">bản nháp tự động</span>") == 3 and ">đã chỉnh sửa</span>" not in html


def test_an_edit_is_kept_marked_with_who_and_when_and_the_pdf_carries_it(cast, login):
    program, period = setup_program(cast)
    client = login(cast.owner)
    response = client.post(
        section_url("shortcomings"),
        {"kind": "periodic", "text": "Hai CĐCS chưa tổ chức hội nghị.\r\n", "seen_version": 0},
    )
    assert response.status_code == 302 and response.url.endswith("#section-shortcomings")
    edit = EditedSection.objects.get()
    assert (edit.section, edit.text, edit.edited_by, edit.version) == (
        "shortcomings",
        "Hai CĐCS chưa tổ chức hội nghị.",
        cast.owner,
        1,
    )
    assert edit.draft.startswith("2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:")
    html = client.get(reverse("reports:document", kwargs=KW)).content.decode()
    assert html.count(">đã chỉnh sửa</span>") == 1 and f"Đã chỉnh sửa bởi {cast.owner.username} lúc" in html
    text = pdf_text(client.get(reverse("reports:export_pdf", kwargs=KW)))
    assert "Hai CĐCS chưa tổ chức hội nghị." in text
    assert "2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt" not in text  # the draft of II gave way
    assert "Tỷ lệ CĐCS tốt trở lên đạt 50 %" in text  # I and III are still drafted
    event = AuditEvent.objects.filter(table_name="reports_editedsection").get()
    assert (event.action, event.actor_id, event.organization_id) == ("create", cast.owner.pk, cast.district.pk)


def test_an_edited_section_survives_new_figures_and_going_back_gives_the_new_draft(cast, login):
    program, period = setup_program(cast)
    client = login(cast.owner)
    client.post(section_url("results"), {"kind": "periodic", "text": "Văn bản của văn phòng.", "seen_version": 0})
    second = cast.district.children().get(code="XP-A-02")
    DataValue.objects.filter(element=builders.element("rating_1294"), organization=second).update(choice="good")
    rollups.refresh()
    results = texts_of(cast, program, period)["results"]
    assert results.text == "Văn bản của văn phòng." and results.edited and results.draft_changed
    assert (
        "- 1. Tỷ lệ CĐCS tốt trở lên đạt 100 %, chỉ tiêu ≥ 85 %, vượt 15 điểm phần trăm: Vượt chỉ tiêu."
        in results.draft
    )
    html = client.get(reverse("reports:document", kwargs=KW)).content.decode()
    assert "Văn bản của văn phòng." in html and "bản nháp tự động hiện nay khác" in html
    response = client.post(section_url("results", reset=True), {"kind": "periodic", "seen_version": 1})
    assert response.status_code == 302 and not EditedSection.objects.exists()
    results = texts_of(cast, program, period)["results"]
    assert not results.edited and results.text == results.draft and "đạt 100 %" in results.text
    assert AuditEvent.objects.filter(table_name="reports_editedsection", action="delete").count() == 1


def test_markup_typed_in_a_section_shows_as_text_in_the_page_and_the_pdf(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    typed = '<script>alert("x")</script><b>Đậm</b>'
    client.post(section_url("directions"), {"kind": "periodic", "text": typed, "seen_version": 0})
    html = login(cast.colleague).get(reverse("reports:document", kwargs=KW)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Đậm&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>Đậm" not in html
    assert '<script>alert("x")</script><b>Đậm</b>' in pdf_text(client.get(reverse("reports:export_pdf", kwargs=KW)))


def test_a_frozen_version_keeps_its_texts_and_later_edits_go_to_the_live_report_and_the_next_version(cast, login):
    program, period = setup_program(cast)
    client = login(cast.owner)
    client.post(section_url("shortcomings"), {"kind": "periodic", "text": "Văn bản khi duyệt.", "seen_version": 0})
    services.period_accepted(organization=cast.district, period=period)
    client.post(section_url("shortcomings"), {"kind": "periodic", "text": "Văn bản sửa sau.", "seen_version": 1})
    client.post(section_url("results"), {"kind": "periodic", "text": "Phần I sửa sau.", "seen_version": 0})
    export = reverse("reports:export_pdf", kwargs=KW)
    frozen = pdf_text(client.get(export))  # the latest frozen version by default
    assert "Văn bản khi duyệt." in frozen and "Văn bản sửa sau." not in frozen
    assert DRAFTED_SHARE[2:] in frozen.replace("\n", " ")  # section I as drafted when it was frozen
    live = pdf_text(client.get(export, {"live": "1"}))
    assert "Văn bản sửa sau." in live and "Phần I sửa sau." in live
    client.post(reverse("reports:new_version", kwargs=KW), {"reason": "Bổ sung văn bản"})
    assert "Văn bản sửa sau." in pdf_text(client.get(export, {"version": "2"}))
    assert "Văn bản khi duyệt." in pdf_text(client.get(export, {"version": "1"}))


def test_a_stale_an_empty_or_an_oversized_section_is_refused_and_nothing_is_written(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    client.post(section_url("results"), {"kind": "periodic", "text": "Của đồng nghiệp.", "seen_version": 0})
    stale = client.post(section_url("results"), {"kind": "periodic", "text": "Của tôi.", "seen_version": 0})
    assert stale.status_code == 400 and "Tải lại trang" in stale.content.decode()
    assert EditedSection.objects.get().text == "Của đồng nghiệp."
    empty = client.post(section_url("directions"), {"kind": "periodic", "text": " \r\n ", "seen_version": 0})
    assert empty.status_code == 400 and "Quay về bản nháp tự động" in empty.content.decode()
    huge = client.post(
        section_url("directions"), {"kind": "periodic", "text": "x" * (SECTION_TEXT_MAX + 1), "seen_version": 0}
    )
    assert huge.status_code == 400 and f"{SECTION_TEXT_MAX}" in huge.content.decode().replace(".", "")
    assert EditedSection.objects.count() == 1


def test_a_read_only_colleague_reads_the_sections_without_a_form_and_the_service_refuses_him(cast, login):
    program, period = setup_program(cast)
    html = login(cast.colleague).get(reverse("reports:document", kwargs=KW)).content.decode()
    assert DRAFTED_SHARE in html and 'name="text"' not in html
    assert login(cast.colleague).post(section_url("results"), {"text": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        narrative_save(
            organization=cast.district,
            program=program,
            period=period,
            kind="periodic",
            section="results",
            text="x",
            by=cast.colleague,
        )
    assert not EditedSection.objects.exists()


def test_a_section_the_report_does_not_have_is_a_404(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    assert client.post(section_url("conclusions"), {"text": "x"}).status_code == 404
    assert client.post(section_url("conclusions", reset=True)).status_code == 404


def test_a_version_frozen_before_texts_were_kept_reads_the_draft_of_its_own_figures(cast, login):
    program, period = setup_program(cast)
    client = login(cast.owner)
    client.post(section_url("results"), {"kind": "periodic", "text": "Sửa sau khi chốt.", "seen_version": 0})
    frozen = services.report_freeze(organization=cast.district, program=program, period=period)
    frozen.texts = {}  # as versions made before this change are
    frozen.save(update_fields=["texts"])
    data, copy = services.report_data(cast.district, program, period)
    texts = report_texts(data, organization=cast.district, program=program, period=period, kind="periodic", frozen=copy)
    assert not texts["results"].edited and DRAFTED_SHARE in texts["results"].text
