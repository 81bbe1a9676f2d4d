"""Stored notifications, their emails, and what each user chose to receive.

One row per recipient and event (`key` keeps an event from being stored twice for a user);
its email has a status of its own, so that an email is sent once, retried with back-off while
the server is down, and skipped — and listed for the administrator — when the address is wrong.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..events import KINDS


class EmailStatus(models.TextChoices):
    NONE = "none", _("Not emailed")  # the user turned the kind off, or has no address
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DIGEST = "digest", _("Waiting for the daily digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # gave up after the last attempt
    INVALID = "invalid", _("Invalid address")


KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS.values()]


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    period = models.ForeignKey(
        "indicators.ReportingPeriod",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    path = models.CharField(_("page"), max_length=500)  # where it is handled, without the host
    key = models.CharField(_("event key"), max_length=200)  # one event, stored once per user
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    email_status = models.CharField(
        _("email"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NONE, db_index=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    email_error = models.CharField(_("last error"), max_length=500, blank=True)
    digest = models.ForeignKey("Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user} — {self.title}"


class Delivery(models.TextChoices):
    OFF = "off", _("Off")
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily digest email")


class NotificationPreference(models.Model):
    """What a user chose for one kind; no row: the kind is on, emailed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.delivery}"


class Digest(models.Model):
    """One user's digest email of one day: there is never a second one that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    status = models.CharField(_("email"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]

    def __str__(self) -> str:
        return f"{self.user} — {self.day:%d/%m/%Y}"
