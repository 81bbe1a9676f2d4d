"""The models of notifications, one module per concern (this file only imports them)."""

from .notification import Delivery, Digest, EmailStatus, Notification, NotificationPreference
from .sweep import ReminderSent
from .webhooks import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "Delivery",
    "DeliveryStatus",
    "Digest",
    "EmailStatus",
    "Notification",
    "NotificationPreference",
    "ReminderSent",
    "Webhook",
    "WebhookDelivery",
]
