"""The Content-Security-Policy forbids inline scripts and style attributes: the program, indicator and
data-entry templates carry none (a blocked style="width: 89%" once left the progress bar empty)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [*(ROOT / "programs" / "templates").rglob("*.html"), *(ROOT / "indicators" / "templates").rglob("*.html")]
)
# A <script> is inline code unless it loads a file (src=) or is a data block the browser never runs
# (type="text/html": the grid's later rows, kept as text until after the first screen).
INLINE = re.compile(
    r"""\sstyle\s*=|<script(?![^>]*\s(?:src=|type=["']text/html["']))|\son[a-z]+\s*=\s*["']""", re.IGNORECASE
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style_or_script(template):
    assert not INLINE.findall(template.read_text(encoding="utf-8"))


def test_an_inline_script_is_still_caught_beside_a_data_block():
    assert INLINE.findall('<script type="text/html" id="rest"><tr></tr></script><script>alert(1)</script>') == [
        "<script"
    ]
    assert INLINE.findall('<script type="module">go()</script>') == ["<script"]
