"""The demo is faithful to the seeds (issue 12, point 5): seed 000's figures at its program's baseline (end of
2020) and growth after; 10 of Quang Bình's 87 branches unreported in 2024; Quảng Trị's founding wave of 2021
against its 30–35 a year and its districts' own allocations; every status at least once; notes that say
where a target covers more than the demo holds and which dates and allocations are examples."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import DataValue, ReportingPeriod, Target
from indicators.status import Status
from members import selectors
from organizations.models import Organization, Sector
from programs.models import Program
from reports.data import build_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

BASELINE = datetime.date(2020, 12, 31)


def org(code: str) -> Organization:
    return Organization.objects.select_related("level").get(code=code)


def report(code: str, program: str, period: str):
    return build_report(org(code), Program.objects.get(code=program), ReportingPeriod.objects.get(code=period))


def test_seed_000s_figures_are_quang_binhs_at_the_programs_baseline():
    quang_binh = org("HG-QB")
    program = Program.objects.get(code="QB-CTR04")
    assert program.start_year - 1 == BASELINE.year
    branches = Organization.objects.below(quang_binh).base().filter(founded_on__lte=BASELINE)
    assert branches.count() == 87
    sectors = {sector: branches.filter(sector=sector).count() for sector in (Sector.ADMINISTRATION, Sector.SCHOOL)}
    assert sectors == {Sector.ADMINISTRATION: 42, Sector.SCHOOL: 44}
    assert branches.exclude(sector__in=[Sector.ADMINISTRATION, Sector.SCHOOL]).count() == 1
    assert selectors.members_on(quang_binh, BASELINE) == 2358
    assert selectors.women_on(quang_binh, BASELINE) == 1273


def test_quang_binh_grows_from_the_baseline_year_by_year_to_2024():
    quang_binh = org("HG-QB")
    members = [selectors.members_on(quang_binh, datetime.date(year, 12, 31)) for year in range(2020, 2025)]
    women = [selectors.women_on(quang_binh, datetime.date(year, 12, 31)) for year in range(2020, 2025)]
    assert members[0] == 2358 and all(a < b for a, b in zip(members, members[1:], strict=False))
    assert women[0] == 1273 and all(a < b for a, b in zip(women, women[1:], strict=False))
    assert 2358 * 1.03 < members[-1] < 2358 * 1.12
    for year in range(2021, 2025):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        assert selectors.joined_between(quang_binh, start, end) > 0
    assert selectors.left_between(quang_binh, datetime.date(2021, 1, 1), datetime.date(2024, 12, 31)) > 0


def test_ten_of_the_87_quang_binh_branches_have_not_reported_2024():
    branches = Organization.objects.below(org("HG-QB")).base()
    year = ReportingPeriod.objects.get(code="2024")
    reported = set(
        DataValue.objects.filter(period=year, organization__in=branches).values_list("organization__code", flat=True)
    )
    silent = set(branches.values_list("code", flat=True)) - reported
    assert (len(reported), len(silent)) == (77, 10)
    # All ten are schools, so the share of admin and school branches rated good rests on 76 of 86.
    assert set(branches.filter(code__in=silent).values_list("sector", flat=True)) == {Sector.SCHOOL}
    last_year = ReportingPeriod.objects.get(code="2023")
    assert DataValue.objects.filter(period=last_year, organization__code__in=silent).exists()


def test_quang_tri_founded_40_branches_in_2021_judged_as_a_yearly_average_over_the_term():
    """Seed 004: "Bình quân hàng năm … 30-35 CĐCS": the figure is the term's average so far, not one year's.
    40 founded in 2021 and 3 in 2018–2020: 43 over four years, 10,75 a year, below 30–35."""
    founded = report("QT", "QT-CTR1823", "2021").indicators[1]
    assert (founded.figure.actual, founded.figure.target, founded.figure.target_max) == (
        Decimal("10.75"),
        30,
        35,
    )
    assert founded.figure.status == Status.NOT_ACHIEVED
    children = {c.organization: c for c in founded.children}
    figures = {code: (c.actual, c.target, c.target_max, c.target_source) for code, c in children.items()}
    assert figures == {
        "QT-DH": (Decimal("3.75"), 12, 14, "allocated"),
        "QT-VL": (Decimal("4.50"), 9, 11, "allocated"),
        "QT-HL": (Decimal("2.50"), 9, 11, "allocated"),
    }


def test_the_quang_tri_districts_are_measured_against_their_own_targets_not_the_provinces():
    data = report("QT", "QT-CTR1823", "2023")
    term, _founded, yearly = data.indicators[:3]
    dong_ha = {c.organization: c for c in term.children}["QT-DH"]
    assert (term.figure.target, dong_ha.target) == (9900, 3960)
    assert {c.organization: c for c in yearly.children}["QT-DH"].target == 800
    assert yearly.figure.target == 2000


def test_the_demo_shows_every_status_at_least_once():
    seen = set()
    for code, program, period in (
        ("HG-QB", "QB-CTR04", "2024"),
        ("QT", "QT-CTR1823", "2021"),
        ("DL", "DL-CTRHD", "2021-H1"),
    ):
        for indicator in report(code, program, period).indicators:
            seen.add(indicator.figure.status)
            seen.update(child.status for child in indicator.children)
    assert {status.value for status in Status} <= seen


def test_the_notes_say_what_the_demo_holds_and_what_is_an_example():
    dak_lak = Program.objects.get(code="DL-CTRHD").notes
    quang_tri = Program.objects.get(code="QT-CTR1823").notes
    assert "80.000" in dak_lak and "toàn tỉnh Đắk Lắk" in dak_lak and "ví dụ" in dak_lak
    assert "2.000" in quang_tri and "toàn tỉnh Quảng Trị" in quang_tri
    assert "phân bổ" in quang_tri and "ví dụ" in quang_tri
    assert "2.358" in Program.objects.get(code="QB-CTR04").notes
    allocations = Target.objects.filter(indicator__program__code="QT-CTR1823")
    assert allocations.count() == 3 + 2 * 3 * 6  # the term's 9.900, and each year's 30–35 and 2.000
    assert not allocations.exclude(note__startswith="Ví dụ").exists()


def test_the_program_page_and_the_dashboard_show_the_notes(login):
    client = login(get_user_model().objects.get(username="quangtri"))
    page = client.get(reverse("indicators:program", kwargs={"code": "QT-CTR1823"}), {"org": "QT"}).content.decode()
    dashboard = client.get(
        reverse("reports:dashboard", kwargs={"code": "QT", "program": "QT-CTR1823", "period": "2021"})
    ).content.decode()
    for html in (page, dashboard):
        assert 'id="program-notes"' in html and "toàn tỉnh Quảng Trị" in html
