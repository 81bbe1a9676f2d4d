"""ETags of single resources, and the If-Match every write to one needs (428 without, 412 when stale)."""

from __future__ import annotations

import hashlib

from .problems import precondition_failed, precondition_required


def weak_etag(*parts) -> str:
    """A weak ETag: a hash of what says which version this is (a label, a key, updated_at)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:20]
    return f'W/"{digest}"'


def etag_of(instance) -> str:
    return weak_etag(instance._meta.label, instance.pk, instance.updated_at.isoformat() if instance.updated_at else "")


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def check_if_match(request, current: str, *, required: bool = True) -> None:
    """Refuse the write unless If-Match names the current ETag (weak comparison, RFC 9110 §13.1.1)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise precondition_required()
        return
    if header == "*":
        return
    if _opaque(current) not in {_opaque(tag) for tag in header.split(",")}:
        raise precondition_failed()
