"""One embedded font per face in a joined PDF (``edition.render.pdf.fontmerge``, by ``assemble``).

Three pieces are laid out apart in the book face (regular and italic, accented letters whose
glyphs are composites of a letter and an accent, ligatures), so each embeds its own subsets;
joined, ``pdffonts`` lists each face once, ``pdftotext`` reads each piece's words, and each
page draws exactly as it did in its piece (poppler's rendering, pixel for pixel).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from tests.test_pdf_fonts import pdffonts

WORDS = [
    "Perón señaló <i>efficacy</i>",   # composites (ó, ñ) and a ligature (ffi)
    "Québec naïve <i>café über</i>",  # and in the italic
    "Zürich Ångström <i>fjord</i>",
]


def piece(body: str, unpacked: Path) -> bytes:
    from edition.render.pdf.fonts import font_faces
    from edition.render.pdf.subsetting import lean_subset

    rules, problems = font_faces(unpacked)
    assert not problems
    html = (f"<html lang='en'><head><style>{rules} @page {{ size: A6 }} "
            f"body {{ font-family: 'EB Garamond'; font-size: 14pt }}</style></head>"
            f"<body><p>{body}</p></body></html>")
    with lean_subset():   # as layout.make_pdf writes a piece (fontTools' subsets keep their dates)
        return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3a")


def pixels(path: Path, page: int, folder: Path) -> bytes:
    stem = folder / f"{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(path), str(stem)], check=True)
    return Path(f"{stem}.pgm").read_bytes()


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    from edition.render.pdf.assemble import Piece, Volume

    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils is not installed (tests/install-tools.sh)")
    folder = tmp_path_factory.mktemp("fontmerge")
    pieces = [piece(words, folder) for words in WORDS]
    paths = []
    for i, data in enumerate(pieces):
        paths.append(folder / f"piece{i}.pdf")
        paths[-1].write_bytes(data)
    volume = Volume(Piece(pieces[0], recto=False), blank=pieces[0])
    for data in pieces[1:]:
        volume.add(Piece(data, recto=False))
    target = folder / "volume.pdf"
    target.write_bytes(volume.finish())
    return folder, paths, target


def test_the_pieces_embed_their_own_subsets(joined):
    _folder, paths, _target = joined
    names = [Counter(row["name"].split("+")[-1] for row in pdffonts(path)) for path in paths]
    assert all(n["EB-Garamond"] == 1 and n["EB-Garamond-Italic"] == 1 for n in names), names
    programs = set()
    for path in paths:
        with pikepdf.open(path) as pdf:
            for font in pdf.pages[0].Resources.Font.values():
                programs.add(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())
    assert len(programs) == 6   # three pieces, two faces each, every subset its own


def test_each_face_is_embedded_once_in_the_joined_pdf(joined):
    _folder, _paths, target = joined
    names = Counter(row["name"].split("+")[-1] for row in pdffonts(target))
    assert names == {"EB-Garamond": 1, "EB-Garamond-Italic": 1}, names
    assert all(row["emb"] == "yes" for row in pdffonts(target))


def test_every_word_reads_back_from_the_joined_pdf(joined):
    _folder, _paths, target = joined
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    for words in WORDS:
        for word in words.replace("<i>", "").replace("</i>", "").split():
            assert word in text.split(), (word, text)


def test_every_page_draws_as_in_its_piece(joined):
    folder, paths, target = joined
    for page, path in enumerate(paths, start=1):
        assert pixels(target, page, folder) == pixels(path, 1, folder), f"page {page} differs from its piece"


def test_a_pdf_with_one_piece_is_left_as_it_was(joined):
    from edition.render.pdf.fontmerge import merge_faces

    _folder, paths, _target = joined
    with pikepdf.open(paths[0]) as pdf:
        assert merge_faces(pdf) == 0
        data = io.BytesIO()
        pdf.save(data)


def test_a_joined_pdf_joined_again_still_has_each_face_once(joined, tmp_path):
    """A book-length text is joined from its chapters, then joined into the volume."""
    from edition.render.pdf.assemble import Piece, Volume

    folder, paths, target = joined
    volume = Volume(Piece(target.read_bytes(), recto=False), blank=target.read_bytes())
    volume.add(Piece(piece("Ça ira, <i>señor</i> Dvořák", folder), recto=False))
    again = tmp_path / "again.pdf"
    again.write_bytes(volume.finish())
    names = Counter(row["name"].split("+")[-1] for row in pdffonts(again))
    assert names == {"EB-Garamond": 1, "EB-Garamond-Italic": 1}, names
    for page, path in enumerate(paths, start=1):
        assert pixels(again, page, folder) == pixels(path, 1, folder)


def _glyph_counts(data: bytes) -> dict[str, int]:
    """Face name → how many glyphs its embedded program holds."""
    from fontTools.ttLib import TTFont

    counts = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            counts[str(font.BaseFont).split("+")[-1]] = len(TTFont(io.BytesIO(program)).getGlyphOrder())
    return counts


def test_a_subset_embedded_by_two_pieces_is_merged_once(joined, tmp_path):
    """Chapters of a book embed one subset many times over (the same glyphs): its glyphs are
    taken into the merged program once, not once per piece; each page still draws as its piece."""
    from edition.render.pdf.assemble import Piece, Volume

    folder, paths, _target = joined
    first, second = paths[0].read_bytes(), paths[1].read_bytes()

    def join(*pieces: bytes) -> bytes:
        volume = Volume(Piece(pieces[0], recto=False), blank=pieces[0])
        for data in pieces[1:]:
            volume.add(Piece(data, recto=False))
        return volume.finish()

    twice = tmp_path / "twice.pdf"
    twice.write_bytes(join(first, second, first))
    assert _glyph_counts(twice.read_bytes()) == _glyph_counts(join(first, second))
    names = Counter(row["name"].split("+")[-1] for row in pdffonts(twice))
    assert names == {"EB-Garamond": 1, "EB-Garamond-Italic": 1}, names
    for page, path in ((1, paths[0]), (2, paths[1]), (3, paths[0])):
        assert pixels(twice, page, folder) == pixels(path, 1, folder), f"page {page} differs from its piece"
