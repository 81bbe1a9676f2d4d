"""What the preview says about the cells an import put right: one note per column and kind of fix.

    "Họ và tên: 56 ô đã bỏ dấu cách thừa"

A note is information, not an error: the file imports as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import number_format
from django.utils.translation import ngettext

from .cells import DATE_TEXT, NBSP, NFC, NUMBER_TEXT, SPACES
from .spec import Fix


def _sentence(kind: str, count: int) -> str:
    sentences = {
        SPACES: lambda: ngettext(
            "%(header)s: %(count)s cell had its extra spaces removed",
            "%(header)s: %(count)s cells had their extra spaces removed",
            count,
        ),
        NBSP: lambda: ngettext(
            "%(header)s: %(count)s cell had its non-breaking spaces turned into ordinary spaces",
            "%(header)s: %(count)s cells had their non-breaking spaces turned into ordinary spaces",
            count,
        ),
        NFC: lambda: ngettext(
            "%(header)s: %(count)s cell of decomposed Vietnamese was normalized (NFC)",
            "%(header)s: %(count)s cells of decomposed Vietnamese were normalized (NFC)",
            count,
        ),
        NUMBER_TEXT: lambda: ngettext(
            "%(header)s: %(count)s number stored as text was read as a number",
            "%(header)s: %(count)s numbers stored as text were read as numbers",
            count,
        ),
        DATE_TEXT: lambda: ngettext(
            "%(header)s: %(count)s date typed as text (dd/mm/yyyy) was read as a date",
            "%(header)s: %(count)s dates typed as text (dd/mm/yyyy) were read as dates",
            count,
        ),
    }
    return sentences[kind]()


def fix_notes(fixes: Iterable[Fix | dict]) -> list[str]:
    """The notes of `fixes` (spec.Fix, or their stored dicts), in the user's language."""
    notes = []
    for fix in fixes:
        fix = fix if isinstance(fix, Fix) else Fix(**fix)
        notes.append(
            _sentence(fix.kind, fix.count)
            % {"header": fix.header, "count": number_format(fix.count, force_grouping=True)}
        )
    return notes
