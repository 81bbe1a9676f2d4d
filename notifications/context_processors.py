"""The navigation bar's counts, each read only by a page that shows it: unread notifications, "Việc cần làm"."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .todo.panels import todo_count as todo_items_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .selectors import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}


def todo_count(request) -> dict:
    """The count of "Việc cần làm" in the navigation bar, read only if the page shows it (settings names this)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {"todo_count": SimpleLazyObject(lambda: todo_items_count(request))}
