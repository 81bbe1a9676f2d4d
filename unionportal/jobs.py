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
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600


def run_in_background(function: Callable[..., Any], *args: Any) -> None:
    if getattr(settings, "JOBS_RUN_INLINE", False):
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
