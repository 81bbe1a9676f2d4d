"""Issue 16 point 4 on the demo: the reports of periods before a reform keep the tree as it was.

Hà Giang dissolves its districts Quang Bình and Bắc Quang into a new regional union on 1/7/2025
(the shape of the 2025 reform). The 2024 and 2023-H1 reports of the province, the districts and
the confederation are the same JSON afterwards — also after every rollup is recomputed — and say
which tree they rest on; a period spanning the date is on the new tree and says so; the regional
union's page names its predecessors, whose reports its users (who followed it) may read.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from reports import rollups
from reports.data import build_report
from reports.models import FrozenReport, Rollup
from reports.snapshots import from_snapshot
from restructure import services

DAY = datetime.date(2025, 7, 1)
BODIES = ("VN", "HG", "HG-QB", "HG-BQ")
PROGRAMS = ("QB-CTR04", "TLD-THONGKE")
PERIODS = ("2024", "2023-H1")

pytestmark = pytest.mark.django_db


def _json(code: str, program: str, period: str) -> dict:
    data = build_report(
        Organization.objects.select_related("level").get(code=code),
        Program.objects.get(code=program),
        ReportingPeriod.objects.get(code=period),
    ).to_json()
    data.pop("tree")
    return data


def _reform() -> None:
    admin = get_user_model().objects.get(username="admin")
    plan = services.plan_create(
        scope=Organization.objects.get(code="HG"), name="Sắp xếp 2025", effective_date=DAY, by=admin
    )
    services.operations_replace(
        plan=plan,
        by=admin,
        operations=[
            {"kind": "create", "new_code": "HG-KV1", "new_name": "Công đoàn khu vực 1", "target": "HG"},
            {"kind": "dissolve", "codes": ["HG-QB", "HG-BQ"], "target": "HG-KV1"},
        ],
    )
    services.plan_apply(plan=plan, by=admin)
    rollups.refresh()  # what the queued jobs do after the commit, and more: every rollup of every period


def test_reports_before_the_date_are_the_same_json_after_the_reform_and_a_full_refresh(demo):
    cases = [(code, program, period) for code in BODIES for program in PROGRAMS for period in PERIODS]
    before = {case: _json(*case) for case in cases}
    assert before[("HG-QB", "QB-CTR04", "2024")]["indicators"][0]["children"], "the district's branches are shown"

    _reform()

    assert Organization.objects.get(code="HG-QB").children().filter(status="active").count() == 0
    changed = [case for case in cases if _json(*case) != before[case]]
    assert changed == []
    # The sealed rows are the ones a refresh would have changed: without them the province's total moves.
    assert Rollup.objects.filter(sealed=True, organization__code="HG", period__code="2024").exists()


def test_a_frozen_report_equals_the_live_one_after_the_reform(demo):
    frozen = FrozenReport.objects.filter(organization__code="HG-QB", period__code="2023").order_by("-version").first()
    assert frozen is not None, "the demo accepts and freezes Quang Bình's 2023 report"
    _reform()
    live = _json("HG-QB", frozen.program.code, "2023")
    kept = from_snapshot(frozen.data).to_json()
    kept.pop("tree")
    assert live == kept


def test_each_report_says_which_tree_it_rests_on(demo):
    _reform()
    program = Program.objects.get(code="TLD-THONGKE")
    province = Organization.objects.select_related("level").get(code="HG")
    old = build_report(province, program, ReportingPeriod.objects.get(code="2024"))
    assert old.basis == {"kind": "before", "date": "2025-07-01"}
    assert "trước khi sắp xếp ngày 01/07/2025" in old.tree_sentence()
    assert {"HG-QB", "HG-BQ"} <= {child["code"] for child in old.children}

    spanning = ReportingPeriod.objects.create(**ReportingPeriod.bounds("2025"))
    new = build_report(province, program, spanning)
    assert new.basis == {"kind": "spans", "date": "2025-07-01"}
    assert "tính trên cơ cấu tổ chức sau sắp xếp" in new.tree_sentence()
    assert "HG-KV1" in {child["code"] for child in new.children}
    assert not {"HG-QB", "HG-BQ"} & {child["code"] for child in new.children}

    later = ReportingPeriod.objects.create(**ReportingPeriod.bounds("2026"))
    assert build_report(province, program, later).basis == {}


def test_the_page_and_the_pdf_say_it_too(demo, login):
    _reform()
    client = login(get_user_model().objects.get(username="hagiang"))
    kwargs = {"code": "HG", "program": "TLD-THONGKE", "period": "2024"}
    page = client.get(reverse("reports:dashboard", kwargs=kwargs))
    assert page.status_code == 200
    assert 'id="tree-basis"' in page.content.decode()
    from io import BytesIO

    from pypdf import PdfReader

    pdf = client.get(reverse("reports:export_pdf", kwargs=kwargs))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages[:2])
    assert "trước khi sắp xếp ngày 01/07/2025" in " ".join(text.split())


def test_the_successor_names_its_predecessors_and_its_users_read_their_reports(demo, login):
    _reform()
    quangbinh = get_user_model().objects.get(username="quangbinh")
    assert list(quangbinh.assignments.values_list("organization__code", flat=True)) == ["HG-KV1"]
    client = login(quangbinh)
    page = client.get(reverse("organizations:detail", kwargs={"code": "HG-KV1"})).content.decode()
    assert "Đơn vị tiền thân" in page and reverse("reports:organization", kwargs={"code": "HG-QB"}) in page
    kwargs = {"code": "HG-QB", "program": "QB-CTR04", "period": "2024"}
    assert client.get(reverse("reports:dashboard", kwargs=kwargs)).status_code == 200
    # Someone of another province still finds nothing there.
    outsider = login(get_user_model().objects.get(username="daklak"))
    assert outsider.get(reverse("reports:dashboard", kwargs=kwargs)).status_code == 404
    assert outsider.get(reverse("reports:organization", kwargs={"code": "HG-QB"})).status_code == 404


def test_the_excel_table_of_base_unions_is_the_same_after_the_reform(demo):
    from reports import branch_table

    program = Program.objects.get(code="QB-CTR04")
    period = ReportingPeriod.objects.get(code="2024")
    indicators = list(program.indicators.select_related("program", "element__level", "level"))

    def table(code):
        organization = Organization.objects.select_related("level").get(code=code)
        return list(branch_table.live(organization, indicators, period).rows)

    before = {code: table(code) for code in ("HG-QB", "HG")}
    assert len(before["HG-QB"]) == 87 and before["HG-QB"][0][2] == "Liên đoàn Lao động huyện Quang Bình"
    _reform()
    assert {code: table(code) for code in ("HG-QB", "HG")} == before
