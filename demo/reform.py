"""Demo: the 2025 reform, applied to the demo's pre-2025 tree as one dated plan (issue 16, point 5).

On 1 July 2025 the district level ended and provinces were merged. In the demo: Hà Giang joins
Tuyên Quang and Bình Phước joins Đồng Nai (neither is in the demo before: they are founded here,
under their real names, to receive them); Đắk Lắk and Quảng Trị stay (the provinces they absorbed,
Phú Yên and Quảng Bình, are not in the demo). Every district federation of the demo is dissolved
and its base unions pass to a regional union (công đoàn khu vực) of the province it ends in; those
regional unions' names are made up, as the plan's note says. The demo users follow their bodies.

Reports of 2018–2024 come out on the old tree (reports.history); the periods 2025 (which spans the
date, and says so) and 2026 are opened on the new tree.
"""

from __future__ import annotations

import datetime
import time
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from organizations.models import Organization
from reports import rollups
from restructure import services
from restructure.models import RestructuringPlan

from .periods import saved_period

REFORM_DAY = datetime.date(2025, 7, 1)
PLAN_NAME = "Sắp xếp tổ chức công đoàn năm 2025"
NOTE = (
    "Dữ liệu mẫu. Hà Giang sáp nhập vào Tuyên Quang, Bình Phước sáp nhập vào Đồng Nai như đợt sắp xếp "
    "năm 2025; các LĐLĐ cấp huyện kết thúc hoạt động, CĐCS chuyển về công đoàn khu vực. Tên các công đoàn "
    "khu vực là tên giả định cho dữ liệu mẫu, không phải tên thật."
)
NEW_PROVINCES = [("TQ", "Liên đoàn Lao động tỉnh Tuyên Quang"), ("DN", "Liên đoàn Lao động tỉnh Đồng Nai")]
# (new regional union, its made-up name, the province it belongs to, the districts it succeeds)
REGIONS = [
    ("TQ-KV1", "Công đoàn khu vực Bắc Quang – Quang Bình", "TQ", ["HG-QB", "HG-BQ"]),
    ("DN-KV1", "Công đoàn khu vực Phú Riềng", "DN", ["BP-PR"]),
    ("DL-KV1", "Công đoàn khu vực Buôn Ma Thuột", "DL", ["DL-BMT", "DL-EH"]),
    ("DL-KV2", "Công đoàn khu vực Krông Pắc", "DL", ["DL-KP"]),
    ("QT-KV1", "Công đoàn khu vực Đông Hà – Vĩnh Linh", "QT", ["QT-DH", "QT-VL"]),
    ("QT-KV2", "Công đoàn khu vực Hướng Hóa – Lao Bảo", "QT", ["QT-HL"]),
]
MERGED = [("HG", "TQ"), ("BP", "DN")]
OPENED = ("2025", "2026")


def operations() -> list[dict]:
    existing = set(Organization.objects.values_list("code", flat=True))
    ops = [
        {"kind": "create", "new_code": code, "new_name": name, "target": "VN", "level": "provincial"}
        for code, name in NEW_PROVINCES
    ]
    for code, name, province, districts in REGIONS:
        ops.append({"kind": "create", "new_code": code, "new_name": name, "target": province})
        ops.append({"kind": "dissolve", "codes": [d for d in districts if d in existing], "target": code})
    ops += [{"kind": "merge_into", "codes": [old], "target": new} for old, new in MERGED]
    return ops


def load(*, password: str, stdout: TextIO | None = None) -> None:
    started = time.perf_counter()
    if RestructuringPlan.objects.filter(name=PLAN_NAME).exists() or not Organization.objects.filter(code="HG-QB"):
        return
    admin = get_user_model().objects.get(username="admin")
    plan = services.plan_create(
        scope=Organization.objects.get(code="VN"), name=PLAN_NAME, effective_date=REFORM_DAY, by=admin, note=NOTE
    )
    services.operations_replace(plan=plan, by=admin, operations=operations())
    services.plan_apply(plan=plan, by=admin)
    periods = [saved_period(code) for code in OPENED]
    # The periods before the date keep their sealed figures; the refresh the plan queued runs after
    # the demo's transaction. The new periods are computed here, on the new tree.
    rollups.refresh(periods=periods)
    if stdout is not None:
        stdout.write(
            _("2025 reform applied to the demo: %(ops)s operations; periods %(periods)s opened (%(seconds)s s).")
            % {
                "ops": plan.operations.count(),
                "periods": ", ".join(p.code for p in periods),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
