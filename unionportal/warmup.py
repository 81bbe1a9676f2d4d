"""A new app-server process made ready before it answers anyone.

gunicorn calls `worker_started_run()` in each worker once the application is loaded and before
its first request (`post_worker_init`, unionportal/gunicorn_conf.py): at a deploy, and each time a
worker is replaced (--max-requests). It imports the URLconf, and with it every view and what they
import (WeasyPrint alone takes 0.6 s), builds the tables `reverse()` reads and compiles the page
template: until then the worker's first request did it, 1.1–1.4 s of waiting for whoever sent it.
Then the apps above do what they registered on the hook `unionportal.worker_started` (the
dashboards compile their statements: reports/warmup.py).

A warm-up only saves the first visitors some waiting: a receiver that fails is logged and the
worker serves as it would have without it; its database connection is closed afterwards, so the
worker's request threads open their own.
"""

from __future__ import annotations

import logging
import time

from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver

from .hooks import worker_started

logger = logging.getLogger(__name__)


def worker_started_run() -> None:
    """The URLconf imported, then every receiver of `worker_started`, each on its own: a failure is
    logged, never raised."""
    for receiver in (_urls, *worker_started.receivers):
        started = time.perf_counter()
        try:
            receiver()
        except Exception:
            logger.exception("The warm-up %s failed; the worker serves without it", receiver.__qualname__)
        else:
            logger.info("Warm-up %s: %.0f ms", receiver.__qualname__, (time.perf_counter() - started) * 1000)
    connections.close_all()


def _urls() -> None:
    """The URLconf imported (every view with it), each namespace's table of reversed names built, the
    page template every page extends compiled."""
    resolvers = [get_resolver()]
    while resolvers:
        resolver = resolvers.pop()
        resolver.reverse_dict  # noqa: B018 - the property imports the URLconf and builds the table
        resolvers.extend(inner for _prefix, inner in resolver.namespace_dict.values())
    get_template("base.html")
