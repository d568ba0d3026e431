"""Folios as a book has them (Chicago 1.4): the front matter in lower-case roman, the text from
arabic 1, in a text's own PDF and in the volume alike, whatever the length of either's front
matter; so that the volume takes a book-length text's chapters as its own PDF laid them out.

A book-length text (chapters of many headed sections: contents of two pages, so that the volume's
front matter, which has a half-title more, is longer than the text's own) is built as its own PDF,
then as the volume, as the build does. Checked from the PDFs alone (pdftotext per page, pikepdf
for the page labels): the front pages' printed folios are roman and the first text page's is 1;
each page's label is the folio printed on it; each contents entry's number is the folio of the
page its heading is printed on; and the volume laid out none of the text's chapters anew (the
build's own record of what it laid out, ``PdfResult.laid_out``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

CHAPTERS, SECTIONS = 4, 14
TITLE = "A Book of Many Sections"
ROMAN = re.compile(r"^[ivxlc]+$")


def book_tei(example: str) -> str:
    """The scaffold's header, its title ``TITLE``; a body of ``CHAPTERS`` chapters of ``SECTIONS``
    headed sections of one short paragraph each."""
    head, _ = example.split("<text>", 1)
    head = re.sub(r"<title([^>]*)>[^<]*</title>", rf"<title\1>{TITLE}</title>", head, count=1)
    body = []
    for c in range(1, CHAPTERS + 1):
        sections = "".join(
            f'<div xml:id="c{c}s{s}" type="section"><head>Section {c}.{s}</head>'
            f'<p xml:id="c{c}s{s}p">The boats of section {c}.{s} came back into the harbour at dawn, and the '
            f'town went down to the quay to meet them while the gulls followed the nets.</p></div>'
            for s in range(1, SECTIONS + 1))
        body.append(f'<div xml:id="c{c}" type="chapter"><head>Chapter {c}</head>{sections}</div>')
    return head + f'<text><body>{"".join(body)}</body></text></TEI>\n'


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def folio(page: str) -> str | None:
    """The number printed in the running head (the first line's first or last word), else alone
    on the last line (an opening page's foot); None: a page without one (blind, blank)."""
    lines = [line.split() for line in page.splitlines() if line.strip()]
    if not lines:
        return None
    for word in (lines[0][0], lines[0][-1]):
        if word.isdigit() or ROMAN.match(word):
            return word
    last = lines[-1]
    return last[0] if len(last) == 1 and (last[0].isdigit() or ROMAN.match(last[0])) else None


def first_text_page(pages: list[str]) -> int:
    """Index of the page the text opens on: its title over its first paragraph (not the contents)."""
    return next(i for i, page in enumerate(pages) if TITLE in page and "The boats of section 1.1 " in page)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (tests/install-tools.sh)")
    from edition.build import load_documents
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.scaffold import init_project

    root = tmp_path_factory.mktemp("folios") / "ed"
    init_project(root)
    example = root / "tei" / "example.xml"
    (root / "tei" / "book.xml").write_text(book_tei(example.read_text(encoding="utf-8")), encoding="utf-8")
    example.unlink()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1764000000"
    try:
        project = load_project(root)
        options = pdf_options(project.pdf, chapters_from=0)   # a book-length text: laid out in chapters
        documents = load_documents(project)
        out = root / "build" / "pdf"
        # as the build does: the book-length text first (its chapters into the piece cache), then the volume
        own = render_pdf(project, documents, options, volume=False, target=out / "book.pdf", jobs=2)
        volume = render_pdf(project, documents, options, volume=True, target=out / "edition.pdf", jobs=2)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return {"book": (out / "book.pdf", own), "edition": (out / "edition.pdf", volume)}


def test_the_volumes_front_matter_is_longer_than_the_texts_own(built):
    """The case of issue 14: had the text been numbered on from the front matter, it would start
    on another page in the volume than in its own PDF (the premise of the tests below)."""
    starts = {name: first_text_page(page_texts(path)) for name, (path, _) in built.items()}
    assert starts["edition"] > starts["book"], starts


@pytest.mark.parametrize("name", ["book", "edition"])
def test_front_matter_in_roman_the_text_from_arabic_one(built, name):
    path, _ = built[name]
    pages = page_texts(path)
    start = first_text_page(pages)
    front = [folio(page) for page in pages[:start]]
    assert any(front), f"{name}: no folio in the front matter"   # the contents' pages have one
    assert all(f is None or ROMAN.match(f) for f in front), (name, front)
    assert folio(pages[start]) == "1", (name, pages[start].splitlines()[:2])
    assert start % 2 == 0, f"{name}: the text opens on a verso"   # page 1 is a recto
    shown = [(i, folio(page)) for i, page in enumerate(pages) if i >= start and folio(page)]
    assert all(f.isdigit() and int(f) == i - start + 1 for i, f in shown), (name, shown[:5])


@pytest.mark.parametrize("name", ["book", "edition"])
def test_page_labels_are_the_printed_folios(built, name):
    path, _ = built[name]
    pages = page_texts(path)
    with pikepdf.open(path) as pdf:
        labels = [str(page.label) for page in pdf.pages]
    assert len(labels) == len(pages)
    start = first_text_page(pages)
    assert all(ROMAN.match(label) for label in labels[:start]), labels[:start]
    assert labels[start] == "1"
    printed = [(i, folio(page), labels[i]) for i, page in enumerate(pages) if folio(page)]
    assert printed and all(f == label for _, f, label in printed), [p for p in printed if p[1] != p[2]][:5]


@pytest.mark.parametrize("name", ["book", "edition"])
def test_contents_give_the_folio_each_heading_is_printed_on(built, name):
    path, _ = built[name]
    pages = page_texts(path)
    start = first_text_page(pages)
    listed = {}
    for page in pages[:start]:
        for line in page.splitlines():
            match = re.match(r"\s*(.+?)\s*(?:\.\s*)+(\d+)\s*$", line)
            if match:
                listed[match.group(1)] = match.group(2)
    wanted = [TITLE] + [f"Chapter {c}" for c in range(1, CHAPTERS + 1)] + \
             [f"Section {c}.{s}" for c in range(1, CHAPTERS + 1) for s in range(1, SECTIONS + 1)]
    assert set(wanted) <= set(listed), sorted(set(wanted) - set(listed))[:5]
    for heading in wanted:
        where = [i for i in range(start, len(pages))
                 if any(line.strip() == heading for line in pages[i].splitlines())
                 or (heading == TITLE and i == start)]
        assert where, heading
        assert folio(pages[where[0]]) == listed[heading], (name, heading, listed[heading], where[0])


def test_the_volume_lays_out_none_of_the_texts_chapters_anew(built):
    _, own = built["book"]
    _, volume = built["edition"]
    chapters = [label for label in own.laid_out if label != "front matter"]
    assert len(chapters) == CHAPTERS, own.laid_out   # laid out for the text's own PDF …
    assert not [label for label in volume.laid_out if "front matter" not in label and "blank" not in label], \
        volume.laid_out   # … and taken from there by the volume


@pytest.mark.parametrize("name", ["book", "edition"])
def test_title_page_and_contents_open_on_a_recto_the_imprint_on_its_verso(built, name):
    """Chicago 1.4: the title page is a recto (after the half-title and its blank verso, in the
    volume), the imprint its verso, the contents open on a recto. Page k of the file (from 0) is a
    recto when k is even; the pages are told apart by what they print."""
    path, _ = built[name]
    pages = page_texts(path)
    start = first_text_page(pages)
    imprint = next(i for i, page in enumerate(pages[:start]) if "Licence" in page)
    contents = next(i for i, page in enumerate(pages[:start]) if "Contents" in page)
    title = imprint - 1
    assert pages[title].strip(), f"{name}: the page before the imprint is blank"
    assert title % 2 == 0, f"{name}: the title page is page {title + 1} of the file, a verso"
    assert contents % 2 == 0 and contents > imprint, (name, contents)
    if name == "edition":   # the half-title (the title page's title), then its blank verso
        half = " ".join(pages[0].split())
        assert half and half.upper() in " ".join(pages[title].split()).upper(), (half, pages[title][:200])
        assert title == 2 and not pages[1].strip(), pages[:3]
