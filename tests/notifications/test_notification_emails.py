"""Each event of issue 14 (point 2) reaches its people: a stored notification and an email read back
from a real SMTP server, with the Vietnamese text, the link and the unsubscribe token."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.workflow import hooks
from indicators.workflow import services as workflow
from notifications.emails import read_unsubscribe_token
from notifications.models import EmailStatus, Notification
from tests import builders

from .conftest import SITE_URL, html_of, subject_of, text_of


@pytest.fixture
def year(db):
    return builders.period("2024")


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_a_submission_tells_the_reviewers_above_by_notification_and_email(
    with_emails, year, smtp, django_capture_on_commit_callbacks
):
    cast = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner, comment="Đủ 87 CĐCS")

    # The province decides on its districts: its officer is told; nobody else, not even the confederation.
    stored = Notification.objects.get()
    assert (stored.user, stored.kind, stored.organization, stored.period) == (
        cast.provincial,
        "submitted",
        cast.district,
        year,
    )
    assert stored.title == "LĐLĐ huyện A đã gửi báo cáo kỳ Năm 2024"
    assert stored.email_status == EmailStatus.SENT and stored.email_attempts == 1
    assert [message["To"] for message in smtp.messages] == ["provincial@congdoan.example.vn"]

    message = smtp.messages[0]
    assert subject_of(message) == "[UnionPortal] LĐLĐ huyện A đã gửi báo cáo kỳ Năm 2024"
    text = text_of(message)
    assert "Mở trang xem xét để tiếp nhận hoặc trả lại số liệu kèm ý kiến." in text
    assert "Ý kiến: Đủ 87 CĐCS" in text
    opening = f"{SITE_URL}{reverse('notifications:open', kwargs={'pk': stored.pk})}"
    assert opening in links_in(text)
    assert f'href="{opening}"' in html_of(message)
    # The unsubscribe link carries a token for this user and this kind only.
    unsubscribe = next(link for link in links_in(text) if "/unsubscribe/" in link)
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (cast.provincial.pk, "submitted")
    assert str(message["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"


def test_the_link_of_a_submission_leads_to_the_review_page_and_marks_it_read(
    with_emails, year, smtp, login, django_capture_on_commit_callbacks
):
    cast = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    stored = Notification.objects.get()
    response = login(cast.provincial).get(reverse("notifications:open", kwargs={"pk": stored.pk}))
    assert response.status_code == 302
    assert response.url == reverse("indicators:review", kwargs={"period": "2024", "code": cast.province.code})
    stored.refresh_from_db()
    assert stored.read_at is not None


def test_a_return_tells_the_staff_of_the_body_with_the_comment(
    with_emails, year, smtp, django_capture_on_commit_callbacks
):
    cast = with_emails
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_return(
            organization=cast.district, period=year, by=cast.provincial, comment="Thiếu số liệu xếp loại CĐCS"
        )

    # The district's staff who enter its figures; not its read-only colleague, not the sibling's staff.
    assert list(Notification.objects.values_list("user__username", "kind")) == [("owner", "returned")]
    [message] = smtp.messages
    assert message["To"] == "owner@congdoan.example.vn"
    assert subject_of(message) == "[UnionPortal] Báo cáo kỳ Năm 2024 của LĐLĐ huyện A bị trả lại"
    text = text_of(message)
    assert "Ý kiến: Thiếu số liệu xếp loại CĐCS" in text
    assert "Sửa số liệu rồi gửi lại." in text
    assert Notification.objects.get().path == reverse("indicators:grid", kwargs={"period": "2024", "code": "XP-A"})


def test_an_acceptance_tells_the_staff_of_the_body(with_emails, year, smtp, django_capture_on_commit_callbacks):
    cast = with_emails
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_accept(organization=cast.district, period=year, by=cast.provincial, comment="Tốt")
    [message] = smtp.messages
    assert message["To"] == "owner@congdoan.example.vn"
    assert subject_of(message) == "[UnionPortal] Báo cáo kỳ Năm 2024 của LĐLĐ huyện A đã được tiếp nhận"
    assert "Ý kiến: Tốt" in text_of(message)


def test_an_acceptance_that_rolls_back_tells_nobody(with_emails, year, smtp, django_capture_on_commit_callbacks):
    cast = with_emails
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)

    def broken(**payload):
        raise RuntimeError("the freeze failed")

    hooks.submission_accepted.register(broken)  # after the notification's receiver: it fails the acceptance
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            workflow.submission_accept(organization=cast.district, period=year, by=cast.provincial)
    finally:
        hooks.submission_accepted.unregister(broken)
    assert not Notification.objects.exists()
    assert smtp.messages == []


def test_a_submission_and_a_return_are_told_again_the_next_time(
    with_emails, year, smtp, django_capture_on_commit_callbacks
):
    """Each decision is an event of its own: submitting again after a return tells the reviewers again."""
    cast = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
        workflow.submission_return(organization=cast.district, period=year, by=cast.provincial, comment="Sửa lại")
        workflow.submission_submit(organization=cast.district, period=year, by=cast.owner, comment="Đã sửa")
    kinds = list(Notification.objects.order_by("pk").values_list("user__username", "kind"))
    assert kinds == [("provincial", "submitted"), ("owner", "returned"), ("provincial", "submitted")]
    assert len(smtp.messages) == 3


def test_the_return_page_sends_nothing_inside_the_request_only_once_it_committed(
    with_emails, year, smtp, login, django_capture_on_commit_callbacks
):
    cast = with_emails
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    url = reverse("indicators:return", kwargs={"period": "2024", "code": cast.district.code})
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = login(cast.provincial).post(url, {"comment": "Bổ sung biên bản"})
    assert response.status_code == 302
    # The request is answered: nothing stored, nothing sent yet; it all waits for the commit.
    assert not Notification.objects.exists() and smtp.messages == []
    assert after_commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()
    assert Notification.objects.get().user == cast.owner
    assert "Ý kiến: Bổ sung biên bản" in text_of(smtp.messages[0])


def test_the_email_html_is_vietnamese_and_escapes_what_people_typed(
    with_emails, year, smtp, django_capture_on_commit_callbacks
):
    cast = with_emails
    workflow.submission_submit(organization=cast.district, period=year, by=cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_return(
            organization=cast.district, period=year, by=cast.provincial, comment='<script>alert("x")</script> Sai số'
        )
    html = html_of(smtp.messages[0])
    assert '<html lang="vi">' in html and "Kính gửi" in html and "Mở trang" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Không nhận email loại này nữa" in html
