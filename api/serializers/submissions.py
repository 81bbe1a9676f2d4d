"""Submissions as the API shows them: one body's figures of one period, on their way up (submit, return, accept, reopen)."""

from __future__ import annotations

from rest_framework import serializers

from indicators.models import SubmissionEvent, SubmissionStatus


class SubmissionSerializer(serializers.Serializer):
    """A row of the list: built by hand from an organization annotated with its submission (api/views/submissions.py)."""

    period = serializers.CharField(help_text="Mã kỳ báo cáo: 2024 (năm), 2024-H1 hoặc 2024-H2 (sáu tháng).")
    organization = serializers.CharField(help_text="Mã tổ chức gửi báo cáo (ví dụ HG-QB).")
    organization_name = serializers.CharField(help_text="Tên tổ chức gửi báo cáo.")
    state = serializers.ChoiceField(
        choices=SubmissionStatus.choices,
        help_text="Trạng thái: draft (đang nhập), submitted (đã gửi), returned (bị trả lại), accepted (đã duyệt).",
    )
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="Thời điểm gửi gần nhất; null nếu chưa gửi.")
    decided_at = serializers.DateTimeField(
        allow_null=True, help_text="Thời điểm cấp trên quyết định gần nhất (duyệt, trả lại, mở lại); null nếu chưa có."
    )
    deadline = serializers.DateField(help_text="Hạn gửi báo cáo của kỳ (YYYY-MM-DD).")
    late = serializers.BooleanField(
        help_text="true khi đã gửi sau hạn, hoặc đã quá hạn mà chưa gửi và chưa được miễn; như trang duyệt báo cáo."
    )
    waived = serializers.BooleanField(help_text="true khi cấp trên đã miễn nộp kỳ này cho tổ chức.")


class SubmissionEventSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=SubmissionEvent.Action.choices,
        help_text="Thao tác: submit (gửi), return (trả lại), accept (duyệt), reopen (mở lại).",
    )
    by = serializers.CharField(help_text="Người thực hiện (họ tên, hoặc tên đăng nhập).")
    at = serializers.DateTimeField(help_text="Thời điểm thực hiện.")
    comment = serializers.CharField(help_text="Ý kiến kèm theo; có thể trống.")


class SubmissionDetailSerializer(SubmissionSerializer):
    period_label = serializers.CharField(help_text="Tên kỳ báo cáo (Năm 2024, 6 tháng đầu năm 2024…).")
    events = SubmissionEventSerializer(many=True, help_text="Lịch sử gửi, trả lại, duyệt, mở lại; cũ nhất trước.")
    children_pending = serializers.ListField(
        child=serializers.CharField(),
        help_text="Mã các tổ chức cấp dưới chưa gửi và chưa được miễn: còn tổ chức nào thì chưa gửi được.",
    )
    tasks_unrecorded = serializers.IntegerField(
        help_text="Số nhiệm vụ chưa ghi kết quả thực hiện trong kỳ: còn nhiệm vụ nào thì chưa gửi được."
    )
    open_warnings = serializers.IntegerField(
        help_text="Số cảnh báo chất lượng số liệu chưa được giải trình: còn cảnh báo nào thì chưa gửi được."
    )
    etag = serializers.CharField(
        help_text="Phiên bản hiện tại (như tiêu đề ETag): gửi lại trong If-Match khi thao tác."
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        default="",
        help_text="Ý kiến kèm theo thao tác; bắt buộc khi trả lại (return) và mở lại (reopen).",
    )
