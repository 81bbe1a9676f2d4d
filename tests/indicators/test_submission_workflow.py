"""Submit, return with a comment, accept, reopen; waivers; completeness and timeliness."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import SubmissionEvent, SubmissionStatus
from indicators.workflow import selectors, services
from tests import builders, factories


@pytest.fixture
def year(db):
    return builders.period("2024")


def test_a_district_submits_and_the_province_returns_then_accepts(cast, year):
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    returned = services.submission_return(
        organization=cast.district, period=year, by=cast.provincial, comment="Thiếu số liệu xếp loại"
    )
    assert returned.status == SubmissionStatus.RETURNED
    assert not selectors.is_locked(cast.branch, year)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner, comment="Đã bổ sung")
    accepted = services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    assert accepted.status == SubmissionStatus.ACCEPTED
    assert selectors.is_locked(cast.branch, year)
    events = [(e.action, e.by.username, e.comment) for e in accepted.events.all()]
    assert events == [
        ("submit", "owner", ""),
        ("return", "provincial", "Thiếu số liệu xếp loại"),
        ("submit", "owner", "Đã bổ sung"),
        ("accept", "provincial", ""),
    ]


def test_returning_needs_a_comment(cast, year):
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with pytest.raises(ValidationError):
        services.submission_return(organization=cast.district, period=year, by=cast.provincial, comment=" ")


def test_the_district_cannot_accept_its_own_submission(cast, year):
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with pytest.raises(PermissionDenied):
        services.submission_accept(organization=cast.district, period=year, by=cast.owner)


def test_a_viewer_cannot_submit_and_an_outsider_cannot_review(cast, year):
    with pytest.raises(PermissionDenied):
        services.submission_submit(organization=cast.district, period=year, by=cast.colleague)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with pytest.raises(PermissionDenied):
        services.submission_accept(organization=cast.district, period=year, by=cast.outsider)


def test_only_a_reopen_unlocks_accepted_figures(cast, year):
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    with pytest.raises(ValidationError):
        services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.submission_reopen(organization=cast.district, period=year, by=cast.provincial, comment="Sửa số liệu")
    assert not selectors.is_locked(cast.branch, year)
    assert SubmissionEvent.objects.filter(action="reopen").count() == 1


def test_the_province_cannot_submit_before_its_districts_unless_it_waives_them(cast, year):
    with pytest.raises(ValidationError, match="2"):
        services.submission_submit(organization=cast.province, period=year, by=cast.provincial)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with pytest.raises(ValidationError):
        services.submission_submit(organization=cast.province, period=year, by=cast.provincial)
    services.waiver_grant(organization=cast.sibling, period=year, by=cast.provincial, reason="Đang sáp nhập huyện")
    submitted = services.submission_submit(organization=cast.province, period=year, by=cast.provincial)
    assert submitted.status == SubmissionStatus.SUBMITTED


def test_completeness_counts_submitted_accepted_waived_and_late(cast, year):
    third = factories.make_organization(cast.province, code="XP-C")
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    services.waiver_grant(organization=third, period=year, by=cast.provincial, reason="Mới thành lập")
    result = selectors.completeness(cast.province, year)
    assert (result.expected, result.submitted, result.accepted, result.waived) == (3, 1, 1, 1)
    # The 2024 deadline (15/01/2025) has passed: the district submitted today, after it, and XP-B never did.
    assert result.late == 2


def test_base_unions_do_not_submit_their_district_does(cast):
    assert selectors.reporting_unit(cast.branch) == cast.district
    assert selectors.reporting_unit(cast.district) == cast.district
    assert [c.code for c in selectors.reporting_children(cast.province)] == ["XP-A", "XP-B"]


def test_lateness_counts_vietnamese_calendar_days(cast, year):
    import datetime

    from django.utils import timezone

    submission = services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    # 16/01/2025 at 01:00 in Hà Nội is still 15/01 in UTC: a day after the deadline all the same.
    for local, late in ((datetime.datetime(2025, 1, 16, 1, 0), True), (datetime.datetime(2025, 1, 15, 23, 0), False)):
        submission.submitted_at = timezone.make_aware(local)
        submission.save(update_fields=["submitted_at"])
        submission.refresh_from_db()  # read back as the database keeps it: in UTC
        assert submission.is_late is late, local
