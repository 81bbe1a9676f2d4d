"""The webhook channel: each event posted, signed, to the webhooks of its body and the bodies above.

    # notifications/apps.py
    published.register(webhooks.deliver)

The receiver of `notifications.published` (called once the event's transaction has
committed) writes one delivery row per webhook that hears of the event and queues `drain`
on the job runner: nothing is posted inside a user's request. One drain at a time per process
posts every delivery that is due, so a sweep that reminds 700 bodies at once queues one
drain, not 700 threads each holding a database connection; the drain posts PARALLEL at once,
so a slow receiver does not hold up the others. An attempt that fails (an error answer, a
timeout, a refused connection) is recorded on the row and tried again after a back-off that
doubles each time (`deliver_due`, run by `manage.py
deliver_webhooks` and at the end of `send_reminders`), until MAX_ATTEMPTS.

What is posted (JSON, UTF-8): the delivery's id, the kind and its Vietnamese label, the
body's code and name, the period's code and label, the address of the page, the time. No
comment, no user, no e-mail address or telephone number: a bridge outside the portal learns
which body and which period, nothing about a person. The receiver checks

    X-UnionPortal-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>." + body)>
    X-UnionPortal-Timestamp: <Unix seconds>

and refuses a timestamp far from its clock (a replayed request).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone, translation

from unionportal.jobs import run_in_background

from .events import KINDS, THE_USER, Event
from .models import DeliveryStatus, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds: a receiver slower than this is recorded as failed and tried again later
MAX_ATTEMPTS = 8
FIRST_DELAY = datetime.timedelta(minutes=1)  # then 2, 4, 8 … minutes
LONGEST_DELAY = datetime.timedelta(hours=6)
# An attempt claims its row for this long: a worker that dies mid-post leaves it due again after.
LEASE = datetime.timedelta(minutes=2)
PARALLEL = 4  # posts at once in a drain
SIGNATURE_HEADER = "X-UnionPortal-Signature"
TIMESTAMP_HEADER = "X-UnionPortal-Timestamp"


def webhooks_for(organization) -> list[Webhook]:
    """The active webhooks of the organization and of the bodies above it (one query)."""
    paths = [organization.path[: i * organization.steplen] for i in range(1, organization.depth + 1)]
    return list(Webhook.objects.filter(active=True, organization__path__in=paths))


def payload_for(event: Event, *, at: datetime.datetime) -> dict:
    """What is posted, in Vietnamese whatever the language of the page whose action raised the event."""
    with translation.override("vi"):
        return _payload(event, at)


def _payload(event: Event, at: datetime.datetime) -> dict:
    period = event.period
    return {
        "kind": event.kind,
        "label": str(KINDS[event.kind].label),
        "organization": {"code": event.organization.code, "name": event.organization.name},
        "period": {"code": period.code, "label": period.label} if period is not None else None,
        "url": settings.SITE_URL.rstrip("/") + event.path,
        "time": at.isoformat(),
    }


def deliver(*, event: Event) -> None:
    """The channel: a delivery row for each webhook that hears of the event, posted from the job queue."""
    if event.audience == THE_USER:
        return  # about one user: never posted outside the portal
    hooks = [webhook for webhook in webhooks_for(event.organization) if webhook.wants(event.kind)]
    if not hooks:
        return
    now = timezone.now()
    payload = payload_for(event, at=now)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=webhook,
            kind=event.kind,
            organization=event.organization,
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for webhook in hooks
    )
    if deliveries:
        transaction.on_commit(queue_drain)


# One drain at a time in a process; a delivery written while it runs asks it to go round again.
_draining = threading.Lock()
_more = threading.Event()


def queue_drain() -> None:
    if _draining.locked():
        _more.set()  # the running drain will see the new rows
        return
    run_in_background(drain)


def drain() -> None:
    """The job: post every delivery that is due, until none is (those failing wait for their back-off)."""
    while True:
        if not _draining.acquire(blocking=False):
            _more.set()
            return
        try:
            _more.clear()
            while deliver_due():
                pass
        finally:
            _draining.release()
        if not _more.is_set():  # nothing was written between the last look and the release
            return


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """One attempt at each delivery whose next attempt is due; how many were tried."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if len(due) < 2 or getattr(settings, "JOBS_RUN_INLINE", False):
        return sum(1 for pk in due if attempt(pk))
    # A few posts at once: a slow receiver (up to TIMEOUT each) must not hold up every other one.
    with ThreadPoolExecutor(PARALLEL, thread_name_prefix="webhook-post") as pool:
        return sum(pool.map(_attempt_on_own_connection, due))


def _attempt_on_own_connection(pk: int) -> bool:
    try:
        return attempt(pk)
    finally:
        connections.close_all()  # the pool's thread opened its own connection: close it, not leak it


def deliver_due_job() -> None:
    """The scheduled job (Celery beat): the deliveries whose back-off has passed."""
    drain()


def wait_for_drain(timeout: float = 600) -> None:
    """Let the drain this process queued finish: a command's exit would end the embedded runner's thread mid-post."""
    for thread in threading.enumerate():
        if thread.name == f"job-{drain.__name__}" and thread is not threading.current_thread():
            thread.join(timeout)


def delivery_retry(*, deliveries: Iterable[WebhookDelivery]) -> int:
    """The administrator's "try again now": failed or waiting deliveries become due at once, attempts reset."""
    pks = [delivery.pk for delivery in deliveries]
    changed = WebhookDelivery.objects.filter(pk__in=pks).exclude(status=DeliveryStatus.DELIVERED)
    count = changed.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0)
    transaction.on_commit(queue_drain)
    return count


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most LONGEST_DELAY."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def attempt(pk: int) -> bool:
    """Post delivery `pk` once, if it is due and no other worker holds it; record the outcome."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE
    )
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
    code, error = post(delivery)
    fields = {"response_code": code, "last_error": error[:2000]}
    if code is not None and 200 <= code < 300:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), last_error="")
    elif delivery.attempts >= MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED)
        logger.warning("Webhook delivery %s failed for good: %s", pk, error)
    else:
        fields.update(next_attempt_at=timezone.now() + backoff(delivery.attempts))
    WebhookDelivery.objects.filter(pk=pk).update(**fields)
    return True


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to record, not to follow (a POST must not turn into a GET elsewhere)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery's payload: (the answer's status code or None, the error or "")."""
    body = json.dumps({"id": str(delivery.uid), **delivery.payload}, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    if not delivery.webhook.url.lower().startswith(("https://", "http://")):
        return None, "The address must start with https:// or http://."
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above: never file: or ftp:)
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "UnionPortal-Webhook/1",
            "X-UnionPortal-Event": delivery.kind,
            "X-UnionPortal-Delivery": str(delivery.uid),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(delivery.webhook.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(reason).__name__}: {reason}"
