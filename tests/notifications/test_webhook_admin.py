"""The administrator sets webhooks up, sees each delivery's outcome, and asks for failed ones to be tried again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.events import DEADLINE_7, OVERDUE
from notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from tests import factories

from .webhook_server import WebhookServer


@pytest.fixture
def root(db):
    return factories.make_user("root", is_superuser=True, is_staff=True)


def _failed(webhook: Webhook) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        webhook=webhook,
        kind=DEADLINE_7,
        organization=webhook.organization,
        payload={"kind": DEADLINE_7},
        status=DeliveryStatus.FAILED,
        attempts=8,
        response_code=502,
        last_error="HTTP 502 Bad Gateway",
    )


def test_the_administrator_adds_a_webhook_with_a_kinds_filter(cast, login, root):
    response = login(root).post(
        reverse("admin:notifications_webhook_add"),
        {
            "organization": cast.province.pk,
            "url": "https://zalo-bridge.example.vn/unionportal",
            "secret": "s" * 40,
            "active": "on",
            "kinds": [OVERDUE],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    webhook = Webhook.objects.get()
    assert (webhook.organization, webhook.kinds) == (cast.province, [OVERDUE])


def test_a_bad_address_is_refused_and_nothing_is_saved(cast, login, root):
    response = login(root).post(
        reverse("admin:notifications_webhook_add"),
        {"organization": cast.province.pk, "url": "file:///etc/passwd", "secret": "s" * 40, "kinds": []},
    )
    assert response.status_code == 200
    assert Webhook.objects.count() == 0


def test_failures_are_visible_with_their_code_and_error(cast, login, root):
    _failed(Webhook.objects.create(organization=cast.district, url="https://bridge.example.vn/"))
    client = login(root)
    page = client.get(reverse("admin:notifications_webhookdelivery_changelist")).content.decode()
    assert "HTTP 502 Bad Gateway" in page and "502" in page
    listing = client.get(reverse("admin:notifications_webhook_changelist")).content.decode()
    assert "bridge.example.vn" in listing


def test_the_retry_action_posts_a_failed_delivery_again(cast, login, root, django_capture_on_commit_callbacks):
    receiver = WebhookServer([200])
    try:
        delivery = _failed(Webhook.objects.create(organization=cast.district, url=receiver.url))
        with django_capture_on_commit_callbacks(execute=True):
            response = login(root).post(
                reverse("admin:notifications_webhookdelivery_changelist"),
                {"action": "retry", "_selected_action": [delivery.pk]},
            )
    finally:
        receiver.close()
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert len(receiver.requests) == 1


def test_staff_without_the_right_cannot_retry(cast, login, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    staff = factories.make_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    delivery = _failed(Webhook.objects.create(organization=cast.district, url="https://bridge.example.vn/"))
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(
            reverse("admin:notifications_webhookdelivery_changelist"),
            {"action": "retry", "_selected_action": [delivery.pk]},
        )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 8)


def test_the_beat_schedule_runs_the_sweep_at_seven_in_viet_nam_and_names_real_jobs():
    from django.conf import settings
    from django.utils.module_loading import import_string

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    sweep = schedule["send-reminders"]
    assert (sweep["schedule"].hour, sweep["schedule"].minute) == ({7}, {0})
    for entry in schedule.values():
        assert entry["task"] == "unionportal.run_job"
        assert callable(import_string(entry["args"][0]))


def test_a_webhook_set_up_and_changed_shows_in_the_history_of_its_body_without_its_secret(cast, login, root):
    from audit.models import AuditEvent

    client = login(root)
    form = {"organization": cast.province.pk, "url": "https://bridge.example.vn/a", "secret": "s" * 40, "active": "on"}
    assert client.post(reverse("admin:notifications_webhook_add"), form).status_code == 302
    webhook = Webhook.objects.get()
    changed = {**form, "url": "https://bridge.example.vn/b", "secret": "t" * 40}
    assert client.post(reverse("admin:notifications_webhook_change", args=[webhook.pk]), changed).status_code == 302

    events = list(AuditEvent.objects.filter(table_name="notifications_webhook").order_by("id"))
    assert [(event.action, event.actor_id, event.organization_id) for event in events] == [
        ("create", root.pk, cast.province.pk),
        ("update", root.pk, cast.province.pk),
    ]
    assert (events[1].before, events[1].after) == (
        {"url": "https://bridge.example.vn/a"},
        {"url": "https://bridge.example.vn/b"},
    )
    assert all("secret" not in (event.after or {}) and "s" * 40 not in str(event.after) for event in events)
    history = client.get(reverse("audit:organization", args=[cast.province.code])).content.decode()
    assert "https://bridge.example.vn/b" in history and "t" * 40 not in history
