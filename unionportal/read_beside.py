"""A long read run on a second connection while this one goes on with other statements (PostgreSQL).

    pending = read_beside(members_by_branch, indicators, period, settings=("jit", "work_mem"))
    ... other statements on this connection, Python work ...
    counts = pending.result()   # waits for it; raises what it raised

A statement of several seconds (the members' pass over 11 million membership periods for the
national Excel file) otherwise leaves the process idle while the server works: beside it, the
other queries and the Python that shapes their figures run on the machine's other core.

The second connection must see what this one sees, so the read goes beside only on PostgreSQL and
when this connection's transaction, if any, has written nothing (pg_current_xact_id_if_assigned()
is NULL): a test's uncommitted rows, or a writer's, are not visible to another connection, and then
the function runs here, at once, as it would without this module. Each statement of either
connection reads what was committed when it started, as the statements of one connection in a READ
COMMITTED transaction do. The settings named (jit, work_mem…) are copied into the second
connection's transaction (SET LOCAL); its connection is closed when the read ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connection, transaction

T = TypeVar("T")


class Pending(Generic[T]):
    """The result of a read that may still run beside."""

    def __init__(self, value: Any = None) -> None:
        self._thread: threading.Thread | None = None  # set when the read runs beside
        self._value, self._error = value, None

    @property
    def beside(self) -> bool:
        """Whether the read ran on a second connection."""
        return self._thread is not None

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def can_read_beside() -> bool:
    """Whether a second connection sees the same rows as this one (see the module's docstring)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
        return cursor.fetchone()[0]


def read_beside(function: Callable[..., T], *args, settings: Sequence[str] = (), **kwargs) -> Pending[T]:
    """function(*args, **kwargs) on a second connection in a thread, or here at once when it cannot be."""
    if not can_read_beside():
        return Pending(value=function(*args, **kwargs))
    with connection.cursor() as cursor:
        values = {}
        for name in settings:
            cursor.execute("SELECT current_setting(%s)", [name])
            values[name] = cursor.fetchone()[0]
    pending: Pending[T] = Pending()

    def run() -> None:
        # A new thread: django.db.connection is this thread's own, opened on first use.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for name, value in values.items():
                    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
                pending._value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            pending._error = error
        finally:
            connection.close()

    pending._thread = threading.Thread(target=run, daemon=True, name=f"read-beside-{function.__name__}")
    pending._thread.start()
    return pending
