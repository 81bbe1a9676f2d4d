"""Organizations: the tree as a list (each with its parent's code), one node, its restructuring history; workplaces."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from organizations.lookups import get_organization_for_user, get_workplace_for_user
from organizations.models import Organization, RestructuringLink, Workplace
from organizations.permissions import scope_for

from ..etags import etag_of
from ..serializers.organizations import OrganizationSerializer, RestructuringSerializer, WorkplaceSerializer
from .base import ApiDetailView, ApiListView

UNDER = OpenApiParameter(
    "under", str, description="Chỉ lấy trong cây con của tổ chức có mã này (404 nếu ngoài phạm vi của bạn)."
)


ORGANIZATION_CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã tổ chức (ví dụ HG-QB).")
WORKPLACE_CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Mã đơn vị, doanh nghiệp.")


def with_parent_code(queryset):
    steplen = Organization.steplen
    parent = Organization.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen))
    return queryset.annotate(parent_code=Subquery(parent.values("code")[:1]))


@extend_schema(
    summary="Cây tổ chức",
    description="Các tổ chức trong phạm vi của bạn, theo thứ tự cây (mỗi tổ chức kèm mã cấp trên).",
    parameters=[
        UNDER,
        OpenApiParameter("level", str, description="Mã cấp: national, provincial, upper, base, below."),
        OpenApiParameter("status", str, description="Trạng thái: active, dissolved…"),
        OpenApiParameter("sector", str, description="Khu vực của CĐCS."),
    ],
)
class OrganizationList(ApiListView):
    serializer_class = OrganizationSerializer
    ordering = "path"

    def get_queryset(self):
        queryset = Organization.objects.filter(scope_for(self.request.user).q("path")).select_related("level")
        if under := self.subtree():
            queryset = queryset.within(under)
        params = self.request.query_params
        if level := params.get("level"):
            queryset = queryset.filter(level__code=level)
        for name in ("status", "sector"):
            if value := params.get(name):
                queryset = queryset.filter(**{name: value})
        return with_parent_code(queryset)

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "path"
        return super().paginate_queryset(queryset)


@extend_schema(
    summary="Một tổ chức", description="Một tổ chức theo mã; ETag là phiên bản của nó.", parameters=[ORGANIZATION_CODE]
)
class OrganizationDetail(ApiDetailView):
    serializer_class = OrganizationSerializer

    def get(self, request, code: str):
        organization = get_organization_for_user(request.user, code)
        organization = with_parent_code(Organization.objects.filter(pk=organization.pk)).select_related("level").get()
        return Response(self.get_serializer(organization).data, headers={"ETag": etag_of(organization)})


@extend_schema(
    summary="Lịch sử sắp xếp của một tổ chức",
    description="Các thao tác chuyển, sáp nhập, chia tách, giải thể đã ảnh hưởng đến tổ chức, mới nhất trước.",
    parameters=[ORGANIZATION_CODE],
)
class OrganizationHistory(ApiListView):
    serializer_class = RestructuringSerializer

    def get_queryset(self):
        organization = get_organization_for_user(self.request.user, self.kwargs["code"])
        return RestructuringLink.objects.filter(organization=organization).select_related(
            "operation", "previous_parent", "new_parent"
        )

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "-pk"
        return super().paginate_queryset(queryset)


@extend_schema(
    summary="Đơn vị, doanh nghiệp",
    description="Các đơn vị do công đoàn trong phạm vi của bạn phụ trách, hoặc có CĐCS trong phạm vi đó.",
    parameters=[
        UNDER,
        OpenApiParameter("kind", str, description="Loại hình đơn vị."),
        OpenApiParameter("unionized", bool, description="true: đã có CĐCS; false: chưa có."),
    ],
)
class WorkplaceList(ApiListView):
    serializer_class = WorkplaceSerializer

    def get_queryset(self):
        scope = scope_for(self.request.user)
        queryset = Workplace.objects.filter(scope.q("upper_union__path") | scope.q("branch__path")).select_related(
            "upper_union", "branch"
        )
        if under := self.subtree():
            queryset = queryset.within(under)
        params = self.request.query_params
        if kind := params.get("kind"):
            queryset = queryset.filter(kind=kind)
        if (unionized := params.get("unionized")) in ("true", "false"):
            queryset = queryset.unionized() if unionized == "true" else queryset.without_union()
        return queryset

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "code"
        return super().paginate_queryset(queryset)


@extend_schema(
    summary="Một đơn vị, doanh nghiệp",
    description="Một đơn vị theo mã; ETag là phiên bản của nó.",
    parameters=[WORKPLACE_CODE],
)
class WorkplaceDetail(ApiDetailView):
    serializer_class = WorkplaceSerializer

    def get(self, request, code: str):
        workplace = get_workplace_for_user(request.user, code)
        return Response(self.get_serializer(workplace).data, headers={"ETag": etag_of(workplace)})
