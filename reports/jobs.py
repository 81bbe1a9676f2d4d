"""Report files: made in the request when small, in the background when large, kept under MEDIA_ROOT/reports/.

    report_file = report_file_request(organization=..., program=..., period=..., fmt="xlsx", ...)
    # the page polls get_progress(report_file.progress_key) until the file is ready

The jobs take plain ids (unionportal/jobs.py), so a queue can replace the thread later.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators.models import ReportingPeriod
from organizations.models import Organization
from programs.models import Program
from unionportal.jobs import clear_progress, get_progress, heartbeat, run_in_background, set_progress, stalled

from . import services
from .hooks import file_finished
from .models import FrozenReport, ReportFile, ReportFileStatus, ReportFormat, ReportKind, ReportNarrative
from .models.report_file import RUNNING
from .narratives import report_texts
from .renderers.docx import render_docx
from .renderers.pdf import render_pdf
from .renderers.xlsx import render_xlsx

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The formats that are the document itself (with its kind, text, number and signer), not a workbook.
DOCUMENT_FORMATS = (ReportFormat.PDF, ReportFormat.DOCX)


def write_report(
    target: Path,
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    fmt: str,
    kind: str = ReportKind.PERIODIC,
    frozen: FrozenReport | None = None,
    live: bool = False,
    on_step=None,
) -> None:
    """Write the PDF, Word or Excel file of a report: the chosen frozen version, the live figures, or the default.

    A frozen version's document keeps the number, date and signer frozen with it (document.py)."""
    step = on_step or (lambda phase: None)
    step("collecting")
    data, copy = services.report_data(
        organization, program, period, version=frozen.version if frozen else None, live=live and frozen is None
    )
    step("rendering")
    if fmt in DOCUMENT_FORMATS:
        narrative = ReportNarrative.objects.filter(
            organization=organization, program=program, period=period, kind=kind
        ).first()
        texts = report_texts(data, organization=organization, program=program, period=period, kind=kind, frozen=copy)
        render = render_pdf if fmt == ReportFormat.PDF else render_docx
        target.write_bytes(render(data, narrative, kind=kind, texts=texts))
    else:
        indicators = list(program.indicators.select_related("level", "element__level", "program"))
        render_xlsx(
            data,
            organization,
            indicators,
            period,
            target,
            branches=services.frozen_branches(copy),
            frozen=copy is not None,
        )


def report_file_request(
    *,
    organization: Organization,
    program: Program,
    period: ReportingPeriod,
    fmt: str,
    kind: str = ReportKind.PERIODIC,
    frozen: FrozenReport | None = None,
    live: bool = False,
    by=None,
) -> ReportFile:
    """Start making a report file in the background; the page shows its progress, then the download."""
    report_file = ReportFile(
        organization=organization,
        program=program,
        period=period,
        format=fmt,
        kind=kind,
        frozen=frozen,
        live=live and frozen is None,
        requested_by=by,
    )
    report_file.full_clean()
    report_file.save()
    set_progress(report_file.progress_key, phase="pending", step=0, steps=3)
    run_in_background(report_file_build, report_file.pk)
    return report_file


PHASES = {"pending": 0, "collecting": 1, "rendering": 2, "done": 3}


def report_file_progress(report_file: ReportFile) -> dict:
    progress = get_progress(report_file.progress_key) or {}
    phase = progress.get("phase", "pending")
    return {"phase": phase, "percent": round(100 * PHASES.get(phase, 0) / 3)}


def report_file_build(report_file_id: int) -> None:
    """The background job: render the file, keep it, record the outcome (or the failure)."""
    report_file = (
        ReportFile.objects.select_related("organization__level", "program", "period", "frozen")
        .defer("frozen__data", "frozen__branches")  # write_report reads the copy it needs
        .filter(pk=report_file_id, status=ReportFileStatus.PENDING)
        .first()
    )
    if report_file is None:
        return
    if not ReportFile.objects.filter(pk=report_file.pk, status=ReportFileStatus.PENDING).update(
        status=ReportFileStatus.RUNNING
    ):
        return  # marked failed meanwhile: no worker had picked it up in time
    with heartbeat(ReportFile.objects.filter(pk=report_file.pk)):
        _build(report_file)


def _build(report_file: ReportFile) -> None:
    relative = Path("reports") / report_file.organization.code / f"{uuid.uuid4().hex}.{report_file.format}"
    target = Path(settings.MEDIA_ROOT) / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # An official document is Vietnamese, whatever the language of whoever asked for it.
        with translation.override("vi"):
            write_report(
                target,
                organization=report_file.organization,
                program=report_file.program,
                period=report_file.period,
                fmt=report_file.format,
                kind=report_file.kind,
                frozen=report_file.frozen,
                live=report_file.live,
                on_step=lambda phase: set_progress(report_file.progress_key, phase=phase),
            )
    except Exception as error:  # recorded on the file, for the page to show
        logger.exception("Report file %s failed", report_file.pk)
        target.unlink(missing_ok=True)
        with transaction.atomic():
            ReportFile.objects.filter(pk=report_file.pk).update(
                status=ReportFileStatus.FAILED, message=str(error)[:1000], finished_at=timezone.now()
            )
            file_finished.run_on_commit(report_file_id=report_file.pk, succeeded=False)
        clear_progress(report_file.progress_key)
        return
    ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFileStatus.DONE, path=str(relative), size=target.stat().st_size, finished_at=timezone.now()
    )
    file_finished.run_on_commit(report_file_id=report_file.pk, succeeded=True)
    clear_progress(report_file.progress_key)


def report_files_fail_stalled() -> int:
    """Files whose worker died (or that no worker picked up) end failed, with a message that says so."""
    ids = list(stalled(ReportFile.objects.filter(status__in=RUNNING)).values_list("pk", flat=True))
    if not ids:
        return 0
    failed = ReportFile.objects.filter(pk__in=ids, status__in=RUNNING).update(
        status=ReportFileStatus.FAILED,
        message=_("The server stopped while preparing this file. Ask for it again."),
        finished_at=timezone.now(),
    )
    for report_file_id in ids:
        file_finished.run_on_commit(report_file_id=report_file_id, succeeded=False)
    return failed


def report_file_response(report_file: ReportFile) -> FileResponse:
    """The prepared file as a download (the pages' and the API's), or 404 while it is not ready."""
    path = report_file_path(report_file)
    if path is None:
        raise Http404(_("This file is not ready."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=report_file.download_name,
        content_type=CONTENT_TYPES[report_file.format],
    )


def report_file_path(report_file: ReportFile) -> Path | None:
    """The file on disk, if it is there; the path is ours (never user input), checked to stay under reports/."""
    if report_file.status != ReportFileStatus.DONE or not report_file.path:
        return None
    root = (Path(settings.MEDIA_ROOT) / "reports").resolve()
    path = (Path(settings.MEDIA_ROOT) / report_file.path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
