"""DHIS2-compatible dataValueSets: the JSON shape of DHIS2's /api/dataValueSets, with our codes as identifiers.

    GET  dataValueSets/?period=2024&orgUnit=CODE[&children=true][&dataSet=PROGRAM]
    POST dataValueSets/ {"dataSet": …, "period": "2024S1", "orgUnit": …, "dataValues": [{"dataElement", "value", …}]}

Periods: our 2024, 2024-H1, 2024-H2 are DHIS2's 2024, 2024S1, 2024S2 (docs/api.md). A write goes
through api.values.data_values_write, the grid's service for every value, all or nothing.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from indicators.models import DataElement, DataValue, Indicator
from organizations.lookups import get_organization_for_user
from organizations.models import Organization
from organizations.permissions import Action, scope_for
from programs.lookups import get_program_for_user
from unionportal.anyof import AnyOf

from ..problems import precondition_required
from ..serializers.values import (
    Dhis2ImportSummarySerializer,
    Dhis2SetSerializer,
    from_dhis2_period,
    plain_number,
    to_dhis2_period,
)
from ..values import data_values_write, row_error, values_etag
from .base import ApiView
from .values import (
    IF_MATCH,
    PROBLEM,
    body_rows,
    check_sets,
    etags_of,
    import_count,
    period_or_404,
    periods_named,
    refused,
)

# --- DHIS2 dataValueSets -------------------------------------------------------------------------

MACHINE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# DHIS2's default category option combo: the only disaggregation the portal has.
DEFAULT_COMBOS = {"", "default", "HllvX50cXC0"}
# Fields DHIS2 writes that the server keeps itself: accepted and left aside.
DHIS2_INFORMATIONAL = {"storedBy", "created", "lastUpdated", "followup", "followUp"}
DHIS2_FIELDS = {"dataElement", "period", "orgUnit", "value", "comment", "categoryOptionCombo", "attributeOptionCombo"}
# Our row's field -> DHIS2's, to say where a refused value's problem is.
DHIS2_NAMES = {"period": "period", "organization": "orgUnit", "element": "dataElement", "value": "value"}


def program_element_codes(user, code: str) -> set[str]:
    """The codes of the figures a program's indicators read (404 for a program the user does not see)."""
    program = get_program_for_user(user, code)
    ids = Indicator.objects.filter(program=program).values_list("element_id", "denominator_id", "eligibility_id")
    wanted = {pk for triple in ids for pk in triple if pk}
    return set(DataElement.objects.filter(pk__in=wanted).values_list("code", flat=True))


class DataValueSets(ApiView):
    @extend_schema(
        summary="Bộ số liệu kiểu DHIS2 (đọc)",
        description=(
            "Như /api/dataValueSets của DHIS2 (JSON), với mã của chúng tôi làm định danh: dataElement là mã chỉ số, "
            "orgUnit là mã tổ chức, dataSet là mã chương trình, period là mã kỳ DHIS2 (2024, 2024S1, 2024S2). "
            "ETag là phiên bản số liệu của kỳ trong phạm vi của bạn."
        ),
        parameters=[
            OpenApiParameter("period", str, required=True, description="Kỳ: 2024, 2024S1, 2024S2 (hoặc 2024-H1)."),
            OpenApiParameter("orgUnit", str, required=True, description="Mã tổ chức (404 nếu ngoài phạm vi)."),
            OpenApiParameter("children", bool, description="true: cả các tổ chức cấp dưới (cả cây con)."),
            OpenApiParameter("dataSet", str, description="Mã chương trình: chỉ các chỉ số chương trình này dùng."),
        ],
        responses={200: Dhis2SetSerializer, 400: PROBLEM, 404: PROBLEM},
    )
    def get(self, request):
        params = request.query_params
        missing = [name for name in ("period", "orgUnit") if not params.get(name, "").strip()]
        if missing:
            raise serializers.ValidationError({name: [_("Required.")] for name in missing})
        organization = get_organization_for_user(request.user, params["orgUnit"].strip())
        period = period_or_404(params["period"])
        data_set = params.get("dataSet", "").strip() or None
        values = DataValue.objects.filter(period__code=period.code)
        if params.get("children", "").lower() == "true":
            # The subtree's ids through the values' organization index (unionportal/anyof.py): a province's
            # year at national scale, 388 → 89 ms of SQL, instead of reading the whole nation's year (BENCHMARKS.md).
            subtree = Organization.objects.filter(path__startswith=organization.path).values("pk")
            values = values.filter(AnyOf("organization_id", subtree))
        else:
            values = values.filter(organization=organization)
        if data_set is not None:
            values = values.filter(element__code__in=program_element_codes(request.user, data_set))
        head = {"dataSet": data_set, "period": to_dhis2_period(period.code), "orgUnit": organization.code}
        response = StreamingHttpResponse(
            _stream(head, values, timezone.get_current_timezone()), content_type="application/json"
        )
        response["ETag"] = values_etag(request.user, period)
        return response

    @extend_schema(
        summary="Bộ số liệu kiểu DHIS2 (ghi)",
        description=(
            "Cùng dạng với khi đọc. Mỗi giá trị đi qua dịch vụ của bảng nhập liệu; có lỗi ở bất kỳ giá trị nào thì "
            "không ghi gì (422, problem details có errors và conflicts). Trả về importCount như DHIS2. Cần If-Match: "
            "ETag của GET dataValueSets/ cùng kỳ (hoặc * để ghi đè có chủ ý)."
        ),
        request=Dhis2SetSerializer,
        parameters=[IF_MATCH],
        responses={
            200: Dhis2ImportSummarySerializer,
            404: PROBLEM,
            412: PROBLEM,
            413: PROBLEM,
            422: PROBLEM,
            428: PROBLEM,
        },
    )
    def post(self, request):
        if not scope_for(request.user).can_anywhere(Action.ENTER_DATA):
            raise PermissionDenied
        data = request.data if isinstance(request.data, dict) else {}
        values = body_rows(request, "dataValues")
        # What the set names at its top is a node, as in a URL: outside the user's scope it does not exist (404).
        if isinstance(data.get("orgUnit"), str) and data["orgUnit"].strip():
            get_organization_for_user(request.user, data["orgUnit"].strip())
        data_set = data.get("dataSet") if isinstance(data.get("dataSet"), str) and data["dataSet"].strip() else None
        allowed = program_element_codes(request.user, data_set.strip()) if data_set else None
        if not request.headers.get("If-Match", "").strip():
            raise precondition_required()
        rows, errors = _dhis2_rows(data, values, allowed)
        periods = periods_named(rows)
        check_sets(request, periods)
        outcome = data_values_write(
            user=request.user,
            rows=rows,
            context=self.audit_context(),
            precondition=lambda: check_sets(request, periods),
            refused=errors,
        )
        if outcome.errors:
            errors = [{**error, "field": DHIS2_NAMES.get(error["field"], error["field"])} for error in outcome.errors]
            outcome.errors = errors
            raise refused(outcome, **_conflicts(errors))
        count = import_count(outcome)
        body = {
            "status": "WARNING" if outcome.warnings else "SUCCESS",
            "description": _("Imported %(imported)s, updated %(updated)s, ignored %(ignored)s, deleted %(deleted)s.")
            % count,
            "importCount": count,
            "conflicts": [],
            "warnings": outcome.warnings,
            "etags": etags_of(request.user, rows),
        }
        return Response(body)


def _conflicts(errors: list[dict]) -> dict:
    """DHIS2's way of listing refused values, beside our errors; and the importCount of a refused set."""
    return {
        "importCount": {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0},
        "conflicts": [{"object": error["value"], "value": error["message"]} for error in errors],
    }


def _dhis2_rows(data: dict, values: list, allowed: set[str] | None) -> tuple[list[dict], list[dict]]:
    """The DHIS2 data values as rows of api.values (period and orgUnit from the set when a value omits them)."""
    default_period = data.get("period") if isinstance(data.get("period"), str) else None
    default_unit = data.get("orgUnit") if isinstance(data.get("orgUnit"), str) else None
    rows, errors = [], []
    for number, value in enumerate(values, start=1):
        if value.__class__ is not dict:
            rows.append(value)  # refused as not an object, keeping the next rows' numbers
            continue
        for key in sorted(value.keys() - DHIS2_FIELDS - DHIS2_INFORMATIONAL, key=str):
            errors.append(
                row_error(
                    number,
                    str(key),
                    value[key],
                    "unknown_field",
                    _("Unknown field “%(key)s”. The fields are: %(keys)s.")
                    % {"key": key, "keys": ", ".join(sorted(DHIS2_FIELDS))},
                )
            )
        for key in ("categoryOptionCombo", "attributeOptionCombo"):
            if str(value.get(key) or "") not in DEFAULT_COMBOS:
                errors.append(
                    row_error(
                        number,
                        key,
                        value[key],
                        "disaggregation",
                        _("The portal keeps one value per figure, body and period: leave “%(key)s” empty.")
                        % {"key": key},
                    )
                )
        element = value.get("dataElement")
        if allowed is not None and isinstance(element, str) and element.strip() not in allowed:
            errors.append(
                row_error(
                    number,
                    "dataElement",
                    element,
                    "not_in_data_set",
                    _("The figure %(code)s is not read by the program %(program)s (dataSet).")
                    % {"code": element, "program": data.get("dataSet")},
                )
            )
        period = value.get("period", default_period)
        raw = value.get("value")
        if isinstance(raw, str) and MACHINE_NUMBER.fullmatch(raw.strip()):
            # DHIS2 writes numbers for machines ("1.500" is one and a half), not as typed in the grid
            # (where it is fifteen hundred): handed over as a number, the grid's reading has no separators to read.
            raw = Decimal(raw.strip())
        rows.append(
            {
                "period": from_dhis2_period(period) if isinstance(period, str) else period,
                "organization": value.get("orgUnit", default_unit),
                "element": element,
                "value": raw,
                "comment": value.get("comment"),
            }
        )
    return rows, errors


def _stream(head: dict, values, tz):
    """The set as JSON, written while the rows are read: one query, plain tuples, no model instances."""
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataValues": ['
    rows = values.order_by("organization__path", "element__order", "element__code").values_list(
        "element__code",
        "organization__code",
        "number",
        "boolean",
        "choice",
        "updated_at",
        "updated_by__username",
    )
    period = head["period"]
    first = True
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    chunk = []
    for element, unit, number, boolean, choice, updated_at, stored_by in rows.iterator(chunk_size=5000):
        if number is not None:
            value = plain_number(number)
        elif boolean is not None:
            value = "true" if boolean else "false"
        else:
            value = choice or None
        item = dumps(
            {
                "dataElement": element,
                "period": period,
                "orgUnit": unit,
                "value": value,
                "comment": None,
                "lastUpdated": updated_at.astimezone(tz).isoformat(),
                "storedBy": stored_by,
            }
        )
        chunk.append(item if first else "," + item)
        first = False
        if len(chunk) >= 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}"
