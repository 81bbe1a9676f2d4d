"""Bad input of issue 14: a wrong address, the mail server down; and the daily digest, once a day."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from indicators.workflow import services as workflow
from notifications import delivery
from notifications.models import Delivery, Digest, EmailStatus, Notification
from notifications.services import preference_set
from organizations.models import Role
from tests import builders, factories

from .conftest import subject_of, text_of

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def year(db):
    return builders.period("2024")


@pytest.fixture
def three_reviewers(with_emails):
    """The province has three officers: one with a mistyped address, one whose mailbox the server refuses."""
    cast = with_emails
    typo = factories.make_user("typo", organization=cast.province, role=Role.PROVINCIAL_OFFICER, email="typo@")
    gone = factories.make_user(
        "gone", organization=cast.province, role=Role.PROVINCIAL_OFFICER, email="gone@congdoan.example.vn"
    )
    return cast, typo, gone


def test_a_wrong_address_is_skipped_and_listed_and_the_others_are_still_sent(
    three_reviewers, year, smtp, django_capture_on_commit_callbacks, admin_client
):
    cast, typo, gone = three_reviewers
    smtp.refused.add("gone@congdoan.example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)

    assert [message["To"] for message in smtp.messages] == ["provincial@congdoan.example.vn"]
    statuses = dict(Notification.objects.values_list("user__username", "email_status"))
    assert statuses == {"provincial": "sent", "typo": "invalid", "gone": "invalid"}
    errors = dict(Notification.objects.values_list("user__username", "email_error"))
    assert errors["typo"] == "Invalid address: typo@" and "gone@congdoan.example.vn" in errors["gone"]
    # Each still has the notification on the portal, and the administrator sees the two addresses to correct.
    listed = admin_client.get("/admin/notifications/notification/?email_status__exact=invalid").content.decode()
    assert "typo" in listed and "gone" in listed and ">provincial<" not in listed


def test_the_server_down_keeps_the_email_then_sends_it_once_when_it_is_back(
    with_emails, year, smtp, django_capture_on_commit_callbacks
):
    cast = with_emails
    start = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=HANOI)
    with time_machine.travel(start, tick=False):
        smtp.stop()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
        waiting = Notification.objects.get()
        assert (waiting.email_status, waiting.email_attempts) == (EmailStatus.PENDING, 1)
        assert waiting.email_next_attempt_at == start + datetime.timedelta(minutes=5)
        assert "Connection" in waiting.email_error or "refused" in waiting.email_error.lower()
        # Too early for the retry: nothing happens, even with the server back.
        smtp.start()
        assert delivery.send_due_emails() == 0
        assert smtp.messages == []

    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        call_command("send_notification_digest", stdout=io.StringIO())
        call_command("send_notification_digest", stdout=io.StringIO())
    assert [subject_of(message) for message in smtp.messages] == [
        "[UnionPortal] LĐLĐ huyện A đã gửi báo cáo kỳ Năm 2024"
    ]
    waiting.refresh_from_db()
    assert (waiting.email_status, waiting.email_attempts, waiting.email_error) == (EmailStatus.SENT, 2, "")


def test_the_wait_grows_after_each_failure_and_the_email_is_given_up_after_the_last(with_emails, year, smtp):
    cast = with_emails
    smtp.stop()
    notification = Notification.objects.create(
        user=cast.provincial, kind="submitted", organization=cast.district, title="t", path="/", key="k",
        email_status=EmailStatus.PENDING,
    )  # fmt: skip
    now = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=HANOI)
    waits = []
    for _attempt in range(delivery.MAX_ATTEMPTS):
        assert delivery.send_emails([notification.pk], now=now) == 0
        notification.refresh_from_db()
        if notification.email_next_attempt_at:
            waits.append(notification.email_next_attempt_at - now)
            now = notification.email_next_attempt_at
    assert [int(wait.total_seconds() // 60) for wait in waits] == [5, 10, 20, 40, 80, 160, 320]
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.FAILED, delivery.MAX_ATTEMPTS)


def test_two_workers_never_send_the_same_email(with_emails, smtp):
    cast = with_emails
    notification = Notification.objects.create(
        user=cast.provincial, kind="submitted", organization=cast.district, title="Một lần", path="/", key="k",
        email_status=EmailStatus.PENDING,
    )  # fmt: skip
    assert delivery.send_emails([notification.pk]) == 1
    assert delivery.send_emails([notification.pk]) == 0  # a second job with the same ids
    assert delivery.send_due_emails() == 0
    assert len(smtp.messages) == 1


def test_the_digest_gathers_the_day_and_goes_once_a_day(with_emails, year, smtp, django_capture_on_commit_callbacks):
    cast = with_emails
    preference_set(user=cast.owner, kind="returned", delivery=Delivery.DIGEST)
    preference_set(user=cast.owner, kind="accepted", delivery=Delivery.DIGEST)
    morning = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=HANOI)
    with time_machine.travel(morning, tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
        workflow.submission_return(organization=cast.district, period=year, by=cast.provincial, comment="Thiếu")
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
        workflow.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    # The reviewer's emails went at once; the owner's wait for the digest.
    assert [message["To"] for message in smtp.messages] == ["provincial@congdoan.example.vn"] * 2
    assert set(Notification.objects.filter(user=cast.owner).values_list("email_status", flat=True)) == {"digest"}

    with time_machine.travel(morning + datetime.timedelta(hours=1), tick=False):
        assert delivery.send_digests() == 1
        assert delivery.send_digests() == 0  # again the same day: nothing
    [digest] = [message for message in smtp.messages if message["To"] == "owner@congdoan.example.vn"]
    assert subject_of(digest) == "[UnionPortal] 2 thông báo trong ngày"
    text = text_of(digest)
    assert "Báo cáo kỳ Năm 2024 của LĐLĐ huyện A bị trả lại" in text and "Ý kiến: Thiếu" in text
    assert "Báo cáo kỳ Năm 2024 của LĐLĐ huyện A đã được tiếp nhận" in text
    assert text.count("/notifications/unsubscribe/") == 2  # one link per kind
    assert Digest.objects.get().day == datetime.date(2025, 1, 6)
    assert set(Notification.objects.filter(user=cast.owner).values_list("email_status", flat=True)) == {"sent"}


def test_the_digest_of_a_day_already_sent_waits_for_the_next_day(with_emails, smtp):
    cast = with_emails

    def waiting(key):
        return Notification.objects.create(
            user=cast.owner, kind="returned", organization=cast.district, title=key, path="/", key=key,
            email_status=EmailStatus.DIGEST,
        )  # fmt: skip

    day = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=HANOI)
    waiting("first")
    assert delivery.send_digests(now=day) == 1
    waiting("second")
    assert delivery.send_digests(now=day + datetime.timedelta(hours=10)) == 0
    assert delivery.send_digests(now=day + datetime.timedelta(days=1)) == 1
    assert [text_of(message).count("/notifications/") > 0 for message in smtp.messages] == [True, True]
    assert "second" in text_of(smtp.messages[1]) and "first" not in text_of(smtp.messages[1])


def test_a_digest_with_the_server_down_is_sent_later_the_same_day(with_emails, smtp):
    cast = with_emails
    Notification.objects.create(
        user=cast.owner, kind="returned", organization=cast.district, title="Chờ", path="/", key="k",
        email_status=EmailStatus.DIGEST,
    )  # fmt: skip
    day = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=HANOI)
    smtp.stop()
    assert delivery.send_digests(now=day) == 0
    assert Digest.objects.get().status == EmailStatus.PENDING
    smtp.start()
    assert delivery.send_digests(now=day + datetime.timedelta(minutes=10)) == 1
    assert delivery.send_digests(now=day + datetime.timedelta(minutes=20)) == 0
    assert len(smtp.messages) == 1


def test_the_command_sends_the_digests_from_the_digest_hour_on(with_emails, smtp, settings):
    cast = with_emails
    settings.NOTIFICATION_DIGEST_HOUR = 7
    Notification.objects.create(
        user=cast.owner, kind="returned", organization=cast.district, title="Chờ sáng", path="/", key="k",
        email_status=EmailStatus.DIGEST,
    )  # fmt: skip
    with time_machine.travel(datetime.datetime(2025, 1, 6, 6, 50, tzinfo=HANOI), tick=False):
        call_command("send_notification_digest", stdout=io.StringIO())
    assert smtp.messages == []
    with time_machine.travel(datetime.datetime(2025, 1, 6, 7, 0, tzinfo=HANOI), tick=False):
        out = io.StringIO()
        call_command("send_notification_digest", stdout=out)
        call_command("send_notification_digest", stdout=io.StringIO())
    assert out.getvalue().strip() == "Emails sent: 0; digests sent: 1"
    assert [message["To"] for message in smtp.messages] == ["owner@congdoan.example.vn"]


def test_an_email_that_cannot_be_made_waits_for_a_retry_and_the_others_go(with_emails, smtp, monkeypatch):
    cast = with_emails
    rows = [
        Notification.objects.create(
            user=user,
            kind="submitted",
            organization=cast.district,
            title=f"Cho {user.username}",
            path="/",
            key="k",
            email_status=EmailStatus.PENDING,
        )  # fmt: skip
        for user in (cast.provincial, cast.national_officer)
    ]
    real = delivery.notification_email

    def broken_for_the_first(notification):
        if notification.pk == rows[0].pk:
            raise ValueError("a template broke")
        return real(notification)

    monkeypatch.setattr(delivery, "notification_email", broken_for_the_first)
    assert delivery.send_emails([row.pk for row in rows]) == 1
    assert [message["To"] for message in smtp.messages] == ["national@congdoan.example.vn"]
    first = Notification.objects.get(pk=rows[0].pk)
    assert (first.email_status, first.email_attempts) == (EmailStatus.PENDING, 1)
    assert first.email_error == "ValueError: a template broke"


def test_a_failing_store_leaves_the_next_channel_of_the_event_running(cast, monkeypatch):
    from notifications import channels, events
    from notifications.events import Event, published

    seen = []

    def next_channel(*, event):
        seen.append(event.kind)

    monkeypatch.setattr(channels, "recipients", lambda event: 1 / 0)
    published.register(next_channel)
    try:
        published.run(event=Event(events.RETURNED, cast.district, "/"))
    finally:
        published.unregister(next_channel)
    assert seen == ["returned"]
    assert not Notification.objects.exists()


def test_a_refused_address_in_a_batch_does_not_hold_back_the_next_batches(with_emails, smtp):
    cast = with_emails
    smtp.refused.add("gone@congdoan.example.vn")
    gone = factories.make_user(
        "gone", organization=cast.province, role=Role.PROVINCIAL_OFFICER, email="gone@congdoan.example.vn"
    )
    for number, user in enumerate([gone, cast.provincial, cast.national_officer, cast.owner, cast.colleague]):
        Notification.objects.create(
            user=user, kind="submitted", organization=cast.district, title=f"Số {number}", path="/", key=f"k{number}",
            email_status=EmailStatus.PENDING,
        )  # fmt: skip
    assert delivery.send_due_emails(batch=2) == 4
    assert len(smtp.messages) == 4
    assert Notification.objects.get(user=gone).email_status == EmailStatus.INVALID
