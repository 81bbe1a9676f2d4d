"""The "Thông báo" page, opening a notification, the settings, the navigation bar and the unsubscribe page."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from notifications.emails import UNSUBSCRIBE_SALT, unsubscribe_token
from notifications.models import Delivery, EmailStatus, Notification, NotificationPreference
from notifications.selectors import preferences_of


def make(user, organization, title, *, read=False, minutes=0, **extra):
    notification = Notification.objects.create(
        user=user,
        kind=extra.pop("kind", "returned"),
        organization=organization,
        title=title,
        path=extra.pop("path", "/"),
        key=f"k-{title}",
        read_at=timezone.now() if read else None,
        **extra,
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return notification


def test_the_page_lists_my_notifications_unread_first_in_bold(cast, login):
    make(cast.owner, cast.district, "Cũ đã đọc", read=True, minutes=1)
    make(cast.owner, cast.district, "Mới đã đọc", read=True, minutes=0)
    make(cast.owner, cast.district, "Chưa đọc cũ", minutes=30)
    make(cast.outsider, cast.sibling, "Của huyện B")
    body = login(cast.owner).get(reverse("notifications:list")).content.decode()
    order = [body.index(title) for title in ("Chưa đọc cũ", "Mới đã đọc", "Cũ đã đọc")]
    assert order == sorted(order)
    assert '<span class="fw-bold"><span class="visually-hidden">Chưa đọc: </span>Chưa đọc cũ' in body
    assert "Của huyện B" not in body


def test_the_page_is_paged(cast, login):
    for number in range(30):
        make(cast.owner, cast.district, f"Thông báo số {number:02d}", minutes=number)
    client = login(cast.owner)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "Thông báo số 00" in first and "Thông báo số 24" in first and "Thông báo số 25" not in first
    assert "Thông báo số 25" in second and "Trang 2/2" in second


def test_opening_marks_read_and_goes_to_the_page(cast, login):
    notification = make(cast.owner, cast.district, "Trả lại", path="/data/2024/XP-A/")
    response = login(cast.owner).get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302 and response.url == "/data/2024/XP-A/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_does_not_exist_and_stays_unread(cast, login):
    notification = make(cast.owner, cast.district, "Của chủ")
    for user in (cast.outsider, cast.provincial, cast.colleague):
        assert login(user).get(reverse("notifications:open", kwargs={"pk": notification.pk})).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_stored_path_never_sends_anyone_to_another_site(cast, login):
    notification = make(cast.owner, cast.district, "Lạ", path="//evil.example/x")
    response = login(cast.owner).get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.url == reverse("notifications:list")


def test_mark_all_read_reads_only_mine(cast, login):
    mine = [make(cast.owner, cast.district, f"Của tôi {n}") for n in range(3)]
    theirs = make(cast.outsider, cast.sibling, "Của huyện B")
    client = login(cast.owner)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_navigation_bar_shows_the_unread_count(cast, login):
    client = login(cast.owner)
    body = client.get(reverse("notifications:list")).content.decode()
    assert 'id="nav-notifications">Thông báo</a>' in body
    make(cast.owner, cast.district, "Một")
    make(cast.owner, cast.district, "Hai")
    make(cast.owner, cast.district, "Đã đọc", read=True)
    make(cast.outsider, cast.sibling, "Của huyện B")
    body = client.get(reverse("home")).content.decode()
    assert 'Thông báo <span class="badge text-bg-danger" title="Chưa đọc">2</span>' in body


def test_the_settings_save_each_kind_and_waiting_emails_follow(cast, login):
    pending = make(cast.owner, cast.district, "Chờ gửi", email_status=EmailStatus.PENDING)
    client = login(cast.owner)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Báo cáo của tôi bị trả lại" in page and "Gửi email tổng hợp hằng ngày" in page
    choices = dict.fromkeys(preferences_of(cast.owner), Delivery.IMMEDIATE)
    choices.update({"returned": Delivery.OFF, "accepted": Delivery.DIGEST})
    assert client.post(reverse("notifications:settings"), choices).status_code == 302
    assert preferences_of(cast.owner)["returned"] == Delivery.OFF
    assert preferences_of(cast.owner)["accepted"] == Delivery.DIGEST
    pending.refresh_from_db()
    assert pending.email_status == EmailStatus.NONE


def test_a_setting_out_of_the_list_changes_nothing(cast, login):
    choices = dict.fromkeys(preferences_of(cast.owner), Delivery.IMMEDIATE)
    choices["returned"] = "sms"
    response = login(cast.owner).post(reverse("notifications:settings"), choices)
    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()


@pytest.fixture
def anonymous(client):
    return client


def unsubscribe_url(token: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def test_the_unsubscribe_link_asks_then_turns_that_kind_off_without_a_login(cast, anonymous):
    url = unsubscribe_url(unsubscribe_token(cast.owner, "returned"))
    page = anonymous.get(url)
    assert page.status_code == 200 and "Ngừng nhận email về “Báo cáo của tôi bị trả lại”?" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # a mail scanner following the link changes nothing
    done = anonymous.post(url)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert list(NotificationPreference.objects.values_list("user__username", "kind", "delivery")) == [
        ("owner", "returned", "off")
    ]


def test_a_tampered_unsubscribe_link_changes_nothing(cast, anonymous):
    token = unsubscribe_token(cast.owner, "returned")
    payload, stamp, signature = token.split(":")
    forged_for_outsider = signing.b64_encode(f'{{"u":{cast.outsider.pk},"k":"returned"}}'.encode()).decode()
    forged = [
        f"{forged_for_outsider}:{stamp}:{signature}",  # another user under the owner's signature
        f"{payload}:{stamp}:{signature[:-2]}xx",  # a signature altered
        signing.dumps({"u": cast.outsider.pk, "k": "returned"}, salt="another.purpose"),  # signed for something else
        signing.dumps({"u": cast.outsider.pk, "k": "no-such-kind"}, salt=UNSUBSCRIBE_SALT),
        "nothing-at-all",
    ]
    for token in forged:
        assert anonymous.post(unsubscribe_url(token)).status_code == 404, token
    assert not NotificationPreference.objects.exists()
