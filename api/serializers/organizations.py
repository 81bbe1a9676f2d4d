"""Organizations, workplaces and restructuring operations as the API shows them. Every field says what it is, in Vietnamese."""

from __future__ import annotations

from rest_framework import serializers

from organizations.models import Organization, OrganizationStatus, RestructuringLink, Sector, Workplace, WorkplaceKind
from organizations.models.restructuring import OperationKind


class OrganizationSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Mã tổ chức, duy nhất (ví dụ HG-QB).")
    name = serializers.CharField(help_text="Tên đầy đủ của tổ chức công đoàn.")
    short_name = serializers.CharField(help_text="Tên viết tắt; có thể để trống.")
    level = serializers.CharField(source="level.code", help_text="Mã cấp: national, provincial, upper, base, below.")
    level_name = serializers.CharField(source="level.name", help_text="Tên cấp (Tỉnh, Cơ sở…).")
    parent = serializers.CharField(
        source="parent_code", allow_null=True, help_text="Mã tổ chức cấp trên trực tiếp; null với Tổng Liên đoàn."
    )
    depth = serializers.IntegerField(help_text="Độ sâu trong cây: 1 là Tổng Liên đoàn.")
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, help_text="Khu vực của CĐCS.")
    status = serializers.ChoiceField(choices=OrganizationStatus.choices, help_text="Trạng thái hoạt động.")
    founded_on = serializers.DateField(allow_null=True, help_text="Ngày thành lập (YYYY-MM-DD).")
    dissolved_on = serializers.DateField(
        allow_null=True, help_text="Ngày giải thể (YYYY-MM-DD); null nếu còn hoạt động."
    )
    address = serializers.CharField(help_text="Địa chỉ.")
    updated_at = serializers.DateTimeField(help_text="Thời điểm sửa đổi gần nhất.")

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "level_name",
            "parent",
            "depth",
            "sector",
            "status",
            "founded_on",
            "dissolved_on",
            "address",
            "updated_at",
        ]


class WorkplaceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Mã đơn vị, doanh nghiệp, duy nhất.")
    name = serializers.CharField(help_text="Tên đơn vị, doanh nghiệp.")
    kind = serializers.ChoiceField(choices=WorkplaceKind.choices, help_text="Loại hình đơn vị.")
    worker_count = serializers.IntegerField(help_text="Số người lao động.")
    female_worker_count = serializers.IntegerField(help_text="Số lao động nữ.")
    upper_union = serializers.CharField(source="upper_union.code", help_text="Mã công đoàn cấp trên phụ trách đơn vị.")
    branch = serializers.CharField(
        source="branch.code",
        allow_null=True,
        default=None,
        help_text="Mã CĐCS thành lập tại đơn vị; null nếu chưa có công đoàn.",
    )
    address = serializers.CharField(help_text="Địa chỉ.")
    tax_code = serializers.CharField(help_text="Mã số thuế.")
    updated_at = serializers.DateTimeField(help_text="Thời điểm sửa đổi gần nhất.")

    class Meta:
        model = Workplace
        fields = [
            "code",
            "name",
            "kind",
            "worker_count",
            "female_worker_count",
            "upper_union",
            "branch",
            "address",
            "tax_code",
            "updated_at",
        ]


class RestructuringSerializer(serializers.ModelSerializer):
    operation = serializers.IntegerField(source="operation_id", help_text="Số của thao tác sắp xếp.")
    kind = serializers.ChoiceField(
        source="operation.kind",
        choices=OperationKind.choices,
        help_text="Loại thao tác: chuyển, sáp nhập, chia tách, giải thể.",
    )
    effective_date = serializers.DateField(source="operation.effective_date", help_text="Ngày có hiệu lực.")
    decision = serializers.CharField(source="operation.decision", help_text="Số quyết định.")
    note = serializers.CharField(source="operation.note", help_text="Ghi chú.")
    role = serializers.ChoiceField(
        choices=RestructuringLink.ROLE_CHOICES,
        help_text="Vai trò của tổ chức: source (tổ chức cũ) hoặc result (tổ chức mới).",
    )
    previous_parent = serializers.CharField(
        source="previous_parent.code", allow_null=True, default=None, help_text="Mã cấp trên trước thao tác."
    )
    new_parent = serializers.CharField(
        source="new_parent.code", allow_null=True, default=None, help_text="Mã cấp trên sau thao tác."
    )
    performed_at = serializers.DateTimeField(source="operation.performed_at", help_text="Thời điểm ghi nhận thao tác.")

    class Meta:
        model = RestructuringLink
        fields = [
            "operation",
            "kind",
            "effective_date",
            "decision",
            "note",
            "role",
            "previous_parent",
            "new_parent",
            "performed_at",
        ]
