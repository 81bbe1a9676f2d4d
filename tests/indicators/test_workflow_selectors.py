"""The reads behind the periods list and the review page: the calendar, completeness per level, late flags."""

import datetime

from indicators.models import ReportingPeriod, Submission
from indicators.periods import period_calendar
from indicators.workflow import services
from indicators.workflow.selectors import completeness, completeness_by_level, review_rows, submitted_late
from tests import builders, factories

D = datetime.date


def test_the_calendar_runs_from_the_first_period_on_record_to_next_year(db):
    builders.period("2022-H1")
    periods = period_calendar(today=D(2024, 3, 1))
    assert [p.code for p in periods] == ["2025", "2025-H1", "2024", "2024-H1", "2023", "2023-H1", "2022", "2022-H1"]
    assert [p.pk is not None for p in periods].count(True) == 1  # only 2022-H1 exists; the others are opened on use
    assert not periods[0].is_open(D(2024, 3, 1))


def test_a_second_half_appears_once_a_period_was_opened_for_it(db):
    builders.period("2024-H2")
    assert [p.code for p in period_calendar(today=D(2024, 9, 1))][:4] == ["2025", "2025-H1", "2024", "2024-H2"]


def test_completeness_per_level_agrees_with_the_services_count_of_the_children(cast):
    year = builders.period("2024")
    factories.make_organization(cast.province, code="XP-C")
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    services.waiver_grant(organization=cast.sibling, period=year, reason="Sáp nhập", by=cast.provincial)
    (level,) = completeness_by_level(cast.province, [year], today=D(2025, 2, 1))["2024"]
    counted = completeness(cast.province, year)
    assert (level.expected, level.submitted, level.waived) == (counted.expected, counted.submitted, counted.waived)
    assert (level.missing, level.overdue) == (1, 1)


def test_a_submission_is_late_by_the_date_in_viet_nam(cast):
    year = builders.period("2024")  # due by 15/01/2025
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    # 23:30 on 15/01 in UTC is already 06:30 on 16/01 in Hà Nội: late.
    Submission.objects.update(submitted_at=datetime.datetime(2025, 1, 15, 23, 30, tzinfo=datetime.UTC))
    submission = Submission.objects.select_related("period").get()
    assert submitted_late(submission)
    (level,) = completeness_by_level(cast.province, [year], today=D(2025, 2, 1))["2024"]
    assert level.late == 1


def test_unsaved_periods_have_nothing_to_count(cast):
    period = ReportingPeriod(**ReportingPeriod.bounds("2030"))
    assert review_rows(cast.province, period, today=D(2024, 1, 1))[0].status == "draft"
    (level,) = completeness_by_level(cast.province, [period], today=D(2024, 1, 1))["2030"]
    assert (level.submitted, level.overdue) == (0, 0)


def test_nothing_is_overdue_before_the_deadline(cast):
    year = builders.period("2024")
    rows = review_rows(cast.province, year, today=D(2025, 1, 10))
    assert not any(row.late for row in rows)
