"""The production queue for real: a Celery worker on the Redis at 127.0.0.1:6379 runs a queued job."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from unionportal import jobs

ROOT = Path(__file__).resolve().parents[2]


def write_marker(path: str, text: str) -> None:
    """The job: leave a file, so the test sees the worker ran it (no shared database needed)."""
    Path(path).write_text(text, encoding="utf-8")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="Redis is not running at 127.0.0.1:6379")
def test_a_job_queued_on_redis_is_run_by_a_celery_worker(tmp_path):
    broker = "redis://127.0.0.1:6379/15"
    marker = tmp_path / "done.txt"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.test",
        "CELERY_BROKER_URL": broker,
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "unionportal", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        with override_settings(JOBS_RUN_INLINE=False, JOBS_BACKEND="celery", CELERY_BROKER_URL=broker):
            from unionportal.celery import app

            app.conf.broker_url = broker
            jobs.run_in_background(write_marker, str(marker), "đã chạy")
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), worker.stdout.read1(20000).decode() if worker.stdout else "no worker output"
        assert marker.read_text(encoding="utf-8") == "đã chạy"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
