"""Demo: what the responsible bodies recorded about a few qualitative tasks, with evidence files.

Quang Bình (QB-CTR04) recorded its three tasks for 2023 (accepted, so frozen with the report)
and two of them for 2024, the open period, leaving the third for the data-entry journey.
Quảng Trị (QT-CTR1823) names "các công đoàn cấp trên trực tiếp cơ sở" for its first group
of tasks; the demo makes its three upper-level unions responsible for it, so the province's
page and report show their statuses rolled up (one has not reported). The results and the
files are examples written for the demo, not taken from the seeds.

Written directly, as the other builders write history: the periods of 2023 are already
accepted, which the service (rightly) refuses to change.
"""

from __future__ import annotations

import io
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from indicators.models import TaskEvidence, TaskReport
from indicators.tasks.evidence import check_evidence
from organizations.models import Organization
from programs.models import Program, ProgramSection

from .periods import saved_period

QT_DISTRICTS = ("QT-DH", "QT-VL", "QT-HL")

# (program, section order, body, period, status, result, evidence files)
RECORDS = [
    (
        "QB-CTR04",
        1,
        "HG-QB",
        "2023",
        "done",
        "Tổ chức 15 buổi tuyên truyền tại 15 xã, thị trấn cho 1.120 lượt đoàn viên, CNVCLĐ; phát 2.000 tờ rơi "
        "về quyền lợi khi gia nhập công đoàn (ví dụ minh họa).",
        ("bien-ban-tuyen-truyen-2023.pdf",),
    ),
    ("QB-CTR04", 2, "HG-QB", "2023", "done", "Thành lập mới 3 CĐCS, kết nạp 96 đoàn viên (ví dụ minh họa).", ()),
    (
        "QB-CTR04",
        3,
        "HG-QB",
        "2023",
        "in_progress",
        "Tập huấn cho 87 chủ tịch CĐCS; đang rà soát quy chế hoạt động tại 12 CĐCS (ví dụ minh họa).",
        (),
    ),
    (
        "QB-CTR04",
        1,
        "HG-QB",
        "2024",
        "in_progress",
        "Đã tổ chức 8/15 buổi tuyên truyền theo kế hoạch năm (ví dụ minh họa).",
        ("anh-hoi-nghi-2024.png",),
    ),
    ("QB-CTR04", 2, "HG-QB", "2024", "not_started", "", ()),
    (
        "QT-CTR1823",
        1,
        "QT",
        "2023",
        "done",
        "Ban hành kế hoạch, giao chỉ tiêu phát triển đoàn viên cho các công đoàn cấp trên trực tiếp cơ sở "
        "(ví dụ minh họa).",
        ("ke-hoach-giao-chi-tieu.pdf",),
    ),
    (
        "QT-CTR1823",
        1,
        "QT-DH",
        "2023",
        "done",
        "Vượt chỉ tiêu giao, thành lập 5 CĐCS doanh nghiệp ngoài nhà nước (ví dụ minh họa).",
        (),
    ),
    (
        "QT-CTR1823",
        1,
        "QT-VL",
        "2023",
        "in_progress",
        "Đang vận động thành lập CĐCS tại 2 doanh nghiệp (ví dụ minh họa).",
        (),
    ),
    # QT-HL has not reported: the province sees "Chưa báo cáo".
    (
        "QT-CTR1823",
        2,
        "QT",
        "2023",
        "not_done",
        "Chưa thực hiện đánh giá xếp loại theo tiêu chí mới do chờ hướng dẫn (ví dụ minh họa).",
        (),
    ),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF saying it is an example: a real file, small, built without a renderer."""
    text = f"{title} - tai lieu vi du cua ban demo".encode("latin-1")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _png(title: str) -> bytes:
    image = Image.new("RGB", (480, 270), (230, 236, 244))
    ImageDraw.Draw(image).text((20, 120), f"{title} (demo)", fill=(20, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attach(report: TaskReport, name: str, by) -> None:
    content = ContentFile(_pdf(name) if name.endswith(".pdf") else _png(name), name=name)
    checked = check_evidence(content)
    evidence = TaskEvidence(
        report=report,
        original_name=checked.name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.file.save(name, content, save=True)


@transaction.atomic
def load(*, password: str, stdout: TextIO | None = None) -> None:
    programs = {p.code: p for p in Program.objects.filter(code__in={r[0] for r in RECORDS})}
    if len(programs) < 2:
        return
    bodies = {o.code: o for o in Organization.objects.filter(code__in={r[2] for r in RECORDS} | set(QT_DISTRICTS))}
    first_qt_group = ProgramSection.objects.get(program=programs["QT-CTR1823"], order=1)
    first_qt_group.responsible.add(*(bodies[code] for code in QT_DISTRICTS if code in bodies))
    sections = {(s.program.code, s.order): s for s in ProgramSection.objects.filter(program__in=programs.values())}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["quangbinh", "quangtri"])}
    created = 0
    for program, order, code, period, status, result, files in RECORDS:
        by = users.get("quangbinh" if program == "QB-CTR04" else "quangtri")
        report, new = TaskReport.objects.get_or_create(
            section=sections[(program, order)],
            organization=bodies[code],
            period=saved_period(period),
            defaults={"status": status, "result": result, "updated_by": by},
        )
        created += new
        if new:
            for name in files:
                _attach(report, name, by)
    if stdout is not None:
        stdout.write(_("Task reports: %(created)s new.") % {"created": created})
