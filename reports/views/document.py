"""The report page: the kind of report, the written parts, the versions, the downloads and files in preparation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations.permissions import Action, scope_for
from organizations.selectors import ancestors_in_scope
from unionportal.web import only_get, only_post, show_refusal

from .. import selectors, services
from ..data import build_report
from ..drafting import SECTIONS
from ..forms import NarrativeForm, NewVersionForm, SectionForm
from ..jobs import DOCUMENT_FORMATS, report_file_progress, report_files_fail_stalled
from ..lookups import can_make_version, get_report_subject, get_subject_for_new_version
from ..models import NarrativeSection, ReportFormat, ReportKind
from ..narratives import (
    NARRATIVE_FIELDS,
    narrative_for,
    narrative_reset,
    narrative_save,
    report_narrative_save,
    report_texts,
)
from .common import Choice, chosen_kind, report_url


def _downloads(subject, choice: Choice, kind: str, branch_count: int) -> list[dict]:
    """One entry per format: a direct link when the file is quick to make, a 'prepare' button otherwise."""
    entries = []
    for fmt, label in ((ReportFormat.PDF, "PDF"), (ReportFormat.DOCX, "Word"), (ReportFormat.XLSX, "Excel")):
        background = selectors.needs_background(subject.organization, fmt, branch_count)
        query = {**choice.query, "kind": kind if fmt in DOCUMENT_FORMATS and kind != ReportKind.PERIODIC else ""}
        entries.append(
            {
                "format": fmt.value,
                "label": label,
                "background": background,
                "url": report_url(f"reports:export_{fmt.value}", subject, query=query),
                "version": choice.frozen.version if choice.frozen else "",
                "live": choice.live,
            }
        )
    entries.append(
        {
            "format": "json",
            "label": "JSON",
            "background": False,
            "url": report_url("reports:json", subject, query=choice.query),
        }
    )
    return entries


def _sections(subject, kind: str, can_edit: bool, bound: tuple[str, SectionForm] | None = None) -> list[dict]:
    """Sections I–III as the live report reads them, each with its form (the bound one after a refusal)."""
    data = build_report(subject.organization, subject.program, subject.period)
    texts = report_texts(
        data, organization=subject.organization, program=subject.program, period=subject.period, kind=kind
    )
    sections = []
    for name in SECTIONS:
        text = texts[name]
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = SectionForm(initial={"text": text.text, "seen_version": text.version}, auto_id=f"id_{name}_%s")
        sections.append(
            {
                "name": name,
                "title": NarrativeSection(name).label,
                "text": text,
                "form": form if can_edit else None,
                "save_url": report_url("reports:section", subject, section=name),
                "reset_url": report_url("reports:section_reset", subject, section=name),
            }
        )
    return sections


def _document_context(
    request, subject, kind: str, form: NarrativeForm | None = None, bound: tuple[str, SectionForm] | None = None
) -> dict:
    scope = scope_for(request.user)
    can_edit = scope.can(Action.ENTER_DATA, subject.organization)
    narrative = narrative_for(subject.organization, subject.program, subject.period, kind)
    if form is None:
        form = NarrativeForm(instance=narrative)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    versions = selectors.versions_of(subject.organization, subject.program, subject.period)
    branch_count = selectors.branches_below(subject.organization)
    latest = versions[0] if versions else None
    default_choice = Choice(frozen=latest, live=False) if latest else Choice(frozen=None, live=True)
    report_files_fail_stalled()
    files = selectors.recent_files(subject.organization, subject.program, subject.period)
    return {
        "subject": subject,
        "organization": subject.organization,
        "program": subject.program,
        "period": subject.period,
        "trail": ancestors_in_scope(request.user, subject.organization),
        "periods": selectors.periods_for_program(subject.program),
        "kind": kind,
        "kinds": [
            {"value": value, "label": label, "url": report_url("reports:document", subject, query={"kind": value})}
            for value, label in ReportKind.choices
        ],
        "narrative": narrative,
        "sections": _sections(subject, kind, can_edit, bound),
        "form": form,
        "can_edit": can_edit,
        "can_make_version": can_make_version(request.user, subject.organization),
        "version_form": NewVersionForm(),
        "branch_count": branch_count,
        "downloads": _downloads(subject, default_choice, kind, branch_count),
        "live_downloads": _downloads(subject, Choice(frozen=None, live=True), kind, branch_count) if latest else [],
        "versions": [
            {"version": v, "downloads": _downloads(subject, Choice(frozen=v, live=False), kind, branch_count)}
            for v in versions
        ],
        "latest": latest,
        "files": [{"file": f, "progress": report_file_progress(f) if f.is_running else None} for f in files],
        "dashboard_url": report_url("reports:dashboard", subject),
        "narrative_url": report_url("reports:narrative", subject),
        "new_version_url": report_url("reports:new_version", subject),
        "file_url": report_url("reports:file_create", subject),
    }


def document(request, code: str, program: str, period: str):
    """The report page; the form of the written parts posts to `narrative`."""
    subject = get_report_subject(request.user, code, program, period)
    if refused := only_get(request):
        return refused
    kind = chosen_kind(request.GET)
    return render(request, "reports/document.html", _document_context(request, subject, kind))


def narrative(request, code: str, program: str, period: str):
    """Save the written parts of the report (data-entry right at the organization; read-only roles get 403)."""
    subject = get_report_subject(request.user, code, program, period, Action.ENTER_DATA)
    if refused := only_post(request):
        return refused
    kind = chosen_kind(request.POST)
    current = narrative_for(subject.organization, subject.program, subject.period, kind)
    form = NarrativeForm(request.POST, instance=current)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in NARRATIVE_FIELDS}
        try:
            report_narrative_save(
                organization=subject.organization,
                program=subject.program,
                period=subject.period,
                kind=kind,
                values=values,
                seen_version=form.cleaned_data.get("seen_version"),
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error, seen_field="seen_version", seen=lambda current: current.version)
        else:
            messages.success(request, _("The text of the report has been saved."))
            return redirect(report_url("reports:document", subject, query={"kind": kind}) + "#narrative")
    context = _document_context(request, subject, kind, form=form)
    return render(request, "reports/document.html", context, status=400)


def new_version(request, code: str, program: str, period: str):
    """Take the figures again as a new frozen version, with a reason; earlier versions stay."""
    subject = get_subject_for_new_version(request.user, code, program, period)
    if refused := only_post(request):
        return refused
    form = NewVersionForm(request.POST)
    kind = chosen_kind(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(report_url("reports:document", subject, query={"kind": kind}) + "#versions")
    frozen = services.report_version_create(
        organization=subject.organization,
        program=subject.program,
        period=subject.period,
        by=request.user,
        reason=form.cleaned_data["reason"],
    )
    if frozen is None:
        messages.info(request, _("The new version is being made in the background: it appears below in a minute."))
        return redirect(report_url("reports:document", subject, query={"kind": kind}) + "#versions")
    messages.success(request, _("Version %(version)s of the report has been made.") % {"version": frozen.version})
    return redirect(report_url("reports:document", subject, query={"kind": kind}) + "#versions")


def _section_subject(request, code: str, program: str, period: str, section: str):
    subject = get_report_subject(request.user, code, program, period, Action.ENTER_DATA)
    if section not in SECTIONS:
        raise Http404(_("The report has no such section."))
    return subject


def section(request, code: str, program: str, period: str, section: str):
    """Save the office's text of one section (I–III) in place of its draft."""
    subject = _section_subject(request, code, program, period, section)
    if refused := only_post(request):
        return refused
    kind = chosen_kind(request.POST)
    form = SectionForm(request.POST, auto_id=f"id_{section}_%s")
    if form.is_valid():
        try:
            narrative_save(
                organization=subject.organization,
                program=subject.program,
                period=subject.period,
                kind=kind,
                section=section,
                text=form.cleaned_data["text"],
                seen_version=form.cleaned_data.get("seen_version"),
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error, seen_field="seen_version", seen=lambda current: current.version)
            if getattr(error, "current", True) is None:  # gone back to the draft meanwhile: saving again is an edit
                form.data = form.data.copy()
                form.data["seen_version"] = 0
        else:
            messages.success(request, _("The section has been saved; it now reads as you wrote it."))
            return redirect(report_url("reports:document", subject, query={"kind": kind}) + f"#section-{section}")
    context = _document_context(request, subject, kind, bound=(section, form))
    return render(request, "reports/document.html", context, status=400)


def section_reset(request, code: str, program: str, period: str, section: str):
    """Go back to the text drafted from the figures for one section (I–III)."""
    subject = _section_subject(request, code, program, period, section)
    if refused := only_post(request):
        return refused
    kind = chosen_kind(request.POST)
    seen = request.POST.get("seen_version", "")
    try:
        narrative_reset(
            organization=subject.organization,
            program=subject.program,
            period=subject.period,
            kind=kind,
            section=section,
            seen_version=int(seen) if seen.isdigit() else None,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The section is back to the automatic draft, written from the figures."))
    return redirect(report_url("reports:document", subject, query={"kind": kind}) + f"#section-{section}")
