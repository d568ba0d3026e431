"""Faster font work for print: the subsets fontTools makes for WeasyPrint, the same fonts made
without decoding the tables they drop (``subsetting``); the faces unpacked once per machine,
in the user's cache folder, and the build's own folder when that cannot be written (``fonts``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont, woff2

ROOT = Path(__file__).resolve().parents[1]
BOOK_FACE = ROOT / "edition" / "static" / "vendor" / "fonts" / "EBGaramond-Regular.woff2"


@pytest.fixture(scope="module")
def face() -> bytes:
    out = io.BytesIO()
    woff2.decompress(io.BytesIO(BOOK_FACE.read_bytes()), out)
    return out.getvalue()


def _weasyprint_subset(data: bytes, gids: set[int], *, dated: bool = True) -> tuple[bytes, TTFont]:
    """A subset as WeasyPrint 70 asks fontTools for it (``pdf.fonts.Font._fonttools_subset``);
    not ``dated``: its ``head`` keeps the face's dates (fontTools would stamp the time of saving)."""
    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=False, desubroutinize=True, notdef_outline=False)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    font = TTFont(io.BytesIO(data))
    font.recalcTimestamp = dated
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), font


def test_the_subset_is_the_same_font_made_without_reading_the_dropped_tables(face, monkeypatch):
    from edition.render.pdf import subsetting

    gids = set(range(3, 600, 3))
    before, _ = _weasyprint_subset(face, gids, dated=False)
    decoded: list[str] = []
    real = TTFont.__getitem__

    def spy(self, tag):
        if tag in ("GSUB", "GPOS") and tag not in self.tables:
            decoded.append(tag)   # a table read from the file now
        return real(self, tag)

    monkeypatch.setattr(TTFont, "__getitem__", spy)
    with subsetting.lean_subset():
        after, font = _weasyprint_subset(face, gids)
    assert decoded == []
    assert after == before   # the same font, byte for byte, dated as its face
    assert TTFont(io.BytesIO(after))["head"].modified == TTFont(io.BytesIO(face))["head"].modified
    assert "GSUB" not in font and "GPOS" not in font
    kept = TTFont(io.BytesIO(after))
    assert kept["glyf"][kept.getGlyphName(300)].numberOfContours == \
        TTFont(io.BytesIO(face))["glyf"][TTFont(io.BytesIO(face)).getGlyphName(300)].numberOfContours
    assert subset.Subsetter.subset is subsetting._ORIGINAL   # put back after the block


def test_faces_are_unpacked_once_per_machine(tmp_path, monkeypatch):
    from edition.render.pdf import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts.machine_folder.cache_clear()
    try:
        build = tmp_path / "build-a" / "fonts"
        rules, problems = fonts.font_faces(build, set("abc"))
        assert problems == []
        shared = tmp_path / "cache" / "edition" / "fonts"
        made = sorted(p.name for p in shared.iterdir())
        assert any(name.startswith("EBGaramond-Regular-") and name.endswith(".ttf") for name in made)
        assert shared.as_uri() in rules and not build.exists()
        regular = next(shared.glob("EBGaramond-Regular-*.ttf"))
        assert TTFont(regular)["head"].unitsPerEm > 0   # a whole OpenType file
        stamp = regular.stat().st_mtime_ns
        again, _ = fonts.font_faces(tmp_path / "build-b" / "fonts", set("abc"))   # another build
        assert again == rules and regular.stat().st_mtime_ns == stamp
    finally:
        fonts.machine_folder.cache_clear()


def test_a_cache_folder_that_cannot_be_made_leaves_the_faces_in_the_build(tmp_path, monkeypatch):
    from edition.render.pdf import fonts

    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    fonts.machine_folder.cache_clear()
    try:
        build = tmp_path / "build" / "fonts"
        rules, _ = fonts.font_faces(build, set("abc"))
        assert list(build.glob("EBGaramond-Regular-*.ttf")) and build.as_uri() in rules
    finally:
        fonts.machine_folder.cache_clear()
