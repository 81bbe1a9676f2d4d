"""A tiny background-job runner: run a callable outside the request, report progress through the cache.

    run_in_background(validate_job, job.pk)
    set_progress(f"import:{job.pk}", phase="validating", done=5000, total=100000)
    get_progress(f"import:{job.pk}")  # -> {"phase": ..., "done": ..., "total": ...} or None

By default a job runs in a daemon thread of the web process: the embedded setup needs no
other service. With settings.JOBS_RUN_INLINE it runs at once, in the caller (the tests do
this). With settings.JOBS_BACKEND = "celery" it is queued for the Celery workers
(unionportal/celery.py; production runs them on Redis); jobs take plain arguments (ids,
strings) and are named by their dotted path, so any worker process can run them.

Progress lives in Django's cache, not in the database, so a page can read it while the job
holds a transaction open. The default cache is per process: with several web processes,
configure a shared cache (Redis, Memcached, the database cache) so every process sees it.

A worker can die with its job (the process killed, the machine restarted): a job row that
inherits `Watched` is stamped by `heartbeat` while it runs, and `stalled` finds the rows whose
worker has stopped stamping them (or that no worker picked up), for their app to mark failed
and tell the user, instead of a job "running" forever.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connections, models
from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
# A running job silent this long has lost its worker; a queued one this long was never picked up.
STALLED_AFTER = datetime.timedelta(seconds=60)
QUEUED_AFTER = datetime.timedelta(minutes=15)


class Watched(models.Model):
    """The two stamps of a job row that `heartbeat` and `stalled` read."""

    queued_at = models.DateTimeField(default=timezone.now, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)  # None until a worker starts it

    class Meta:
        abstract = True


_inline = threading.local()


@contextlib.contextmanager
def jobs_inline() -> Iterator[None]:
    """Run the jobs queued inside the block at once, in the caller.

    For a management command: a job in a daemon thread dies with the command's process, so the
    command does its follow-up work (the figures' refresh after an import) before it ends.
    """
    previous = getattr(_inline, "on", False)
    _inline.on = True
    try:
        yield
    finally:
        _inline.on = previous


def run_in_background(function: Callable[..., Any], *args: Any) -> None:
    if getattr(settings, "JOBS_RUN_INLINE", False) or getattr(_inline, "on", False):
        function(*args)
        return
    if getattr(settings, "JOBS_BACKEND", "thread") == "celery":
        from .celery import app  # noqa: F401 - configures the app the task is sent with
        from .tasks import run_job

        run_job.delay(f"{function.__module__}.{function.__qualname__}", *args)
        return
    thread = threading.Thread(target=_run, args=(function, args), daemon=True, name=f"job-{function.__name__}")
    thread.start()


def _run(function: Callable[..., Any], args: tuple) -> None:
    close_old_connections()
    try:
        function(*args)
    except Exception:
        # The job records its own failure; this is for what it could not record.
        logger.exception("Background job %s failed", function.__name__)
    finally:
        # The thread opened its own connections: close them, or they stay open until the process ends.
        connections.close_all()


def set_progress(key: str, **progress: Any) -> None:
    cache.set(f"jobs:{key}", progress, PROGRESS_TIMEOUT)


def get_progress(key: str) -> dict | None:
    return cache.get(f"jobs:{key}")


def clear_progress(key: str) -> None:
    cache.delete(f"jobs:{key}")


@contextlib.contextmanager
def heartbeat(job: QuerySet, every: datetime.timedelta = HEARTBEAT_EVERY) -> Iterator[None]:
    """Stamp `heartbeat_at` on the job row(s) of `job` now, and every few seconds while the block runs.

    The stamps come from a thread of their own, on a connection of their own, so that they go on
    while the block holds a long transaction or waits on a child process. A stamp that cannot be
    written (the embedded database busy) is skipped: the next one will do.
    """
    job.update(heartbeat_at=timezone.now())
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every.total_seconds()):
                try:
                    job.update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.info("A job's heartbeat was not written; the next one will be")
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, daemon=True, name="job-heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def stalled(running: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """The rows of `running` (jobs in a running status) whose worker has died, or that none picked up."""
    now = now or timezone.now()
    return running.filter(
        Q(heartbeat_at__lt=now - STALLED_AFTER) | Q(heartbeat_at__isnull=True, queued_at__lt=now - QUEUED_AFTER)
    )
