"""“Nhắc”: only the body above, only a late body, once a day however often it is pressed; audited; published."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from indicators.models import ReportingPeriod, Waiver
from indicators.workflow import services as workflow
from notifications.events import REMINDED, published
from notifications.models import Reminder
from notifications.remind import remind

from .conftest import NOW, TODAY


@pytest.fixture
def heard():
    """The events every channel would receive."""
    events = []

    def channel(*, event):
        events.append(event)

    published.register(channel)
    yield events
    published.unregister(channel)


def url(period="2026-H1", code="XP-A"):
    return reverse("notifications:remind", args=[period, code])


def test_the_body_above_reminds_a_late_district_once_and_every_channel_hears_it(
    cast, half, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder, sent = remind(user=cast.provincial, organization=cast.district, period=half)
    assert sent and (reminder.organization, reminder.period, reminder.day, reminder.by) == (
        cast.district,
        half,
        TODAY,
        cast.provincial,
    )
    [event] = heard
    assert (event.kind, event.organization, event.period, event.actor) == (
        REMINDED,
        cast.district,
        half,
        cast.provincial,
    )
    assert event.path == reverse("indicators:grid", args=["2026-H1", "XP-A"])
    assert "15/07/2026" in event.comment


def test_pressed_ten_times_in_a_minute_it_sends_one_reminder(
    cast, login, half, heard, django_capture_on_commit_callbacks
):
    client = login(cast.provincial)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(url(), {"next": "/"}, follow=True) for _ in range(10)]
    assert Reminder.objects.count() == 1 and len(heard) == 1
    first = [str(m) for m in responses[0].context["messages"]]
    again = [str(m) for m in responses[-1].context["messages"]]
    assert first == ["Đã nhắc LĐLĐ huyện A gửi báo cáo."]
    assert again == [
        "Đã nhắc hôm nay: LĐLĐ huyện A đã được nhắc lúc 09:30, bởi provincial. Mỗi ngày chỉ gửi một lời nhắc."
    ]


def test_the_next_day_it_may_remind_again(cast, half):
    remind(user=cast.provincial, organization=cast.district, period=half)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        _reminder, sent = remind(user=cast.provincial, organization=cast.district, period=half)
    assert sent and Reminder.objects.count() == 2


def test_the_database_refuses_a_second_reminder_of_the_same_day(cast, half):
    Reminder.objects.create(organization=cast.district, period=half, day=TODAY, by=cast.provincial)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(organization=cast.district, period=half, day=TODAY, by=cast.national_officer)


def test_the_audit_trail_records_the_reminder_with_who_sent_it(cast, login, half):
    login(cast.provincial).post(url())
    reminder = Reminder.objects.get()
    event = AuditEvent.objects.get(table_name="notifications_reminder")
    assert (event.action, event.actor_id, event.row_id) == ("create", cast.provincial.pk, reminder.pk)
    assert (event.subject, event.organization_id) == ("organization", cast.district.pk)
    assert event.context == f"web:{url()}"
    history = login(cast.provincial).get(reverse("audit:organization", args=["XP-A"])).content.decode()
    assert "Lời nhắc" in history and "6 tháng đầu năm 2026" in history and "01/08/2026" in history


def test_the_sibling_district_gets_404_and_nothing_is_sent(cast, login, half, heard):
    client = login(cast.outsider)
    assert client.post(url()).status_code == 404
    assert client.get(url()).status_code == 404
    assert Reminder.objects.count() == 0 and heard == []
    assert not AuditEvent.objects.filter(table_name="notifications_reminder").exists()


def test_the_district_itself_and_its_viewer_may_not_remind_it(cast, login, half):
    assert login(cast.owner).post(url()).status_code == 403
    assert login(cast.colleague).post(url()).status_code == 403
    with pytest.raises(PermissionDenied):
        remind(user=cast.owner, organization=cast.district, period=half)
    assert Reminder.objects.count() == 0


def test_a_get_answers_405_to_the_body_above(cast, login, half):
    assert login(cast.provincial).get(url()).status_code == 405
    assert Reminder.objects.count() == 0


@pytest.mark.parametrize(
    "situation, message",
    [
        ("submitted", "LĐLĐ huyện A đã gửi báo cáo này."),
        ("waived", "LĐLĐ huyện A được miễn nộp báo cáo kỳ này."),
        ("early", "Hạn của 6 tháng đầu năm 2026 là 15/07/2026: LĐLĐ huyện A chưa trễ hạn."),
    ],
)
def test_a_body_that_is_not_late_is_not_reminded(cast, login, half, heard, situation, message):
    if situation == "submitted":
        workflow.submission_submit(organization=cast.district, period=half, by=cast.owner)
    elif situation == "waived":
        Waiver.objects.create(organization=cast.district, period=half, reason="Sáp nhập", by=cast.provincial)
    with time_machine.travel(
        datetime.datetime(2026, 7, 15, 16, 0, tzinfo=NOW.tzinfo) if situation == "early" else NOW, tick=False
    ):
        response = login(cast.provincial).post(url(), follow=True)
    assert [str(m) for m in response.context["messages"]] == [message]
    assert Reminder.objects.count() == 0 and heard == []


def test_a_base_union_sends_no_report_of_its_own(cast, half):
    with pytest.raises(ValidationError):
        remind(user=cast.provincial, organization=cast.branch, period=half)
    assert Reminder.objects.count() == 0


def test_a_period_nobody_has_written_in_is_opened_by_the_reminder(cast, today):
    assert not ReportingPeriod.objects.filter(code="2026-H1").exists()
    period = ReportingPeriod(**ReportingPeriod.bounds("2026-H1"))
    reminder, sent = remind(user=cast.provincial, organization=cast.district, period=period)
    assert sent and reminder.period.pk and reminder.period.code == "2026-H1"


def test_a_malformed_period_is_404(cast, login, today):
    assert login(cast.provincial).post(url(period="2026-H3")).status_code == 404
    assert Reminder.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_the_same_moment_send_one_reminder(cast, half, heard):
    """Two tabs, two connections, one instant: the unique constraint decides, the loser finds the winner's row."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL (SQLite takes its writers one at a time)")
    barrier, results, errors = threading.Barrier(2), [], []

    def press():
        try:
            barrier.wait()
            results.append(remind(user=cast.provincial, organization=cast.district, period=half)[1])
        except Exception as error:  # pragma: no cover - the assertion below shows it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [False, True]
    assert Reminder.objects.count() == 1 and len(heard) == 1
