"""The edition's fonts: the book face and, after it, a face for each script the book face lacks.

In: nothing but the files ``make assets`` vendors into the package (``edition/static/vendor/fonts``,
WOFF2, from the npm packages named in ``FACES``). Out: the one table of faces (``FACES``), which
``edition/render/vendor.py` (`make assets`)` vendors, the web CSS (``edition.render.site.font_css``) and the print
CSS (``edition.render.pdf.fonts``) declare; each face's character map, read once per process;
the ``unicode-range`` of a script's face (what it draws that the book face does not), so that a
browser fetches it, and a PDF embeds it, only for a text that uses it.

EB Garamond draws Latin, Greek (polytonic too) and Cyrillic; the Noto faces after it draw
Devanagari, Arabic script and Hebrew. A script none of them draws is reported per character by
``edition.render.coverage``; a face is added here, in ``package.json`` and by ``make assets``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from edition.resources import PACKAGE_DIR

VENDOR_DIR = PACKAGE_DIR / "static" / "vendor"
FONT_DIR = VENDOR_DIR / "fonts"
BOOK_FAMILY = "EB Garamond"


@dataclass(frozen=True)
class Face:
    """One font file: its family, weight and style in CSS; where ``make assets`` takes it from."""

    family: str
    stem: str         # our file: FONT_DIR / f"{stem}.woff2"
    weight: int
    style: str
    package: str      # the npm package (package.json pins its version)
    source: str       # the TTF in the package, without ".ttf"

    @property
    def path(self) -> Path:
        """The vendored file (WOFF2)."""
        return FONT_DIR / f"{self.stem}.woff2"

    @property
    def licence_prefix(self) -> str:
        """The stem of the family's licence files beside the fonts (``<prefix>-LICENSE_FONT.txt``)."""
        return self.family.replace(" ", "")


_WEIGHT_NAMES = {400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold"}


def _family(family: str, package: str, prefix: str, weights: list[tuple[str, int, str]]) -> list[Face]:
    """A family's faces: (our file's suffix, weight, style) each; the package keeps a face in a
    folder named by weight and style (``400Regular_Italic/EBGaramond_400Regular_Italic.ttf``)."""
    faces = []
    for suffix, weight, style in weights:
        folder = f"{weight}{_WEIGHT_NAMES[weight]}" + ("_Italic" if style == "italic" else "")
        faces.append(Face(family, f"{family.replace(' ', '')}-{suffix}", weight, style, package,
                          f"{folder}/{prefix}_{folder}"))
    return faces


_BOOK_WEIGHTS = [("Regular", 400, "normal"), ("Italic", 400, "italic"), ("SemiBold", 600, "normal"),
                 ("SemiBoldItalic", 600, "italic"), ("Bold", 700, "normal"), ("BoldItalic", 700, "italic")]
_SCRIPT_WEIGHTS = [("Regular", 400, "normal"), ("Bold", 700, "normal")]   # these scripts have no italic

# The book face first; each script face is a fallback after it, in this order (print.css and
# edition.css name the families in the same order).
FACES: list[Face] = (
    _family(BOOK_FAMILY, "@expo-google-fonts/eb-garamond", "EBGaramond", _BOOK_WEIGHTS)
    + _family("Noto Serif Devanagari", "@expo-google-fonts/noto-serif-devanagari", "NotoSerifDevanagari",
              _SCRIPT_WEIGHTS)
    + _family("Noto Naskh Arabic", "@expo-google-fonts/noto-naskh-arabic", "NotoNaskhArabic", _SCRIPT_WEIGHTS)
    + _family("Noto Serif Hebrew", "@expo-google-fonts/noto-serif-hebrew", "NotoSerifHebrew", _SCRIPT_WEIGHTS)
)
FAMILIES: list[str] = list(dict.fromkeys(face.family for face in FACES))


@functools.cache
def face_cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps to a glyph (empty when the file is missing or unreadable)."""
    try:
        font = TTFont(path, lazy=True)
        return frozenset(font.getBestCmap() or ())
    except (OSError, TTLibError, AssertionError):
        return frozenset()


def family_cmap(family: str) -> frozenset[int]:
    """What the family's regular face draws (its other faces are cut from the same character set)."""
    faces = [face for face in FACES if face.family == family]
    return face_cmap(faces[0].path) if faces else frozenset()


@functools.lru_cache(maxsize=1)
def drawable() -> frozenset[int]:
    """Every code point some configured face draws, once per process."""
    return frozenset().union(*(family_cmap(family) for family in FAMILIES))


@functools.cache
def fallback_range(family: str) -> frozenset[int]:
    """What a script face is used for: the code points it draws and the faces before it do not
    (empty for the book face, which is used for everything it has)."""
    before = FAMILIES[:FAMILIES.index(family)]
    if not before:
        return frozenset()
    return family_cmap(family) - frozenset().union(*(family_cmap(f) for f in before))


def families_for(chars: set[str] | frozenset[str]) -> list[str]:
    """The families a text made of ``chars`` needs: the book face always, a script face only when
    the text has a character it is the fallback for."""
    points = {ord(ch) for ch in chars}
    return [family for family in FAMILIES if family == BOOK_FAMILY or points & fallback_range(family)]


def unicode_range(family: str) -> str:
    """The CSS ``unicode-range`` of a script face (``""`` for the book face): its fallback range as
    spans of consecutive code points."""
    points = sorted(fallback_range(family))
    spans, start = [], None
    for i, point in enumerate(points):
        if start is None:
            start = point
        if i + 1 == len(points) or points[i + 1] != point + 1:
            spans.append(f"U+{start:X}" if start == point else f"U+{start:X}-{point:X}")
            start = None
    return ", ".join(spans)
