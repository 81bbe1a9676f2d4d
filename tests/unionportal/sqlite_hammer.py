"""Concurrent work on a file-based SQLite database, with the settings of `make run` (unionportal/settings/base.py).

    python -m tests.unionportal.sqlite_hammer /tmp/x.sqlite3 [--rows 1500] [--workers 4]

A background import job (checked, then confirmed twice at once, as a double click does) writes
its members while worker threads save grid cells, read the grid and poll the job's page, each
with its own connection, as the web process's threads do. Prints a JSON summary and exits 1 on
any "database is locked", any server error, or an import that did not write exactly once.
Run by tests/unionportal/test_sqlite_load.py in a process of its own: its database must be a
file (in memory, SQLite has no WAL and locks tables instead of waiting).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
import traceback


class _LockedRecords(logging.Handler):
    """Every log record (a background job's, Django's on_commit) that mentions a locked database."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage() + ("".join(traceback.format_exception(*record.exc_info)) if record.exc_info else "")
        if "locked" in text.lower():
            self.found.append(text[-500:])


def _setup(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionportal.settings.test"
    import django

    django.setup()
    from django.conf import settings

    # The jobs in threads, as `make run` has them (the test settings run them inline).
    settings.JOBS_RUN_INLINE = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _world(rows: int, directory: str):
    from organizations.models import Role
    from tests import builders, factories
    from tests.imports.files import write_xlsx

    national = factories.make_organization(code="XVN", name="Tổng Liên đoàn (thử)")
    province = factories.make_organization(national, code="XP", name="LĐLĐ tỉnh Thử")
    district = factories.make_organization(province, code="XP-A", name="LĐLĐ huyện A")
    branches = [factories.make_branch(district, code=f"XP-A-{n:02}", name=f"CĐCS {n}") for n in range(1, 9)]
    owner = factories.make_user("owner", organization=district, role=Role.UPPER_STAFF)
    builders.period("2024")
    element = builders.element("workers")
    data = [
        [f"DV{n:05}", f"Đoàn viên số {n}", "Nữ", None, None, branches[n % 8].code, "05/01/2010", None, None]
        for n in range(rows)
    ]
    path = write_xlsx(os.path.join(directory, "members.xlsx"), data, kind="members")
    return district, branches, owner, element, path


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    _setup(args.database)
    locked = _LockedRecords()
    logging.getLogger().addHandler(locked)
    logging.getLogger().setLevel(logging.WARNING)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from imports import services
    from imports.models import ImportJob, ImportStatus
    from members.models import Member

    summary: dict = {"journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]}
    district, branches, owner, element, path = _world(args.rows, os.path.dirname(args.database))
    connections.close_all()
    with open(path, "rb") as stream:
        upload = SimpleUploadedFile("members.xlsx", stream.read())
    problems: list[str] = []
    requests = {"saves": 0, "reads": 0}
    stop = threading.Event()

    def worker(number: int) -> None:
        client = Client()
        client.force_login(owner)
        grid = reverse("indicators:grid", args=["2024", district.code])
        value = 0
        try:
            while not stop.is_set():
                value += 1
                branch = branches[(number + value) % len(branches)]
                url = f"{grid}cell/{branch.code}/{element.code}/"
                response = client.post(url, {"value": str(value)})
                requests["saves"] += 1
                if response.status_code != 200:
                    problems.append(f"worker {number}: {response.status_code} saving {url}")
                for read in (grid, reverse("imports:job", kwargs={"pk": job.pk}) if job else grid):
                    response = client.get(read)
                    requests["reads"] += 1
                    if response.status_code != 200:
                        problems.append(f"worker {number}: {response.status_code} on {read}")
        except Exception as error:
            problems.append(f"worker {number}: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,), name=f"worker-{n}") for n in range(args.workers)]
    job = None
    for thread in threads:
        thread.start()
    # The workers are at work before the file comes: its check and its write run beside them.
    _wait(lambda: requests["saves"] >= args.workers, 60)
    started = time.monotonic()
    job = services.import_job_create(user=owner, kind="members", upload=upload)
    checked = _wait(lambda: ImportJob.objects.get(pk=job.pk).status not in ("pending", "validating"), 120)
    summary["checked"] = ImportJob.objects.get(pk=job.pk).status
    answers: list[bool] = []
    if checked:
        barrier = threading.Barrier(2)

        def confirm() -> None:
            try:
                barrier.wait()
                answers.append(services.import_job_confirm(job=ImportJob.objects.get(pk=job.pk)))
            except Exception as error:
                problems.append(f"confirm: {type(error).__name__}: {error}")
            finally:
                connections.close_all()

        clicks = [threading.Thread(target=confirm) for _ in range(2)]
        for click in clicks:
            click.start()
        for click in clicks:
            click.join()
        _wait(lambda: ImportJob.objects.get(pk=job.pk).status not in ("valid", "committing"), 180)
    # Let the dashboards' refresh that follows the import run beside the workers too.
    for thread in threading.enumerate():
        if thread.name.startswith("job-") and thread.name != "job-heartbeat":
            thread.join(60)
    stop.set()
    for thread in threads:
        thread.join()
    final = ImportJob.objects.get(pk=job.pk)
    summary.update(
        seconds=round(time.monotonic() - started, 2),
        status=final.status,
        message=final.message,
        members=Member.objects.count(),
        confirmations=sorted(answers),
        requests=requests,
        problems=problems,
        locked=locked.found,
    )
    ok = (
        not problems
        and not locked.found
        and summary["journal_mode"] == "wal"
        and final.status == ImportStatus.DONE
        and summary["members"] == args.rows
        and sorted(answers) == [False, True]
        and requests["saves"] > 2 * args.workers
    )
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
