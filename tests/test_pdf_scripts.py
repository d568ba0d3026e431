"""Every script prints: Devanagari, polytonic Greek, Arabic and Hebrew script in the PDF with real glyphs,
and a character that no font of the edition has is a warning with file and line.

Each sample (``tests/fixtures/scripts``) is laid out into its own PDF. What is checked is read
from the PDF and the TEI, not from the code that wrote them: the embedded fonts (pikepdf, their
own name tables), WeasyPrint's own report of ``.notdef`` glyphs, the text layer (pdftotext) and
the pixels of the heading line (pdftoppm), compared with the same words shaped and drawn by
Pillow's own text engine (libraqm) from the vendored font file, and with the ``.notdef`` boxes
a font without those letters draws.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "scripts"
VENDORED = ROOT / "edition" / "static" / "vendor" / "fonts"
TEI = "{http://www.tei-c.org/ns/1.0}"
PROJECT = """[edition]
title = "Scripts"
editors = ["A. Editor"]
language = "en"
outputs = ["pdf"]
"""
# sample -> the family that must draw the letters EB Garamond lacks (EB Garamond itself for Greek)
SAMPLES = {"devanagari": "Noto Serif Devanagari", "greek": "EB Garamond", "arabic": "Noto Naskh Arabic",
           "hebrew": "Noto Serif Hebrew"}
DPI = 200


class _Notdef(logging.Handler):
    """Collects WeasyPrint's own warnings about characters it drew as ``.notdef``."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if ".notdef" in record.getMessage():
            self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Each fixture's PDF, with the build's diagnostics and WeasyPrint's ``.notdef`` warnings."""
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    assert (VENDORED / "NotoSerifDevanagari-Regular.woff2").is_file(), "run 'make assets' to vendor the fonts"
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "edition.toml").write_text(PROJECT, encoding="utf-8")
    project = load_project(folder)
    made = {}
    for name in [*SAMPLES, "undrawable"]:
        handler = _Notdef()
        logging.getLogger("weasyprint").addHandler(handler)
        try:
            target = folder / "build" / "pdf" / f"{name}.pdf"
            info = render_pdf(project, [Document.load(FIXTURES / f"{name}.xml")], pdf_options(project.pdf),
                              volume=False, target=target)
        finally:
            logging.getLogger("weasyprint").removeHandler(handler)
        made[name] = (target, info.diagnostics, handler.messages)
    return made


def _tei(name: str) -> etree._ElementTree:
    return etree.parse(str(FIXTURES / f"{name}.xml"))


def _body_text(name: str) -> str:
    return " ".join("".join(_tei(name).getroot().find(f".//{TEI}body").itertext()).split())


def _title_and_body(name: str) -> str:
    root = _tei(name).getroot()
    return " ".join(root.findtext(f".//{TEI}titleStmt/{TEI}title").split()) + " " + _body_text(name)


def _letters(text: str) -> set[str]:
    return {ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch)[0] in "LM"}


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(path).getBestCmap())


def _embedded_families(pdf_path: Path) -> dict[str, str]:
    """Each embedded font's family (from its own name table) -> its PDF BaseFont."""
    import pikepdf
    from fontTools.ttLib import TTFont

    families = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded"
                program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
                families[program["name"].getDebugName(1)] = str(font.BaseFont)
    return families


@functools.cache
def _vendored_file(family: str) -> Path:
    """The vendored regular face of ``family``, found by the family name in each file."""
    from fontTools.ttLib import TTFont
    for path in sorted(VENDORED.glob("*-Regular.woff2")):
        if TTFont(path)["name"].getDebugName(1) == family:
            return path
    raise AssertionError(f"no vendored face of {family}")


@pytest.mark.parametrize("name", list(SAMPLES))
def test_an_embedded_face_draws_every_letter(pdfs, name):
    target, _, _ = pdfs[name]
    families = _embedded_families(target)
    family = SAMPLES[name]
    assert family in families, families
    garamond = _cmap(_vendored_file("EB Garamond"))
    needed = {ord(ch) for ch in _letters(_body_text(name))} - (garamond if family != "EB Garamond" else set())
    assert needed, "the sample has letters for the face to draw"
    assert needed <= _cmap(_vendored_file(family)), sorted(map(hex, needed - _cmap(_vendored_file(family))))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_no_notdef_glyph_and_no_warning(pdfs, name):
    _, diagnostics, notdef = pdfs[name]
    assert notdef == []
    assert [d.format() for d in diagnostics if d.code in {"W660", "W661", "W703"}] == []


def test_a_script_face_only_where_its_script_is(pdfs):
    """A PDF embeds the faces of the scripts it has, no other (an English text's PDF does not grow)."""
    assert "Noto Naskh Arabic" not in _embedded_families(pdfs["devanagari"][0])
    assert "Noto Serif Devanagari" not in _embedded_families(pdfs["arabic"][0])
    assert set(_embedded_families(pdfs["hebrew"][0])) - {"Noto Serif Hebrew"} <= {"EB Garamond", "EB Garamond SemiBold"}
    assert set(_embedded_families(pdfs["greek"][0])) <= {"EB Garamond", "EB Garamond SemiBold", "EB Garamond Bold"}


def _pdftotext(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return unicodedata.normalize("NFC", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                                       text=True, check=True).stdout)


@pytest.mark.parametrize("name", ["greek", "devanagari"])
def test_text_comes_back_word_for_word(pdfs, name):
    """pdftotext reads every word of the text, in order (Devanagari from the lines' ActualText)."""
    got = _pdftotext(pdfs[name][0]).replace("\u2010\n", "")   # a word hyphenated at a line end
    words = [re.sub(r"^\W+|\W+$", "", w) for w in unicodedata.normalize("NFC", _body_text(name)).split()]
    flat = " ".join(got.split())
    position = 0
    for word in filter(None, words):
        found = flat.find(word, position)
        assert found >= 0, f"{word!r} is not in the PDF's text after position {position}"
        position = found + len(word)


@pytest.mark.parametrize("name", ["devanagari", "arabic", "hebrew"])
def test_text_layer_has_the_script_and_nothing_false(pdfs, name):
    """Every letter comes back, and no letter of the script that the TEI does not have."""
    script = name.upper()
    got = {ch for ch in _letters(_pdftotext(pdfs[name][0])) if unicodedata.name(ch, "").startswith(script)}
    wanted = {ch for ch in _letters(_title_and_body(name)) if unicodedata.name(ch, "").startswith(script)}
    assert got == wanted, (sorted(got - wanted), sorted(wanted - got))


def _actual_texts(pdf_path: Path) -> list[str]:
    """The ``/ActualText`` of every marked-content span in the page contents, in order."""
    import pikepdf

    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    found.append(str(operands[1].ActualText))
    return found


@pytest.mark.parametrize("name", ["arabic", "hebrew"])
def test_right_to_left_lines_carry_their_text_in_reading_order(pdfs, name):
    """Each line in a script face carries its words, in the order they are read (poppler's
    pdftotext shows a right-to-left ActualText reversed; Acrobat reads it as written)."""
    spans = " ".join(" ".join(_actual_texts(pdfs[name][0])).replace("\u2010 ", "").split())
    position = 0
    for word in unicodedata.normalize("NFC", _body_text(name)).split():
        found = spans.find(word, position)
        assert found >= 0, f"{word!r} is not in the lines' ActualText after position {position}"
        position = found + len(word)
    assert not _actual_texts(pdfs["greek"][0]), "a line in the book face alone needs no ActualText"


# --- one line, in pixels ---------------------------------------------------------------------

def _heading(pdf_path: Path, family: str, text: str):
    """The page image (grey) and box (PDF points) of the text's heading, found by pdfplumber as
    the line of the heading's size in ``family`` on the last page that has one."""
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        for index in range(len(pdf.pages) - 1, -1, -1):
            words = pdf.pages[index].extract_words(extra_attrs=["fontname", "size"])
            sizes = sorted({round(w["size"], 1) for w in words if family.replace(" ", "-") in w["fontname"]})
            # the text page: its heading is the second-largest size in the face (title, heading, body)
            if len(sizes) >= 3:
                size = sizes[-2]
                line = [w for w in words if round(w["size"], 1) == size]
                box = (min(w["x0"] for w in line), min(w["top"] for w in line),
                       max(w["x1"] for w in line), max(w["bottom"] for w in line))
                return index, box, size
    raise AssertionError("no heading line found")


def _page_image(pdf_path: Path, index: int, region: tuple[int, int, int, int], out: Path):
    """The ``region`` (x, y, width, height in pixels at ``DPI``) of a page, rendered by pdftoppm."""
    from PIL import Image
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed")
    x, y, width, height = region
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(index + 1), "-l", str(index + 1), "-x", str(x),
                    "-y", str(y), "-W", str(width), "-H", str(height), "-gray", "-png", "-singlefile",
                    str(pdf_path), str(out)], check=True)
    return Image.open(f"{out}.png").convert("L")


def _ink(image):
    return image.crop(image.point(lambda v: 255 if v < 195 else 0).getbbox())


def _band(image, gap: int):
    """The run of inked rows (blank stretches up to ``gap`` rows allowed: marks above and below
    a letter) that holds the most ink: the line itself, not the edges of its neighbours."""
    width, height = image.size
    pixels = image.load()
    rows = [sum(1 for x in range(width) if pixels[x, y] < 195) for y in range(height)]
    runs, last = [], None
    for y, count in enumerate(rows):
        if count:
            if last is None or y - last > gap:
                runs.append([y, y])
            runs[-1][1], last = y, y
    top, bottom = max(runs, key=lambda r: sum(rows[r[0]:r[1] + 1]))
    return image.crop((0, top, width, bottom + 1))


@functools.cache
def _opentype(font_path: Path) -> bytes:
    """A vendored WOFF2 face as plain OpenType (FreeType may lack WOFF2)."""
    from fontTools.ttLib import TTFont
    font = TTFont(font_path)
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _drawn(text: str, font_path: Path, pixels: int):
    """``text`` shaped by libraqm and drawn by FreeType (Pillow), cut to its ink."""
    from PIL import Image, ImageDraw, ImageFont, features

    if not features.check("raqm"):
        pytest.skip("Pillow has no libraqm (complex text layout)")
    face = ImageFont.truetype(io.BytesIO(_opentype(font_path)), pixels, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (pixels * (len(text) + 4), pixels * 3), 255)
    ImageDraw.Draw(image).text((pixels, pixels), text, font=face, fill=0)
    return _ink(image)


def _likeness(a, b) -> float:
    """Correlation of two line images scaled to one size and blurred a little (the rasterizers
    differ in hinting and anti-aliasing, not in shapes)."""
    from PIL import ImageFilter
    size = (240, 20)
    va = list(a.resize(size).filter(ImageFilter.GaussianBlur(1)).tobytes())
    vb = list(b.resize(size).filter(ImageFilter.GaussianBlur(1)).tobytes())
    ma, mb = sum(va) / len(va), sum(vb) / len(vb)
    da, db = [v - ma for v in va], [v - mb for v in vb]
    return sum(x * y for x, y in zip(da, db)) / math.sqrt(sum(x * x for x in da) * sum(y * y for y in db))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_heading_line_is_drawn_in_the_script(pdfs, name, tmp_path):
    """The heading's pixels match the same words drawn from the vendored face by another text
    engine, and not the boxes a face without those letters draws."""
    target, _, _ = pdfs[name]
    family = SAMPLES[name]
    text = " ".join(_tei(name).getroot().find(f".//{TEI}head").text.split())
    index, (x0, top, x1, bottom), size = _heading(target, family, text)
    scale, height = DPI / 72, bottom - top
    left, upper = int((x0 - 2) * scale), int((top - 0.5 * height) * scale)
    cut = _page_image(target, index, (left, upper, int((x1 + 2) * scale) - left,
                                      int((bottom + 0.4 * height) * scale) - upper), tmp_path / "line")
    pixels = round(size * scale)
    got = _ink(_band(cut, round(pixels * 0.3)))
    got.save(tmp_path / f"{name}-line.png")
    reference = _drawn(text, _vendored_file(family), pixels)
    lacking = "EB Garamond" if family != "EB Garamond" else "Noto Serif Devanagari"
    boxes = _drawn(text, _vendored_file(lacking), pixels)
    assert abs(got.width - reference.width) <= 0.05 * reference.width, (got.size, reference.size)
    assert _likeness(got, reference) >= 0.9, _likeness(got, reference)
    assert _likeness(got, boxes) < _likeness(got, reference) - 0.3


# --- what no font has ------------------------------------------------------------------------

def _first_lines(path: Path, chars: str) -> dict[str, int]:
    """The line of each character's first use in the file's body, read from the file's text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "<body>" in line)
    return {ch: next(i + 1 for i in range(start, len(lines)) if ch in lines[i]) for ch in chars}


def test_a_character_no_font_has_is_a_warning_with_file_and_line(pdfs):
    path = FIXTURES / "undrawable.xml"
    _, diagnostics, notdef = pdfs["undrawable"]
    body = _body_text("undrawable")
    have = set().union(*(_cmap(p) for p in VENDORED.glob("*-Regular.woff2")))
    lacking = sorted({ch for ch in body if ord(ch) not in have and not ch.isspace()})
    assert [f"U+{ord(ch):04X}" for ch in lacking] == ["U+E000", "U+10000", "U+10001"]
    warned = {d.message.split()[0]: d for d in diagnostics if d.code == "W660"}
    assert sorted(warned) == sorted(f"U+{ord(ch):04X}" for ch in lacking)
    for ch, line in _first_lines(path, "".join(lacking)).items():
        found = warned[f"U+{ord(ch):04X}"]
        assert Path(found.path).resolve() == path.resolve()
        assert found.line == line, (ch, found.line, line)
        assert unicodedata.name(ch, "") in found.message or unicodedata.category(ch) == "Co"
    assert "2 times" in warned["U+10000"].message   # 𐀀 twice in the body
    # WeasyPrint's own account agrees: it drew exactly these as .notdef
    assert {m.split("(U+")[1].rstrip(")") for m in notdef} == {f"{ord(ch):04X}" for ch in lacking}


# --- web and print CSS ---------------------------------------------------------------------

def test_stacks_name_each_face_after_the_book_face_and_licences_are_beside_them():
    from edition.render.site import font_css

    families = []
    for path in sorted(VENDORED.glob("*-Regular.woff2")):
        from fontTools.ttLib import TTFont
        families.append(TTFont(path)["name"].getDebugName(1))
    for css in ("edition.css", "print.css"):
        text = (ROOT / "templates" / "static" / css).read_text(encoding="utf-8")
        stack = re.search(r'font-family:\s*"EB Garamond",([^;]*);', text).group(1)
        for family in families:
            if family != "EB Garamond":
                assert f'"{family}"' in stack, (css, family)
    web = font_css()
    for family in families:
        rules = [r for r in web.splitlines() if f"'{family}'" in r]
        assert rules, family
        if family != "EB Garamond":   # fetched only for a page that has the script
            assert all("unicode-range: U+" in r for r in rules), rules
        stem = family.replace(" ", "")
        licence = VENDORED / f"{stem}-LICENSE_FONT.txt"
        assert "SIL Open Font License" in licence.read_text(encoding="utf-8"), licence


def test_many_missing_characters_are_listed_once_and_what_is_never_printed_is_not_checked(tmp_path):
    from edition.render.coverage import MAX_LISTED, missing_glyphs
    from edition.tei.document import Document

    signs = "".join(chr(0x10000 + i) for i in range(MAX_LISTED + 3))   # Linear B syllables
    path = tmp_path / "many.xml"
    path.write_text(f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Many</title></titleStmt><publicationStmt><p>{chr(0x10080)}</p></publicationStmt>
<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><p><fw>{chr(0x10081)}</fw>
{signs}</p></body></text></TEI>""", encoding="utf-8")
    found = missing_glyphs(Document.load(path))
    listed = [d for d in found if d.code == "W660"]
    assert [d.message.split()[0] for d in listed] == [f"U+{0x10000 + i:04X}" for i in range(MAX_LISTED)]
    assert all(d.line == 5 for d in listed)
    rest = [d for d in found if d.code == "W661"]
    assert len(rest) == 1 and rest[0].message.startswith("3 more characters")
    # the header's publication statement and forme work are not printed: not reported
    assert not any("10080" in d.message or "10081" in d.message for d in found)
