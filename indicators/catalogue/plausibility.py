"""The default plausibility rules of the standard catalogue (warnings, never refusals).

`sync()` creates or updates every rule by code; a data migration runs it. Administrators
change them, or add their own, in the admin beside the data elements.
"""

from __future__ import annotations

from decimal import Decimal

# The figures that must not exceed the unit's workforce. The hard rule (DataElementRule)
# refuses "informed > workers" once the workforce is entered; these warn while it is not:
# a missing workforce counts as 0.
WITHIN = [
    ("informed_within_workers", "workers_informed", "workers_total", "Số NLĐ được tuyên truyền ≤ tổng số NLĐ"),
    ("members_within_workers", "workers_members", "workers_total", "Số NLĐ là đoàn viên ≤ tổng số NLĐ"),
    ("studying_within_workers", "workers_studying", "workers_total", "Số NLĐ học nâng cao ≤ tổng số NLĐ"),
    ("semi_staff_within_total", "semi_staff_members", "semi_staff_total", "CB BCT đã kết nạp ≤ tổng số CB BCT"),
    (
        "qualified_within_officers",
        "full_time_officers_qualified",
        "full_time_officers",
        "CB chuyên trách đạt chuẩn ≤ tổng số CB chuyên trách",
    ),
    ("training_within_spend", "training_spend", "total_spend", "Chi đào tạo ≤ tổng chi"),
    ("economic_within_revenue", "revenue_economic", "revenue_total", "Thu kinh tế, sự nghiệp ≤ tổng thu"),
]

# (code, figure, registry figure, tolerance %, name)
REGISTRY = [
    (
        "members_match_register",
        "workers_members",
        "members",
        Decimal(10),
        "Số NLĐ là đoàn viên so với số đoàn viên trong sổ đăng ký",
    ),
    (
        "workers_match_workplaces",
        "workers_total",
        "workers",
        Decimal(20),
        "Tổng số NLĐ so với số lao động của đơn vị trong sổ đăng ký",
    ),
]

# Figures whose change from the previous period (×3, ÷3) and whose outliers are worth a look.
# (figure, ignore both figures up to, also check outliers)
WATCHED = [
    ("workers_total", Decimal(10), True),
    ("workers_members", Decimal(10), True),
    ("workers_informed", Decimal(10), True),
    ("workers_studying", Decimal(10), False),
    ("union_houses", Decimal(3), False),
    ("full_time_officers", Decimal(5), False),
    ("total_spend", Decimal(0), True),
    ("collection_actual", Decimal(0), True),
    ("revenue_total", Decimal(0), False),
]


def rules() -> list[dict]:
    """Every default rule, as the fields of PlausibilityRule (the element by its code)."""
    found = [
        {
            "code": code,
            "kind": "fields",
            "element": left,
            "left": left,
            "operator": "lte",
            "right": right,
            "missing": "zero",
            "name": name,
        }
        for code, left, right, name in WITHIN
    ]
    found += [
        {
            "code": code,
            "kind": "registry",
            "element": element,
            "registry": registry,
            "operator": "eq",
            "tolerance": tolerance,
            "missing": "skip",
            "name": name,
        }
        for code, element, registry, tolerance, name in REGISTRY
    ]
    for element, floor, outliers in WATCHED:
        found.append(
            {
                "code": f"{element}_change",
                "kind": "change",
                "element": element,
                "factor": Decimal(3),
                "floor": floor,
                "name": "Thay đổi so với kỳ trước (quá ×3 hoặc ÷3)",
            }
        )
        if outliers:
            found.append(
                {
                    "code": f"{element}_outlier",
                    "kind": "outlier",
                    "element": element,
                    "factor": Decimal(3),
                    "tolerance": Decimal(25),
                    "floor": floor,
                    "history": 6,
                    "name": "Khác thường so với các kỳ trước của đơn vị",
                }
            )
    return found


def sync(DataElement, PlausibilityRule) -> None:  # noqa: N803 - historical models from a migration
    elements = {element.code: element for element in DataElement.objects.all()}
    for fields in rules():
        fields = dict(fields)
        element = elements.get(fields.pop("element"))
        if element is None:
            continue  # a catalogue without that figure: nothing to check
        code = fields.pop("code")
        PlausibilityRule.objects.update_or_create(code=code, defaults={**fields, "element": element})
