"""A long text in print: each chapter opens a page (a recto when the project asks), headed by
nothing, and the pages after it are headed by the text (verso) and the chapter (recto).

The text is the generated one of ``test_html_chapters`` with chapters of a few pages; the PDF
is read with pdfplumber (lines by position), the chapters' heads from the TEI with lxml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from long_fixture import make, page_divisions
from lxml import etree

from edition.build import load_documents
from edition.project import load_project
from edition.render.pdf import render_pdf
from edition.render.pdf.options import pdf_options

NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def lines_of(path: Path) -> list[list[str]]:
    """Each page's lines, top to bottom (words within 2 pt of height are a line)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            rows: list[tuple[float, list[str]]] = []
            for word in sorted(page.extract_words(), key=lambda w: (round(w["top"]), w["x0"])):
                if rows and abs(rows[-1][0] - word["top"]) < 2:
                    rows[-1][1].append(word["text"])
                else:
                    rows.append((word["top"], [word["text"]]))
            pages.append([" ".join(words) for _, words in rows])
    return pages


def built_pdf(root: Path, opening: str, chapters: int, paragraphs: int,
              wrapped: bool = False) -> tuple[list[list[str]], list[str]]:
    make(root, 2000, more=f'\n[pdf]\nchapters_open = "{opening}"\n', chapters=chapters, paragraphs=paragraphs,
         wrapped=wrapped)
    project = load_project(root)
    documents = load_documents(project)
    target = root / "build" / "pdf" / "voyage.pdf"
    render_pdf(project, documents, pdf_options(project.pdf), volume=False, target=target)
    tei = etree.parse(str(root / "tei" / "voyage.xml")).getroot()
    heads = [" ".join(div.find("tei:head", NS).text.split()) for div in page_divisions(tei)
             if div.get("type") != "notes"]    # a division of notes prints as notes
    return lines_of(target), heads


def openings(pages: list[list[str]], heads: list[str]) -> list[int]:
    """The index of the page each head stands on (the first page where a line is that head)."""
    found = []
    for head in heads:
        found.append(next(k for k, lines in enumerate(pages) if head in lines))
    return found


@pytest.fixture(scope="module")
def recto(tmp_path_factory):
    return built_pdf(tmp_path_factory.mktemp("pdfch") / "ed", "recto", chapters=3, paragraphs=24)


def test_each_chapter_opens_a_recto_with_its_heading_first(recto):
    pages, heads = recto
    starts = openings(pages, heads)
    assert starts == sorted(starts) and len(set(starts)) == len(heads)
    for head, k in zip(heads, starts):
        assert pages[k][0] == head, (head, pages[k][:2])     # no running head above it
        assert k % 2 == 0, (head, k + 1)                      # page k+1 is odd: a recto
        if k and starts[0] < k:
            before = pages[k - 1]
            # the page before is the end of the previous part or a blank verso, never half a chapter
            assert not any(h in before for h in heads if h != heads[heads.index(head) - 1])


def test_running_heads_name_the_text_on_versos_and_the_chapter_on_rectos(recto):
    pages, heads = recto
    starts = openings(pages, heads) + [len(pages)]
    checked = 0
    for n, head in enumerate(heads):
        for k in range(starts[n] + 1, starts[n + 1]):
            if not pages[k]:
                continue    # a blank verso before the next chapter
            top = pages[k][0]
            if k % 2 == 1:    # an even page number: a verso
                assert "a long voyage" in top.casefold(), (k + 1, top)
            else:
                assert head in top, (k + 1, top)
            checked += 1
    assert checked >= 4     # chapters of more than a page: their pages after the first were read


@pytest.mark.parametrize("wrapped", [False, True], ids=["chapters", "chapters-in-one-div"])
def test_chapters_open_a_new_page_without_blank_pages(tmp_path, wrapped):
    pages, heads = built_pdf(tmp_path / "ed", "page", chapters=3, paragraphs=3, wrapped=wrapped)
    starts = openings(pages, heads)
    for head, k in zip(heads, starts):
        assert pages[k][0] == head
    # a chapter of a page: the next opens on the following page, recto or verso
    assert [b - a for a, b in zip(starts, starts[1:])][1:-1] == [1] * (len(heads) - 3)
    assert all(pages[k] for k in range(starts[0], starts[-1]))


def _pass(page_lines: list[int]):
    from edition.render.pdf.layout import PdfResult

    return PdfResult(Path(), len(page_lines), 1, 0, 0.0, [], page_lines=page_lines)


def test_a_chapters_pages_are_guessed_from_its_lines_at_the_laid_out_lines_per_page():
    """97 lines read at 33 a page (3 pages: 32, 33, 32) fill 2.97 pages; laid out, the chapters
    print 29 or 30 a page (the apparatus takes the rest): 3.3 pages, so 4. The old guess, the
    first pass's pages grown as the pages of the laid-out chapter grew (4 from 4), said 3."""
    from edition.render.pdf.chapters import estimated_pages

    read = _pass([32, 33, 32])
    firsts = [_pass([32, 33, 33, 2]), _pass([32, 33, 34, 2])]
    laid = [(firsts[0], _pass([28, 30, 29, 13])), (firsts[1], _pass([28, 31, 29, 13]))]
    assert estimated_pages(read, firsts, laid) == 4
    # the first chapter, laid out without a first pass of its own, tells the lines per page too
    assert estimated_pages(read, firsts, [(None, _pass([10, 28, 30, 29, 2]))]) == 4
    # 60 lines on 2 pages read (1.9 pages at 33 a page) take 2.1 pages at 29.5 a page: 3
    assert estimated_pages(_pass([30, 30]), firsts, laid) == 3
    assert estimated_pages(_pass([20, 5]), firsts, laid) == 2         # never fewer pages than its first pass
    # nothing laid out yet: the first pass's pages
    assert estimated_pages(read, firsts, []) == 3
