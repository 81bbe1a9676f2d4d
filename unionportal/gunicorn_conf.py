"""gunicorn's hooks for the portal: `gunicorn unionportal.wsgi:application --config python:unionportal.gunicorn_conf`
(docs/deploy.md, bench/load/run.py). The other settings stay on the command line."""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """A worker, its application loaded, warms up before its first request (unionportal/warmup.py)."""
    from unionportal.warmup import worker_started_run

    worker_started_run()
