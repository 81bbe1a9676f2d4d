"""The webhook channel against a real HTTP server: signed payloads, scope, retries with back-off, timeouts."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from notifications import webhooks
from notifications.events import DEADLINE_7, IMPORT_DONE, KINDS, OVERDUE, RETURNED, Event, publish
from notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from tests import builders

from .webhook_server import WebhookServer

PATH = "/data/2025-H1/XP-A/"


@pytest.fixture
def server():
    servers: list[WebhookServer] = []

    def start(answers: list | None = None) -> WebhookServer:
        servers.append(WebhookServer(answers))
        return servers[-1]

    yield start
    for each in servers:
        each.close()


@pytest.fixture
def period(db):
    return builders.period("2025-H1")


def _publish(capture, event: Event) -> None:
    with capture(execute=True):
        publish(event)


def _hook(organization, url: str, **fields) -> Webhook:
    return Webhook.objects.create(organization=organization, url=url, **fields)


def test_it_posts_a_signed_payload_with_names_only(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server([200])
    webhook = _hook(cast.province, receiver.url)
    event = Event(kind=RETURNED, organization=cast.district, period=period, path=PATH, actor=cast.provincial)
    with translation.override("en"):
        _publish(django_capture_on_commit_callbacks, replace_comment(event, "Gọi chị Lan 0912345678, lan@example.vn"))

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    timestamp = headers["x-unionportal-timestamp"]
    expected = hmac.new(webhook.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-unionportal-signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    payload = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert payload == {
        "id": str(delivery.uid),
        "kind": RETURNED,
        "label": payload["label"],
        "organization": {"code": "XP-A", "name": "LĐLĐ huyện A"},
        "period": {"code": "2025-H1", "label": period.label},
        "url": "http://127.0.0.1:8000" + PATH,
        "time": payload["time"],
    }
    with translation.override("vi"):  # the payload speaks Vietnamese, whatever the acting page's language
        assert (payload["label"], payload["period"]["label"]) == (str(KINDS[RETURNED].label), period.label)
    text = body.decode()
    for personal in ("0912345678", "@", "Lan", cast.provincial.username):
        assert personal not in text
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 1, 200)


def replace_comment(event: Event, comment: str) -> Event:
    from dataclasses import replace

    return replace(event, comment=comment)


def test_a_forged_signature_does_not_match(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server([200])
    _hook(cast.district, receiver.url)
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )
    headers, body = receiver.requests[0]
    forged = hmac.new(b"another secret", headers["x-unionportal-timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["x-unionportal-signature"] != f"sha256={forged.hexdigest()}"


def test_a_webhook_hears_of_its_body_and_those_below_never_a_sibling(
    cast, period, server, django_capture_on_commit_callbacks
):
    province, own, sibling, below = server(), server(), server(), server()
    _hook(cast.province, province.url)
    _hook(cast.district, own.url)
    _hook(cast.sibling, sibling.url)
    _hook(cast.branch, below.url)  # a base union's webhook does not hear of its district
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )

    assert (len(province.requests), len(own.requests), len(sibling.requests), len(below.requests)) == (1, 1, 0, 0)
    assert WebhookDelivery.objects.filter(webhook__organization=cast.sibling).count() == 0


def test_kinds_filter_inactive_webhooks_and_personal_events(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server()
    _hook(cast.district, receiver.url, kinds=[OVERDUE])
    _hook(cast.district, receiver.url, active=False)
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )
    _publish(
        django_capture_on_commit_callbacks,
        Event(kind=IMPORT_DONE, organization=cast.district, user=cast.owner, path="/imports/1/"),
    )
    assert receiver.requests == []
    _publish(
        django_capture_on_commit_callbacks, Event(kind=OVERDUE, organization=cast.district, period=period, path=PATH)
    )
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1


def test_nothing_is_posted_for_an_event_that_rolled_back(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server()
    _hook(cast.district, receiver.url)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        publish(Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH))
        raise RuntimeError("the action failed")
    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0


def test_a_500_is_recorded_and_retried_after_its_back_off_then_delivered_once(
    cast, period, server, django_capture_on_commit_callbacks
):
    receiver = server([500, 200])
    _hook(cast.district, receiver.url)
    with time_machine.travel(datetime.datetime(2025, 7, 8, 7, 0, tzinfo=datetime.UTC), tick=False) as clock:
        _publish(
            django_capture_on_commit_callbacks,
            Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH),
        )
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.PENDING, 1, 500)
        assert "500" in delivery.last_error
        assert delivery.next_attempt_at == timezone.now() + webhooks.FIRST_DELAY

        call_command("deliver_webhooks")  # not due yet: nothing is posted
        assert len(receiver.requests) == 1

        clock.shift(webhooks.FIRST_DELAY)
        call_command("deliver_webhooks")
        call_command("deliver_webhooks")
        clock.shift(datetime.timedelta(days=1))
        call_command("deliver_webhooks")

    assert len(receiver.requests) == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same payload, the same id
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
        "",
    )


def test_a_timeout_is_recorded_and_retried(cast, period, server, monkeypatch, django_capture_on_commit_callbacks):
    assert webhooks.TIMEOUT == 5
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.5)  # the same code path, without waiting 5 s in the suite
    receiver = server([("sleep", 2, 200), 200])
    _hook(cast.district, receiver.url)
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.PENDING, 1, None)
    assert "timed out" in delivery.last_error.lower()

    with time_machine.travel(timezone.now() + webhooks.FIRST_DELAY + datetime.timedelta(seconds=1)):
        assert webhooks.deliver_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 2, 200)


def test_a_receiver_that_never_answers_well_fails_for_good_after_the_last_attempt(
    cast, period, server, django_capture_on_commit_callbacks
):
    receiver = server([503])
    _hook(cast.district, receiver.url)
    with time_machine.travel(datetime.datetime(2025, 7, 8, tzinfo=datetime.UTC), tick=False) as clock:
        _publish(
            django_capture_on_commit_callbacks,
            Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH),
        )
        waits = []
        for _attempt in range(webhooks.MAX_ATTEMPTS + 2):
            delivery = WebhookDelivery.objects.get()
            waits.append(delivery.next_attempt_at - timezone.now())
            clock.move_to(delivery.next_attempt_at)
            webhooks.deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.FAILED,
        webhooks.MAX_ATTEMPTS,
        503,
    )
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS
    minutes = [int(wait.total_seconds() // 60) for wait in waits[: webhooks.MAX_ATTEMPTS - 1]]
    assert minutes == [1, 2, 4, 8, 16, 32, 64]  # doubling back-off


def test_a_refused_connection_is_recorded(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server()
    url = receiver.url
    receiver.close()  # nobody listens on that port any more
    _hook(cast.district, url)
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_code is None
    assert "refused" in delivery.last_error.lower()


def test_the_retry_service_makes_a_failed_delivery_due_again(cast, period, server, django_capture_on_commit_callbacks):
    receiver = server([200])
    webhook = _hook(cast.district, receiver.url)
    failed = WebhookDelivery.objects.create(
        webhook=webhook,
        kind=DEADLINE_7,
        organization=cast.district,
        payload={"kind": DEADLINE_7},
        status=DeliveryStatus.FAILED,
        attempts=webhooks.MAX_ATTEMPTS,
        last_error="HTTP 500",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.delivery_retry(deliveries=[failed]) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, len(receiver.requests)) == (DeliveryStatus.DELIVERED, 1, 1)


@pytest.mark.parametrize(
    "fields",
    [
        {"kinds": ["no-such-kind"]},
        {"kinds": [IMPORT_DONE]},
        {"kinds": "overdue"},
        {"secret": "short"},
        {"url": "ftp://x.vn/"},
    ],
)
def test_a_webhook_with_bad_settings_is_refused_and_not_saved(cast, fields):
    webhook = Webhook(organization=cast.district, **{"url": "https://bridge.example.vn/hook", **fields})
    with pytest.raises(ValidationError):
        webhook.full_clean()
    assert Webhook.objects.count() == 0


def test_the_users_action_only_writes_the_delivery_the_post_is_a_job(
    cast, period, server, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(webhooks, "run_in_background", lambda function, *args: queued.append(function))
    receiver = server([200])
    _hook(cast.district, receiver.url)
    _publish(
        django_capture_on_commit_callbacks, Event(kind=DEADLINE_7, organization=cast.district, period=period, path=PATH)
    )
    assert queued == [webhooks.drain]
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().attempts == 0


def test_a_delivery_written_while_a_drain_runs_joins_it_instead_of_queueing_another(monkeypatch):
    queued = []
    monkeypatch.setattr(webhooks, "run_in_background", lambda function, *args: queued.append(function))
    webhooks._more.clear()
    with webhooks._draining:
        webhooks.queue_drain()
        webhooks.queue_drain()
    assert queued == [] and webhooks._more.is_set()
    webhooks._more.clear()
    webhooks.queue_drain()
    assert queued == [webhooks.drain]


@pytest.mark.django_db(transaction=True)
def test_outside_the_tests_inline_mode_a_slow_receiver_does_not_hold_up_the_others(cast, server, settings):
    """The drain's pool posts PARALLEL deliveries at once, each thread on its own connection."""
    settings.JOBS_RUN_INLINE = False
    receiver = server([("sleep", 1, 200)])
    webhook = _hook(cast.district, receiver.url)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=webhook, kind=DEADLINE_7, organization=cast.district, payload={"kind": DEADLINE_7})
        for _n in range(8)
    )
    started = timezone.now()
    assert webhooks.deliver_due() == 8
    assert (timezone.now() - started).total_seconds() < 6  # one at a time would take 8 s
    assert len(receiver.requests) == 8
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.DELIVERED, 1)}
