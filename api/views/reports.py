"""Reports: which exist in the user's scope, the figures of one (report.json's JSON), its frozen versions, its files.

Everything goes through the report pages' own lookups and services: `reports.lookups.get_report_subject`
(404 outside the scope, for a program that does not apply, or a period outside it),
`reports.services.report_data` (the frozen copy or the live figures), `reports.jobs` (files made in
the background and kept, served only through a scoped view). As on the pages, a file belongs to its
organization: whoever sees the organization may read it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from indicators.models import ReportingPeriod
from indicators.periods import get_period
from organizations.lookups import get_organization_for_user
from organizations.models import Level, Organization
from organizations.permissions import scope_for
from programs.lookups import programs_for_user
from reports import selectors, services
from reports.jobs import (
    CONTENT_TYPES,
    DOCUMENT_FORMATS,
    report_file_path,
    report_file_progress,
    report_file_request,
    report_file_response,
    report_files_fail_stalled,
)
from reports.lookups import Subject, get_report_file_for_user, get_report_subject
from reports.models import FrozenReport, ReportFile, ReportKind
from unionportal.templatetags.vn import person_name

from ..etags import weak_etag
from ..serializers.reports import (
    ReportDataSerializer,
    ReportFileRequestSerializer,
    ReportFileSerializer,
    ReportsOfOrganizationSerializer,
    ReportVersionSerializer,
)
from .base import ApiDetailView, ApiListView, ApiView
from .organizations import UNDER

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), application/problem+json.")
REPORT_PARAMETERS = [
    OpenApiParameter("program", str, OpenApiParameter.PATH, description="Mã chương trình, kế hoạch."),
    OpenApiParameter("period", str, OpenApiParameter.PATH, description="Mã kỳ báo cáo: 2024, 2024-H1, 2024-H2."),
    OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã tổ chức của báo cáo."),
]
FILE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Số của tệp (trả về khi yêu cầu tệp).")


def _kwargs(subject: Subject) -> dict:
    return {"program": subject.program.code, "period": subject.period.code, "code": subject.organization.code}


@extend_schema(
    summary="Các báo cáo trong phạm vi của bạn",
    description=(
        "Mỗi tổ chức trên cấp cơ sở trong phạm vi (hoặc chỉ tổ chức ?organization=, kể cả một CĐCS) với các báo cáo "
        "của nó: mỗi chương trình áp dụng cho tổ chức × mỗi kỳ báo cáo đã có trong những năm của chương trình, "
        "kèm các phiên bản đã chốt."
    ),
    parameters=[
        OpenApiParameter(
            "organization", str, description="Chỉ các báo cáo của tổ chức có mã này (404 nếu ngoài phạm vi)."
        ),
        OpenApiParameter("program", str, description="Chỉ các báo cáo của chương trình có mã này (404 nếu không có)."),
        OpenApiParameter(
            "period", str, description="Chỉ các báo cáo của kỳ này: 2024, 2024-H1, 2024-H2 (404 nếu chưa có)."
        ),
        UNDER,
    ],
)
class ReportList(ApiListView):
    serializer_class = ReportsOfOrganizationSerializer

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        programs = list(programs_for_user(user).select_related("scope").order_by("code"))
        if code := params.get("program", "").strip():
            programs = [p for p in programs if p.code == code]
            if not programs:
                raise Http404(_("Program not found."))
        periods = list(ReportingPeriod.objects.order_by("-year", "kind", "-half"))
        if code := params.get("period", "").strip():
            period = get_period(code)
            if not period.pk:
                raise Http404(_("No such reporting period."))
            periods = [period]
        self.programs, self.periods = programs, periods
        queryset = Organization.objects.filter(scope_for(user).q("path")).select_related("level")
        if code := params.get("organization", "").strip():
            queryset = queryset.filter(pk=get_organization_for_user(user, code).pk)
        else:
            queryset = queryset.filter(level__rank__lt=Level.objects.only("rank").get(code=Level.BASE).rank)
        if under := self.subtree():
            queryset = queryset.within(under)
        if not programs:
            return queryset.none()
        applies = Q()
        for path in {p.scope.path for p in programs}:
            applies |= Q(path__startswith=path)  # the programs' subtrees: only bodies a program applies to
        return queryset.filter(applies)

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "path"
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        versions = defaultdict(list)
        for key in (
            FrozenReport.objects.filter(organization__in=page, program__in=self.programs, period__in=self.periods)
            .order_by("-version")
            .values_list("organization_id", "program_id", "period_id", "version")
        ):
            versions[key[:3]].append(key[3])
        rows = [self._row(organization, versions) for organization in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def _row(self, organization: Organization, versions: dict) -> dict:
        reports = []
        for program in self.programs:
            if not organization.path.startswith(program.scope.path):
                continue
            for period in self.periods:
                if not program.start_year <= period.year <= program.end_year:
                    continue
                numbers = versions.get((organization.pk, program.pk, period.pk), [])
                url = reverse(
                    "api:report", kwargs={"program": program.code, "period": period.code, "code": organization.code}
                )
                reports.append(
                    {
                        "program": program.code,
                        "program_title": program.title,
                        "period": period.code,
                        "versions": numbers,
                        "latest_version": numbers[0] if numbers else None,
                        "url": self.request.build_absolute_uri(url),
                    }
                )
        return {
            "organization": organization.code,
            "organization_name": organization.name,
            "level": organization.level.code,
            "reports": reports,
        }


def chosen_version(params, subject: Subject) -> tuple[int | None, bool]:
    """?version=N (404 if the report has no such version) or ?live=1, as the report pages read them."""
    raw = params.get("version", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) not in {v.version for v in selectors.versions_of(*_subject(subject))}:
            raise Http404(_("No such version of this report."))
        return int(raw), False
    return None, params.get("live") in ("1", "true", "on")


def _subject(subject: Subject) -> tuple:
    return subject.organization, subject.program, subject.period


@extend_schema(
    summary="Số liệu của một báo cáo",
    description=(
        "Cùng JSON với trang report.json: bản chốt mới nhất nếu kỳ đã được duyệt, nếu không là số liệu hiện hành; "
        "?version=N một phiên bản chốt, ?live=1 số liệu hiện hành. Bản chốt có ETag."
    ),
    parameters=[
        *REPORT_PARAMETERS,
        OpenApiParameter("version", int, description="Phiên bản chốt (404 nếu không có)."),
        OpenApiParameter("live", bool, description="true: số liệu hiện hành thay cho bản chốt."),
    ],
    responses={200: ReportDataSerializer, 404: PROBLEM},
)
class ReportDetail(ApiDetailView):
    serializer_class = ReportDataSerializer

    def get(self, request, program: str, period: str, code: str):
        subject = get_report_subject(request.user, code, program, period)
        version, live = chosen_version(request.query_params, subject)
        data, frozen = services.report_data(*_subject(subject), version=version, live=live)
        headers = {"ETag": weak_etag(FrozenReport._meta.label, frozen.pk, frozen.version)} if frozen else {}
        return Response(data.to_json(), headers=headers)


@extend_schema(
    summary="Các phiên bản đã chốt của một báo cáo",
    description="Mỗi lần cấp trên duyệt kỳ báo cáo, hoặc khi tạo phiên bản mới, số liệu được chốt lại; mới nhất trước.",
    parameters=REPORT_PARAMETERS,
)
class ReportVersions(ApiListView):
    serializer_class = ReportVersionSerializer

    def get_queryset(self):
        self.subject = subject = get_report_subject(
            self.request.user, self.kwargs["code"], self.kwargs["program"], self.kwargs["period"]
        )
        return (
            FrozenReport.objects.filter(
                organization=subject.organization, program=subject.program, period=subject.period
            )
            .select_related("created_by")
            .defer("data", "branches", "texts")
        )

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "-version"
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        url = request.build_absolute_uri(reverse("api:report", kwargs=_kwargs(self.subject)))
        rows = [
            {
                "version": frozen.version,
                "reason": frozen.reason,
                "created_at": frozen.created_at,
                "created_by": person_name(frozen.created_by) if frozen.created_by else None,
                "url": f"{url}?version={frozen.version}",
            }
            for frozen in page
        ]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


def file_body(request, report_file: ReportFile, subject: Subject) -> dict:
    kwargs = {**_kwargs(subject), "id": report_file.pk}
    progress = report_file_progress(report_file) if report_file.is_running else None
    done = report_file_path(report_file) is not None
    return ReportFileSerializer(
        {
            "id": report_file.pk,
            "format": report_file.format,
            "kind": report_file.kind,
            "version": report_file.frozen.version if report_file.frozen_id else None,
            "live": report_file.live,
            "status": report_file.status,
            "percent": progress["percent"] if progress else (100 if done else 0),
            "message": report_file.message,
            "size": report_file.size,
            "file_name": report_file.download_name,
            "created_at": report_file.created_at,
            "finished_at": report_file.finished_at,
            "url": request.build_absolute_uri(reverse("api:report_file", kwargs=kwargs)),
            "download_url": request.build_absolute_uri(reverse("api:report_file_download", kwargs=kwargs))
            if done
            else None,
        }
    ).data


class ReportFiles(ApiView):
    @extend_schema(
        summary="Yêu cầu tệp PDF, Excel hoặc Word của một báo cáo",
        description=(
            "Như nút “Chuẩn bị” trên trang báo cáo: tệp được làm trong nền. Trả lời 202 với địa chỉ tình trạng "
            "(tiêu đề Location); hỏi lại địa chỉ đó đến khi status là done, rồi tải về ở download_url."
        ),
        parameters=REPORT_PARAMETERS,
        request=ReportFileRequestSerializer,
        responses={202: ReportFileSerializer, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request, program: str, period: str, code: str):
        subject = get_report_subject(request.user, code, program, period)
        wanted = ReportFileRequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        choice = wanted.validated_data
        frozen = None
        if choice.get("version"):
            frozen = (
                FrozenReport.objects.filter(
                    organization=subject.organization,
                    program=subject.program,
                    period=subject.period,
                    version=choice["version"],
                )
                .defer("data", "branches")
                .first()
            )
            if frozen is None:
                raise Http404(_("No such version of this report."))
        fmt = choice["format"]
        with self.acting():
            report_file = report_file_request(
                organization=subject.organization,
                program=subject.program,
                period=subject.period,
                fmt=fmt,
                kind=choice["kind"] if fmt in DOCUMENT_FORMATS else ReportKind.PERIODIC,
                frozen=frozen,
                live=choice["live"],
                by=request.user,
            )
        report_file.refresh_from_db()  # the job may have run already (inline, or a fast worker)
        body = file_body(request, report_file, subject)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


def get_file(request, program: str, period: str, code: str, file_id: int) -> tuple[ReportFile, Subject]:
    """The file through the report pages' scoped lookup, and only under the report it was made for."""
    subject = get_report_subject(request.user, code, program, period)
    report_file = get_report_file_for_user(request.user, code, file_id)
    if report_file.program_id != subject.program.pk or report_file.period_id != subject.period.pk:
        raise Http404(_("File not found."))
    return report_file, subject


@extend_schema(
    summary="Tình trạng một tệp báo cáo",
    description="Đang chờ, đang làm (kèm tiến độ), xong (kèm địa chỉ tải về) hoặc lỗi (kèm lý do).",
    parameters=[*REPORT_PARAMETERS, FILE_ID],
    responses={200: ReportFileSerializer, 404: PROBLEM},
)
class ReportFileDetail(ApiDetailView):
    serializer_class = ReportFileSerializer

    def get(self, request, program: str, period: str, code: str, id: int):
        report_files_fail_stalled()
        report_file, subject = get_file(request, program, period, code, id)
        return Response(file_body(request, report_file, subject))


class AnyAccept(BaseContentNegotiation):
    """A download answers with the file's own type, whatever the client accepts (errors stay JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(
    summary="Tải một tệp báo cáo",
    description="Tệp đã làm xong (404 khi chưa xong), chỉ qua địa chỉ này, với người thấy được tổ chức của báo cáo.",
    parameters=[*REPORT_PARAMETERS, FILE_ID],
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
        (200, CONTENT_TYPES["docx"]): OpenApiTypes.BINARY,
        404: PROBLEM,
    },
)
class ReportFileDownload(ApiDetailView):
    content_negotiation_class = AnyAccept

    def get(self, request, program: str, period: str, code: str, id: int):
        report_file, _subject = get_file(request, program, period, code, id)
        return report_file_response(report_file)
