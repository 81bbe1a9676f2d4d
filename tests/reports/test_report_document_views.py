"""The report page: the written parts (owner writes, colleague reads), new versions, every version downloadable."""

from __future__ import annotations

import json

from django.urls import reverse

from reports import rollups, services
from reports.models import FrozenReport, ReportNarrative
from tests import builders
from tests.reports.test_report_data import setup_program

KW = {"code": "XP-A", "program": "XP-CTR", "period": "2024"}


def narrative_post(**values) -> dict:
    return {
        "kind": "periodic",
        "number": "12/BC-LĐLĐ",
        "place": "Huyện A",
        "dated": "2025-01-05",
        "recipients": "LĐLĐ tỉnh Thử (để báo cáo);\nLưu: VT.",
        "signer_on_behalf": "TM. BAN THƯỜNG VỤ",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
        **values,
    }


def test_the_owner_writes_the_text_and_the_pdf_carries_it(cast, login):
    from io import BytesIO

    from pypdf import PdfReader

    setup_program(cast)
    client = login(cast.owner)
    response = client.post(reverse("reports:narrative", kwargs=KW), narrative_post())
    assert response.status_code == 302
    narrative = ReportNarrative.objects.get(organization=cast.district, kind="periodic")
    assert narrative.signer_name == "Nguyễn Văn A" and narrative.updated_by == cast.owner and narrative.version == 1
    pdf = client.get(reverse("reports:export_pdf", kwargs=KW))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Số: 12/BC-LĐLĐ" in text and "Nguyễn Văn A" in text
    assert "Huyện A, ngày 05 tháng 01 năm 2025" in text


def test_a_mid_term_review_has_its_own_text_and_title(cast, login):
    from io import BytesIO

    from pypdf import PdfReader

    setup_program(cast)
    client = login(cast.owner)
    client.post(reverse("reports:narrative", kwargs=KW), narrative_post(kind="mid_term", signer_name="Trần Văn B"))
    assert ReportNarrative.objects.get(kind="mid_term").signer_name == "Trần Văn B"
    assert not ReportNarrative.objects.filter(kind="periodic").exists()
    section = reverse("reports:section", kwargs={**KW, "section": "results"})
    client.post(section, {"kind": "mid_term", "text": "Sơ kết giữa kỳ.", "seen_version": 0})
    pdf = client.get(reverse("reports:export_pdf", kwargs=KW), {"kind": "mid_term"})
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Sơ kết giữa kỳ" in text
    periodic = PdfReader(BytesIO(client.get(reverse("reports:export_pdf", kwargs=KW)).content)).pages[0]
    assert "Sơ kết giữa kỳ" not in periodic.extract_text()


def test_a_stale_form_does_not_overwrite_a_colleagues_text(cast, login):
    setup_program(cast)
    client = login(cast.owner)
    client.post(reverse("reports:narrative", kwargs=KW), narrative_post(seen_version=0))
    response = client.post(reverse("reports:narrative", kwargs=KW), narrative_post(seen_version=0, number="Cũ"))
    assert response.status_code == 400
    assert ReportNarrative.objects.get().number != "Cũ"
    # The refused form now carries the version its message is about: saving again overwrites, on purpose.
    assert response.context["form"].data["seen_version"] == 1
    again = client.post(reverse("reports:narrative", kwargs=KW), narrative_post(seen_version=1, number="Cũ"))
    assert again.status_code == 302
    assert ReportNarrative.objects.get().number == "Cũ"


def test_a_read_only_colleague_sees_the_text_without_a_save_button(cast, login):
    setup_program(cast)
    login(cast.owner).post(reverse("reports:narrative", kwargs=KW), narrative_post())
    html = login(cast.colleague).get(reverse("reports:document", kwargs=KW)).content.decode()
    assert "12/BC-LĐLĐ" in html
    assert 'name="number"' in html and "disabled" in html
    assert reverse("reports:new_version", kwargs=KW) not in html


def test_a_new_version_is_an_explicit_post_with_a_reason_and_both_versions_stay(cast, login):
    prog, year = setup_program(cast)
    services.period_accepted(organization=cast.district, period=year)
    # A correction after acceptance: the frozen copy keeps the old figure.
    second = cast.district.children().get(code="XP-A-02")
    rating = builders.element("rating_1294")
    from indicators.models import DataValue

    DataValue.objects.filter(element=rating, organization=second).update(choice="good")
    rollups.refresh()
    client = login(cast.owner)
    url = reverse("reports:new_version", kwargs=KW)
    assert client.post(url, {"reason": "  "}).status_code == 302
    assert FrozenReport.objects.count() == 1
    assert client.post(url, {"reason": "Điều chỉnh số liệu CĐCS XP-A-02"}).status_code == 302
    assert list(FrozenReport.objects.values_list("version", "reason", "created_by")) == [
        (2, "Điều chỉnh số liệu CĐCS XP-A-02", cast.owner.pk),
        (1, "accepted", None),
    ]
    json_url = reverse("reports:json", kwargs=KW)
    first = json.loads(client.get(json_url, {"version": 1}).content)
    latest = json.loads(client.get(json_url).content)
    assert first["indicators"][0]["actual"] == 50 and latest["indicators"][0]["actual"] == 100
    html = client.get(reverse("reports:document", kwargs=KW)).content.decode()
    for version in (1, 2):
        assert f"version={version}" in html
    assert "live=1" in html


def test_a_provincial_reviewer_may_make_a_version_of_a_district_report(cast, login):
    setup_program(cast)
    response = login(cast.provincial).post(reverse("reports:new_version", kwargs=KW), {"reason": "Kiểm tra"})
    assert response.status_code == 302 and FrozenReport.objects.get().created_by == cast.provincial


def test_a_new_version_of_a_large_body_is_made_in_the_background(cast, login, monkeypatch):
    """Its copy keeps every branch's figures (the whole country: 135,000), too long for the request."""
    from reports import selectors

    setup_program(cast)
    monkeypatch.setattr(selectors, "BACKGROUND_BRANCHES", 1)  # the district's two branches are "large"
    client = login(cast.owner)
    response = client.post(reverse("reports:new_version", kwargs=KW), {"reason": "Điều chỉnh"}, follow=True)
    assert "chế độ nền" in response.content.decode() or "in the background" in response.content.decode()
    frozen = FrozenReport.objects.get()  # the job ran inline, as the tests run jobs
    assert (frozen.version, frozen.reason, frozen.created_by) == (1, "Điều chỉnh", cast.owner)
    assert frozen.branches is not None
