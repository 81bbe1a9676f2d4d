from .notification import Delivery, Digest, EmailStatus, Notification, NotificationPreference

__all__ = ["Delivery", "Digest", "EmailStatus", "Notification", "NotificationPreference"]
