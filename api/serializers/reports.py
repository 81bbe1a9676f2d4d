"""Reports as the API shows them: which exist, their figures (the JSON of report.json), frozen versions, files.

The figures are not re-serialized: the API answers `ReportData.to_json()` as the report.json page
does (reports/views/downloads.py). The serializers below describe that document for the OpenAPI schema.
"""

from __future__ import annotations

from rest_framework import serializers

from reports.models import ReportFileStatus, ReportFormat, ReportKind


class ReportEntrySerializer(serializers.Serializer):
    program = serializers.CharField(help_text="Mã chương trình, kế hoạch.")
    program_title = serializers.CharField(help_text="Tên chương trình, kế hoạch.")
    period = serializers.CharField(help_text="Mã kỳ báo cáo: 2024, 2024-H1, 2024-H2.")
    versions = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Các phiên bản đã chốt (khi cấp trên duyệt, hoặc tạo thêm), mới nhất trước; trống nếu chưa chốt.",
    )
    latest_version = serializers.IntegerField(
        allow_null=True, help_text="Phiên bản chốt mới nhất, là bản được trả về mặc định; null: số liệu hiện hành."
    )
    url = serializers.CharField(help_text="Địa chỉ API của số liệu báo cáo.")


class ReportsOfOrganizationSerializer(serializers.Serializer):
    organization = serializers.CharField(help_text="Mã tổ chức.")
    organization_name = serializers.CharField(help_text="Tên tổ chức.")
    level = serializers.CharField(help_text="Mã cấp của tổ chức: national, provincial, upper, base, below.")
    reports = ReportEntrySerializer(
        many=True, help_text="Các báo cáo của tổ chức: mỗi chương trình áp dụng cho tổ chức × mỗi kỳ báo cáo đã có."
    )


class ReportFigureSerializer(serializers.Serializer):
    organization = serializers.CharField(help_text="Mã tổ chức cấp dưới.")
    target_source = serializers.CharField(
        help_text="Nguồn chỉ tiêu: own (tự đặt), allocated (được giao), inherited (theo cấp trên), unallocated, hoặc trống."
    )
    target = serializers.FloatField(allow_null=True, help_text="Chỉ tiêu; null nếu không có.")
    target_max = serializers.FloatField(allow_null=True, help_text="Cận trên khi chỉ tiêu là một khoảng (30–35).")
    comparison = serializers.CharField(allow_null=True, help_text="So sánh với chỉ tiêu: gt, gte, range…")
    actual = serializers.FloatField(allow_null=True, help_text="Kết quả, làm tròn như trong văn bản báo cáo.")
    actual_exact = serializers.FloatField(allow_null=True, help_text="Kết quả trước khi làm tròn.")
    coverage = serializers.JSONField(
        allow_null=True, help_text="Số đơn vị phải báo cáo (expected) và đã báo cáo (reported); null nếu không áp dụng."
    )
    status = serializers.CharField(help_text="Đánh giá: achieved, exceeded, on_track, at_risk, not_achieved, no_data…")


class ReportIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã chỉ tiêu trong chương trình.")
    name = serializers.CharField(help_text="Tên chỉ tiêu.")
    unit = serializers.CharField(help_text="Đơn vị tính (%, người, căn…).")
    time_rule = serializers.CharField(help_text="Cách tính theo thời gian: hàng năm, đến cuối kỳ, cộng dồn…")
    direction = serializers.CharField(help_text="Chiều tốt: higher (càng cao càng tốt) hoặc lower.")
    unreported_rule = serializers.CharField(
        help_text="strict: đơn vị chưa báo cáo tính là không đạt; reported: tính trên các đơn vị đã báo cáo."
    )
    decimals = serializers.IntegerField(help_text="Số chữ số thập phân của kết quả.")
    target = serializers.FloatField(allow_null=True, help_text="Chỉ tiêu của tổ chức.")
    target_max = serializers.FloatField(allow_null=True, help_text="Cận trên khi chỉ tiêu là một khoảng.")
    comparison = serializers.CharField(allow_null=True, help_text="So sánh với chỉ tiêu.")
    actual = serializers.FloatField(allow_null=True, help_text="Kết quả của tổ chức, làm tròn.")
    actual_exact = serializers.FloatField(allow_null=True, help_text="Kết quả trước khi làm tròn.")
    coverage = serializers.JSONField(allow_null=True, help_text="Số đơn vị phải báo cáo và đã báo cáo.")
    status = serializers.CharField(help_text="Đánh giá so với chỉ tiêu.")
    children = ReportFigureSerializer(many=True, help_text="Số liệu của từng tổ chức cấp dưới trực tiếp.")


class ReportDataSerializer(serializers.Serializer):
    """report.json: `reports.data.ReportData.to_json()`."""

    organization = serializers.CharField(help_text="Mã tổ chức của báo cáo.")
    program = serializers.CharField(help_text="Mã chương trình.")
    period = serializers.CharField(help_text="Mã kỳ báo cáo.")
    coverage = serializers.JSONField(
        allow_null=True,
        help_text="Báo cáo dựa trên bao nhiêu đơn vị đã báo cáo (threshold, expected, reported, below).",
    )
    status_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Số chỉ tiêu theo từng đánh giá (đạt, vượt, chưa đạt…)."
    )
    indicators = ReportIndicatorSerializer(many=True, help_text="Các chỉ tiêu định lượng của chương trình.")
    tasks = serializers.ListField(
        child=serializers.JSONField(),
        help_text="Các nhiệm vụ định tính (mục I): tiêu đề, số tổ chức theo tình trạng, kết quả từng tổ chức.",
    )
    tree = serializers.JSONField(
        allow_null=True,
        help_text=(
            "Cơ cấu tổ chức mà số liệu dựa vào khi có sắp xếp tổ chức gần kỳ báo cáo: "
            '{"kind": "before", "date"} — cơ cấu trước ngày sắp xếp (kỳ kết thúc trước ngày đó); '
            '{"kind": "spans", "date"} — cơ cấu sau sắp xếp (kỳ có ngày sắp xếp); null nếu không có.'
        ),
    )


class ReportVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Số phiên bản (1, 2…).")
    reason = serializers.CharField(help_text="Lý do chốt: accepted (khi cấp trên duyệt) hoặc lý do ghi khi tạo thêm.")
    created_at = serializers.DateTimeField(help_text="Thời điểm chốt.")
    created_by = serializers.CharField(allow_null=True, help_text="Người chốt; null nếu không rõ.")
    url = serializers.CharField(help_text="Địa chỉ API của số liệu phiên bản này.")


class ReportFileRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ReportFormat.choices, help_text="Định dạng tệp: pdf, xlsx hoặc docx.")
    kind = serializers.ChoiceField(
        choices=ReportKind.choices,
        default=ReportKind.PERIODIC,
        help_text="Loại báo cáo (với pdf, docx): periodic (định kỳ), mid_term (sơ kết), final (tổng kết).",
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Phiên bản chốt; bỏ trống: bản mặc định."
    )
    live = serializers.BooleanField(
        required=False, default=False, help_text="true: số liệu hiện hành thay cho bản chốt mới nhất."
    )


class ReportFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Số của tệp.")
    format = serializers.ChoiceField(choices=ReportFormat.choices, help_text="Định dạng tệp: pdf, xlsx hoặc docx.")
    kind = serializers.ChoiceField(choices=ReportKind.choices, help_text="Loại báo cáo.")
    version = serializers.IntegerField(allow_null=True, help_text="Phiên bản chốt của số liệu; null nếu không chọn.")
    live = serializers.BooleanField(help_text="true: làm từ số liệu hiện hành.")
    status = serializers.ChoiceField(
        choices=ReportFileStatus.choices,
        help_text="Tình trạng: pending (đang chờ), running (đang làm), done (xong), failed (lỗi).",
    )
    percent = serializers.IntegerField(help_text="Tiến độ (0–100).")
    message = serializers.CharField(help_text="Lý do lỗi khi status là failed.")
    size = serializers.IntegerField(help_text="Dung lượng tệp (byte) khi đã xong.")
    file_name = serializers.CharField(help_text="Tên tệp khi tải về.")
    created_at = serializers.DateTimeField(help_text="Thời điểm yêu cầu.")
    finished_at = serializers.DateTimeField(allow_null=True, help_text="Thời điểm xong hoặc lỗi.")
    url = serializers.CharField(help_text="Địa chỉ API của tình trạng tệp này.")
    download_url = serializers.CharField(allow_null=True, help_text="Địa chỉ tải tệp khi đã xong; null trước đó.")
