"""The writes a user makes on their notifications and settings."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .events import KINDS
from .models import Delivery, EmailStatus, Notification, NotificationPreference


def notification_mark_read(*, notification: Notification) -> None:
    """Opened: read now (once; a second opening keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def notifications_mark_all_read(*, user) -> int:
    """Every unread notification of the user is read now; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, deliveries: dict[str, str]) -> None:
    """Each kind's delivery for the user. Emails of a kind turned off or moved to the digest follow the choice."""
    for kind, delivery in deliveries.items():
        if kind not in KINDS or delivery not in Delivery.values:
            raise ValidationError(_("Unknown notification setting: %(kind)s.") % {"kind": kind})
    for kind, delivery in deliveries.items():
        preference_set(user=user, kind=kind, delivery=delivery)


def preference_set(*, user, kind: str, delivery: str) -> None:
    """One kind's delivery; the user's emails of that kind still waiting follow it (never one already sent)."""
    if kind not in KINDS or delivery not in Delivery.values:
        raise ValidationError(_("Unknown notification setting: %(kind)s.") % {"kind": kind})
    preference, created = NotificationPreference.objects.get_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    if not created and preference.delivery != delivery:
        preference.delivery = delivery
        preference.full_clean()
        preference.save(update_fields=["delivery", "updated_at"])
    waiting = Notification.objects.filter(user=user, kind=kind)
    if delivery == Delivery.OFF:
        waiting.filter(email_status__in=[EmailStatus.PENDING, EmailStatus.DIGEST]).update(email_status=EmailStatus.NONE)
    elif delivery == Delivery.DIGEST:
        waiting.filter(email_status=EmailStatus.PENDING).update(email_status=EmailStatus.DIGEST)
    else:  # at once: what waited for the digest goes with the next sending (send_due_emails)
        waiting.filter(email_status=EmailStatus.DIGEST, digest=None).update(
            email_status=EmailStatus.PENDING, email_next_attempt_at=None
        )


@transaction.atomic
def unsubscribe(*, user_id: int, kind: str) -> None:
    """The unsubscribe link of an email: no more emails of that kind for that user."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        preference_set(user=user, kind=kind, delivery=Delivery.OFF)
