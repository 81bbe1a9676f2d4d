"""Reporting periods and reported figures: read, and written as a set (the DHIS2 shape: api/views/dhis2.py).

Writes go through api.values.data_values_write, which calls the grid's own service for every
row (indicators.entry.services.data_value_save). The version a write names in If-Match is a
period's: api.values.values_etag (docs/api.md, "Reported figures").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from indicators.entry.rules import lock_of
from indicators.models import DataValue, ReportingPeriod
from indicators.periods import get_period
from indicators.workflow.selectors import own_submissions, reporting_unit
from organizations.lookups import get_organization_for_user
from organizations.permissions import Action, scope_for

from ..etags import check_if_match
from ..problems import Problem, precondition_failed, precondition_required, too_many_rows
from ..serializers.values import (
    VALUE_VALUES,
    DataValueSerializer,
    DataValueWriteAnswerSerializer,
    DataValueWriteSerializer,
    PeriodSerializer,
    from_dhis2_period,
)
from ..values import WriteOutcome, data_values_write, values_etag
from .base import ApiListView, ApiView
from .organizations import UNDER

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), application/problem+json.")
PERIOD_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="Mã kỳ báo cáo: 2024, 2024-H1, 2024-H2 (hoặc theo DHIS2: 2024S1)."
)
ORGANIZATION_STATE = OpenApiParameter(
    "organization",
    str,
    description="Mã tổ chức: trạng thái locked khi số liệu của tổ chức này trong kỳ đã nộp (404 nếu ngoài phạm vi).",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        "ETag của số liệu từng kỳ có trong các dòng (đọc ở GET data-values/?period=… hoặc GET dataValueSets/); "
        "nhiều kỳ thì liệt kê các ETag cách nhau dấu phẩy; * để ghi đè có chủ ý. Thiếu: 428; đã cũ: 412."
    ),
)


def period_or_404(code: str) -> ReportingPeriod:
    """The period a query names, in our code or DHIS2's (404 for one that does not exist)."""
    return get_period(from_dhis2_period(code or ""))


def body_rows(request, key: str) -> list:
    data = request.data
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise serializers.ValidationError(
            {key: [_("Send the rows in “%(key)s”: a list of JSON objects.") % {"key": key}]}
        )
    if len(rows) > settings.API_MAX_VALUE_ROWS:
        raise too_many_rows(len(rows), settings.API_MAX_VALUE_ROWS)
    return rows


def periods_named(rows: list) -> list[ReportingPeriod]:
    """The periods the rows name (those that exist; the others are refused row by row)."""
    periods = {}
    for row in rows:
        code = row.get("period") if isinstance(row, dict) else None
        if isinstance(code, str) and code.strip() not in periods:
            try:
                periods[code.strip()] = get_period(code.strip())
            except Http404:
                continue
    return list(periods.values())


def check_sets(request, periods: list[ReportingPeriod]) -> None:
    """If-Match, when sent, must name the current ETag of every period the rows write in (its presence is checked first)."""
    for period in periods:
        check_if_match(request, values_etag(request.user, period), required=False)


def refused(outcome: WriteOutcome, **extra) -> Problem:
    """A refused set: 412 when a row's value changed since it was read, else 422; every row's problem listed."""
    if outcome.stale:
        problem = precondition_failed()
        problem.extra = {"errors": outcome.errors, **extra}
        return problem
    return Problem(
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        slug="rows-refused",
        title=_("Rows refused"),
        detail=_(
            "%(count)s problems in the %(rows)s rows sent: nothing was written. Correct every row listed in errors and send the call again."
        )
        % {"count": len(outcome.errors), "rows": outcome.rows},
        errors=outcome.errors,
        **extra,
    )


def import_count(outcome: WriteOutcome) -> dict:
    return {
        "imported": outcome.imported,
        "updated": outcome.updated,
        "ignored": outcome.ignored,
        "deleted": outcome.deleted,
    }


def etags_of(user, rows: list) -> dict[str, str]:
    return {period.code: values_etag(user, period) for period in periods_named(rows)}


# --- periods -------------------------------------------------------------------------------------


@extend_schema(
    summary="Kỳ báo cáo",
    description="Các kỳ báo cáo đã có số liệu (mới nhất trước), với trạng thái: chưa bắt đầu, đang nhận số liệu, hoặc đã khóa với tổ chức trong ?organization=.",
    parameters=[
        OpenApiParameter("year", int, description="Chỉ các kỳ của năm này."),
        OpenApiParameter("kind", str, description="Loại kỳ: annual (năm) hoặc half (6 tháng)."),
        ORGANIZATION_STATE,
    ],
)
class PeriodList(ApiListView):
    serializer_class = PeriodSerializer

    def get_queryset(self):
        queryset = ReportingPeriod.objects.all()
        params = self.request.query_params
        if (year := params.get("year", "")).isdigit():
            queryset = queryset.filter(year=int(year))
        if kind := params.get("kind"):
            queryset = queryset.filter(kind=kind)
        return queryset

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "-code"
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        organization = self._organization()
        page = self.paginate_queryset(self.get_queryset())
        context = {"today": timezone.localdate(), "states": _locked_states(organization, page)}
        return self.get_paginated_response(PeriodSerializer(page, many=True, context=context).data)

    def _organization(self):
        code = self.request.query_params.get("organization", "").strip()
        return get_organization_for_user(self.request.user, code) if code else None


def _locked_states(organization, periods: list[ReportingPeriod]) -> dict[str, str]:
    """period code -> "locked" where the organization's figures are submitted (one query)."""
    if organization is None:
        return {}
    submissions = own_submissions(reporting_unit(organization), periods)
    return {code: "locked" for code, submission in submissions.items() if submission.is_locked}


class PeriodDetail(ApiView):
    @extend_schema(
        summary="Một kỳ báo cáo",
        description="Một kỳ theo mã (cả kỳ chưa ai nhập số liệu), với trạng thái của nó.",
        parameters=[PERIOD_CODE, ORGANIZATION_STATE],
        responses={200: PeriodSerializer, 404: PROBLEM},
    )
    def get(self, request, code: str):
        period = period_or_404(code)
        states = {}
        if organization_code := request.query_params.get("organization", "").strip():
            organization = get_organization_for_user(request.user, organization_code)
            if lock_of(organization, period) == "submitted":
                states[period.code] = "locked"
        context = {"today": timezone.localdate(), "states": states}
        return Response(PeriodSerializer(period, context=context).data)


# --- data values ---------------------------------------------------------------------------------


class DataValueList(ApiListView):
    serializer_class = DataValueSerializer

    def get_queryset(self):
        params = self.request.query_params
        queryset = DataValue.objects.filter(scope_for(self.request.user).q("organization__path"))
        if under := self.subtree():
            queryset = queryset.filter(organization__path__startswith=under.path)
        if code := params.get("organization", "").strip():
            queryset = queryset.filter(organization=get_organization_for_user(self.request.user, code))
        if code := params.get("period", "").strip():
            queryset = queryset.filter(period__code=period_or_404(code).code)
        if code := params.get("element", "").strip():
            queryset = queryset.filter(element__code=code)
        return queryset.values(*VALUE_VALUES)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "timezone": timezone.get_current_timezone()}

    @extend_schema(
        summary="Số liệu báo cáo",
        description=(
            "Các giá trị số liệu trong phạm vi của bạn. Với ?period=, trang đầu mang ETag: phiên bản số liệu "
            "của kỳ đó trong phạm vi của bạn, dùng cho If-Match khi ghi."
        ),
        parameters=[
            OpenApiParameter("period", str, description="Mã kỳ: 2024, 2024-H1 (hoặc 2024S1)."),
            OpenApiParameter(
                "organization", str, description="Chỉ số liệu của tổ chức có mã này (404 nếu ngoài phạm vi)."
            ),
            OpenApiParameter("element", str, description="Chỉ giá trị của chỉ số có mã này."),
            UNDER,
        ],
    )
    def get(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        if (code := request.query_params.get("period", "").strip()) and "cursor" not in request.query_params:
            response["ETag"] = values_etag(request.user, period_or_404(code))
        return response

    @extend_schema(
        summary="Ghi số liệu theo bộ",
        description=(
            "Mỗi dòng đi qua đúng dịch vụ của bảng nhập liệu: cùng cách đọc giá trị, cùng quy tắc, cùng khóa "
            "(kỳ chưa bắt đầu, số liệu đã nộp), cùng phiên bản và cảnh báo tính hợp lý. Có lỗi ở bất kỳ dòng nào "
            "thì không ghi gì (422, liệt kê lỗi từng dòng). Cần If-Match (ETag của kỳ), trừ khi mọi dòng mang "
            "version. Tối đa API_MAX_VALUE_ROWS dòng mỗi lần."
        ),
        request=DataValueWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: DataValueWriteAnswerSerializer, 412: PROBLEM, 413: PROBLEM, 422: PROBLEM, 428: PROBLEM},
    )
    def post(self, request):
        if not scope_for(request.user).can_anywhere(Action.ENTER_DATA):
            raise PermissionDenied
        rows = body_rows(request, "rows")
        every_row_versioned = all(isinstance(row, dict) and isinstance(row.get("version"), int) for row in rows)
        if not request.headers.get("If-Match", "").strip() and not every_row_versioned:
            raise precondition_required()
        periods = periods_named(rows)
        check_sets(request, periods)
        outcome = data_values_write(
            user=request.user,
            rows=rows,
            context=self.audit_context(),
            # Again inside the write's transaction: a call that crossed another's is refused too.
            precondition=lambda: check_sets(request, periods),
        )
        if outcome.errors:
            raise refused(outcome)
        body = {
            "rows": outcome.rows,
            "import_count": import_count(outcome),
            "warnings": outcome.warnings,
            "etags": etags_of(request.user, rows),
        }
        return Response(body)
