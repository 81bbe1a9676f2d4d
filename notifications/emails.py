"""The emails of notifications: an HTML and a text part, in Vietnamese, with absolute links.

Every email carries an unsubscribe link for its kind: a token signed with the SECRET_KEY,
salted for this one purpose, holding the user's id and the kind, so that it turns off that
kind for that user only and cannot be made for anyone else (django.core.signing).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .events import KINDS
from .models import Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600  # an email of last year still unsubscribes


def absolute(path: str) -> str:
    """The address of a page of the portal for an email: settings.SITE_URL and the path."""
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a genuine token, else None (tampered with, made for another purpose, too old)."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("k") not in KINDS or not isinstance(payload.get("u"), int):
        return None
    return payload["u"], payload["k"]


def unsubscribe_url(user, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)}))


def _item(notification: Notification) -> dict:
    return {
        "title": notification.title,
        "body": notification.body,
        "url": absolute(reverse("notifications:open", kwargs={"pk": notification.pk})),
        "kind_label": KINDS[notification.kind].label,
        "unsubscribe_url": unsubscribe_url(notification.user, notification.kind),
    }


def _message(user, subject: str, context: dict, unsubscribe: str) -> EmailMultiAlternatives:
    context = {
        **context,
        "user": user,
        "settings_url": absolute(reverse("notifications:settings")),
        "list_url": absolute(reverse("notifications:list")),
        "site_url": settings.SITE_URL,
    }
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The email of one notification, sent at once."""
    with override("vi"):
        item = _item(notification)
        return _message(
            notification.user,
            f"[UnionPortal] {notification.title}",
            {"items": [item], "digest": False},
            item["unsubscribe_url"],
        )


def digest_email(user, notifications: Sequence[Notification]) -> EmailMultiAlternatives:
    """One email with the day's notifications of the kinds the user asked to receive as a digest."""
    with override("vi"):
        items = [_item(notification) for notification in notifications]
        subject = _("[UnionPortal] %(count)s notifications of the day") % {"count": len(items)}
        return _message(user, subject, {"items": items, "digest": True}, items[0]["unsubscribe_url"])
