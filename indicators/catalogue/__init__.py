"""The standard catalogue of reported data elements, as the seeds need them.

`sync()` creates or updates every element and rule by code; a data migration runs it,
so a fresh database has the catalogue without the demo. Names are Vietnamese: they are
what officers read in the data-entry grid and in the Excel template.
"""

from __future__ import annotations

RATING_1294 = [
    {"code": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "rank": 4},
    {"code": "good", "label": "Hoàn thành tốt nhiệm vụ", "rank": 3},
    {"code": "done", "label": "Hoàn thành nhiệm vụ", "rank": 2},
    {"code": "failed", "label": "Không hoàn thành nhiệm vụ", "rank": 1},
]
# The older scale still named in seed 004 ("CĐCS vững mạnh").
RATING_STRONG = [
    {"code": "strong_excellent", "label": "Vững mạnh xuất sắc", "rank": 5},
    {"code": "strong", "label": "Vững mạnh", "rank": 4},
    {"code": "fair", "label": "Khá", "rank": 3},
    {"code": "average", "label": "Trung bình", "rank": 2},
    {"code": "weak", "label": "Yếu", "rank": 1},
]
ENTERPRISE_SECTORS = ["state_enterprise", "non_state_enterprise"]

# (code, name, column header, type, level, frequency, extra fields)
ELEMENTS: list[tuple[str, str, str, str, str, str, dict]] = [
    # Base unions (CĐCS), every year.
    (
        "rating_1294",
        "Xếp loại CĐCS theo Hướng dẫn 1294/HD-TLĐ",
        "Xếp loại",
        "choice",
        "base",
        "annual",
        {"choices": RATING_1294},
    ),
    (
        "rating_strong",
        "Xếp loại CĐCS vững mạnh (thang cũ)",
        "Vững mạnh",
        "choice",
        "base",
        "annual",
        {"choices": RATING_STRONG},
    ),
    (
        "workers_conference",
        "Tổ chức Hội nghị cán bộ, công chức, viên chức / Hội nghị người lao động",
        "Hội nghị CBCCVC/NLĐ",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "coordination_rules",
        "Ký quy chế phối hợp hoạt động giữa CĐCS và chính quyền, chuyên môn",
        "Quy chế phối hợp",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "health_checkups",
        "Phối hợp tổ chức khám sức khỏe định kỳ cho người lao động",
        "Khám sức khỏe",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "legal_consultation",
        "Tổ chức tư vấn pháp luật cho người lao động",
        "Tư vấn pháp luật",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "mutual_aid_fund",
        "Có quỹ giúp nhau, quỹ thăm hỏi và quy chế hoạt động quỹ",
        "Quỹ tương trợ",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "staff_training_support",
        "Phối hợp tạo điều kiện cho người lao động học tập, nâng cao trình độ",
        "Tạo điều kiện học tập",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "chair_briefed",
        "Chủ tịch CĐCS được tuyên truyền nâng cao nhận thức về vai trò tổ chức công đoàn",
        "Tuyên truyền chủ tịch",
        "boolean",
        "base",
        "annual",
        {},
    ),
    (
        "womens_committee_eligible",
        "Đủ điều kiện thành lập Ban Nữ công quần chúng",
        "Đủ ĐK Ban Nữ công",
        "boolean",
        "base",
        "annual",
        {},
    ),
    ("womens_committee", "Đã thành lập Ban Nữ công quần chúng", "Ban Nữ công", "boolean", "base", "annual", {}),
    (
        "collective_agreement",
        "Ký kết thỏa ước lao động tập thể (TƯLĐTT)",
        "TƯLĐTT",
        "boolean",
        "base",
        "annual",
        {"sectors": ENTERPRISE_SECTORS},
    ),
    (
        "workers_total",
        "Tổng số người lao động tại đơn vị",
        "Số NLĐ",
        "number",
        "base",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "workers_members",
        "Số người lao động là đoàn viên công đoàn",
        "NLĐ là đoàn viên",
        "number",
        "base",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "workers_informed",
        "Số người lao động được học tập, tuyên truyền chỉ thị, nghị quyết",
        "NLĐ được tuyên truyền",
        "number",
        "base",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "workers_studying",
        "Số đoàn viên, người lao động tham gia học tập nâng cao trình độ",
        "NLĐ học nâng cao",
        "number",
        "base",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "party_introductions",
        "Số quần chúng ưu tú giới thiệu cho tổ chức Đảng",
        "Giới thiệu cho Đảng",
        "number",
        "base",
        "semiannual",
        {"unit": "người", "min_value": 0, "max_value": 500},
    ),
    # Upper-level unions, entered by them or by their province.
    (
        "rating_upper",
        "Xếp loại công đoàn cấp trên trực tiếp cơ sở",
        "Xếp loại",
        "choice",
        "upper",
        "annual",
        {"choices": RATING_1294},
    ),
    (
        "finance_inspected",
        "Tổ chức kiểm tra tài chính công đoàn cùng cấp",
        "Kiểm tra tài chính",
        "boolean",
        "upper",
        "annual",
        {},
    ),
    (
        "union_houses",
        "Số nhà “Mái ấm công đoàn” xây mới, sửa chữa",
        "Mái ấm công đoàn",
        "number",
        "upper",
        "semiannual",
        {"unit": "căn", "min_value": 0, "max_value": 1000},
    ),
    (
        "semi_staff_total",
        "Số cán bộ bán chuyên trách xã, thị trấn",
        "CB bán chuyên trách",
        "number",
        "upper",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "semi_staff_members",
        "Số cán bộ bán chuyên trách đã kết nạp vào công đoàn",
        "CB BCT đã kết nạp",
        "number",
        "upper",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "full_time_officers",
        "Số cán bộ công đoàn chuyên trách",
        "CB chuyên trách",
        "number",
        "upper",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "full_time_officers_qualified",
        "Số cán bộ chuyên trách đạt chuẩn chuyên môn, lý luận chính trị",
        "CB chuyên trách đạt chuẩn",
        "number",
        "upper",
        "annual",
        {"unit": "người", "min_value": 0},
    ),
    (
        "training_spend",
        "Chi đào tạo, bồi dưỡng cán bộ công đoàn",
        "Chi đào tạo",
        "money",
        "upper",
        "annual",
        {"unit": "đồng", "min_value": 0},
    ),
    ("total_spend", "Tổng chi hoạt động", "Tổng chi", "money", "upper", "annual", {"unit": "đồng", "min_value": 0}),
    (
        "collection_estimate",
        "Dự toán thu tài chính công đoàn được giao",
        "Dự toán thu",
        "money",
        "upper",
        "annual",
        {"unit": "đồng", "min_value": 0},
    ),
    (
        "collection_actual",
        "Thu tài chính công đoàn thực hiện",
        "Thực thu",
        "money",
        "upper",
        "annual",
        {"unit": "đồng", "min_value": 0},
    ),
    # Provincial federations.
    (
        "revenue_total",
        "Tổng nguồn thu tài chính công đoàn",
        "Tổng thu",
        "money",
        "provincial",
        "annual",
        {"unit": "đồng", "min_value": 0},
    ),
    (
        "revenue_economic",
        "Thu từ hoạt động kinh tế công đoàn và đơn vị sự nghiệp",
        "Thu kinh tế, sự nghiệp",
        "money",
        "provincial",
        "annual",
        {"unit": "đồng", "min_value": 0},
    ),
]

# (element, operator, other, message): "women ≤ total"-style rules within one body and period.
RULES = [
    ("workers_members", "lte", "workers_total", "Số NLĐ là đoàn viên không thể lớn hơn tổng số người lao động."),
    ("workers_informed", "lte", "workers_total", "Số NLĐ được tuyên truyền không thể lớn hơn tổng số người lao động."),
    ("workers_studying", "lte", "workers_total", "Số NLĐ học nâng cao không thể lớn hơn tổng số người lao động."),
    (
        "semi_staff_members",
        "lte",
        "semi_staff_total",
        "Số cán bộ đã kết nạp không thể lớn hơn tổng số cán bộ bán chuyên trách.",
    ),
    (
        "full_time_officers_qualified",
        "lte",
        "full_time_officers",
        "Số cán bộ đạt chuẩn không thể lớn hơn tổng số cán bộ chuyên trách.",
    ),
    ("training_spend", "lte", "total_spend", "Chi đào tạo không thể lớn hơn tổng chi."),
    ("revenue_economic", "lte", "revenue_total", "Thu kinh tế, sự nghiệp không thể lớn hơn tổng thu."),
]


def sync(DataElement, DataElementRule, Level) -> None:  # noqa: N803 - historical models from a migration
    levels = {level.code: level for level in Level.objects.all()}
    elements = {}
    for order, (code, name, short, value_type, level, frequency, extra) in enumerate(ELEMENTS, start=1):
        element, _created = DataElement.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "value_type": value_type,
                "level": levels[level],
                "frequency": frequency,
                "order": order,
                "choices": extra.get("choices", []),
                "sectors": extra.get("sectors", []),
                "unit": extra.get("unit", ""),
                "min_value": extra.get("min_value"),
                "max_value": extra.get("max_value"),
            },
        )
        elements[code] = element
    for code, operator, other, message in RULES:
        DataElementRule.objects.update_or_create(
            element=elements[code], other=elements[other], defaults={"operator": operator, "message": message}
        )
