"""The footnote area in linear time gives the very PDF WeasyPrint's own relayout gives.

A dense page (an apparatus entry every four words, a note every second paragraph) is laid out
with the linear footnote area (``footarea``) and with WeasyPrint 70's own: same text on every
page (pdftotext), and every entry and note of the TEI (read with lxml) on the same page. The
wrappers are written for one WeasyPrint version: it is pinned, and checked here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_weasyprint_is_the_version_the_hooks_are_written_for():
    import weasyprint

    from edition.render.pdf import footnotes

    pinned = re.search(r'"weasyprint==([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pinned, "WeasyPrint's version must be pinned exactly in pyproject.toml"
    assert pinned.group(1) == footnotes.WEASYPRINT == weasyprint.__version__, (
        "WeasyPrint changed: check footnotes.py and footarea.py against its layout code "
        "(LayoutContext._update_footnote_area, layout_footnote, report_footnote, block._linebox_layout), "
        "then update WEASYPRINT and the pin")


def _build(tei: Path, target: Path, linear: bool, fitting: bool = True) -> None:
    from edition.project import load_project
    from edition.render.pdf import footnotes, render_pdf
    from edition.render.pdf import layout as pdf_layout
    from edition.render.pdf.options import pdf_options
    from edition.render.pdf.seed import seed_path
    from edition.tei.document import Document

    project = load_project(ROOT)
    document = Document.load(tei)
    # a cold layout each time: no line numbers kept from another build
    seed_path(project.build_dir, f"text-{document.id}").unlink(missing_ok=True)
    saved = pdf_layout.ordered_footnotes
    pdf_layout.ordered_footnotes = lambda: footnotes.ordered_footnotes(linear=linear, fitting=fitting)
    try:
        render_pdf(project, [document], pdf_options(project.pdf), volume=False, target=target)
    finally:
        pdf_layout.ordered_footnotes = saved


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _entries(tei: Path) -> list[tuple[str, str]]:
    """(lemma, reading) of every app with a one-word lemma and reading, in TEI order."""
    out = []
    for app in etree.parse(str(tei)).getroot().xpath("//t:text//t:app", namespaces=NS):
        lem = " ".join("".join(app.xpath("string(t:lem)", namespaces=NS)).split())
        rdg = " ".join("".join(app.xpath("string(t:rdg)", namespaces=NS)).split())
        if re.fullmatch(r"\w+", lem) and re.fullmatch(r"\S+", rdg):
            out.append((lem, rdg))
    return out


def _entry_pages(pages: list[str], entries) -> list[int]:
    """The page of each entry, searched in order from the page of the entry before."""
    flat = [_flat(page) for page in pages]
    found, cursor = [], 0
    for lem, rdg in entries:
        pattern = re.compile(re.escape(lem) + r"[\u00b9\u00b2\u00b3\u2070-\u2079]*\] " + re.escape(rdg) + r" ")
        page = next((i for i in range(cursor, len(flat)) if pattern.search(flat[i])), None)
        assert page is not None, f"entry {lem}] {rdg} not printed after page {cursor + 1}"
        found.append(page)
        cursor = page
    return found


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    from book_fixture import make_book

    folder = tmp_path_factory.mktemp("footarea")
    tei = folder / "dense.xml"
    tei.write_bytes(make_book(chapters=1, app_every=4, note_every=2, paragraphs=4))
    linear, relaid, unfitted = folder / "linear.pdf", folder / "relaid.pdf", folder / "unfitted.pdf"
    from edition.render.pdf import footarea

    footarea.counts.clear()
    _build(tei, linear, True)
    fitted = footarea.counts["fitted"]
    _build(tei, relaid, False)
    _build(tei, unfitted, True, fitting=False)
    return tei, _pages(linear), _pages(relaid), _pages(unfitted), fitted


def test_linear_area_prints_the_same_pages(dense):
    tei, linear, relaid, _, _ = dense
    assert len(linear) == len(relaid)
    for number, (a, b) in enumerate(zip(linear, relaid), start=1):
        assert a == b, f"page {number} differs"


def test_footnotes_fitted_unlaid_print_the_same_pages(dense):
    """A footnote taken onto its run's last line unlaid (``footarea``): the same PDF as laid out."""
    tei, linear, _, unfitted, fitted = dense
    assert fitted > 20, "the layout took hardly any footnote unlaid: nothing was compared"
    assert linear == unfitted


def test_every_entry_and_note_on_the_same_page(dense):
    tei, linear, relaid, _, _ = dense
    entries = _entries(tei)
    assert len(entries) > 40, "the fixture is not dense"
    pages = _entry_pages(linear, entries)
    assert pages == _entry_pages(relaid, entries)
    per_page = max(pages.count(p) for p in set(pages))
    assert per_page >= 25, f"at most {per_page} entries on a page: not the dense page this test is for"
    root = etree.parse(str(tei)).getroot()
    for note in root.xpath("//t:back//t:note", namespaces=NS):
        opening = _flat(note.text)[:30]
        on = [i for i, page in enumerate(linear) if opening in _flat(page)]
        assert on, f"note {note.get(XML_ID)} not printed"
        assert on == [i for i, page in enumerate(relaid) if opening in _flat(page)]
