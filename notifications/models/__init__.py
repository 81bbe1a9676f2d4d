"""The models of notifications, one module per concern (this file only imports them)."""

from .sweep import ReminderSent
from .webhooks import DeliveryStatus, Webhook, WebhookDelivery

__all__ = ["DeliveryStatus", "ReminderSent", "Webhook", "WebhookDelivery"]
