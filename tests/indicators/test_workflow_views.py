"""Submit, return, accept, reopen and waive through the pages, with the history on both sides."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from indicators.models import Submission, SubmissionStatus, Waiver
from indicators.workflow import selectors, services
from tests import builders, factories

PERIOD = "2024"


def url(name: str, organization, period: str = PERIOD) -> str:
    return reverse(name, kwargs={"period": period, "code": organization.code})


def errors(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.fixture
def year(db):
    return builders.period(PERIOD)


def status_of(organization, period) -> str:
    return Submission.objects.get(organization=organization, period=period).status


def test_the_district_submits_and_the_province_returns_then_accepts(cast, login, year):
    district, province = login(cast.owner), login(cast.provincial)
    response = district.post(url("indicators:submit", cast.district), {"comment": "Số liệu đầy đủ"})
    assert response.status_code == 302 and response.url == url("indicators:grid", cast.district)
    assert status_of(cast.district, year) == SubmissionStatus.SUBMITTED

    province.post(url("indicators:return", cast.district), {"comment": "Thiếu xếp loại CĐCS"})
    assert status_of(cast.district, year) == SubmissionStatus.RETURNED
    district.post(url("indicators:submit", cast.district), {"comment": "Đã bổ sung"})
    response = province.post(url("indicators:accept", cast.district), {"comment": ""})
    assert response.url == url("indicators:review", cast.province)
    assert status_of(cast.district, year) == SubmissionStatus.ACCEPTED

    events = Submission.objects.get(organization=cast.district, period=year).events.all()
    assert [(e.action, e.by.username, e.comment) for e in events] == [
        ("submit", "owner", "Số liệu đầy đủ"),
        ("return", "provincial", "Thiếu xếp loại CĐCS"),
        ("submit", "owner", "Đã bổ sung"),
        ("accept", "provincial", ""),
    ]


def test_the_history_is_visible_on_both_sides(cast, login, year):
    login(cast.owner).post(url("indicators:submit", cast.district), {"comment": "Số liệu đầy đủ"})
    login(cast.provincial).post(url("indicators:return", cast.district), {"comment": "Thiếu xếp loại CĐCS"})
    grid = login(cast.owner).get(url("indicators:grid", cast.district))
    assert [e.comment for e in grid.context["events"]] == ["Số liệu đầy đủ", "Thiếu xếp loại CĐCS"]
    assert "Thiếu xếp loại CĐCS" in grid.content.decode()
    review = login(cast.provincial).get(url("indicators:review", cast.province))
    (row,) = [r for r in review.context["rows"] if r.organization == cast.district]
    assert [e.comment for e in row.events] == ["Số liệu đầy đủ", "Thiếu xếp loại CĐCS"]
    assert "Số liệu đầy đủ" in review.content.decode()


def test_returning_needs_a_comment(cast, login, year):
    login(cast.owner).post(url("indicators:submit", cast.district))
    response = login(cast.provincial).post(url("indicators:return", cast.district), {"comment": "  "})
    assert errors(response)
    assert status_of(cast.district, year) == SubmissionStatus.SUBMITTED


def test_a_provincial_officer_accepts_but_the_district_cannot_accept_its_own(cast, login, year):
    login(cast.owner).post(url("indicators:submit", cast.district))
    assert login(cast.owner).post(url("indicators:accept", cast.district)).status_code == 403
    assert status_of(cast.district, year) == SubmissionStatus.SUBMITTED
    assert login(cast.provincial).post(url("indicators:accept", cast.district)).status_code == 302
    assert status_of(cast.district, year) == SubmissionStatus.ACCEPTED


def test_accepted_figures_are_reopened_with_a_comment(cast, login, year):
    login(cast.owner).post(url("indicators:submit", cast.district))
    province = login(cast.provincial)
    province.post(url("indicators:accept", cast.district))
    assert errors(province.post(url("indicators:reopen", cast.district), {"comment": ""}))
    assert status_of(cast.district, year) == SubmissionStatus.ACCEPTED
    province.post(url("indicators:reopen", cast.district), {"comment": "Sửa số đoàn viên"})
    assert status_of(cast.district, year) == SubmissionStatus.RETURNED
    assert not selectors.is_locked(cast.branch, year)
    last = Submission.objects.get(organization=cast.district).events.last()
    assert (last.action, last.comment) == ("reopen", "Sửa số đoàn viên")


def test_a_province_cannot_submit_before_its_districts_unless_it_waives_them(cast, login, year):
    province = login(cast.provincial)
    grid = province.get(url("indicators:grid", cast.province))
    assert grid.context["can_submit"] and grid.context["pending"] == [cast.district, cast.sibling]
    assert errors(province.post(url("indicators:submit", cast.province)))
    assert not Submission.objects.filter(organization=cast.province, status=SubmissionStatus.SUBMITTED).exists()

    login(cast.owner).post(url("indicators:submit", cast.district))
    assert province.get(url("indicators:grid", cast.province)).context["pending"] == [cast.sibling]
    assert errors(province.post(url("indicators:waive", cast.sibling), {"reason": ""}))
    province.post(url("indicators:waive", cast.sibling), {"reason": "Đang sáp nhập huyện"})
    assert Waiver.objects.get(organization=cast.sibling).reason == "Đang sáp nhập huyện"
    assert province.get(url("indicators:grid", cast.province)).context["pending"] == []
    province.post(url("indicators:submit", cast.province), {"comment": "Báo cáo tỉnh"})
    assert status_of(cast.province, year) == SubmissionStatus.SUBMITTED


def test_the_review_page_lists_each_child_with_status_date_late_flag_and_completeness(cast, login, year):
    third = factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.submission_submit(organization=cast.sibling, period=year, by=cast.outsider)
    # The sibling district submitted a week after the deadline (15/01/2025).
    late = timezone.make_aware(datetime.datetime(2025, 1, 22, 9, 0))
    Submission.objects.filter(organization=cast.sibling).update(submitted_at=late)
    Submission.objects.filter(organization=cast.district).update(
        submitted_at=timezone.make_aware(datetime.datetime(2025, 1, 10, 9, 0))
    )
    services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    response = login(cast.provincial).get(url("indicators:review", cast.province))
    rows = {row.organization.code: row for row in response.context["rows"]}
    assert list(rows) == ["XP-A", "XP-B", "XP-C"]
    assert (rows["XP-A"].status, rows["XP-A"].late) == ("accepted", False)
    assert (rows["XP-B"].status, rows["XP-B"].late) == ("submitted", True)
    assert (rows["XP-C"].status, rows["XP-C"].late) == ("draft", True)  # still missing after the deadline
    (level,) = response.context["levels"]
    assert (level.expected, level.submitted, level.accepted, level.late, level.overdue) == (3, 2, 1, 1, 1)
    assert response.context["can_review"]
    html = response.content.decode()
    assert url("indicators:accept", cast.sibling) in html  # submitted: may be accepted
    assert url("indicators:reopen", cast.district) in html  # accepted: may be reopened
    assert url("indicators:waive", third) in html  # missing: may be let off
    assert url("indicators:grid", cast.sibling) in html  # the figures, read only once submitted


def test_the_district_sees_the_review_page_without_the_decisions(cast, login, year):
    response = login(cast.owner).get(url("indicators:review", cast.district))
    assert response.status_code == 200 and response.context["rows"] == []


def test_the_periods_list_counts_submissions_per_level(cast, login, year):
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    response = login(cast.national_officer).get(reverse("indicators:periods"))
    (row,) = [r for r in response.context["rows"] if r["period"].code == PERIOD]
    counts = {level.level.code: (level.expected, level.submitted, level.overdue) for level in row["levels"]}
    assert counts == {"provincial": (1, 0, 1), "upper": (2, 1, 1)}
