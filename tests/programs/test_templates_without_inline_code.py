"""The Content-Security-Policy forbids inline scripts and style attributes: the program, indicator and
data-entry templates carry none (a blocked style="width: 89%" once left the progress bar empty)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [*(ROOT / "programs" / "templates").rglob("*.html"), *(ROOT / "indicators" / "templates").rglob("*.html")]
)
INLINE = re.compile(r"""\sstyle\s*=|<script(?![^>]*\ssrc=)|\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style_or_script(template):
    assert not INLINE.findall(template.read_text(encoding="utf-8"))
