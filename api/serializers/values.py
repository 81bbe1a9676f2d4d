"""Reporting periods and reported figures as the API shows them, and the DHIS2 dataValueSets shape.

Rows are read as values() (no model instances for a page of 1,000) and written out by hand;
the declared fields are what the OpenAPI document describes.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rest_framework import serializers

from indicators.models import PeriodKind

# What a value's row is read as (one query, no instances).
VALUE_VALUES = (
    "pk",
    "period__code",
    "organization__code",
    "element__code",
    "element__value_type",
    "number",
    "boolean",
    "choice",
    "version",
    "updated_at",
    "updated_by__username",
)

_DHIS2_HALF = re.compile(r"^(?P<year>\d{4})S(?P<half>[12])$")
_OURS_HALF = re.compile(r"^(?P<year>\d{4})-H(?P<half>[12])$")


def to_dhis2_period(code: str) -> str:
    """Our period code as DHIS2 writes it: 2024 → 2024, 2024-H1 → 2024S1, 2024-H2 → 2024S2."""
    match = _OURS_HALF.match(code)
    return f"{match['year']}S{match['half']}" if match else code


def from_dhis2_period(code: str) -> str:
    """A DHIS2 period (2024, 2024S1) or one of ours (2024-H1) as our code; anything else is left as sent."""
    code = code.strip()
    match = _DHIS2_HALF.match(code)
    return f"{match['year']}-H{match['half']}" if match else code


def plain_number(number: Decimal) -> str:
    """12.00 → "12", 12.50 → "12.5": as DHIS2 and the grid's file write a figure."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_of(row: dict):
    """The typed value of a row: a number as text (exact), true/false, or a grade's code; None when empty."""
    if row["number"] is not None:
        return plain_number(row["number"])
    if row["boolean"] is not None:
        return row["boolean"]
    return row["choice"] or None


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã kỳ báo cáo: 2024 (cả năm), 2024-H1 (6 tháng đầu năm), 2024-H2.")
    dhis2 = serializers.CharField(help_text="Mã kỳ theo DHIS2: 2024, 2024S1, 2024S2.")
    label = serializers.CharField(help_text="Tên kỳ, như trên trang nhập số liệu.")
    kind = serializers.ChoiceField(choices=PeriodKind.choices, help_text="Loại kỳ: annual (năm) hoặc half (6 tháng).")
    year = serializers.IntegerField(help_text="Năm.")
    half = serializers.IntegerField(allow_null=True, help_text="Nửa năm: 1 hoặc 2; null với kỳ cả năm.")
    start_on = serializers.DateField(help_text="Ngày bắt đầu kỳ (YYYY-MM-DD).")
    end_on = serializers.DateField(help_text="Ngày kết thúc kỳ.")
    deadline = serializers.DateField(help_text="Hạn nộp báo cáo của kỳ.")
    state = serializers.ChoiceField(
        choices=["closed", "open", "locked"],
        help_text=(
            "Trạng thái: closed (kỳ chưa bắt đầu, chưa nhận số liệu), open (đang nhận số liệu), "
            "locked (số liệu của tổ chức trong ?organization= đã nộp và bị khóa)."
        ),
    )

    def to_representation(self, period) -> dict:
        states = self.context.get("states", {})
        today = self.context["today"]
        return {
            "code": period.code,
            "dhis2": to_dhis2_period(period.code),
            "label": period.label,
            "kind": period.kind,
            "year": period.year,
            "half": period.half,
            "start_on": period.start_on.isoformat(),
            "end_on": period.end_on.isoformat(),
            "deadline": period.deadline.isoformat(),
            "state": states.get(period.code) or ("open" if period.is_open(today) else "closed"),
        }


class DataValueSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Mã kỳ báo cáo (2024, 2024-H1…).")
    organization = serializers.CharField(help_text="Mã tổ chức báo cáo số liệu.")
    element = serializers.CharField(help_text="Mã chỉ số báo cáo (data element).")
    value = serializers.JSONField(
        allow_null=True,
        help_text='Giá trị: số dạng chuỗi ("12", "1234.5"), true/false, hoặc mã xếp loại; null nếu ô trống.',
    )
    version = serializers.IntegerField(
        help_text="Phiên bản của giá trị (tăng mỗi lần sửa); gửi lại khi ghi để tránh ghi đè."
    )
    updated_at = serializers.DateTimeField(help_text="Lần sửa cuối.")
    stored_by = serializers.CharField(allow_null=True, help_text="Tên đăng nhập của người sửa cuối.")

    def to_representation(self, row: dict) -> dict:
        return {
            "period": row["period__code"],
            "organization": row["organization__code"],
            "element": row["element__code"],
            "value": value_of(row),
            "version": row["version"],
            "updated_at": row["updated_at"].astimezone(self.context["timezone"]).isoformat(),
            "stored_by": row["updated_by__username"],
        }


class DataValueRowSerializer(serializers.Serializer):
    """One row of a write (documentation: the rows are checked by api.values)."""

    period = serializers.CharField(help_text="Mã kỳ báo cáo: 2024, 2024-H1, 2024-H2.")
    organization = serializers.CharField(help_text="Mã tổ chức trong phạm vi của bạn, nơi bạn được nhập số liệu.")
    element = serializers.CharField(help_text="Mã chỉ số báo cáo.")
    value = serializers.JSONField(
        allow_null=True,
        help_text='Giá trị như gõ vào bảng nhập liệu ("1.234", "12,5", "Có", mã hoặc tên xếp loại); null hoặc "" để xóa.',
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="Để trống: cổng thông tin không lưu ghi chú kèm số liệu."
    )
    version = serializers.IntegerField(
        required=False,
        help_text="Phiên bản của giá trị khi bạn đọc (0: ô trống). Có thì chỉ ghi nếu giá trị vẫn ở phiên bản đó (nếu không: 412).",
    )


class DataValueWriteSerializer(serializers.Serializer):
    rows = DataValueRowSerializer(
        many=True, help_text="Các dòng; dòng 1 là đối tượng đầu tiên. Có lỗi ở bất kỳ dòng nào thì không ghi gì."
    )


class WarningSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Số thứ tự của dòng (từ 1).")
    period = serializers.CharField(help_text="Mã kỳ.")
    organization = serializers.CharField(help_text="Mã tổ chức.")
    element = serializers.CharField(help_text="Mã chỉ số.")
    rule = serializers.CharField(help_text="Mã quy tắc kiểm tra tính hợp lý.")
    rule_name = serializers.CharField(help_text="Tên quy tắc kiểm tra tính hợp lý.")
    message = serializers.CharField(help_text="Cảnh báo, như trên bảng nhập liệu (không chặn việc ghi).")


class ImportCountSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Số ô trước đó trống, nay có giá trị.")
    updated = serializers.IntegerField(help_text="Số giá trị được sửa.")
    ignored = serializers.IntegerField(help_text="Số dòng không thay đổi gì (cùng giá trị).")
    deleted = serializers.IntegerField(help_text='Số giá trị bị xóa (gửi null hoặc "").')


class DataValueWriteAnswerSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Số dòng đã nhận.")
    import_count = ImportCountSerializer(help_text="Đếm theo kiểu importCount của DHIS2.")
    warnings = WarningSerializer(many=True, help_text="Cảnh báo tính hợp lý của các số vừa ghi.")
    etags = serializers.DictField(
        child=serializers.CharField(),
        help_text="Phiên bản mới của số liệu từng kỳ trong phạm vi của bạn (dùng cho If-Match).",
    )


class Dhis2ValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField(help_text="Mã chỉ số báo cáo (mã của chúng tôi làm định danh).")  # noqa: N815
    period = serializers.CharField(help_text="Kỳ theo DHIS2: 2024, 2024S1, 2024S2 (cũng nhận 2024-H1).")
    orgUnit = serializers.CharField(help_text="Mã tổ chức.")  # noqa: N815
    value = serializers.CharField(allow_null=True, help_text='Giá trị dạng chuỗi: "12", "true", mã xếp loại.')
    comment = serializers.CharField(allow_null=True, required=False, help_text="Ghi chú: luôn null (không lưu).")
    lastUpdated = serializers.DateTimeField(read_only=True, help_text="Lần sửa cuối (chỉ khi đọc).")  # noqa: N815
    storedBy = serializers.CharField(read_only=True, help_text="Người sửa cuối (chỉ khi đọc).")  # noqa: N815


class Dhis2SetSerializer(serializers.Serializer):
    dataSet = serializers.CharField(  # noqa: N815
        allow_null=True, required=False, help_text="Mã chương trình; nếu có, mọi chỉ số phải thuộc chương trình đó."
    )
    period = serializers.CharField(required=False, help_text="Kỳ mặc định của các giá trị (DHIS2: 2024, 2024S1).")
    orgUnit = serializers.CharField(required=False, help_text="Tổ chức mặc định của các giá trị.")  # noqa: N815
    dataValues = Dhis2ValueSerializer(many=True, help_text="Các giá trị số liệu.")  # noqa: N815


class Dhis2ImportSummarySerializer(serializers.Serializer):
    status = serializers.CharField(help_text="SUCCESS, hoặc WARNING khi có cảnh báo tính hợp lý.")
    description = serializers.CharField(help_text="Mô tả kết quả bằng tiếng Việt.")
    importCount = ImportCountSerializer(help_text="Số giá trị thêm, sửa, bỏ qua, xóa.")  # noqa: N815
    conflicts = serializers.ListField(
        child=serializers.DictField(), help_text="Luôn rỗng khi đã ghi (có lỗi thì không ghi gì: 422)."
    )
    warnings = WarningSerializer(many=True, help_text="Cảnh báo tính hợp lý của các số vừa ghi.")
    etags = serializers.DictField(
        child=serializers.CharField(), help_text="Phiên bản mới của số liệu từng kỳ (dùng cho If-Match)."
    )
