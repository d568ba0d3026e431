"""The PDF as a file: fonts embedded, sound structure, outline, metadata, tagging, PDF/A-3
with the TEI attached, named destinations for paragraphs, trim and press options, and an
unknown TEI element that still prints its text and warns."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pdf_support import norm, read_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MM = 72 / 25.4


def build(tei: Path, target: Path, volume: bool = False, **options):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    return render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, **options), volume=volume,
                      target=target)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    target = tmp_path_factory.mktemp("pdf") / "collated.pdf"
    build(FIXTURE, target)
    return target


def tool(name: str):
    if not shutil.which(name):
        pytest.skip(f"{name} is not installed (tests/install-tools.sh)")
    return name


def test_all_fonts_are_embedded(book):
    out = subprocess.run([tool("pdffonts"), str(book)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts listed"
    assert all(row.split()[-5] == "yes" for row in rows), out
    assert any("EB-Garamond" in row for row in rows), "the book face is not the one used"


def test_structure_is_sound(book):
    result = subprocess.run([tool("qpdf"), "--check", str(book)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metadata_tagging_and_pdfa(book):
    info = subprocess.run([tool("pdfinfo"), str(book)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    title = " ".join("".join(etree.parse(str(FIXTURE)).getroot().xpath(
        "//t:titleStmt/t:title[@type='main']", namespaces=NS)[0].itertext()).split())
    assert fields["Title"].strip() == title
    assert fields["Author"].strip()
    assert fields["Tagged"].strip() == "yes"
    with pikepdf.open(book) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
        assert "collated.xml" in pdf.attachments, "the TEI source is not attached"
        assert pdf.Root.Lang == "en"


HEADLESS = ('<div type="postscript" xml:id="d4"><div type="letter"><p xml:id="d4.p1">Written in haste at '
            'midnight, comrades, for the press.</p></div><p xml:id="d4.p2">And a word more.</p></div></body>')
NOTES_DIVISIONS = ("notes", "endnotes", "footnotes")


def outline_titles(path) -> list[tuple[int, str]]:
    """Every outline item as (depth, title), in order."""
    found = []

    def walk(items, depth):
        for item in items:
            found.append((depth, " ".join(item.title.split())))
            walk(item.children, depth + 1)
    with pikepdf.open(path) as pdf:
        with pdf.open_outline() as outline:
            walk(outline.root, 0)
    return found


@pytest.fixture(scope="module")
def divided(tmp_path_factory):
    """The fixture with divisions that have no heading (one inside another)."""
    folder = tmp_path_factory.mktemp("divided")
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    tei = folder / "divided.xml"
    tei.write_text(text.replace("</body>", HEADLESS), encoding="utf-8")
    build(tei, folder / "divided.pdf")
    return tei, folder / "divided.pdf"


def test_outline_has_every_division(divided):
    tei, pdf = divided
    root = etree.parse(str(tei)).getroot()
    title = " ".join("".join(root.xpath("//t:titleStmt/t:title[@type='main']", namespaces=NS)[0].itertext()).split())
    # a notes division is not printed as a division: its notes are footnotes on their pages
    divisions = [d for d in root.xpath("//t:text//t:div", namespaces=NS) if d.get("type") not in NOTES_DIVISIONS]
    found = outline_titles(pdf)
    top = [depth for depth, t in found if t == title]
    assert top, (title, found)
    under = found[found.index((top[0], title)) + 1:]
    under = under[:next((k for k, (depth, _) in enumerate(under) if depth <= top[0]), len(under))]
    assert len(under) == len(divisions), (under, divisions)
    titles = [t for _, t in under]
    for div in divisions:
        head = div.find("t:head", NS)
        if head is not None:
            assert " ".join("".join(head.itertext()).split()) in titles
        else:
            first = " ".join("".join(div.xpath(".//t:p", namespaces=NS)[0].itertext()).split()[:3])
            assert any(first in t and div.get("type") in t.casefold() for t in titles), (div.get("type"), titles)
    depth = dict((t.split(":")[0], d) for d, t in under)
    assert depth["Letter"] == depth["Postscript"] + 1, under   # nested as in the TEI


def test_every_paragraph_is_a_named_destination_on_its_page(book):
    root = etree.parse(str(FIXTURE)).getroot()
    paragraphs = root.xpath("//t:text//t:p[@xml:id]", namespaces=NS)
    pages = read_pdf(book)
    with pikepdf.open(book) as pdf:
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        for p in paragraphs:
            pid = p.get(XML_ID)
            assert pid in names, f"no named destination {pid}"
            dest = names[pid]
            target = page_index[dest[0].objgen]
            opening = " ".join(filter(None, (norm(w) for w in "".join(p.itertext()).split()[:3])))
            text = " ".join(filter(None, (norm(w) for line in pages[target].lines for w in
                                          [x["text"] for x in line])))
            assert opening in text, f"{pid}: its first words are not on page {target + 1}"


@pytest.mark.parametrize("trim,size", [("a4", (210, 297)), ("letter", (215.9, 279.4))])
def test_trim_sizes(tmp_path, trim, size):
    target = tmp_path / f"{trim}.pdf"
    build(FIXTURE, target, trim=trim)
    with pikepdf.open(target) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert abs(box[2] - box[0] - size[0] * MM) < 1 and abs(box[3] - box[1] - size[1] * MM) < 1


def test_press_version_has_bleed_and_crop_marks(tmp_path, book):
    target = tmp_path / "press.pdf"
    build(FIXTURE, target, press=True)
    with pikepdf.open(target) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
    assert (media[2] - media[0]) > (trim[2] - trim[0]) + 6 * MM - 1, "no room for bleed and marks"
    assert abs((bleed[2] - bleed[0]) - (trim[2] - trim[0]) - 6 * MM) < 1, "bleed is not 3 mm a side"
    assert abs((trim[2] - trim[0]) - 156 * MM) < 1


def test_unknown_element_prints_its_text_and_warns(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "<p xml:id=\"d1.p1\">", "<p xml:id=\"d1.p1\"><frobnicate>Zanzibarian</frobnicate> ", 1)
    tei = tmp_path / "unknown.xml"
    tei.write_text(text, encoding="utf-8")
    info = build(tei, tmp_path / "unknown.pdf")
    assert any(d.code == "W601" and "frobnicate" in d.message for d in info.diagnostics)
    words = " ".join(page.all_text for page in read_pdf(tmp_path / "unknown.pdf"))
    assert "Zanzibarian" in words
