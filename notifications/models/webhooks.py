"""An organization's webhooks and their deliveries (a messaging bridge run by a province, say).

A webhook hears of the events about its organization and the bodies below it, never a
sibling's. Each event it hears of is one delivery row: posted from the job queue once the
event's transaction commits, retried with back-off while the receiver fails, and shown to
the administrator with its attempts, last error and response code.
"""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from ..events import KINDS, THE_USER

# The kinds a webhook may hear of: events about a body. An import or a report file is about
# one user, which a bridge outside the portal has no business knowing.
WEBHOOK_KINDS = [(kind.code, kind.label) for kind in KINDS.values() if kind.audience != THE_USER]


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("organization")
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where the portal posts the events, e.g. https://zalo-bridge.example.vn/unionportal."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=128,
        default=new_secret,
        help_text=_("The key of the HMAC-SHA256 signature; give it to the receiver, never to anyone else."),
    )
    active = models.BooleanField(_("active"), default=True)
    kinds = models.JSONField(
        _("kinds of event"),
        default=list,
        blank=True,
        help_text=_("The kinds of event to post; none ticked: every kind."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.organization.code} → {self.url}"

    def clean(self) -> None:
        allowed = {code for code, _label in WEBHOOK_KINDS}
        if not isinstance(self.kinds, list) or not set(self.kinds) <= allowed:
            raise ValidationError({"kinds": _("Choose kinds of event from the list.")})
        if len(self.secret) < 32:
            raise ValidationError({"secret": _("The secret must be at least 32 characters long.")})

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed for good")


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the receiver's key against repeats
    kind = models.CharField(_("kind"), max_length=16, choices=WEBHOOK_KINDS)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("about"))
    payload = models.JSONField(_("payload"))  # posted as it was when the event happened, on every attempt
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.webhook_id} ({self.status})"
