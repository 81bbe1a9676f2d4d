"""What an evidence file is, read from its content: never from its name or the browser's word.

Accepted: PDF, Word and Excel (Office Open XML, or the older binary .doc / .xls), JPG and
PNG. The first bytes say which family a file belongs to; an Office Open XML file is a zip
whose parts are listed (never unpacked) to tell a document from a workbook, and one that
carries macros is refused, as is an old Office file with a macro storage. The name's
extension must agree with the content, so a page renamed .pdf is not stored as a PDF.

Nothing is read whole: the size is checked before any byte (UploadedFile.size, and on the
page the request's CONTENT_LENGTH and SizeGuard, which stops the upload once a file passes
the limit), the kind from the first bytes, and what follows in chunks.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from ..models import EvidenceKind
from ..models.task import EVIDENCE_MAX_BYTES

# The extensions a name may carry for each kind read from the content.
EXTENSIONS = {
    EvidenceKind.PDF: {".pdf"},
    EvidenceKind.DOCX: {".docx"},
    EvidenceKind.DOC: {".doc"},
    EvidenceKind.XLSX: {".xlsx"},
    EvidenceKind.XLS: {".xls"},
    EvidenceKind.JPEG: {".jpg", ".jpeg"},
    EvidenceKind.PNG: {".png"},
}
CONTENT_TYPES = {
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    EvidenceKind.DOC: "application/msword",
    EvidenceKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    EvidenceKind.XLS: "application/vnd.ms-excel",
    EvidenceKind.JPEG: "image/jpeg",
    EvidenceKind.PNG: "image/png",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# Parts of a zip listed before giving up: a real document has a few dozen.
ZIP_MAX_PARTS = 2000
NAME_MAX_CHARS = 255


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


@dataclass(frozen=True)
class Checked:
    kind: str
    size: int
    sha256: str
    name: str  # the user's file name, trimmed to what the row holds


def max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "TASK_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES))


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def too_large(size: int, *, name: str = "") -> ValidationError:
    """The refusal of a file over the limit (its size as far as it is known)."""
    values = {"name": name, "size": megabytes(size), "limit": megabytes(max_bytes())}
    if name:
        return ValidationError(
            _(
                "“%(name)s” is %(size)s MB, over the limit of %(limit)s MB per file: scan it at a lower resolution or split it."
            )
            % values
        )
    return ValidationError(
        _(
            "The file sent is %(size)s MB, over the limit of %(limit)s MB per file: scan it at a lower resolution or split it."
        )
        % values
    )


# What a multipart body may carry besides the file (the token, the boundaries, the headers).
FORM_OVERHEAD = 64 * 1024


class SizeGuard(FileUploadHandler):
    """The upload limit of the evidence page: first among the request's upload handlers, it counts
    each file's bytes as they arrive and stops reading the request once one passes the limit, so
    a file too large is neither kept in memory nor written to a temporary file whole."""

    def __init__(self, request=None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.refused: ValidationError | None = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        received = start + len(raw_data)
        if received > self.limit:
            self.refused = too_large(received, name=os.path.basename(self.file_name or ""))
            raise StopUpload(connection_reset=True)  # the rest of the body is not read
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def _ooxml_kind(upload) -> str | None:
    """docx or xlsx from the parts a zip lists; None for another zip. Refuses macros."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_PARTS:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("“%(name)s” contains macros, which are not accepted as evidence: save it without macros (.docx, .xlsx).")
        )
    if "word/document.xml" in names:
        return EvidenceKind.DOCX
    if "xl/workbook.xml" in names:
        return EvidenceKind.XLSX
    return None


OLE_NAMES = {name: _utf16(name) for name in ("_VBA_PROJECT", "Macros", "WordDocument", "Workbook", "Book\x00")}
OLE_CHUNK = 64 * 1024


def _ole_names(upload) -> set[str]:
    """The stream names of OLE_NAMES an old Office file holds, read chunk by chunk (a name may
    straddle two chunks: each window keeps the tail of the one before)."""
    overlap = max(len(needle) for needle in OLE_NAMES.values()) - 1
    found: set[str] = set()
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks(OLE_CHUNK):
        window = tail + chunk
        found.update(name for name, needle in OLE_NAMES.items() if needle in window)
        tail = window[-overlap:]
    return found


def _ole_kind(upload) -> str | None:
    """doc or xls from the stream names of an old Office file; refuses one with macros."""
    names = _ole_names(upload)
    if "_VBA_PROJECT" in names or "Macros" in names:
        raise ValidationError(
            _("“%(name)s” contains macros, which are not accepted as evidence: save it without macros (.docx, .xlsx).")
        )
    if "WordDocument" in names:
        return EvidenceKind.DOC
    if "Workbook" in names or "Book\x00" in names:
        return EvidenceKind.XLS
    return None


def _image_is_whole(upload) -> bool:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def kind_of(upload) -> str | None:
    """The kind of an uploaded file from its bytes, or None when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return EvidenceKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceKind.PNG if _image_is_whole(upload) else None
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceKind.JPEG if _image_is_whole(upload) else None
    if head.startswith(ZIP):
        return _ooxml_kind(upload)
    if head.startswith(OLE2):
        return _ole_kind(upload)
    return None


def check_evidence(upload) -> Checked:
    """Refuse (ValidationError, in Vietnamese for users) an empty or too large file, a kind not
    accepted, or a name whose extension says another kind than the content; else what was read."""
    name = os.path.basename(upload.name or "").strip() or "tep"
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty: choose the file again.") % {"name": name})
    if size > max_bytes():
        raise too_large(size, name=name)
    try:
        kind = kind_of(upload)
    except ValidationError as refusal:
        raise ValidationError(refusal.messages[0] % {"name": name}) from None
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, Word, Excel, JPG or PNG file (read from its content): it cannot be attached.")
            % {"name": name}
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "“%(name)s” is named %(extension)s but its content is a %(kind)s file: rename it or choose the right file."
            )
            % {"name": name, "extension": extension or _("(no extension)"), "kind": EvidenceKind(kind).label}
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    base, written = os.path.splitext(name)
    return Checked(kind=kind, size=size, sha256=digest.hexdigest(), name=base[: NAME_MAX_CHARS - 8] + written)
