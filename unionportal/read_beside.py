"""A read run on a second connection while this one goes on with other statements (PostgreSQL).

    pending = read_beside(members_by_branch, indicators, period, settings=("jit", "work_mem"))
    ... other statements on this connection, Python work ...
    counts = pending.result()   # waits for it; raises what it raised

A statement of several seconds (the members' pass over 11 million membership periods for the
national Excel file) otherwise leaves the process idle while the server works: beside it, the
other queries and the Python that shapes their figures run on the machine's other core. Such a
read gets a thread and a connection of its own, closed when it ends.

A page's reads are milliseconds (a base union's years: the registry's measures planned and run
for some 6 ms while the members' statement, the targets and the tasks go on here): opening a
connection would cost what the overlap saves, so `kept=True` sends them to a few threads of the
process that keep their connections as Django keeps any (CONN_MAX_AGE: closed after each read
when it is 0, as in the tests; past its age, or broken, replaced before the next one).

The second connection must see what this one sees, so the read goes beside only on PostgreSQL and
when this connection's transaction, if any, has written nothing (pg_current_xact_id_if_assigned()
is NULL; outside a transaction, nothing to ask): a test's uncommitted rows, or a writer's, are not
visible to another connection, and then the function runs here, at once, as it would without this
module. Each statement of either connection reads what was committed when it started, as the
statements of one connection in a READ COMMITTED transaction do. The settings named (jit,
work_mem…) are copied into the second connection's transaction (SET LOCAL).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from django.db import close_old_connections, connection, transaction

T = TypeVar("T")

# Threads of a process that keep their connections for the pages' reads: one per request thread of
# a worker (gunicorn --threads 2); more reads at once wait their turn.
KEPT_THREADS = 2


class Pending(Generic[T]):
    """The result of a read that may still run beside."""

    def __init__(self, value: Any = None) -> None:
        self._thread: threading.Thread | None = None  # set when the read runs beside in its own thread
        self._future: Future | None = None  # set when it runs in a kept thread
        self._value, self._error = value, None

    @property
    def beside(self) -> bool:
        """Whether the read ran on a second connection."""
        return self._thread is not None or self._future is not None

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
        if self._future is not None:
            self._future.result()  # the read's own outcome is in _value or _error
        if self._error is not None:
            raise self._error
        return self._value


def can_read_beside() -> bool:
    """Whether a second connection sees the same rows as this one (see the module's docstring)."""
    if connection.vendor != "postgresql":
        return False
    if not connection.in_atomic_block and connection.get_autocommit():
        return True  # no transaction: nothing of this connection's own that another could miss
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
        return cursor.fetchone()[0]


_kept: tuple[int, ThreadPoolExecutor] | None = None  # (the process's id, its threads): a forked child starts its own
_kept_lock = threading.Lock()


def _kept_threads() -> ThreadPoolExecutor:
    global _kept
    with _kept_lock:
        if _kept is None or _kept[0] != os.getpid():
            _kept = (os.getpid(), ThreadPoolExecutor(KEPT_THREADS, thread_name_prefix="read-beside-kept"))
        return _kept[1]


def read_beside(
    function: Callable[..., T], *args, settings: Sequence[str] = (), kept: bool = False, **kwargs
) -> Pending[T]:
    """function(*args, **kwargs) on a second connection in a thread, or here at once when it cannot be.
    `kept`: in one of the process's threads that keep their connections (a page's short reads)."""
    if not can_read_beside():
        return Pending(value=function(*args, **kwargs))
    values = {}
    if settings:
        with connection.cursor() as cursor:
            for name in settings:
                cursor.execute("SELECT current_setting(%s)", [name])
                values[name] = cursor.fetchone()[0]
    pending: Pending[T] = Pending()

    def read() -> None:
        # django.db.connection is this thread's own.
        try:
            if values:
                with transaction.atomic(), connection.cursor() as cursor:
                    for name, value in values.items():
                        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
                    pending._value = function(*args, **kwargs)
            else:
                pending._value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            pending._error = error

    if kept:

        def run_kept() -> None:
            close_old_connections()  # one past CONN_MAX_AGE, or broken, is replaced
            try:
                read()
            finally:
                if connection.settings_dict["CONN_MAX_AGE"] == 0:
                    connection.close()  # not kept by this configuration (the tests')

        pending._future = _kept_threads().submit(run_kept)
        return pending

    def run() -> None:
        try:
            read()
        finally:
            connection.close()

    pending._thread = threading.Thread(target=run, daemon=True, name=f"read-beside-{function.__name__}")
    pending._thread.start()
    return pending
