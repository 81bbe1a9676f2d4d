"""Issue 16 point 5: `load_demo` puts the demo through the 2025 reform (demo/reform.py).

The tests' demo stops before it (`--before-reform`); here the reform is applied to it: the districts
are dissolved into regional unions, two provinces merged, the users follow their bodies, the 2024
reports are the same JSON as before, and 2026 is on the new tree.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model

from demo import reform
from indicators.models import ReportingPeriod
from organizations.models import Organization, OrganizationStatus
from programs.models import Program
from reports.data import build_report

pytestmark = pytest.mark.django_db
DISTRICTS = ["HG-QB", "HG-BQ", "BP-PR", "DL-BMT", "DL-KP", "DL-EH", "QT-DH", "QT-VL", "QT-HL"]


def _json(code: str, period: str, program: str = "TLD-THONGKE") -> dict:
    data = build_report(
        Organization.objects.select_related("level").get(code=code),
        Program.objects.get(code=program),
        ReportingPeriod.objects.get(code=period),
    ).to_json()
    data.pop("tree")
    return data


def test_the_demo_goes_through_the_reform_and_keeps_its_2024_reports(demo):
    bodies = ["VN", "HG", "DL", "QT", "HG-QB", "QT-DH"]
    before = {code: _json(code, "2024") for code in bodies}
    quang_binh = _json("HG-QB", "2024", "QB-CTR04")

    out = io.StringIO()
    reform.load(password="x", stdout=out)
    assert "2025" in out.getvalue()

    ended = dict(Organization.objects.filter(code__in=[*DISTRICTS, "HG", "BP"]).values_list("code", "status"))
    assert set(ended.values()) <= {OrganizationStatus.DISSOLVED, OrganizationStatus.MERGED} and len(ended) == 11
    users = {
        u.username: sorted(u.assignments.values_list("organization__code", flat=True))
        for u in get_user_model().objects.all()
    }
    assert users["hagiang"] == ["TQ"] and users["quangbinh"] == ["TQ-KV1"] and users["phurieng"] == ["DN-KV1"]
    assert {code: _json(code, "2024") for code in bodies} == before
    assert _json("HG-QB", "2024", "QB-CTR04") == quang_binh

    now = build_report(
        Organization.objects.get(code="TQ"),
        Program.objects.get(code="TLD-THONGKE"),
        ReportingPeriod.objects.get(code="2026"),
    )
    assert [child["code"] for child in now.children] == ["TQ-KV1"]
    assert now.indicators[0].figure.actual is not None
    # Loading the demo again changes nothing.
    reform.load(password="x", stdout=io.StringIO())
    assert Organization.objects.filter(code__startswith="TQ-KV").count() == 1
