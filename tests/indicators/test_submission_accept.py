"""Accepting a period and freezing its reports are one action: both happen, or neither."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from indicators.models import Submission, SubmissionEvent, SubmissionStatus
from indicators.workflow import hooks, services
from reports import services as report_services
from reports.models import FrozenReport
from tests.reports.test_report_data import setup_program


@pytest.fixture
def submitted(cast):
    program, year = setup_program(cast)
    services.submission_submit(organization=cast.district, period=year, by=cast.owner)
    return program, year


def status_of(cast, year) -> str:
    return Submission.objects.get(organization=cast.district, period=year).status


def test_accepting_freezes_the_reports_of_the_period(cast, submitted):
    program, year = submitted
    services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    assert status_of(cast, year) == SubmissionStatus.ACCEPTED
    assert FrozenReport.objects.filter(organization=cast.district, program=program, period=year).count() == 1


def test_a_failure_in_the_freeze_leaves_the_submission_unaccepted(cast, submitted, monkeypatch):
    program, year = submitted

    def broken(*args, **kwargs):
        raise RuntimeError("the report could not be built")

    # The freeze fails while making its copy, after the submission has been moved to "accepted".
    monkeypatch.setattr(report_services, "build_report", broken)
    with pytest.raises(RuntimeError):
        services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    assert status_of(cast, year) == SubmissionStatus.SUBMITTED
    assert not SubmissionEvent.objects.filter(action=SubmissionEvent.Action.ACCEPT).exists()
    assert not FrozenReport.objects.exists()


def test_a_failure_in_the_freeze_through_the_page_accepts_nothing(cast, submitted, login, monkeypatch):
    program, year = submitted
    monkeypatch.setattr(report_services, "build_report", lambda *args, **kwargs: 1 / 0)
    client = login(cast.provincial)
    client.raise_request_exception = False
    url = reverse("indicators:accept", kwargs={"period": year.code, "code": cast.district.code})
    assert client.post(url, {"comment": ""}).status_code == 500
    assert status_of(cast, year) == SubmissionStatus.SUBMITTED
    assert not FrozenReport.objects.exists()


def test_without_the_reports_app_listening_nothing_is_accepted(cast, submitted):
    program, year = submitted
    receivers = hooks.submission_accepted.receivers
    for receiver in receivers:
        hooks.submission_accepted.unregister(receiver)
    try:
        with pytest.raises(ImproperlyConfigured):
            services.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    finally:
        for receiver in receivers:
            hooks.submission_accepted.register(receiver)
    assert status_of(cast, year) == SubmissionStatus.SUBMITTED
