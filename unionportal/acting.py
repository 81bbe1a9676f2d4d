"""Who is acting, told to the database connection so the audit triggers can record it.

    with acting(user, "import:members:hoi-vien.xlsx"):
        ...every write here is recorded with the user and this context...

The web does it for every unsafe request (audit.middleware); imports, background jobs and
commands do it around their work. Context strings are "<channel>:<detail>", read back by
audit.presenters: "web:<path>", "import:<kind>:<file name>", "command:<name>".

It lives in the core, not in audit, because every layer writes and must be able to say who
does; it knows audit only by the names it sets: the connection settings `unionportal.*` on
PostgreSQL and, on SQLite, the table `audit_context_` that audit/triggers.py creates.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


def _apply(connection, actor_id: int | None, context: str, paused: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('unionportal.actor', %s, false), set_config('unionportal.context', %s, false),"
                " set_config('unionportal.audit', %s, false)",
                ["" if actor_id is None else str(actor_id), context, "off" if paused else "on"],
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        if getattr(connection, "audit_ready", False):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE audit_context_ SET actor = %s, context = %s, paused = %s WHERE k = 1",
                    [actor_id, context, int(paused)],
                )


def _current(connection) -> tuple[int | None, str, bool]:
    return getattr(connection, "audit_state", (None, "", False))


@contextmanager
def _state(actor_id: int | None, context: str, paused: bool, using: str) -> Iterator[None]:
    connection = connections[using]
    previous = _current(connection)
    _apply(connection, actor_id, context[:255], paused)
    connection.audit_state = (actor_id, context[:255], paused)
    try:
        yield
    finally:
        connection.audit_state = previous
        # A failed transaction must be left to its atomic block to roll back; the setting
        # goes with it (PostgreSQL undoes set_config on rollback).
        if not connection.needs_rollback and connection.connection is not None:
            # In an aborted transaction this fails; its rollback restores the previous setting anyway.
            with contextlib.suppress(DatabaseError):
                _apply(connection, *previous)


@contextmanager
def acting(user, context: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Record the writes inside as done by `user` (None: the system) through `context`."""
    actor_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    with _state(actor_id, context, _current(connections[using])[2], using):
        yield


@contextmanager
def paused(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Record nothing inside: only for machine-made data such as the benchmarks' synthetic nation."""
    actor_id, context, _ = _current(connections[using])
    with _state(actor_id, context, True, using):
        yield
