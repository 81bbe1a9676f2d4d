"""The data-entry grid as an Excel file: download it, upload it back filled in (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations.permissions import Action, scope_for
from unionportal.spreadsheets.notes import fix_notes
from unionportal.spreadsheets.writer import XLSX_CONTENT_TYPE
from unionportal.web import only_get, only_post

from ...periods import get_period
from .. import excel, services
from ..lookups import get_grid_organization_for_user

REFUSED = 422
LOCKED = 409


def grid_download(request, period: str, code: str):
    """The grid of one organization and period as an .xlsx, with its current figures."""
    organization = get_grid_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = get_period(period)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{period.code}-{organization.code}.xlsx"'
    excel.write_grid(response, organization, period)
    return response


def grid_upload(request, period: str, code: str):
    """Import a filled-in grid file: every cell checked; any error, nothing written and every error listed."""
    organization = get_grid_organization_for_user(request.user, code)
    if not scope_for(request.user).can(Action.ENTER_DATA, organization):
        raise PermissionDenied(_("You may not enter figures for %(name)s.") % {"name": organization.name})
    if refused := only_post(request):
        return refused
    period = get_period(period)
    upload = request.FILES.get("file")
    if upload is None:
        result = excel.file_error("no_file", _("Choose the Excel file (.xlsx) to upload, then press “Upload”."))
    else:
        result = services.grid_import(organization=organization, period=period, upload=upload, by=request.user)
    if not result.ok:
        status = LOCKED if any(e.code == "locked" for e in result.errors) else REFUSED
        return render(
            request,
            "indicators/grid_upload.html",
            {
                "organization": organization,
                "period": period,
                "errors": result.errors,
                "file_name": upload.name if upload is not None else "",
                "editable": status != LOCKED,
            },
            status=status,
        )
    messages.success(
        request,
        _("Imported %(changed)s cells, %(unchanged)s unchanged.")
        % {"changed": result.changed, "unchanged": result.unchanged},
    )
    for note in fix_notes(result.fixes):  # what was put right on the way in: information, not errors
        messages.info(request, note)
    return redirect("indicators:grid", period.code, organization.code)
