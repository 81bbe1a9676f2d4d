import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organizations.permissions import Action, scope_for
from unionportal.web import add_service_errors, only_get

from .. import services
from ..forms import (
    BasisFormSet,
    MilestoneFormSet,
    ProgramForm,
    SectionFormSet,
    kept,
    union_bodies_for,
)
from ..lookups import get_program_for_user, programs_for_user
from ..models import ProgramSection, ProgramStatus


@require_GET
def program_list(request):
    programs = (
        programs_for_user(request.user)
        .select_related("scope", "issuer")
        .annotate(indicator_count=Count("indicators"))
        .order_by("-end_year", "-start_year", "code")
    )
    status = request.GET.get("status", "")
    if status in ProgramStatus.values:
        programs = programs.filter(status=status)
    return render(
        request,
        "programs/list.html",
        {
            "programs": programs,
            "status": status,
            "statuses": ProgramStatus.choices,
            "can_create": scope_for(request.user).can_anywhere(Action.MANAGE_PROGRAMS),
        },
    )


def program_original(request, code: str):
    """The attached document, served only to those who see the program."""
    program = get_program_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    if not program.original:
        raise Http404(_("No document is attached to this program."))
    try:
        handle = program.original.open("rb")
    except FileNotFoundError:
        raise Http404(_("The attached document is missing from the server."))
    return FileResponse(handle, filename=os.path.basename(program.original.name))


def _formsets(request, user, program=None):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    bodies = union_bodies_for(user)
    initial = {"bases": None, "sections": None, "milestones": None}
    if program is not None:
        initial["bases"] = [{"text": b.text} for b in program.bases.order_by("order", "id")]
        sections = (
            ProgramSection.objects.filter(program=program).prefetch_related("responsible").order_by("order", "id")
        )
        initial["sections"] = [
            {
                "id": s.pk,
                "title": s.title,
                "body": s.body,
                "responsible": [o.pk for o in s.responsible.all()],
                "responsible_text": s.responsible_text,
            }
            for s in sections
        ]
        initial["milestones"] = [
            {"kind": m.kind, "year": m.year, "due_on": m.due_on, "title": m.title}
            for m in program.milestones.order_by("year", "due_on", "id")
        ]
    return {
        "bases": BasisFormSet(data, files, prefix="bases", initial=initial["bases"]),
        "sections": SectionFormSet(
            data, files, prefix="sections", initial=initial["sections"], form_kwargs={"bodies": bodies}
        ),
        "milestones": MilestoneFormSet(data, files, prefix="milestones", initial=initial["milestones"]),
    }


def _parts(formsets) -> dict:
    return {
        "bases": [row["text"] for row in kept(formsets["bases"])],
        "sections": [
            services.SectionSpec(
                id=row.get("id"),
                title=row["title"],
                body=row.get("body", ""),
                responsible=list(row.get("responsible") or []),
                responsible_text=row.get("responsible_text", ""),
            )
            for row in kept(formsets["sections"])
        ],
        "milestones": [
            services.MilestoneSpec(
                kind=row["kind"], year=row["year"], due_on=row.get("due_on"), title=row.get("title", "")
            )
            for row in kept(formsets["milestones"])
        ],
    }


@require_http_methods(["GET", "POST"])
def program_create(request):
    if not scope_for(request.user).can_anywhere(Action.MANAGE_PROGRAMS):
        raise PermissionDenied(_("You may not manage programs."))
    form = ProgramForm(request.POST or None, request.FILES or None, user=request.user)
    formsets = _formsets(request, request.user)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            program = services.program_create(
                by=request.user,
                code=form.cleaned_data["code"],
                original=form.cleaned_data.get("original"),
                **_parts(formsets),
                **form.program_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Program %(code)s has been created.") % {"code": program.code})
            return redirect("indicators:program", code=program.code)
    return render(
        request,
        "programs/form.html",
        {"form": form, "formsets": formsets, "title": _("New program")},
    )


@require_http_methods(["GET", "POST"])
def program_edit(request, code: str):
    program = get_program_for_user(request.user, code, Action.MANAGE_PROGRAMS)
    form = ProgramForm(request.POST or None, request.FILES or None, user=request.user, program=program)
    formsets = _formsets(request, request.user, program)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            services.program_update(
                program=program,
                by=request.user,
                original=form.cleaned_data.get("original"),
                remove_original=form.cleaned_data.get("remove_original", False),
                **_parts(formsets),
                **form.program_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("indicators:program", code=program.code)
    return render(
        request,
        "programs/form.html",
        {
            "form": form,
            "formsets": formsets,
            "program": program,
            "title": _("Edit program %(code)s") % {"code": program.code},
        },
    )
