"""Import and export pages: one page listing the kinds, an upload page per kind, and a job page
that shows progress while the file is checked, then every error (paged), or a confirm button.
"""

from __future__ import annotations

import os
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organizations.lookups import get_organization_for_user
from organizations.permissions import Action, scope_for
from organizations.selectors import tree_roots
from unionportal.spreadsheets import marked
from unionportal.spreadsheets.notes import fix_notes
from unionportal.spreadsheets.writer import XLSX_CONTENT_TYPE
from unionportal.web import only_get, only_post

from . import services
from .forms import UploadForm
from .kinds import ORDER, PERSONAL_KINDS, REQUIRED_ACTION, importer_class
from .lookups import get_job_for_user
from .models import ImportJob, ImportStatus

ERRORS_PER_PAGE = 50
DIFFS_PER_PAGE = 50


def _under(request):
    """The subtree an export is about: ?under=CODE (404 outside the user's scope), else the user's only root."""
    code = request.GET.get("under", "").strip()
    if code:
        return get_organization_for_user(request.user, code)
    roots = tree_roots(request.user)
    return roots[0] if len(roots) == 1 else None


def _can_import(user, kind: str) -> bool:
    return scope_for(user).can_anywhere(REQUIRED_ACTION[kind])


@require_GET
def index(request):
    under = _under(request)
    services.import_jobs_fail_stalled()
    kinds = []
    for kind in ORDER:
        importer = importer_class(kind)
        kinds.append(
            {
                "kind": kind,
                "title": importer.title,
                "headers": [column.header for column in importer.columns],
                "can_import": _can_import(request.user, kind),
            }
        )
    return render(
        request,
        "imports/index.html",
        {
            "kinds": kinds,
            "under": under,
            "roots": tree_roots(request.user),
            "jobs": ImportJob.objects.filter(user=request.user)[:10],
        },
    )


@require_GET
def template_download(request, kind: str):
    importer = importer_class(kind)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{importer.kind}.xlsx"'
    services.template_file(kind, response, user=request.user)
    return response


def export_download(request, kind: str):
    importer_class(kind)
    under = _under(request)  # first, so that an outsider's POST is a 404 too
    if refused := only_get(request):
        return refused
    personal = kind in PERSONAL_KINDS
    if personal:
        # Members' files carry dates of birth: their own right, and every export is logged.
        scope = scope_for(request.user)
        allowed = (
            scope.can(Action.EXPORT_PERSONAL_DATA, under) if under else scope.can_anywhere(Action.EXPORT_PERSONAL_DATA)
        )
        if not allowed:
            raise PermissionDenied(
                _("Exporting members' personal data needs its own right, which your role does not have.")
            )
    # Write to a temporary file (spooled to disk past 10 MB), then stream it.
    target = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    services.export_file(kind, target, user=request.user, under=under)
    target.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{kind}-{under.code if under else 'tat-ca'}-{stamp}.xlsx"
    return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    importer = importer_class(kind)
    if not _can_import(request.user, kind):
        raise PermissionDenied(_("You may not import this kind of file."))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(user=request.user, kind=kind, upload=form.cleaned_data["file"])
        return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "kind": kind, "title": importer.title, "headers": [c.header for c in importer.columns]},
    )


def _job_context(request, job: ImportJob) -> dict:
    progress = services.job_progress(job) if job.is_running else None
    percent = None
    if progress and progress.get("total"):
        percent = min(100, round(100 * progress["done"] / progress["total"]))
    return {
        "job": job,
        "title": importer_class(job.kind).title,
        "progress": progress,
        "percent": percent,
        "can_confirm": job.status == ImportStatus.VALID
        and (job.created_count or job.updated_count)
        and _can_import(request.user, job.kind),
    }


def job_detail(request, pk: int):
    services.import_jobs_fail_stalled()
    job = get_job_for_user(request.user, pk)
    if refused := only_get(request):
        return refused
    context = _job_context(request, job)
    context.update(notes=fix_notes(job.fixes), marked_max_rows=marked.MAX_ROWS)
    if job.errors:
        page = Paginator(job.row_errors(), ERRORS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(errors_page=page, page=page, query_string="")
    elif job.diffs and job.status in (ImportStatus.VALID, ImportStatus.COMMITTING, ImportStatus.DONE):
        # What the updated rows change, field by field: old value, new value.
        page = Paginator(job.diffs, DIFFS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(diffs_page=page, page=page, query_string="")
    return render(request, "imports/job.html", context)


def job_error_file(request, pk: int):
    """The uploaded workbook with its wrong cells filled red, a comment on each and a "Lỗi" column."""
    job = get_job_for_user(request.user, pk)
    if refused := only_get(request):
        return refused
    if not job.error_file:
        raise Http404(_("This import has no file of errors."))
    stem = os.path.splitext(job.original_name)[0] or "tep"
    return FileResponse(
        job.error_file.open("rb"), as_attachment=True, filename=f"{stem}-loi.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def job_status(request, pk: int):
    """The progress box, polled by htmx every second; once the job is over, the whole page reloads."""
    services.import_jobs_fail_stalled()
    job = get_job_for_user(request.user, pk)
    if refused := only_get(request):
        return refused
    response = render(request, "imports/_job_status.html", _job_context(request, job))
    if not job.is_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def job_confirm(request, pk: int):
    job = get_job_for_user(request.user, pk)
    if refused := only_post(request):
        return refused
    if not _can_import(request.user, job.kind):
        raise PermissionDenied(_("You may not import this kind of file."))
    if not services.import_job_confirm(job=job):
        messages.error(request, _("This file cannot be imported now: check its status below."))
    return redirect("imports:job", pk=job.pk)
