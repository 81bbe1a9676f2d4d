"""The task page of a body for a period: its own tasks (status, result, evidence) and its bodies' roll-up.

Evidence files are served only to those who see the body, always as a download: the
browser is told not to guess the type (nosniff) and not to run anything in it (a CSP
that allows nothing, in a sandbox).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from organizations.permissions import Action, scope_for
from unionportal.web import only_get, only_post

from ..models import TaskStatus
from ..models.task import EVIDENCE_MAX_FILES, RESULT_MAX_CHARS
from ..periods import get_period, period_calendar
from ..workflow.selectors import reporting_unit, submission_of
from . import services
from .evidence import CONTENT_TYPES, FORM_OVERHEAD, SizeGuard, max_bytes, too_large
from .forms import EvidenceForm, TaskReportForm
from .lookups import get_evidence_of, get_task_of, get_task_organization_for_user
from .selectors import COUNTED, NOT_REPORTED, TaskRollup, task_lock, task_rollups

# The download of an evidence file: nothing in it may run, whatever a browser makes of it.
EVIDENCE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
PERIOD_LINKS = 8


def _status_labels() -> dict[str, str]:
    return {**{value: str(label) for value, label in TaskStatus.choices}, NOT_REPORTED: _("Not reported")}


def task_list(request, period: str, code: str):
    organization = get_task_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = get_period(period)
    today = timezone.localdate()
    scope = scope_for(request.user)
    rollups = task_rollups(organization, period)
    lock = task_lock(organization, period, today=today)
    may_enter = scope.can(Action.ENTER_DATA, organization)
    own = []
    for rollup in rollups:
        body = rollup.of(organization)
        if body is None:
            continue
        report = body.report
        form = TaskReportForm(
            initial={"status": report.status, "result": report.result, "version": report.version}
            if report
            else {"version": 0},
            auto_id=f"task-{rollup.section.pk}-%s",
        )
        evidence_form = EvidenceForm(auto_id=f"evidence-{rollup.section.pk}-%s")
        own.append({"rollup": rollup, "body": body, "form": form, "evidence_form": evidence_form})
    below = [TaskRollup(r.section, r.below(organization)) for r in rollups if r.below(organization)]
    unit = reporting_unit(organization)
    return render(
        request,
        "indicators/tasks.html",
        {
            "organization": organization,
            "period": period,
            "periods": [p for p in period_calendar(today=today) if p.is_open(today)][:PERIOD_LINKS],
            "own": own,
            "below": below,
            "counted": COUNTED,
            "labels": _status_labels(),
            "lock": lock,
            "editable": may_enter and not lock,
            "may_enter": may_enter,
            "submission": submission_of(unit, period) if scope.sees(unit) else None,
            "unit": unit,
            "max_files": EVIDENCE_MAX_FILES,
            "max_chars": RESULT_MAX_CHARS,
        },
    )


def _back(period, organization, section=None):
    anchor = f"#task-{section.pk}" if section is not None else ""
    return redirect(reverse("indicators:tasks", args=[period.code, organization.code]) + anchor)


def _refused(request, refusal: ValidationError) -> None:
    messages.error(request, " ".join(refusal.messages))


def task_save(request, period: str, code: str, task: int):
    """Record the body's status and result for one task (POST)."""
    organization = get_task_organization_for_user(request.user, code, Action.ENTER_DATA)
    section = get_task_of(organization, task)
    if refused := only_post(request):
        return refused
    period = get_period(period)
    form = TaskReportForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return _back(period, organization, section)
    try:
        services.task_report_save(
            section=section,
            organization=organization,
            period=period,
            status=form.cleaned_data["status"],
            result=form.cleaned_data["result"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as refusal:  # StaleEdit included: the message says what the task reads now
        _refused(request, refusal)
    else:
        messages.success(request, _("The task “%(task)s” has been saved.") % {"task": section.title})
    return _back(period, organization, section)


@csrf_exempt  # the CSRF check reads the body: it runs below, once the size is known and the guard is set
def evidence_upload(request, period: str, code: str, task: int):
    """Attach one evidence file to the body's record of a task (POST, multipart).

    A body declared larger than a file may be is refused before any of it is read; otherwise
    SizeGuard, first among the upload handlers, stops reading once the file passes the limit.
    """
    organization = get_task_organization_for_user(request.user, code, Action.ENTER_DATA)
    section = get_task_of(organization, task)
    if refused := only_post(request):
        return refused
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes() + FORM_OVERHEAD:
        _refused(request, too_large(declared))
        return _back(get_period(period), organization, section)
    guard = SizeGuard(request)
    request.upload_handlers.insert(0, guard)
    return _evidence_upload(request, period, organization, section, guard)


@csrf_protect
def _evidence_upload(request, period: str, organization, section, guard: SizeGuard):
    period = get_period(period)
    form = EvidenceForm(request.POST, request.FILES)
    if guard.refused is not None:
        _refused(request, guard.refused)
        return _back(period, organization, section)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach (PDF, Word, Excel, JPG or PNG, at most 20 MB)."))
        return _back(period, organization, section)
    upload = form.cleaned_data["file"]
    try:
        services.task_evidence_add(
            section=section, organization=organization, period=period, upload=upload, by=request.user
        )
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("“%(name)s” has been attached.") % {"name": upload.name})
    return _back(period, organization, section)


def evidence_download(request, period: str, code: str, pk: int):
    """An evidence file, to those who see the body: always a download, never shown in the page."""
    organization = get_task_organization_for_user(request.user, code)
    evidence = get_evidence_of(organization, period, pk)
    if refused := only_get(request):
        return refused
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The evidence file is missing from the server."))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def evidence_delete(request, period: str, code: str, pk: int):
    """Remove an evidence file (POST) while the body's tasks of the period are open."""
    organization = get_task_organization_for_user(request.user, code, Action.ENTER_DATA)
    evidence = get_evidence_of(organization, period, pk)
    if refused := only_post(request):
        return refused
    section = evidence.report.section
    try:
        services.task_evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("“%(name)s” has been removed.") % {"name": evidence.original_name})
    return _back(get_period(period), organization, section)
