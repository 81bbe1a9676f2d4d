from django.utils.functional import SimpleLazyObject

from .todo.panels import todo_count as count


def todo_count(request) -> dict:
    """The count of "Việc cần làm" in the navigation bar, read only if the page shows it (settings names this)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {"todo_count": SimpleLazyObject(lambda: count(request))}
