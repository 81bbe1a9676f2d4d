"""The plan's pages: the list, a new draft, its operations (a form or an Excel file), the preview, apply, reverse."""

from __future__ import annotations

import io
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations.permissions import Action, scope_for
from unionportal.web import add_service_errors, only_get

from . import services
from .excel import PlanFileError, write_template
from .forms import NewPlanForm, OperationForm, OperationFormSet, PlanForm, UploadForm
from .lookups import get_plan_for_user, plan_scopes_for_user, plans_for_user
from .models import PlanState
from .selectors import plan_preview

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_list(request):
    if refused := only_get(request):
        return refused
    plans = plans_for_user(request.user).order_by("-effective_date", "-pk")
    may_plan = scope_for(request.user).can_anywhere(Action.RESTRUCTURE)
    return render(request, "restructure/list.html", {"plans": plans, "may_plan": may_plan})


@require_http_methods(["GET", "POST"])
def plan_create(request):
    scopes = plan_scopes_for_user(request.user)
    if not scopes:
        raise PermissionDenied(_("You may not restructure any body."))
    form = NewPlanForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("restructure:edit", pk=plan.pk)
    return render(request, "restructure/create.html", {"form": form})


def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    if refused := only_get(request):
        return refused
    may_act = scope_for(request.user).can(Action.RESTRUCTURE, plan.scope, strict=False)
    context = {"plan": plan, "operations": plan.operations.all(), "may_act": may_act}
    if plan.state in (PlanState.DRAFT, PlanState.SCHEDULED):
        context["preview"] = plan_preview(plan, request.user)
    else:
        context["records"] = plan.records.prefetch_related("links__organization").order_by("id")
    return render(request, "restructure/detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = get_plan_for_user(request.user, pk, Action.RESTRUCTURE)
    if plan.state != PlanState.DRAFT:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("restructure:detail", pk=pk)
    initial = {"name": plan.name, "effective_date": plan.effective_date, "decision": plan.decision, "note": plan.note}
    form = PlanForm(request.POST or None, initial=initial)
    formset = OperationFormSet(
        request.POST or None, initial=[OperationForm.initial_of(op) for op in plan.operations.all()], prefix="op"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data.get("kind")]
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
            services.operations_replace(plan=plan, by=request.user, operations=rows)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect("restructure:detail", pk=pk)
    return render(request, "restructure/edit.html", {"plan": plan, "form": form, "formset": formset})


@require_http_methods(["GET", "POST"])
def plan_upload(request, pk: int):
    plan = get_plan_for_user(request.user, pk, Action.RESTRUCTURE)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
            for chunk in form.cleaned_data["file"].chunks():
                copy.write(chunk)
            copy.flush()
            try:
                services.plan_upload(plan=plan, by=request.user, path=copy.name)
            except PlanFileError as error:
                errors = error.errors
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The plan's operations were read from the file."))
                return redirect("restructure:detail", pk=pk)
    return render(request, "restructure/upload.html", {"plan": plan, "form": form, "errors": errors})


def plan_template(request):
    if refused := only_get(request):
        return refused
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="ke-hoach-sap-xep.xlsx", content_type=XLSX)


@require_http_methods(["GET", "POST"])
def plan_apply(request, pk: int):
    """Apply now (its date has come) or schedule it for its date, after a confirmation."""
    plan = get_plan_for_user(request.user, pk, Action.RESTRUCTURE)
    later = plan.effective_date > timezone.localdate()
    problems = []
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            if later:
                services.plan_schedule(plan=plan, by=request.user)
            else:
                services.plan_apply(plan=plan, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("The plan has been scheduled.") if later else _("The plan has been applied."))
            return redirect("restructure:detail", pk=pk)
    preview = plan_preview(plan, request.user) if plan.state in (PlanState.DRAFT, PlanState.SCHEDULED) else None
    context = {"plan": plan, "preview": preview, "later": later, "problems": problems}
    return render(request, "restructure/apply.html", context)


@require_http_methods(["GET", "POST"])
def plan_reverse(request, pk: int):
    plan = get_plan_for_user(request.user, pk, Action.RESTRUCTURE)
    refusal = services.reversal_refusal(plan)
    if request.method == "POST" and request.POST.get("confirm") == "1" and not refusal:
        try:
            services.plan_reverse(plan=plan, by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The plan has been reversed."))
            return redirect("restructure:detail", pk=pk)
    return render(request, "restructure/reverse.html", {"plan": plan, "refusal": refusal})
