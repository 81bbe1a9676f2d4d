"""gunicorn's hooks for the portal: `gunicorn unionportal.wsgi:application --config python:unionportal.gunicorn_conf`
(docs/deploy.md, bench/load/run.py). The other settings stay on the command line."""

from __future__ import annotations

import gc


def post_worker_init(worker) -> None:
    """A worker, its application loaded, warms up before its first request (unionportal/warmup.py).

    Then what it holds is set aside from the garbage collector (gc.freeze): the modules, URL tables,
    templates and compiled statements live as long as the worker, and a full collection went through
    all of them — ~150 ms on the load test's worker (bench/worker_gc.py), in whichever request set it
    off. What the warm-up left as garbage is collected first, so that none of it is kept for good."""
    from unionportal.warmup import worker_started_run

    worker_started_run()
    gc.collect()
    gc.freeze()
