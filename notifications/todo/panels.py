"""The to-do list on other apps' pages: the home page's section (organizations.home_page_sections)
and the count in the navigation bar (context_processors.todo_count).

Both read the same list, built once per request and kept on the user object, as scope_for
keeps the scope. The count on other pages is kept in the session for COUNT_SECONDS, so a page
that is not the home page reads no to-do at all most of the time; the home page always builds
the list afresh and refreshes the count.
"""

from __future__ import annotations

import contextlib
import time

from unionportal.web import Section

from .items import Todo
from .selectors import todo_for

COUNT_SECONDS = 60
SESSION_KEY = "notifications.todo_count"


def cached_todo(user) -> Todo:
    todo = getattr(user, "_notifications_todo", None)
    if todo is None:
        todo = todo_for(user)
        with contextlib.suppress(AttributeError):
            user._notifications_todo = todo
    return todo


def todo_section(*, user) -> Section:
    """The home page's "Việc cần làm" (the navigation bar's count then reads the same list)."""
    return Section(template="notifications/todo/_section.html", context={"todo": cached_todo(user)})


def todo_count(request) -> int:
    """The number of things to do, for the navigation bar: from the session if it is recent, else counted now."""
    kept = request.session.get(SESSION_KEY)
    if kept and time.time() - kept[1] < COUNT_SECONDS and not hasattr(request.user, "_notifications_todo"):
        return kept[0]
    count = cached_todo(request.user).count
    request.session[SESSION_KEY] = [count, time.time()]
    return count
