"""The unread count of the navigation bar's "Thông báo" link, counted only by a page that shows it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .selectors import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}
