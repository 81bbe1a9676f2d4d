"""The deadline sweep: who is reminded of what, once a day however often it runs, as the days go by."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import ReportingPeriod, Submission, SubmissionStatus, Waiver
from notifications import webhooks
from notifications.events import DEADLINE_1, DEADLINE_7, OVERDUE, published
from notifications.models import ReminderSent, WebhookDelivery
from notifications.sweep import send_reminders
from organizations.models import Organization
from programs.models import ProgramStatus
from tests import builders, factories

from .webhook_server import WebhookServer

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# 2025-H1 ends on 30 June; its deadline is 15 July 2025.
SEVEN_DAYS_BEFORE = datetime.datetime(2025, 7, 8, 7, 0, tzinfo=VN)


@pytest.fixture
def heard(db):
    """Every event published, in order (a channel of its own on notifications.published)."""
    events = []

    def listen(*, event) -> None:
        events.append(event)

    published.register(listen)
    yield events
    published.unregister(listen)


@pytest.fixture
def world(cast):
    """The cast under a national program in force 2021–2025, and a second province outside it."""
    builders.program(cast.province)
    other = factories.make_organization(cast.national, code="XQ", name="LĐLĐ tỉnh Khác")
    factories.make_organization(other, code="XQ-A", name="LĐLĐ huyện Khác")
    return cast


def _sweep(capture, **kwargs):
    with capture(execute=True):
        return send_reminders(**kwargs)


def _told(heard) -> list[tuple[str, str, str]]:
    return sorted((event.kind, event.organization.code, event.period.code) for event in heard)


def test_seven_days_before_each_body_above_the_base_level_in_the_program_is_told(
    world, heard, django_capture_on_commit_callbacks
):
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        result = _sweep(django_capture_on_commit_callbacks)
    # The program's scope is the province: its two districts report to it; the base unions do
    # not submit, and the other province is outside the program.
    assert _told(heard) == [(DEADLINE_7, "XP-A", "2025-H1"), (DEADLINE_7, "XP-B", "2025-H1")]
    assert result.total == 2
    assert {event.path for event in heard} == {"/data/2025-H1/XP-A/", "/data/2025-H1/XP-B/"}
    assert all(event.actor is None for event in heard)
    assert ReportingPeriod.objects.filter(code="2025-H1").exists()  # opened: the ledger names it


def test_submitted_accepted_and_waived_bodies_are_not_told_a_returned_one_is(
    world, heard, django_capture_on_commit_callbacks
):
    cast = world
    period = builders.period("2025-H1")
    third = factories.make_organization(cast.province, code="XP-C", name="LĐLĐ huyện C")
    fourth = factories.make_organization(cast.province, code="XP-D", name="LĐLĐ huyện D")
    Submission.objects.create(organization=cast.district, period=period, status=SubmissionStatus.SUBMITTED)
    Submission.objects.create(organization=cast.sibling, period=period, status=SubmissionStatus.ACCEPTED)
    Submission.objects.create(organization=third, period=period, status=SubmissionStatus.RETURNED)
    Waiver.objects.create(organization=fourth, period=period, reason="Giải thể", by=cast.provincial)
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        _sweep(django_capture_on_commit_callbacks)
    assert _told(heard) == [(DEADLINE_7, "XP-C", "2025-H1")]


def test_running_twice_a_day_sends_once_and_the_days_bring_each_kind(world, heard, django_capture_on_commit_callbacks):
    days = {
        datetime.date(2025, 7, 8): DEADLINE_7,
        datetime.date(2025, 7, 9): None,
        datetime.date(2025, 7, 14): DEADLINE_1,
        datetime.date(2025, 7, 15): None,  # the deadline itself: still on time
        datetime.date(2025, 7, 16): OVERDUE,
        datetime.date(2025, 7, 17): OVERDUE,
    }
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False) as clock:
        for day, kind in days.items():
            clock.move_to(datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=VN))
            heard.clear()
            first = _sweep(django_capture_on_commit_callbacks)
            again = _sweep(django_capture_on_commit_callbacks)
            call_command("send_reminders")
            expected = [] if kind is None else [(kind, "XP-A", "2025-H1"), (kind, "XP-B", "2025-H1")]
            assert (_told(heard), first.day, again.total) == (expected, day, 0), day
    ledger = sorted(ReminderSent.objects.values_list("day", "kind").distinct())
    assert ledger == [(day, kind) for day, kind in days.items() if kind]
    assert ReminderSent.objects.count() == 8


def test_the_day_is_the_day_in_viet_nam(world, heard, django_capture_on_commit_callbacks):
    # 18:00 UTC on 7 July is 01:00 on 8 July in Hà Nội: seven days before the deadline there.
    with time_machine.travel(datetime.datetime(2025, 7, 7, 18, 0, tzinfo=datetime.UTC), tick=False):
        _sweep(django_capture_on_commit_callbacks)
    assert {event.kind for event in heard} == {DEADLINE_7}
    assert set(ReminderSent.objects.values_list("day", flat=True)) == {datetime.date(2025, 7, 8)}


def test_overdue_reminders_stop_after_ninety_days(world, heard, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 10, 13, 7, 0, tzinfo=VN), tick=False):
        _sweep(django_capture_on_commit_callbacks)
    assert {event.kind for event in heard} == {OVERDUE}
    heard.clear()
    with time_machine.travel(datetime.datetime(2025, 10, 14, 7, 0, tzinfo=VN), tick=False):
        _sweep(django_capture_on_commit_callbacks)
    assert heard == []


def test_programs_closed_or_not_in_force_that_year_ask_for_nothing(world, heard, django_capture_on_commit_callbacks):
    world.province.programs.update(status=ProgramStatus.CLOSED)
    builders.program(world.national, start=2026, end=2030)
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        result = _sweep(django_capture_on_commit_callbacks)
    assert (heard, result.total) == ([], 0)
    assert ReminderSent.objects.count() == 0
    assert not ReportingPeriod.objects.filter(code="2025-H1").exists()


def test_the_number_of_queries_does_not_grow_with_the_bodies(world, django_capture_on_commit_callbacks):
    channels = published.receivers  # the channels are measured on their own; this is the sweep's
    for channel in channels:
        published.unregister(channel)
    try:
        builders.period("2025-H1")

        def queries(day: int) -> int:
            with (
                time_machine.travel(datetime.datetime(2025, 7, day, 7, 0, tzinfo=VN), tick=False),
                CaptureQueriesContext(connection) as captured,
            ):
                _sweep(django_capture_on_commit_callbacks)
            return len(captured)

        few = queries(16)
        for n in range(12):
            factories.make_organization(world.province, code=f"XP-N{n}")
        many = queries(17)
    finally:
        for channel in channels:
            published.register(channel)
    assert ReminderSent.objects.filter(day=datetime.date(2025, 7, 17)).count() == 14
    assert 0 < many == few


def test_a_body_is_sent_in_batches_and_each_body_once(world, heard, django_capture_on_commit_callbacks):
    for n in range(7):
        factories.make_organization(world.province, code=f"XP-N{n}")
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        result = _sweep(django_capture_on_commit_callbacks, batch_size=2)
    codes = [event.organization.code for event in heard]
    assert len(codes) == len(set(codes)) == result.total == 9


def test_the_province_webhook_hears_of_its_districts_and_not_of_another_province(
    world, django_capture_on_commit_callbacks
):
    cast = world
    builders.program(cast.national)  # now the provinces report to the nation too
    receiver = WebhookServer([200])
    try:
        webhooks_of = webhooks.Webhook.objects
        webhooks_of.create(organization=cast.province, url=receiver.url)
        webhooks_of.create(organization=cast.sibling, url=receiver.url, kinds=[OVERDUE])
        with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
            _sweep(django_capture_on_commit_callbacks)
    finally:
        receiver.close()
    about = sorted(WebhookDelivery.objects.values_list("webhook__organization__code", "organization__code"))
    assert about == [("XP", "XP"), ("XP", "XP-A"), ("XP", "XP-B")]
    assert len(receiver.requests) == 3


def test_the_command_takes_a_date_and_refuses_a_bad_one(world, heard, capsys):
    call_command("send_reminders", "--date", "2025-07-14")
    assert "2025-H1 deadline_1: 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "14/07/2025")
    assert ReminderSent.objects.count() == 2  # the refused run wrote nothing


def test_two_runs_at_once_send_each_reminder_once(world, heard, monkeypatch, django_capture_on_commit_callbacks):
    """A run that read the bodies before another run wrote its ledger rows sends only the rows it wins."""
    from notifications import sweep

    cast = world
    period = builders.period("2025-H1")
    day = SEVEN_DAYS_BEFORE.date()
    # The other run, a moment earlier, has written XP-A's row (and will send it itself).
    ReminderSent.objects.create(organization=cast.district, period=period, kind=DEADLINE_7, day=day)
    monkeypatch.setattr(
        sweep, "bodies_to_remind", lambda period, kind, today: Organization.objects.filter(code__in=["XP-A", "XP-B"])
    )
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        result = _sweep(django_capture_on_commit_callbacks)
    assert _told(heard) == [(DEADLINE_7, "XP-B", "2025-H1")]
    assert result.total == 1
    assert ReminderSent.objects.count() == 2
