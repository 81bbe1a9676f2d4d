"""Evidence files: the type read from the content, the size and count bounded, and a refusal writes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation

from audit.models import AuditEvent
from indicators.models import TaskEvidence, TaskReport, TaskStatus
from indicators.tasks.evidence import OLE2
from indicators.tasks.services import task_evidence_add, task_evidence_delete
from indicators.workflow import services as workflow
from tests import builders
from tests.indicators.tasks_world import docx_bytes, image_bytes, pdf_bytes, task_world, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = task_world(cast)
    builders.task_status(
        world.section, cast.district, world.period, cast.owner, status=TaskStatus.IN_PROGRESS, result="Đang triển khai"
    )
    world.media = tmp_path
    return world


def add(world, cast, file, *, organization=None, by=None):
    return task_evidence_add(
        section=world.section,
        organization=organization or cast.district,
        period=world.period,
        upload=file,
        by=by or cast.owner,
    )


def stored_files(world) -> list:
    return sorted(p for p in world.media.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("Bien ban.pdf", pdf_bytes(), "pdf"),
        ("anh hoi nghi.JPG", image_bytes("JPEG"), "jpeg"),
        ("so-do.png", image_bytes("PNG"), "png"),
        ("bao-cao.docx", docx_bytes(), "docx"),
        ("so-lieu.xlsx", xlsx_bytes(), "xlsx"),
        ("cu.doc", OLE2 + b"\x00" * 64 + "WordDocument".encode("utf-16-le"), "doc"),
        ("cu.xls", OLE2 + b"\x00" * 64 + "Workbook".encode("utf-16-le"), "xls"),
    ],
)
def test_each_accepted_kind_is_stored_under_a_random_name(world, cast, name, content, kind):
    evidence = add(world, cast, upload(name, content))
    assert (evidence.kind, evidence.original_name, evidence.size) == (kind, name, len(content))
    assert evidence.file.name.startswith("evidence/") and name.split(".")[0] not in evidence.file.name
    assert evidence.file.name.endswith(f".{kind}")
    [path] = stored_files(world)
    assert path.read_bytes() == content


def expect_nothing_written(world, cast, file, message: str, *, organization=None, by=None, error=ValidationError):
    before = (TaskEvidence.objects.count(), AuditEvent.objects.count(), stored_files(world))
    with translation.override("vi"), pytest.raises(error) as caught:
        add(world, cast, file, organization=organization, by=by)
    assert message in " ".join(getattr(caught.value, "messages", [str(caught.value)]))
    assert (TaskEvidence.objects.count(), AuditEvent.objects.count(), stored_files(world)) == before


def test_an_empty_file_is_refused_and_nothing_is_written(world, cast):
    expect_nothing_written(world, cast, upload("trong.pdf", b""), "trống")


def test_a_file_over_the_limit_is_refused_and_nothing_is_written(world, cast, settings):
    settings.TASK_EVIDENCE_MAX_BYTES = 1000
    expect_nothing_written(world, cast, upload("lon.pdf", pdf_bytes() + b"0" * 1000), "vượt giới hạn 0,0 MB")


def test_the_default_limit_is_20_mb(world, cast):
    big = upload("lon.pdf", pdf_bytes() + b"0" * (20 * 1024 * 1024))
    expect_nothing_written(world, cast, big, "giới hạn 20,0 MB")


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("anh.pdf", image_bytes("PNG"), "PNG"),  # a picture named as a PDF
        ("bao-cao.docx", pdf_bytes(), "PDF"),  # a PDF named as a Word file
        ("so-lieu.xlsx", docx_bytes(), "Word"),
        ("bien-ban", pdf_bytes(), "không có đuôi"),
    ],
)
def test_a_file_whose_name_says_another_type_than_its_content_is_refused(world, cast, name, content, says):
    expect_nothing_written(world, cast, upload(name, content, "application/pdf"), says)


@pytest.mark.parametrize(
    "name, content",
    [
        ("trang.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"not an image at all"),
        ("tep.docx", b"PK\x03\x04 broken zip"),
        ("macro.docx", docx_bytes(macros=True)),
        ("macro.doc", OLE2 + "WordDocument".encode("utf-16-le") + "_VBA_PROJECT".encode("utf-16-le")),
        ("khac.doc", OLE2 + b"\x00" * 64),  # an Office container that is neither a document nor a workbook
        ("chuong-trinh.exe", b"MZ\x90\x00"),
    ],
)
def test_content_that_is_not_an_accepted_document_is_refused(world, cast, name, content):
    expect_nothing_written(world, cast, upload(name, content, "application/pdf"), name)


def test_an_upload_outside_the_users_scope_is_refused_and_nothing_is_written(world, cast):
    expect_nothing_written(
        world, cast, upload("a.pdf", pdf_bytes()), "LĐLĐ huyện B", organization=cast.sibling, error=PermissionDenied
    )
    expect_nothing_written(world, cast, upload("a.pdf", pdf_bytes()), "", by=cast.colleague, error=PermissionDenied)


def test_the_count_per_task_report_is_bounded(world, cast, settings):
    for n in range(10):
        add(world, cast, upload(f"{n}.pdf", pdf_bytes()))
    expect_nothing_written(world, cast, upload("11.pdf", pdf_bytes()), "10")


def test_evidence_needs_a_recorded_status_first(world, cast):
    expect_nothing_written(
        world, cast, upload("a.pdf", pdf_bytes()), "tình trạng", organization=cast.sibling, by=cast.provincial
    )
    assert not TaskReport.objects.filter(organization=cast.sibling).exists()


def test_a_submitted_period_takes_no_evidence_and_keeps_what_it_has(world, cast, django_capture_on_commit_callbacks):
    evidence = add(world, cast, upload("a.pdf", pdf_bytes()))
    workflow.submission_submit(organization=cast.district, period=world.period, by=cast.owner)
    expect_nothing_written(world, cast, upload("b.pdf", pdf_bytes()), "khóa")
    with pytest.raises(ValidationError):
        task_evidence_delete(evidence=evidence, by=cast.owner)
    assert len(stored_files(world)) == 1


def test_a_removed_file_leaves_the_disk_once_the_removal_commits(world, cast, django_capture_on_commit_callbacks):
    evidence = add(world, cast, upload("a.pdf", pdf_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        task_evidence_delete(evidence=evidence, by=cast.owner)
    assert not TaskEvidence.objects.exists() and stored_files(world) == []


class ReadOnlyTheHead(io.RawIOBase):
    """A file of `size` bytes starting like a PDF, that fails the test if more than `allowed` bytes are read."""

    def __init__(self, size: int, allowed: int) -> None:
        self.size, self.allowed, self.position = size, allowed, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else (self.position + offset if whence == 1 else self.size + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        if self.position + len(buffer) > self.allowed:
            raise AssertionError(f"read up to byte {self.position + len(buffer)} of a file refused for its size")
        head = (pdf_bytes() + b"0" * len(buffer))[self.position : self.position + len(buffer)]
        buffer[: len(head)] = head
        self.position += len(head)
        return len(head)


def test_a_21_mb_file_is_refused_for_its_size_before_any_of_it_is_read(world, cast):
    size = 21 * 1024 * 1024
    big = UploadedFile(io.BufferedReader(ReadOnlyTheHead(size, allowed=0)), name="lon.pdf", size=size)
    expect_nothing_written(world, cast, big, "Tệp “lon.pdf” có dung lượng 21,0 MB, vượt giới hạn 20,0 MB mỗi tệp")


def test_an_old_office_file_is_read_in_chunks_and_a_macro_name_across_two_chunks_is_found(world, cast):
    from indicators.tasks.evidence import OLE_CHUNK

    marker = "_VBA_PROJECT".encode("utf-16-le")
    content = OLE2 + b"\x00" * (OLE_CHUNK - len(OLE2) - 7) + marker + b"\x00" * 100  # the name straddles two chunks
    expect_nothing_written(world, cast, upload("cu.doc", content), "macro")
