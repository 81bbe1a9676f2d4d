"""The serif face official documents are set in, found on this machine with all Vietnamese glyphs.

Decree 30/2020 asks for Times New Roman; Liberation Serif 2 and Tinos are metric twins
of it. Version 1 of Liberation Serif lacks many Vietnamese letters, so each candidate's
files are checked glyph by glyph, once per process, and the PDF names the files
themselves (fontconfig could pick the old version under the same family name).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

VIETNAMESE = "ĐđƯưƠơẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"

# (family, regular, bold, italic, bold italic), in order of preference.
CANDIDATES = [
    (
        "Liberation Serif",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf",
        ("Regular", "Bold", "Italic", "BoldItalic"),
    ),
    ("Tinos", "/usr/share/fonts/truetype/croscore/Tinos-{}.ttf", ("Regular", "Bold", "Italic", "BoldItalic")),
    ("Noto Serif", "/usr/share/fonts/truetype/noto/NotoSerif-{}.ttf", ("Regular", "Bold", "Italic", "BoldItalic")),
    ("DejaVu Serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf", ("", "-Bold", "-Italic", "-BoldItalic")),
]


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def _covers_vietnamese(path: Path) -> bool:
    try:
        cmap = TTFont(str(path), lazy=True).getBestCmap()
    except Exception:  # noqa: BLE001 - an unreadable file is simply not a candidate
        return False
    return all(ord(char) in cmap for char in VIETNAMESE)


@functools.cache
def report_font() -> FontFamily:
    for name, pattern, styles in CANDIDATES:
        paths = [Path(pattern.format(style)) for style in styles]
        if all(p.exists() for p in paths) and _covers_vietnamese(paths[0]) and _covers_vietnamese(paths[1]):
            return FontFamily(name, *paths)
    raise RuntimeError(
        "No serif font with Vietnamese glyphs was found. Install one: apt-get install fonts-liberation2 "
        "(or fonts-croscore, fonts-noto-core, fonts-dejavu-core)."
    )
