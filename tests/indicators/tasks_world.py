"""A program with one qualitative task that two districts answer for, and evidence files of every kind."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from indicators.models import ReportingPeriod
from programs.models import Program, ProgramSection
from tests import builders


@dataclass
class TaskWorld:
    program: Program
    section: ProgramSection
    period: ReportingPeriod


def task_world(cast, *, code: str = "P-TASKS") -> TaskWorld:
    period = builders.period("2024")
    program = builders.program(cast.province, code=code)
    section = ProgramSection.objects.create(
        program=program, order=1, title="Tuyên truyền phát triển đoàn viên", responsible_text="Các LĐLĐ huyện"
    )
    section.responsible.set([cast.district, cast.sibling])
    return TaskWorld(program=program, section=section, period=period)


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Biên bản"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
