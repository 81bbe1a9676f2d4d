"""The data-entry grid as an Excel file: download it, upload it back filled in (all or nothing)."""

from __future__ import annotations

import os
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations.permissions import Action, scope_for
from reports import rollups
from unionportal.acting import acting
from unionportal.spreadsheets.errors import SpreadsheetError
from unionportal.spreadsheets.reader import check_size
from unionportal.spreadsheets.writer import XLSX_CONTENT_TYPE
from unionportal.web import only_get, only_post

from ...periods import period_for_code
from ...workflow.selectors import reporting_unit
from .. import excel
from ..lookups import get_grid_organization_for_user

REFUSED = 422
LOCKED = 409


def grid_download(request, period: str, code: str):
    """The grid of one organization and period as an .xlsx, with its current figures."""
    organization = get_grid_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    period = period_for_code(period)
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
    period = period_for_code(period)
    upload = request.FILES.get("file")
    if upload is None:
        result = excel.file_error("no_file", _("Choose the Excel file (.xlsx) to upload, then press “Upload”."))
    else:
        try:
            check_size(upload.size)
        except SpreadsheetError as problem:
            result = excel.Upload(errors=problem.errors)
        else:
            with acting(request.user, f"import:grid:{upload.name}"):
                result = _import(upload, organization, period, request.user)
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
    if result.element_ids:
        # As after a cell's save: the rollups of this period, for the indicators using the figures written.
        rollups.refresh(
            within=reporting_unit(organization),
            indicators=rollups.indicators_using(element_ids=sorted(result.element_ids)),
            periods=[period],
        )
    messages.success(
        request,
        _("Imported %(changed)s cells, %(unchanged)s unchanged.")
        % {"changed": result.changed, "unchanged": result.unchanged},
    )
    return redirect("indicators:grid", period.code, organization.code)


def _import(upload, organization, period, user) -> excel.Upload:
    """read_sheet reads a path: the upload goes through a temporary file, removed afterwards."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        return excel.import_grid(path, organization, period, by=user)
    finally:
        os.unlink(path)
