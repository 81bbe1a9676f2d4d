"""Downloads: PDF and Excel made in the request (small reports) or in the background (large ones), the JSON."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from unionportal.web import only_get, only_post

from .. import selectors, services
from ..forms import ReportFileForm
from ..jobs import (
    CONTENT_TYPES,
    DOCUMENT_FORMATS,
    report_file_progress,
    report_file_request,
    report_file_response,
    report_files_fail_stalled,
    write_report,
)
from ..lookups import get_report_file_for_user, get_report_subject
from ..models import FrozenReport, ReportFile, ReportKind
from .common import chosen_figures, chosen_kind, report_url


def _file_name(subject, fmt: str, kind: str, choice) -> str:
    stub = ReportFile(
        organization=subject.organization,
        program=subject.program,
        period=subject.period,
        format=fmt,
        kind=kind,
        frozen=choice.frozen,
        live=choice.live,
    )
    return stub.download_name


def export(request, code: str, program: str, period: str, fmt: str):
    """The PDF, the Word or the Excel file, streamed; a large report is sent to the report page to be prepared there."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_get(request):
        return refused
    choice = chosen_figures(request.GET, subject)
    kind = chosen_kind(request.GET) if fmt in DOCUMENT_FORMATS else ReportKind.PERIODIC
    if selectors.needs_background(subject.organization, fmt, selectors.branches_below(subject.organization)):
        messages.info(request, _("This report is large: it is prepared in the background. Use “Prepare” below."))
        return redirect(report_url("reports:document", subject, query={"kind": kind}) + "#downloads")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"report.{fmt}"
        write_report(
            target,
            organization=subject.organization,
            program=subject.program,
            period=subject.period,
            fmt=fmt,
            kind=kind,
            frozen=choice.frozen,
            live=choice.live,
        )
        content = target.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_file_name(subject, fmt, kind, choice)}"'
    return response


def report_json(request, code: str, program: str, period: str):
    """The same JSON as `export_report --format json`: the latest frozen copy, ?version=N or ?live=1."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_get(request):
        return refused
    choice = chosen_figures(request.GET, subject)
    data, _frozen = services.report_data(
        subject.organization,
        subject.program,
        subject.period,
        version=choice.frozen.version if choice.frozen else None,
        live=choice.live,
    )
    return JsonResponse(data.to_json(), json_dumps_params={"ensure_ascii": False})


def file_create(request, code: str, program: str, period: str):
    """Prepare a PDF or Excel file in the background (anyone who sees the report may)."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_post(request):
        return refused
    form = ReportFileForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No such report file."))
    frozen = None
    if form.cleaned_data["version"]:
        frozen = (
            FrozenReport.objects.filter(
                organization=subject.organization,
                program=subject.program,
                period=subject.period,
                version=form.cleaned_data["version"],
            )
            .defer("data", "branches")
            .first()
        )
        if frozen is None:
            raise Http404(_("No such version of this report."))
    fmt = form.cleaned_data["format"]
    kind = form.cleaned_data["kind"] if fmt in DOCUMENT_FORMATS else ReportKind.PERIODIC
    report_file_request(
        organization=subject.organization,
        program=subject.program,
        period=subject.period,
        fmt=fmt,
        kind=kind,
        frozen=frozen,
        live=form.cleaned_data["live"],
        by=request.user,
    )
    return redirect(report_url("reports:document", subject, query={"kind": form.cleaned_data["kind"]}) + "#files")


def file_status(request, code: str, pk: int):
    """One file's row, polled by htmx while it is being prepared."""
    report_files_fail_stalled()
    report_file = get_report_file_for_user(request.user, code, pk)
    if refused := only_get(request):
        return refused
    progress = report_file_progress(report_file) if report_file.is_running else None
    return render(request, "reports/_file.html", {"item": {"file": report_file, "progress": progress}})


def file_download(request, code: str, pk: int):
    """A prepared file, served only through this scoped view (never from a public media URL)."""
    report_file = get_report_file_for_user(request.user, code, pk)
    if refused := only_get(request):
        return refused
    return report_file_response(report_file)
