"""Members: read (personal data masked as on the pages), correct one (If-Match), and the bulk upsert by card number."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from members import services as member_services
from members.lookups import get_member_for_user
from members.models import Member
from members.selectors import members_for_user
from organizations.models import Organization
from organizations.permissions import Action, scope_for
from unionportal.concurrency import StaleEdit, stamp

from .. import bulk
from ..etags import check_if_match, etag_of, weak_etag
from ..problems import invalid, precondition_failed, rows_refused, too_many_rows
from ..serializers.members import (
    MEMBER_VALUES,
    BulkCountsSerializer,
    BulkRequestSerializer,
    MemberChangeSerializer,
    MemberSerializer,
)
from .base import ApiDetailView, ApiListView, ApiView
from .organizations import UNDER

CARD_NUMBER = OpenApiParameter("card_number", str, OpenApiParameter.PATH, description="Số thẻ đoàn viên.")
PROBLEM = OpenApiResponse(description="Problem details (RFC 9457), application/problem+json.")


def can_edit_members(user):
    """row -> may the user edit members at its branch (then personal data is shown whole), asked once per branch."""
    scope, known = scope_for(user), {}

    def can_edit(row: dict) -> bool:
        branch = row["branch_id"]
        if branch not in known:
            where = SimpleNamespace(path=row["branch__path"], depth=row["branch__depth"])
            known[branch] = scope.can(Action.EDIT_MEMBERS, where)
        return known[branch]

    return can_edit


def member_context(view) -> dict:
    return {
        "request": view.request,
        "format_kwarg": getattr(view, "format_kwarg", None),
        "view": view,
        "can_edit": can_edit_members(view.request.user),
        "timezone": timezone.get_current_timezone(),
    }


def member_values(member) -> dict:
    return Member.objects.filter(pk=member.pk).values(*MEMBER_VALUES).get()


def registry_etag(user) -> str:
    """The version of the members the user sees: what If-Match names on a bulk upsert (docs/api.md)."""
    figures = members_for_user(user).aggregate(count=Count("pk"), latest=Max("updated_at"), last=Max("pk"))
    return weak_etag("members", user.pk, figures["count"], figures["latest"], figures["last"])


@extend_schema(
    summary="Đoàn viên",
    description="Đoàn viên trong phạm vi của bạn, theo số thẻ. Ngày sinh và số định danh được che như trên trang đoàn viên với người không có quyền sửa hồ sơ. ETag của danh sách là phiên bản dùng cho If-Match của ghi hàng loạt.",
    parameters=[
        UNDER,
        OpenApiParameter("branch", str, description="Chỉ đoàn viên của CĐCS có mã này."),
        OpenApiParameter("status", str, description="Tình trạng: active, transferred, left."),
        OpenApiParameter("gender", str, description="Giới tính: male, female."),
    ],
)
class MemberList(ApiListView):
    serializer_class = MemberSerializer

    def get_queryset(self):
        # The branches as a subquery rather than a join on their paths: PostgreSQL then walks the card
        # numbers' index and stops after a page, instead of sorting every member in scope (100,000 in a district).
        branches = Organization.objects.filter(scope_for(self.request.user).q("path"))
        if under := self.subtree():
            branches = branches.within(under)
        params = self.request.query_params
        if branch := params.get("branch"):
            branches = branches.filter(code=branch.strip().upper())
        queryset = Member.objects.filter(branch__in=branches.values("pk"))
        for name in ("status", "gender"):
            if value := params.get(name):
                queryset = queryset.filter(**{name: value})
        return queryset.order_by().values(*MEMBER_VALUES)

    def get_serializer_context(self):
        return member_context(self)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if "cursor" not in request.query_params:
            # The version of all the members the user sees, whatever the filters: on the first page only
            # (an aggregate over the whole scope, which the following pages need not pay for again).
            response["ETag"] = registry_etag(request.user)
        return response

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "card_number"
        return super().paginate_queryset(queryset)


class MemberDetail(ApiDetailView):
    serializer_class = MemberSerializer

    def get_serializer_context(self):
        return member_context(self)

    @extend_schema(
        summary="Một đoàn viên",
        description="Một đoàn viên theo số thẻ; ETag là phiên bản của hồ sơ.",
        parameters=[CARD_NUMBER],
    )
    def get(self, request, card_number: str):
        member = get_member_for_user(request.user, card_number)
        return Response(self.get_serializer(member_values(member)).data, headers={"ETag": etag_of(member)})

    @extend_schema(
        summary="Sửa thông tin cá nhân của một đoàn viên",
        description="Như trang sửa hồ sơ đoàn viên. Cần If-Match với ETag đọc được: thiếu thì 428, đã cũ thì 412.",
        request=MemberChangeSerializer,
        parameters=[
            CARD_NUMBER,
            OpenApiParameter(
                "If-Match", str, OpenApiParameter.HEADER, required=True, description="ETag của hồ sơ khi bạn đọc nó."
            ),
        ],
        responses={200: MemberSerializer, 412: PROBLEM, 428: PROBLEM},
    )
    def patch(self, request, card_number: str):
        member = get_member_for_user(request.user, card_number, Action.EDIT_MEMBERS)
        check_if_match(request, etag_of(member))
        changes = MemberChangeSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        try:
            with self.acting():
                member = member_services.member_update(
                    member=member, by=request.user, seen=stamp(member), **changes.validated_data
                )
        except StaleEdit:
            raise precondition_failed()
        except ValidationError as error:
            raise invalid(
                [{"field": field, "message": " ".join(messages)} for field, messages in error.message_dict.items()]
                if hasattr(error, "error_dict")
                else [{"field": None, "message": " ".join(error.messages)}]
            )
        member = get_member_for_user(request.user, member.card_number)
        return Response(self.get_serializer(member_values(member)).data, headers={"ETag": etag_of(member)})


class MemberBulk(ApiView):
    @extend_schema(
        summary="Ghi đoàn viên hàng loạt theo số thẻ",
        description=(
            "Cùng bộ nhập với tệp Excel đoàn viên: cùng kiểm tra, có lỗi ở bất kỳ dòng nào thì không ghi gì, "
            "gửi lại cùng dữ liệu không thay đổi gì, cùng quy tắc lịch sử (chuyển sinh hoạt, chức vụ, tập huấn). "
            "Tối đa 100.000 dòng mỗi lần. If-Match (không bắt buộc): ETag của danh sách đoàn viên (GET /api/v1/members/); "
            "nếu danh sách đã đổi thì 412."
        ),
        request=BulkRequestSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="ETag của danh sách đoàn viên trong phạm vi của bạn.",
            )
        ],
        responses={200: BulkCountsSerializer, 412: PROBLEM, 413: PROBLEM, 422: PROBLEM},
    )
    def post(self, request):
        if not scope_for(request.user).can_anywhere(Action.EDIT_MEMBERS):
            raise PermissionDenied
        data = request.data
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise serializers.ValidationError({"rows": ["Gửi các dòng trong “rows”: một danh sách đối tượng JSON."]})
        if len(rows) > settings.API_MAX_BULK_ROWS:
            raise too_many_rows(len(rows), settings.API_MAX_BULK_ROWS)
        check_if_match(request, registry_etag(request.user), required=False)
        dry_run = data.get("dry_run") is True
        outcome = bulk.members_bulk_upsert(
            user=request.user,
            rows=rows,
            context=self.audit_context(),
            commit=not dry_run,
            # Again inside the write's transaction: a call that crossed another's is refused too.
            precondition=lambda: check_if_match(request, registry_etag(request.user), required=False),
        )
        if outcome.errors:
            raise rows_refused(outcome.errors, outcome.rows)
        counts = outcome.counts
        etag = registry_etag(request.user)
        body = {
            "rows": outcome.rows,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "committed": outcome.committed,
            "etag": etag,
        }
        return Response(body, headers={"ETag": etag})
