"""Reads of the notifications: a user's own, and nobody else's."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from .events import KINDS
from .models import Delivery, Notification, NotificationPreference


def notifications_of(user) -> QuerySet[Notification]:
    """The user's notifications, unread first, then the newest."""
    return (
        Notification.objects.filter(user=user)
        .select_related("organization", "period")
        .annotate(read=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("read", "-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def get_notification_for_user(user, pk: int) -> Notification:
    """A notification exists only for the user it was made for: anyone else gets 404."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404(_("Notification not found."))
    return notification


def preferences_of(user) -> dict[str, str]:
    """Each kind's delivery for the user (no row: at once)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {code: chosen.get(code, Delivery.IMMEDIATE) for code in KINDS}
