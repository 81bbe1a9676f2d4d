"""Members as the API shows them: personal data masked exactly as on the member's page (members.privacy)."""

from __future__ import annotations

from rest_framework import serializers

from members.models import BranchRole, Gender, Member, MemberStatus
from members.privacy import masked, masked_birth_date

# What a member's row is read as (a values() query: no model instances for a page of 1,000).
MEMBER_VALUES = (
    "card_number",
    "full_name",
    "gender",
    "date_of_birth",
    "citizen_id",
    "ethnicity",
    "branch_id",
    "branch__code",
    "branch__path",
    "branch__depth",
    "joined_on",
    "status",
    "role",
    "last_trained_on",
    "updated_at",
)


class MemberSerializer(serializers.ModelSerializer):
    card_number = serializers.CharField(help_text="Số thẻ đoàn viên, duy nhất.")
    full_name = serializers.CharField(help_text="Họ và tên.")
    gender = serializers.ChoiceField(choices=Gender.choices, help_text="Giới tính: male (Nam) hoặc female (Nữ).")
    date_of_birth = serializers.CharField(
        help_text="Ngày sinh dd/mm/yyyy; ••/••/yyyy (chỉ năm) với người không có quyền sửa hồ sơ đoàn viên, như trên trang đoàn viên."
    )
    citizen_id = serializers.CharField(
        help_text="Số định danh cá nhân; ••••1234 (bốn số cuối) với người không có quyền sửa hồ sơ đoàn viên."
    )
    personal_data_masked = serializers.BooleanField(help_text="true khi ngày sinh và số định danh đã được che.")
    ethnicity = serializers.CharField(help_text="Dân tộc.")
    branch = serializers.CharField(source="branch.code", help_text="Mã CĐCS đoàn viên đang sinh hoạt.")
    joined_on = serializers.DateField(help_text="Ngày vào công đoàn (YYYY-MM-DD).")
    status = serializers.ChoiceField(
        choices=MemberStatus.choices, help_text="Tình trạng: đang sinh hoạt, đã chuyển đi, đã ra khỏi công đoàn."
    )
    role = serializers.ChoiceField(choices=BranchRole.choices, help_text="Chức vụ trong CĐCS.")
    last_trained_on = serializers.DateField(
        allow_null=True, help_text="Ngày tập huấn gần nhất (YYYY-MM-DD); null nếu chưa."
    )
    updated_at = serializers.DateTimeField(help_text="Thời điểm sửa đổi gần nhất.")

    class Meta:
        model = Member
        fields = [
            "card_number",
            "full_name",
            "gender",
            "date_of_birth",
            "citizen_id",
            "personal_data_masked",
            "ethnicity",
            "branch",
            "joined_on",
            "status",
            "role",
            "last_trained_on",
            "updated_at",
        ]

    def to_representation(self, row: dict) -> dict:
        # A page of 1,000 members: plain values (MEMBER_VALUES), written out by hand, the fields declared above.
        can_edit = self.context["can_edit"](row)
        born = row["date_of_birth"]
        trained = row["last_trained_on"]
        return {
            "card_number": row["card_number"],
            "full_name": row["full_name"],
            "gender": row["gender"],
            "date_of_birth": (born.strftime("%d/%m/%Y") if born else "") if can_edit else masked_birth_date(born),
            "citizen_id": (row["citizen_id"] or "") if can_edit else masked(row["citizen_id"]),
            "personal_data_masked": not can_edit,
            "ethnicity": row["ethnicity"],
            "branch": row["branch__code"],
            "joined_on": row["joined_on"].isoformat(),
            "status": row["status"],
            "role": row["role"],
            "last_trained_on": trained.isoformat() if trained else None,
            "updated_at": row["updated_at"].astimezone(self.context["timezone"]).isoformat(),
        }


class MemberChangeSerializer(serializers.Serializer):
    """What PATCH may change: who the member is (members.services.member_update), as the member's edit page."""

    full_name = serializers.CharField(required=False, max_length=255, help_text="Họ và tên.")
    gender = serializers.ChoiceField(required=False, choices=Gender.choices, help_text="Giới tính: male hoặc female.")
    date_of_birth = serializers.DateField(required=False, allow_null=True, help_text="Ngày sinh (YYYY-MM-DD).")
    ethnicity = serializers.CharField(required=False, max_length=64, help_text="Dân tộc.")
    citizen_id = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=12, help_text="Số định danh cá nhân (12 số)."
    )
    card_issued_on = serializers.DateField(required=False, allow_null=True, help_text="Ngày cấp thẻ (YYYY-MM-DD).")


class MemberRowSerializer(serializers.Serializer):
    """One row of the bulk upsert: the columns of the Excel import (members.importers.columns), by key."""

    card_number = serializers.CharField(
        help_text="Số thẻ đoàn viên (cột “Số thẻ đoàn viên”); dòng được nhận diện theo số thẻ."
    )
    full_name = serializers.CharField(help_text="Họ và tên (cột “Họ và tên”).")
    gender = serializers.CharField(help_text="Giới tính: “Nam” hoặc “Nữ”, như trong tệp Excel.")
    date_of_birth = serializers.CharField(
        required=False, help_text="Ngày sinh dd/mm/yyyy hoặc YYYY-MM-DD; để trống: giữ giá trị đã có."
    )
    ethnicity = serializers.CharField(required=False, help_text="Dân tộc; để trống: giữ giá trị đã có.")
    branch = serializers.CharField(help_text="Mã CĐCS (cột “Mã CĐCS”): CĐCS đang hoạt động trong phạm vi của bạn.")
    joined_on = serializers.CharField(help_text="Ngày vào công đoàn dd/mm/yyyy hoặc YYYY-MM-DD.")
    role = serializers.CharField(
        required=False, help_text="Chức vụ như trong tệp Excel (“Chủ tịch”, “Đoàn viên”…); để trống là Đoàn viên."
    )
    trained_on = serializers.CharField(
        required=False, help_text="Ngày tập huấn dd/mm/yyyy hoặc YYYY-MM-DD; để trống: không ghi thêm."
    )


class BulkRequestSerializer(serializers.Serializer):
    rows = MemberRowSerializer(
        many=True, help_text="Các dòng, mỗi dòng một đối tượng JSON; dòng 1 là đối tượng đầu tiên."
    )
    dry_run = serializers.BooleanField(required=False, default=False, help_text="true: chỉ kiểm tra, không ghi gì.")


class BulkCountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Số dòng đã nhận.")
    created = serializers.IntegerField(help_text="Số đoàn viên thêm mới.")
    updated = serializers.IntegerField(help_text="Số đoàn viên được cập nhật.")
    unchanged = serializers.IntegerField(help_text="Số dòng không thay đổi gì.")
    committed = serializers.BooleanField(help_text="true khi đã ghi; false khi chỉ kiểm tra (dry_run).")
    etag = serializers.CharField(
        help_text="Phiên bản mới của danh sách đoàn viên trong phạm vi của bạn (dùng cho If-Match)."
    )
