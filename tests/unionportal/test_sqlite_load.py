"""The embedded SQLite database holds concurrent work: a background import and grid saves at once.

The work runs in a process of its own (tests/unionportal/sqlite_hammer.py) on a database FILE
with the settings `make run` uses; in memory SQLite has no WAL and cannot show the problem.
Marked `sqlite`: it runs in the SQLite run of the suite (the default `make test`, and the
second, short run of .ci/run, whose main run is on PostgreSQL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.sqlite,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="the SQLite run of .ci/run covers it",
    ),
]


def test_the_embedded_database_never_says_locked_under_an_import_and_grid_saves(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    finished = subprocess.run(
        [sys.executable, "-m", "tests.unionportal.sqlite_hammer", str(tmp_path / "db.sqlite3"), "--rows", "3000"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    assert lines, finished.stdout[-2000:] + finished.stderr[-4000:]
    summary = json.loads(lines[-1])
    assert summary["journal_mode"] == "wal"
    assert summary["problems"] == [] and summary["locked"] == []
    assert (summary["status"], summary["members"], summary["confirmations"]) == ("done", 3000, [False, True])
    assert summary["requests"]["saves"] > 8
    assert finished.returncode == 0, finished.stderr[-4000:]


def test_the_settings_ask_sqlite_for_wal_a_busy_timeout_and_immediate_transactions():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"] and "busy_timeout" in options["init_command"]
    assert options["timeout"] >= 5
