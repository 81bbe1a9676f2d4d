"""The embedded database keeps migrating with the audit triggers installed on its connections.

SQLite alters a table by copying it and renaming the copy; a TEMP trigger writing to the
audit table made that rename fail ("error in trigger …: no such table"). Run for real, in
child processes, on a file database as `make run` uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.dev",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def test_migrations_that_rebuild_the_audit_table_run_on_a_database_with_triggers(tmp_path):
    database = tmp_path / "portal.sqlite3"
    assert manage(database, "migrate", "-v", "0").returncode == 0
    # Backwards to 0001 rebuilds the audit table (an index-only change is a copy on SQLite),
    # in a process whose connection installed the triggers when it opened.
    back = manage(database, "migrate", "audit", "0001", "-v", "0")
    assert back.returncode == 0, back.stderr[-2000:]
    forward = manage(database, "migrate", "-v", "0")
    assert forward.returncode == 0, forward.stderr[-2000:]
    check = manage(
        database,
        "shell",
        "--no-imports",
        "-c",
        "from organizations.models import Level, Organization;"
        "Organization.add_root(code='T', name='Thử', level=Level.objects.get(code='national'));"
        "from audit.models import AuditEvent; print(AuditEvent.objects.filter(table_name='organizations_organization').count())",
    )
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.stdout.strip() == "1"
