"""Importing and exporting files: the pipeline the pages, the jobs and the commands share.

    outcome = import_file("members", path, user=user, commit=True)

Reading checks the file as a whole, validation checks every row, and only a file without
a single error is committed, in one transaction: all or nothing.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.hooks import registry_changed
from organizations.models import Organization
from organizations.permissions import scope_for
from organizations.selectors import issuing_body
from unionportal.acting import acting
from unionportal.jobs import clear_progress, get_progress, heartbeat, run_in_background, set_progress, stalled
from unionportal.spreadsheets import kept
from unionportal.spreadsheets.errors import RowError, SpreadsheetError
from unionportal.spreadsheets.marked import TooLarge, write_marked
from unionportal.spreadsheets.reader import Sheet, check_size, open_sheet
from unionportal.spreadsheets.spec import CommitError, Counts, Diff, Fix, Progress, Validation, no_progress
from unionportal.spreadsheets.writer import write_workbook

from .hooks import job_finished
from .kinds import PERSONAL_KINDS, importer_class
from .models import RUNNING, STORED_ERRORS, ExportLog, ImportJob, ImportStatus

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    committed: bool = False
    # The rows were committed, but what follows them (the dashboards' refresh) failed: why.
    follow_up_error: str = ""
    fixes: list[Fix] = field(default_factory=list)
    diffs: list[Diff] = field(default_factory=list)


@contextlib.contextmanager
def _without_cyclic_gc():
    """A 100,000-row file makes millions of small objects and no cycles: the cyclic collector
    would run hundreds of times for nothing (it halves the time to check such a file).
    Reference counting still frees everything; the collector is back on when the import ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(
    kind: str,
    path: str | os.PathLike,
    *,
    user,
    commit: bool,
    progress: Progress = no_progress,
    source: str = "",
    record: Callable[[Outcome], None] | None = None,
    keep: bool = False,
) -> Outcome:
    """Check the file at `path` and, when `commit` and there is no error at all, write it.

    `source` names the file as the user knows it, for the audit trail (default: its name on disk).
    `record(outcome)` runs inside the transaction that writes the rows, so that what a job says
    it did is what was committed, neither more nor less. `keep`: the rows are read from the copy
    kept beside the file when there is one, and a check (not `commit`) keeps what it read there
    for the write that follows (unionportal/spreadsheets/kept.py: the two jobs of an upload).
    """
    with _without_cyclic_gc():
        return _import_file(
            kind, path, user=user, commit=commit, progress=progress, source=source, record=record, keep=keep
        )


def _import_file(
    kind: str,
    path: str | os.PathLike,
    *,
    user,
    commit: bool,
    progress: Progress,
    source: str,
    record: Callable[[Outcome], None] | None,
    keep: bool,
) -> Outcome:
    importer = importer_class(kind)(user)
    progress("reading", 0, 0)
    try:
        # The rows come as the reader sends them: checking starts with the first 5,000 (reader.StreamedRows).
        sheet = kept.read(path, importer.columns, keep=not commit) if keep else open_sheet(path, importer.columns)
    except SpreadsheetError as problem:
        return Outcome(errors=problem.errors)
    close = getattr(sheet.rows, "close", None)  # rows still being read: the reader's child ends with the import
    try:
        return _validated(
            importer, sheet, kind, path, user=user, commit=commit, progress=progress, source=source, record=record
        )
    except SpreadsheetError as problem:  # the reading ended early (memory, time): nothing was written
        return Outcome(errors=problem.errors)
    finally:
        if close is not None:
            close()


def _validated(
    importer, sheet: Sheet, kind: str, path, *, user, commit: bool, progress: Progress, source: str, record
) -> Outcome:
    if not commit:
        validation = importer.validate(sheet.rows, formulas=sheet.formulas, progress=progress)
        return _checked(validation)
    try:
        # Validation runs again inside the transaction: what was checked is what is written.
        with transaction.atomic(), acting(user, f"import:{kind}:{source or Path(path).name}"):
            validation = importer.validate(sheet.rows, formulas=sheet.formulas, progress=progress)
            if not validation.ok:
                return _checked(validation)
            # The plan holds what is written: the file's cells (60 MB for 100,000 rows) need not wait.
            read, sheet.rows = len(sheet.rows), []
            counts = importer.commit(validation, progress=progress)
            outcome = _checked(validation)
            outcome.counts, outcome.committed = counts, True

            def followed_badly(error: Exception) -> None:
                outcome.follow_up_error = f"{type(error).__name__}: {error}"

            # The dashboards follow, after the commit: the figures of this kind, where the file wrote
            # (when the importer knows it) or else in the importer's subtrees.
            # Figures the commit brought up to date itself (new members counted in) need no refresh.
            if not importer.figures_kept:
                within = _written_under(importer.touched(validation), user)
                registry_changed.run_on_commit(within=within, changed=[kind], on_failure=followed_badly)
            if record is not None:
                record(outcome)
    except CommitError as problem:
        return Outcome(rows=read, errors=problem.errors)
    return outcome


def _checked(validation: Validation) -> Outcome:
    return Outcome(
        rows=validation.rows,
        errors=validation.errors,
        counts=validation.counts,
        fixes=validation.fixes,
        diffs=validation.diffs,
    )


def _written_under(touched: set[int] | None, user) -> list[Organization | None]:
    """The bodies a commit wrote under: those the importer names, or the user's subtrees if it names none."""
    if touched is None:
        return _importers_subtrees(user)
    return list(Organization.objects.filter(pk__in=touched).order_by("path"))


def _importers_subtrees(user) -> list[Organization | None]:
    """Where an import can write: the user's subtrees (None, everywhere, for a superuser or the system)."""
    scope = scope_for(user) if user is not None else None
    if scope is None or scope.is_superuser:
        return [None]
    return list(Organization.objects.filter(path__in=scope.root_paths))


def export_file(
    kind: str, target: str | IO[bytes], *, user=None, under: Organization | None = None, channel: str = "web"
) -> int:
    """Write the rows of `kind` under `under` (everything the user sees when None); return how many.

    A file of personal data taken out by a user is logged (ExportLog, Decree 13/2023/NĐ-CP), through
    `channel` ("web" or "command"); one the operator writes without a user is on the server's own log.
    """
    importer = importer_class(kind)(user)
    rows = write_workbook(
        target,
        columns=importer.columns,
        sheet_title=importer.sheet_title,
        title=_template_title(importer),
        author=issuing_body(user, under),
        notes=[str(note) for note in importer.notes],
        rows=importer.export_rows(under),
    )
    if kind in PERSONAL_KINDS and user is not None:
        ExportLog.objects.create(user=user, kind=kind, organization=under, rows=rows, channel=channel)
    return rows


def template_file(kind: str, target: str | IO[bytes], *, user=None) -> None:
    """The empty template of `kind`, issued by the user's body (by the portal without a user)."""
    importer = importer_class(kind)
    write_workbook(
        target,
        columns=importer.columns,
        sheet_title=importer.sheet_title,
        title=_template_title(importer),
        author=issuing_body(user) if user is not None else "",
        notes=[str(note) for note in importer.notes],
    )


def _template_title(importer) -> str:
    with translation.override("vi"):
        return _("Import template: %(kind)s") % {"kind": str(importer.title)}


# --- jobs -------------------------------------------------------------------------------------


def progress_key(job: ImportJob | int) -> str:
    return f"import:{job if isinstance(job, int) else job.pk}"


def job_progress(job: ImportJob) -> dict | None:
    return get_progress(progress_key(job))


def import_job_create(*, user, kind: str, upload: UploadedFile) -> ImportJob:
    """Keep the uploaded file and start checking it in the background."""
    check_size(upload.size)
    importer_class(kind)
    job = ImportJob(
        user=user,
        kind=kind,
        original_name=os.path.basename(upload.name or "")[:255],
        language=translation.get_language() or "vi",
    )
    # A name of our own: the uploaded one may hold anything; it is kept in original_name.
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    set_progress(progress_key(job), phase="pending", done=0, total=0)
    run_in_background(validate_job, job.pk)
    return job


def import_job_confirm(*, job: ImportJob) -> bool:
    """Start writing a checked file; False when it is not (or no longer) ready."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALID).update(
        status=ImportStatus.COMMITTING, queued_at=timezone.now(), heartbeat_at=None
    )
    if not started:
        return False
    set_progress(progress_key(job), phase="committing", done=0, total=job.row_count)
    run_in_background(commit_job, job.pk)
    return True


def _reporter(job_id: int) -> Progress:
    key = progress_key(job_id)

    def report(phase: str, done: int, total: int) -> None:
        set_progress(key, phase=phase, done=done, total=total)

    return report


def _record(job: ImportJob, outcome: Outcome, *, status: str, stamp: str) -> None:
    job.status = status
    job.row_count = outcome.rows
    job.created_count, job.updated_count, job.unchanged_count = (
        outcome.counts.created,
        outcome.counts.updated,
        outcome.counts.unchanged,
    )
    job.error_count = len(outcome.errors)
    job.errors = [error.as_dict() for error in outcome.errors[:STORED_ERRORS]]
    job.fixes = [fix.as_dict() for fix in outcome.fixes]
    job.diffs = [diff.as_dict() for diff in outcome.diffs]
    setattr(job, stamp, timezone.now())
    job.save(
        update_fields=[
            "status",
            "row_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "fixes",
            "diffs",
            stamp,
        ]
    )


def _record_done(job: ImportJob, outcome: Outcome) -> None:
    """In the transaction of the rows: the job is done, and its user is told once that commits."""
    _record(job, outcome, status=ImportStatus.DONE, stamp="finished_at")
    job_finished.run_on_commit(job_id=job.pk, succeeded=True)


def _fail(job: ImportJob, error: Exception) -> None:
    """The job ends failed, unless its rows were committed: then it says that they were, and what did not follow."""
    logger.exception("Import job %s failed", job.pk)
    failed = ImportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(
        status=ImportStatus.FAILED,
        message=_(
            "The import stopped on an unexpected error; nothing was written. Try again, and tell the administrator if it happens again."
        ),
        finished_at=timezone.now(),
    )
    if failed:
        job_finished.run_on_commit(job_id=job.pk, succeeded=False)
    else:
        # "done" was recorded in the transaction that wrote the rows: they are in the database.
        _written_but_not_followed(job)


def written_but_not_followed() -> str:
    """What a user is told when the rows were committed and what follows them failed."""
    return _(
        "The data was written; updating the summary figures has not finished, so the dashboards may show the "
        "old figures for a while. Do not import the file again; tell the administrator if the figures do not "
        "catch up."
    )


def _written_but_not_followed(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).update(message=written_but_not_followed())


# Refusals that say the reading was stopped, not that the file is wrong: the job failed.
STOPPED_READING = ("memory", "timeout")


def _watched(job: ImportJob):
    return heartbeat(ImportJob.objects.filter(pk=job.pk))


def validate_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    # Not if the job was marked failed meanwhile (no worker picked it up in time).
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(status=ImportStatus.VALIDATING):
        return
    with translation.override(job.language), _watched(job):
        try:
            outcome = import_file(
                job.kind, job.file.path, user=job.user, commit=False, progress=_reporter(job.pk), keep=True
            )
        except Exception as error:
            _fail(job, error)
            kept.discard(job.file.path)
        else:
            if outcome.errors:
                kept.discard(job.file.path)  # it will not be written: nothing reads it again
            if outcome.errors and outcome.errors[0].code in STOPPED_READING:
                _stopped(job, outcome.errors[0].message)
            else:
                _record(
                    job,
                    outcome,
                    status=ImportStatus.INVALID if outcome.errors else ImportStatus.VALID,
                    stamp="validated_at",
                )
                if any(error.row is not None for error in outcome.errors):
                    _mark_errors(job, outcome.errors)
        finally:
            clear_progress(progress_key(job))


def _mark_errors(job: ImportJob, errors: list[RowError]) -> None:
    """Keep the uploaded workbook with its errors marked, for the user to correct in Excel (when not too large)."""
    target = io.BytesIO()
    try:
        importer = importer_class(job.kind)
        with translation.override("vi"):
            title = _("Errors of the file: %(kind)s") % {"kind": str(importer.title)}
        write_marked(
            job.file.path, errors, target, width=len(importer.columns), title=title, author=issuing_body(job.user)
        )
    except TooLarge:
        return
    except Exception:
        # The errors are on the page all the same: a file that openpyxl cannot mark is no reason to fail the job.
        logger.exception("Import job %s: the file of errors could not be written", job.pk)
        return
    job.error_file.save(f"{uuid.uuid4().hex}-loi.xlsx", ContentFile(target.getvalue()), save=False)
    job.save(update_fields=["error_file"])


def _stopped(job: ImportJob, message: str) -> None:
    job.status = ImportStatus.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    job_finished.run_on_commit(job_id=job.pk, succeeded=False)


def commit_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        return
    with translation.override(job.language), _watched(job):
        try:
            outcome = import_file(
                job.kind,
                job.file.path,
                user=job.user,
                commit=True,
                progress=_reporter(job.pk),
                source=job.original_name,
                record=lambda done: _record_done(job, done),
                keep=True,
            )
        except Exception as error:
            _fail(job, error)
            clear_progress(progress_key(job))
            return
        finally:
            kept.discard(job.file.path)  # read for the last time, whatever came of it
        if not outcome.committed:
            if outcome.errors and outcome.errors[0].code in STOPPED_READING:
                _stopped(job, outcome.errors[0].message)
            else:
                # Errors now mean the data changed since the file was checked: nothing was written.
                _record(job, outcome, status=ImportStatus.INVALID, stamp="finished_at")
                job_finished.run_on_commit(job_id=job.pk, succeeded=False)
            clear_progress(progress_key(job))
            return
        if outcome.follow_up_error:
            logger.error("Import job %s: written, but its follow-up failed: %s", job.pk, outcome.follow_up_error)
            _written_but_not_followed(job)
        clear_progress(progress_key(job))


def import_jobs_fail_stalled() -> int:
    """Jobs whose worker died (or that no worker picked up) end failed, with a message that says so.

    The rows of a job are written in one transaction with its status: a worker that died
    before "done" was recorded wrote nothing.
    """
    ids = list(stalled(ImportJob.objects.filter(status__in=RUNNING)).values_list("pk", flat=True))
    if not ids:
        return 0
    failed = ImportJob.objects.filter(pk__in=ids, status__in=RUNNING).update(
        status=ImportStatus.FAILED,
        message=_(
            "The server stopped while working on this file; nothing was written. Upload the file again; "
            "if it happens again, tell the administrator."
        ),
        finished_at=timezone.now(),
    )
    for job_id in ids:
        job_finished.run_on_commit(job_id=job_id, succeeded=False)
    return failed


__all__ = [
    "Outcome",
    "SpreadsheetError",
    "export_file",
    "import_file",
    "import_job_confirm",
    "import_job_create",
    "template_file",
]
