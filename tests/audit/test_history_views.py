"""History tabs: what was done, by whom, through what, before and after — within scope only."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from imports.services import import_file
from indicators.models import DataElement
from members.models import Member
from tests import builders, factories
from tests.imports.files import write_xlsx

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_a_bulk_import_shows_in_the_history_with_the_importing_user(cast, login, tmp_path):
    cast.owner.last_name, cast.owner.first_name = "Triệu Thị", "Lan"
    cast.owner.save(update_fields=["last_name", "first_name"])
    rows = [
        [f"DV{n:03d}", f"Hoàng Văn {name}", "Nam", None, "Tày", "XP-A-01", datetime.date(2020, 5, 1), None, None]
        for n, name in enumerate(["An", "Bình", "Cường"], start=1)
    ]
    path = write_xlsx(tmp_path / "tmp-upload-7f3a.xlsx", rows, kind="members")
    outcome = import_file("members", path, user=cast.owner, commit=True, source="hoi-vien-thang-5.xlsx")
    assert outcome.committed

    created = AuditEvent.objects.filter(table_name="members_member", action="create")
    # PostgreSQL's COPY writer records its new members itself, one event per branch; the ORM writer's
    # rows are recorded by the triggers, one event per row: every member is covered once either way.
    assert sorted(row_id for event in created for row_id, _values in event.rows()) == sorted(
        Member.objects.filter(card_number__in=["DV001", "DV002", "DV003"]).values_list("pk", flat=True)
    )
    assert {(e.actor_id, e.context) for e in created} == {(cast.owner.pk, "import:members:hoi-vien-thang-5.xlsx")}

    member = Member.objects.get(card_number="DV002")
    page = text_of(login(cast.colleague).get(reverse("audit:member", kwargs={"card_number": "DV002"})))
    assert "Triệu Thị Lan" in page
    assert "Nhập tệp Excel «hoi-vien-thang-5.xlsx»" in page
    assert "Hoàng Văn Bình" in page and "01/05/2020" in page and member.branch.name in page
    assert "Hoàng Văn An" not in page and "Hoàng Văn Cường" not in page  # only this member's creation
    # When: the time of the import's transaction, as the page writes it.
    (event,) = [event for event in created if member.pk in dict(event.rows())]
    assert timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M") in page

    branch_page = text_of(login(cast.owner).get(reverse("audit:organization", kwargs={"code": "XP-A-01"})))
    assert branch_page.count("Nhập tệp Excel «hoi-vien-thang-5.xlsx»") == created.count()
    assert all(f"Hoàng Văn {name}" in branch_page for name in ("An", "Bình", "Cường"))
    if connection.vendor == "postgresql":
        # one entry: how many, and the list of their cards and names
        assert "3 đoàn viên" in branch_page and "3 dòng được tạo bởi lần nhập này" in branch_page
        assert all(f"DV00{n} Hoàng Văn {name}" in branch_page for n, name in [(1, "An"), (2, "Bình"), (3, "Cường")])


def test_an_edit_on_the_web_shows_the_user_and_the_values_before_and_after(cast, login):
    client = login(cast.owner)
    response = client.post(
        reverse("organizations:edit", kwargs={"code": cast.branch.code}),
        {"name": "CĐCS Trường Tiểu học A1", "short_name": "TH A1", "sector": "school"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(table_name="organizations_organization", action="update").last()
    assert event.actor == cast.owner and event.context == "web:/organizations/XP-A-01/edit/"

    page = text_of(client.get(reverse("audit:organization", kwargs={"code": cast.branch.code})))
    assert "owner" in page and "Trên trang web" in page
    assert "CĐCS Trường A1 → CĐCS Trường Tiểu học A1" in page


def test_a_grid_save_shows_in_the_history_of_the_figures(cast, login):
    period = builders.period("2024")
    DataElement.objects.all().delete()
    element = builders.element("t_workers_total", min_value=Decimal(0))
    client = login(cast.owner)
    url = reverse(
        "indicators:cell", kwargs={"period": "2024", "code": "XP-A", "row": "XP-A-01", "element": element.code}
    )
    assert client.post(url, {"value": "1234"}, HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(url, {"value": "1250", "version": "1"}, HTTP_HX_REQUEST="true").status_code == 200

    page = text_of(client.get(reverse("audit:grid", kwargs={"period": "2024", "code": "XP-A"})))
    assert "1.234 → 1.250" in page
    assert page.count("owner") >= 2
    assert str(period.label) in page
    # The same figures are not in a sibling district's history.
    other = text_of(login(cast.outsider).get(reverse("audit:grid", kwargs={"period": "2024", "code": "XP-B"})))
    assert "1.250" not in other


def test_personal_data_in_the_history_is_masked_for_readers_only(cast, login):
    factories.make_member(
        cast.branch, full_name="Vàng Thị Mỷ", citizen_id="002190001234", date_of_birth=datetime.date(1990, 4, 2)
    )
    card = Member.objects.get(full_name="Vàng Thị Mỷ").card_number
    url = reverse("audit:member", kwargs={"card_number": card})

    editor = text_of(login(cast.owner).get(url))
    assert "002190001234" in editor and "02/04/1990" in editor

    reader = text_of(login(cast.colleague).get(url))
    assert "Vàng Thị Mỷ" in reader
    assert "002190001234" not in reader and "02/04/1990" not in reader and "••••" in reader


def test_a_workplace_history_lists_its_changes(cast, login):
    workplace = factories.make_workplace(cast.district, code="DN-01", name="Công ty TNHH Hòa Bình", workers=40)
    client = login(cast.owner)
    client.post(
        reverse("organizations:workplace_edit", kwargs={"code": "DN-01"}),
        {
            "name": "Công ty TNHH Hòa Bình",
            "kind": workplace.kind,
            "worker_count": "45",
            "female_worker_count": "0",
            "upper_union": "XP-A",
            "branch": "",
            "address": "",
            "tax_code": "",
        },
    )
    page = text_of(client.get(reverse("audit:workplace", kwargs={"code": "DN-01"})))
    assert "Lao động 40 → 45" in page


def test_an_outsider_gets_404_on_every_history(cast, login):
    member = factories.make_member(cast.branch, full_name="Nguyễn Văn Kín")
    factories.make_workplace(cast.district, code="DN-02", name="Công ty Kín")
    builders.period("2024")
    client = login(cast.outsider)
    for url in (
        reverse("audit:organization", kwargs={"code": cast.branch.code}),
        reverse("audit:member", kwargs={"card_number": member.card_number}),
        reverse("audit:workplace", kwargs={"code": "DN-02"}),
        reverse("audit:grid", kwargs={"period": "2024", "code": cast.district.code}),
    ):
        assert client.get(url).status_code == 404, url


def test_exports_of_personal_data_show_on_the_history_of_the_bodies_they_include(cast, login):
    cast.owner.last_name, cast.owner.first_name = "Triệu Thị", "Lan"
    cast.owner.save(update_fields=["last_name", "first_name"])
    factories.make_member(cast.branch, full_name="Ma Văn Xuất")
    client = login(cast.owner)
    response = client.get(reverse("imports:export", kwargs={"kind": "members"}), {"under": cast.district.code})
    assert response.status_code == 200
    b"".join(response.streaming_content)

    page = text_of(client.get(reverse("audit:organization", kwargs={"code": cast.branch.code})))
    assert "Triệu Thị Lan" in page and "LĐLĐ huyện A" in page
    sibling = text_of(login(cast.outsider).get(reverse("audit:organization", kwargs={"code": cast.sibling.code})))
    assert "Triệu Thị Lan" not in sibling


def test_exports_taken_above_the_users_own_subtree_stay_hidden(cast, login):
    from imports.models import ExportLog

    cast.provincial.last_name, cast.provincial.first_name = "Lù Văn", "Tỉnh"
    cast.provincial.save(update_fields=["last_name", "first_name"])
    ExportLog.objects.create(user=cast.provincial, kind="members", organization=cast.province, rows=40)
    url = reverse("audit:organization", kwargs={"code": cast.branch.code})

    assert "Lù Văn Tỉnh" in text_of(login(cast.provincial).get(url))
    assert "Lù Văn Tỉnh" not in text_of(login(cast.owner).get(url))
