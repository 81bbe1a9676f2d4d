"""Submissions: a body's figures of a period on their way up. Read them; submit, return, accept, reopen (If-Match).

Each action is the page's own service (indicators/workflow/services.py), so the same rules hold: open
data-quality warnings, tasks without a status and bodies below that have not submitted refuse a
submission; only a body above decides. A refusal of the service is a problem whose `detail` is the
service's own message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from indicators.models import ReportingPeriod, Submission, SubmissionStatus, Waiver
from indicators.models.submission import LOCKED_STATUSES
from indicators.periods import get_period
from indicators.quality.selectors import open_count
from indicators.workflow import services as workflow
from indicators.workflow.selectors import children_not_in, submission_of, tasks_unrecorded
from organizations.lookups import get_organization_for_user
from organizations.models import Level, Organization, OrganizationStatus
from organizations.permissions import Action, scope_for
from unionportal.templatetags.vn import person_name

from ..etags import check_if_match, etag_of, weak_etag
from ..problems import Problem, invalid
from ..serializers.submissions import CommentSerializer, SubmissionDetailSerializer, SubmissionSerializer
from .base import ApiDetailView, ApiListView, ApiView
from .organizations import UNDER

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), application/problem+json.")
PERIOD = OpenApiParameter("period", str, OpenApiParameter.PATH, description="Mã kỳ báo cáo: 2024, 2024-H1, 2024-H2.")
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã tổ chức gửi báo cáo (ví dụ HG-QB).")
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="ETag của báo cáo khi bạn đọc nó (GET)."
)


def submission_etag(organization: Organization, period: ReportingPeriod, submission: Submission | None) -> str:
    """The version of a body's submission of a period; one that was never written has its own, stable one."""
    if submission is not None:
        return etag_of(submission)
    return weak_etag(Submission._meta.label, "new", organization.pk, period.code)


def is_late(*, state: str, submitted_at, waived: bool, period: ReportingPeriod, today) -> bool:
    """As the review page says it (workflow.selectors.review_rows): sent after the deadline, or overdue."""
    if state in LOCKED_STATUSES:
        return submitted_at is not None and timezone.localdate(submitted_at) > period.deadline
    return today > period.deadline and not waived


def _row(organization: Organization, period: ReportingPeriod, submission: Submission | None, *, waived: bool) -> dict:
    state = submission.status if submission else SubmissionStatus.DRAFT
    submitted_at = submission.submitted_at if submission else None
    return {
        "period": period.code,
        "organization": organization.code,
        "organization_name": organization.name,
        "state": state,
        "submitted_at": submitted_at,
        "decided_at": submission.decided_at if submission else None,
        "deadline": period.deadline,
        "late": is_late(
            state=state, submitted_at=submitted_at, waived=waived, period=period, today=timezone.localdate()
        ),
        "waived": waived,
    }


def _period_param(request) -> ReportingPeriod:
    code = request.query_params.get("period", "").strip()
    if not code:
        raise invalid([{"field": "period", "message": _("Choose a period: ?period=2024, 2024-H1 or 2024-H2.")}])
    return get_period(code)


@extend_schema(
    summary="Báo cáo số liệu gửi lên theo kỳ",
    description=(
        "Mỗi tổ chức trên cấp cơ sở trong phạm vi của bạn (các tổ chức gửi báo cáo) với trạng thái báo cáo của kỳ: "
        "đang nhập, đã gửi, bị trả lại, đã duyệt. CĐCS không tự gửi: công đoàn cấp trên trực tiếp nhập và gửi thay."
    ),
    parameters=[
        OpenApiParameter("period", str, required=True, description="Mã kỳ báo cáo (bắt buộc): 2024, 2024-H1, 2024-H2."),
        UNDER,
        OpenApiParameter(
            "state", str, description="Chỉ báo cáo ở trạng thái này: draft, submitted, returned, accepted."
        ),
    ],
)
class SubmissionList(ApiListView):
    serializer_class = SubmissionSerializer

    def get_queryset(self):
        self.period = period = _period_param(self.request)
        base_rank = Level.objects.only("rank").get(code=Level.BASE).rank
        queryset = Organization.objects.filter(scope_for(self.request.user).q("path"), level__rank__lt=base_rank)
        if under := self.subtree():
            queryset = queryset.within(under)
        if period.pk:
            own = Submission.objects.filter(organization=OuterRef("pk"), period=period)
            queryset = queryset.annotate(
                submission_id=Subquery(own.values("pk")[:1]),
                state=Subquery(own.values("status")[:1]),
                waived=Exists(Waiver.objects.filter(organization=OuterRef("pk"), period=period)),
            ).filter(Q(status=OrganizationStatus.ACTIVE) | Q(submission_id__isnull=False))
        else:
            queryset = queryset.filter(status=OrganizationStatus.ACTIVE)
        state = self.request.query_params.get("state", "").strip()
        if state:
            if state not in SubmissionStatus.values:
                raise invalid([{"field": "state", "message": _("A state is draft, submitted, returned or accepted.")}])
            if not period.pk:
                queryset = queryset if state == SubmissionStatus.DRAFT else queryset.none()
            elif state == SubmissionStatus.DRAFT:
                queryset = queryset.filter(Q(state__isnull=True) | Q(state=state))
            else:
                queryset = queryset.filter(state=state)
        return queryset.only("pk", "code", "name", "path")

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "path"
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [o.submission_id for o in page if getattr(o, "submission_id", None)]
        submissions = {s.organization_id: s for s in Submission.objects.filter(pk__in=ids)} if ids else {}
        rows = [_row(o, self.period, submissions.get(o.pk), waived=bool(getattr(o, "waived", False))) for o in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


def submission_body(organization: Organization, period: ReportingPeriod) -> tuple[dict, str]:
    """The detail of a body's submission of a period, and its ETag."""
    submission = submission_of(organization, period)
    waived = bool(period.pk) and Waiver.objects.filter(organization=organization, period=period).exists()
    etag = submission_etag(organization, period, submission)
    body = {
        **_row(organization, period, submission, waived=waived),
        "period_label": period.label,
        "events": [
            {"action": e.action, "by": person_name(e.by), "at": e.at, "comment": e.comment}
            for e in (submission.events.all() if submission else [])
        ],
        "children_pending": [c.code for c in children_not_in(organization, period)],
        "tasks_unrecorded": len(tasks_unrecorded(organization, period)),
        "open_warnings": open_count(organization, period),
        "etag": etag,
    }
    return SubmissionDetailSerializer(body).data, etag


@extend_schema(
    summary="Báo cáo số liệu của một tổ chức trong một kỳ",
    description=(
        "Trạng thái, lịch sử và những gì còn thiếu để gửi được (tổ chức cấp dưới chưa gửi, nhiệm vụ chưa ghi kết quả, "
        "cảnh báo chưa giải trình). ETag là phiên bản dùng cho If-Match của các thao tác."
    ),
    parameters=[PERIOD, CODE],
)
class SubmissionDetail(ApiDetailView):
    serializer_class = SubmissionDetailSerializer

    def get(self, request, period: str, code: str):
        organization = get_organization_for_user(request.user, code)
        body, etag = submission_body(organization, get_period(period))
        return Response(body, headers={"ETag": etag})


def workflow_refused(refusal: ValidationError) -> Problem:
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        slug="workflow-refused",
        title=_("Refused by the workflow"),
        detail=" ".join(refusal.messages),
    )


def comment_required(refusal: ValidationError) -> Problem:
    """A return or reopen without its comment: a bad request, said in the service's own words."""
    message = " ".join(refusal.messages)
    return Problem(
        status_code=status.HTTP_400_BAD_REQUEST,
        slug="invalid",
        title=_("Invalid values"),
        detail=message,
        errors=[{"field": "comment", "message": message}],
    )


class SubmissionActionView(ApiView):
    """One move of the workflow; the subclasses name its service and what it needs."""

    service = None  # one of indicators.workflow.services
    transition = None  # its row of workflow.TRANSITIONS: whether a comment is required
    reviewer = True  # only a body above (strictly) may; else the data-entry right at the body itself

    def post(self, request, period: str, code: str):
        if not self.reviewer:
            organization = get_organization_for_user(request.user, code, Action.ENTER_DATA)
        else:
            # As the review page decides (workflow/views.py: decide): the right must come from a body above.
            organization = get_organization_for_user(request.user, code)
            if not scope_for(request.user).can(Action.REVIEW, organization, strict=True):
                raise PermissionDenied(
                    _("Only a body above %(name)s reviews its figures.") % {"name": organization.name}
                )
        period = get_period(period)
        check_if_match(request, submission_etag(organization, period, submission_of(organization, period)))
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data["comment"]
        try:
            with self.acting():
                submission = self.perform(request, organization, period, comment)
        except ValidationError as refusal:
            if self.transition.needs_comment and not comment.strip():
                raise comment_required(refusal) from None
            raise workflow_refused(refusal) from None
        # The submission's period: saved by the service if nobody had written in it yet.
        body, etag = submission_body(organization, submission.period)
        return Response(body, headers={"ETag": etag})

    def perform(self, request, organization: Organization, period: ReportingPeriod, comment: str) -> Submission:
        if not self.reviewer:
            # The submission refreshes the grid's warnings in their own transaction first (its service):
            # the If-Match above was checked just before; a crossing submit is refused by the transition table.
            return self.service(organization=organization, period=period, by=request.user, comment=comment)
        with transaction.atomic():
            # Checked again under the row's lock: a decision crossing another one is refused (412).
            locked = (
                Submission.objects.select_for_update().filter(organization=organization, period=period).first()
                if period.pk
                else None
            )
            check_if_match(request, submission_etag(organization, period, locked))
            return self.service(organization=organization, period=period, by=request.user, comment=comment)


def _action_schema(summary: str, description: str):
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            description=description
            + " Cần If-Match với ETag đọc được (GET báo cáo): thiếu thì 428, đã cũ thì 412. Quy trình từ chối thì 409.",
            parameters=[PERIOD, CODE, IF_MATCH],
            request=CommentSerializer,
            responses={
                200: SubmissionDetailSerializer,
                400: PROBLEM,
                403: PROBLEM,
                409: PROBLEM,
                412: PROBLEM,
                428: PROBLEM,
            },
        )
    )


@_action_schema(
    "Gửi báo cáo số liệu lên cấp trên",
    "Như nút “Gửi báo cáo”: số liệu bị khóa; chỉ gửi được khi mọi tổ chức cấp dưới đã gửi (hoặc được miễn), "
    "mọi nhiệm vụ đã ghi kết quả và mọi cảnh báo chất lượng số liệu đã được giải trình.",
)
class SubmissionSubmit(SubmissionActionView):
    service = staticmethod(workflow.submission_submit)
    transition = workflow.SUBMIT
    reviewer = False


@_action_schema("Trả lại báo cáo để sửa", "Chỉ cấp trên của tổ chức; bắt buộc ghi lý do trong comment.")
class SubmissionReturn(SubmissionActionView):
    service = staticmethod(workflow.submission_return)
    transition = workflow.RETURN


@_action_schema("Duyệt báo cáo", "Chỉ cấp trên của tổ chức; các báo cáo của kỳ được lưu bản chốt (phiên bản) cùng lúc.")
class SubmissionAccept(SubmissionActionView):
    service = staticmethod(workflow.submission_accept)
    transition = workflow.ACCEPT


@_action_schema("Mở lại báo cáo đã duyệt", "Chỉ cấp trên của tổ chức; bắt buộc ghi lý do trong comment.")
class SubmissionReopen(SubmissionActionView):
    service = staticmethod(workflow.submission_reopen)
    transition = workflow.REOPEN
