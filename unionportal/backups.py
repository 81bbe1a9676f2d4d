"""Consistent backups of the database: pg_dump -Fc / pg_restore on PostgreSQL, the online backup API on SQLite.

A backup is one file. Restoring it replaces the database's content with the file's.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is missing: apt-get install postgresql-client")
    return path


def default_path(directory: Path | None = None) -> Path:
    directory = directory or Path(settings.BASE_DIR) / "var" / "backups"
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return directory / f"unionportal-{stamp}.{suffix}"


def backup(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        pg_dump = _tool("pg_dump")
        subprocess.run(  # noqa: S603 - the arguments come from the settings, never from a request
            [pg_dump, *args, "-Fc", "--no-owner", "-f", str(target), connection.settings_dict["NAME"]],
            check=True,
            env=env,
            capture_output=True,
        )
        return target
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The online backup API copies a consistent snapshot even while others write.
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return target
    raise RuntimeError(f"Backups are not implemented for {connection.vendor}")


def restore(source: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(source)
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()  # pg_restore --clean drops tables this connection may hold
        result = subprocess.run(  # noqa: S603 - the arguments come from the settings and the operator
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                connection.settings_dict["NAME"],
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip() or "pg_restore failed")
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        return
    raise RuntimeError(f"Restoring is not implemented for {connection.vendor}")
