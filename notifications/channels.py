"""The channel of stored notifications and their emails, registered on notifications.published.

    published.register(channels.store_and_email)   # notifications/apps.py

Once the event's transaction has committed, each recipient (audience.recipients) gets one
stored notification, whatever the number of times the event is published (its key), with
the email status their settings ask for: sent at once (queued on the job runner after the rows
commit, never inside the user's request: delivery.queue_emails), kept for the daily digest, or not emailed.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .audience import recipients
from .delivery import queue_emails
from .events import Event
from .models import Delivery, EmailStatus, Notification, NotificationPreference
from .texts import describe

logger = logging.getLogger(__name__)


def event_key(event: Event) -> str:
    """What makes two publications the same event: the publisher's key, else kind, body, period and day.

    The default lets a sweep that runs twice a day (a deadline, a reminder) tell each body once a day.
    """
    if event.extra.get("key"):
        return f"{event.kind}:{event.extra['key']}"[:200]
    organization = event.organization.pk if event.organization is not None else "-"
    period = event.period.code if event.period is not None else "-"
    return f"{event.kind}:{organization}:{period}:{timezone.localdate().isoformat()}"


def email_status_for(user, delivery: str) -> tuple[str, str]:
    """(status, error) of a new notification's email for this user and their choice."""
    if delivery == Delivery.OFF or not user.email:
        return EmailStatus.NONE, ""
    try:
        validate_email(user.email)
    except ValidationError:
        return EmailStatus.INVALID, f"Invalid address: {user.email}"[:500]
    return (EmailStatus.DIGEST if delivery == Delivery.DIGEST else EmailStatus.PENDING), ""


def store_and_email(*, event: Event) -> list[Notification]:
    """Store the event for each recipient and queue the emails to send now; the new rows.

    A failure is logged and swallowed: the other channels of the event (the webhooks) still run.
    """
    try:
        return _store_and_email(event)
    except Exception:
        logger.exception("The notifications of a %s event were not stored", event.kind)
        return []


def _store_and_email(event: Event) -> list[Notification]:
    users = recipients(event)
    if not users:
        return []
    title, body = describe(event)
    key = event_key(event)
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=event.kind).values_list("user_id", "delivery")
    )
    rows = []
    for user in users:
        status, error = email_status_for(user, chosen.get(user.pk, Delivery.IMMEDIATE))
        rows.append(
            Notification(
                user=user,
                kind=event.kind,
                organization=event.organization,
                period=event.period if event.period is not None and event.period.pk else None,
                title=title,
                body=body,
                path=event.path,
                key=key,
                email_status=status,
                email_error=error,
            )
        )
    with transaction.atomic():
        known = set(Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True))
        new = [row for row in rows if row.user_id not in known]
        Notification.objects.bulk_create(new)
        to_send = [row.pk for row in new if row.email_status == EmailStatus.PENDING]
        if to_send:
            transaction.on_commit(lambda: queue_emails(to_send))
    return new
