"""Sending the emails: at once (a job per event), again after a failure (with back-off), and the digests.

    send_emails([id, …])        # the job queued by channels.store_and_email after the commit
    send_due_emails()           # the emails whose retry is due (manage.py send_notification_digest)
    send_digests()              # each user's digest of the day, once a day (the same command)

An email is sent once: a job first claims each notification (a conditional UPDATE from
"pending" to "sending", with a lease), so two workers never send the same one; it is marked
"sent" as soon as the server has taken it. The server down or refusing for a while: the email
goes back to "pending" with its next attempt later and later (BACKOFF), and is given up
("failed", listed in the admin) after MAX_ATTEMPTS. An address the server refuses is "invalid"
(listed in the admin too) and the other emails of the batch are still sent. A worker that
dies between the server's answer and the "sent" mark leaves the lease to expire and the email
is sent again: at least once, never twice while the portal runs.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from unionportal.jobs import run_in_background

from .emails import digest_email, notification_email
from .models import Digest, EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF = datetime.timedelta(minutes=5)  # 5, 10, 20, 40 … minutes after each failed attempt
LONGEST_WAIT = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(minutes=10)  # a claimed email not marked sent by then is sent again


def backoff(attempts: int) -> datetime.timedelta:
    return min(BACKOFF * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


class ServerDown(Exception):
    """The SMTP server could not be reached or dropped the connection: every email of the batch waits."""


def _claim(ids: Iterable[int], now: datetime.datetime) -> list[Notification]:
    """The notifications of `ids` that this worker now owns (pending and due, or their lease run out).

    One conditional UPDATE stamps them with a lease of this claim's own (to the microsecond, with
    a random part): another worker's claim at the same instant stamps a different one, so each
    row is read back by exactly one of them.
    """
    due = Q(email_status=EmailStatus.PENDING) & (
        Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)
    )
    expired = Q(email_status=EmailStatus.SENDING, email_next_attempt_at__lte=now)
    lease = now + LEASE + datetime.timedelta(microseconds=secrets.randbelow(1_000_000))
    Notification.objects.filter(due | expired, pk__in=list(ids)).update(
        email_status=EmailStatus.SENDING, email_next_attempt_at=lease
    )
    return list(
        Notification.objects.filter(pk__in=list(ids), email_status=EmailStatus.SENDING, email_next_attempt_at=lease)
        .select_related("user")
        .order_by("pk")
    )


def _failed(rows: Iterable[Notification], error: Exception, now: datetime.datetime) -> None:
    """Back to pending with the next attempt later, or given up after the last."""
    for row in rows:
        attempts = row.email_attempts + 1
        given_up = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.FAILED if given_up else EmailStatus.PENDING,
            email_attempts=attempts,
            email_next_attempt_at=None if given_up else now + backoff(attempts),
            email_error=f"{type(error).__name__}: {error}"[:500],
        )


def _send(connection, message) -> None:
    """One message on the open connection; ServerDown when the server, not this message, is the problem."""
    try:
        connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
        raise  # about this message (smtplib's errors are OSErrors too)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        raise ServerDown(str(error)) from error


def send_emails(ids: list[int], now: datetime.datetime | None = None) -> int:
    """Send the emails of these notifications over one SMTP connection; how many were sent."""
    now = now or timezone.now()
    rows = _claim(ids, now)
    if not rows:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("The mail server cannot be reached (%s): %s emails wait", error, len(rows))
        _failed(rows, error, now)
        return 0
    try:
        for index, row in enumerate(rows):
            try:
                _send(connection, notification_email(row))
            except smtplib.SMTPRecipientsRefused as error:
                Notification.objects.filter(pk=row.pk).update(
                    email_status=EmailStatus.INVALID,
                    email_attempts=F("email_attempts") + 1,
                    email_error=f"Address refused: {row.user.email} ({error.recipients})"[:500],
                )
            except ServerDown as error:
                _failed(rows[index:], error, now)
                break
            except Exception as error:  # this message only (a temporary refusal, a broken template): retried later
                logger.warning("Notification %s: its email was not sent: %s", row.pk, error)
                _failed([row], error, now)
            else:
                Notification.objects.filter(pk=row.pk).update(
                    email_status=EmailStatus.SENT,
                    email_attempts=F("email_attempts") + 1,
                    email_sent_at=timezone.now(),
                    email_next_attempt_at=None,
                    email_error="",
                )
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection tells nothing more
            logger.info("Closing the mail connection failed")
    return sent


class _Drain:
    """In the embedded mode's threads: one sender at a time per process, however many events are queued.

    A deadline sweep that publishes thousands of events would otherwise start a thread and an
    SMTP connection for each; here the first queues a drain, and those that come while it runs
    only ask it to look once more (send_due_emails sends every due email over one connection
    per batch).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wanted = self.running = False

    def request(self) -> bool:
        """True when the caller must start the drain (none runs in this process)."""
        with self.lock:
            self.wanted = True
            if self.running:
                return False
            self.running = True
            return True

    def run(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.wanted:
                        self.running = False
                        return
                    self.wanted = False
                send_due_emails()
        except BaseException:
            with self.lock:
                self.running = False
            raise


_drain = _Drain()


def drain_emails() -> None:
    _drain.run()


def queue_emails(ids: list[int]) -> None:
    """Send these emails from the job runner: a job of their own inline or on Celery, the process's drain in a thread."""
    if getattr(settings, "JOBS_RUN_INLINE", False) or getattr(settings, "JOBS_BACKEND", "thread") == "celery":
        run_in_background(send_emails, ids)
    elif _drain.request():
        run_in_background(drain_emails)


def send_due_emails(now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Send again what waits for its retry (and what a dead worker left claimed); how many were sent."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        Q(email_status=EmailStatus.PENDING, email_next_attempt_at__lte=now)
        | Q(email_status=EmailStatus.PENDING, email_next_attempt_at__isnull=True)
        | Q(email_status=EmailStatus.SENDING, email_next_attempt_at__lte=now)
    ).order_by("pk")
    sent, seen = 0, set()
    # Each batch leaves its emails sent, refused or waiting for a later attempt: no longer due now.
    while (ids := list(due.values_list("pk", flat=True)[:batch])) and not seen.issuperset(ids):
        seen.update(ids)
        sent += send_emails(ids, now=now)
    return sent


def send_digests(now: datetime.datetime | None = None) -> int:
    """Each user's digest of today's local date, once: how many digests were sent.

    The notifications a user chose to receive as a digest wait in the status "digest"; a user
    whose digest of the day is already sent gets the later ones in tomorrow's.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    users = Notification.objects.filter(email_status=EmailStatus.DIGEST).values_list("user_id", flat=True).distinct()
    sent = 0
    for user_id in sorted(set(users)):
        digest, _created = Digest.objects.get_or_create(user_id=user_id, day=day)
        if digest.status != EmailStatus.PENDING:
            continue  # sent today already (or given up, or an invalid address)
        if not Digest.objects.filter(pk=digest.pk, status=EmailStatus.PENDING).update(status=EmailStatus.SENDING):
            continue  # another worker has it
        sent += _send_digest(digest, now)
    return sent


def _send_digest(digest: Digest, now: datetime.datetime) -> int:
    Notification.objects.filter(user_id=digest.user_id, email_status=EmailStatus.DIGEST, digest=None).update(
        digest=digest
    )
    rows = list(
        Notification.objects.filter(digest=digest, email_status=EmailStatus.DIGEST)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if not rows:
        Digest.objects.filter(pk=digest.pk).update(status=EmailStatus.PENDING)
        return 0
    attempts = digest.attempts + 1
    try:
        get_connection(fail_silently=False).send_messages([digest_email(rows[0].user, rows)])
    except smtplib.SMTPRecipientsRefused as error:
        _digest_outcome(digest, rows, EmailStatus.INVALID, attempts, f"Address refused: {error.recipients}")
        return 0
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("The digest of user %s was not sent: %s", digest.user_id, error)
        status = EmailStatus.FAILED if attempts >= MAX_ATTEMPTS else EmailStatus.PENDING
        Digest.objects.filter(pk=digest.pk).update(
            status=status, attempts=attempts, error=f"{type(error).__name__}: {error}"[:500]
        )
        return 0
    _digest_outcome(digest, rows, EmailStatus.SENT, attempts, "")
    return 1


def _digest_outcome(digest: Digest, rows: list[Notification], status: str, attempts: int, error: str) -> None:
    stamp = timezone.now() if status == EmailStatus.SENT else None
    Digest.objects.filter(pk=digest.pk).update(status=status, attempts=attempts, sent_at=stamp, error=error[:500])
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        email_status=status, email_sent_at=stamp, email_error=error[:500], email_attempts=F("email_attempts") + 1
    )


def digest_due(now: datetime.datetime | None = None) -> bool:
    """Is it time for today's digests (settings.NOTIFICATION_DIGEST_HOUR, local time)?"""
    return timezone.localtime(now or timezone.now()).hour >= settings.NOTIFICATION_DIGEST_HOUR


def send_waiting_job() -> None:
    """Celery beat's job (settings.CELERY_BEAT_SCHEDULE), as `manage.py send_notification_digest` in cron."""
    send_due_emails()
    if digest_due():
        send_digests()
