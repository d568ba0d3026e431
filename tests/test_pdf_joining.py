"""A text laid out in pieces is joined while its chapters are laid out (``joining``), and the
join made that way is the join made at once at the end (``join_anew``, the way it was made before).

A small book of the book fixture's shape (three chapters) is laid out twice, cold, by two
processes: as the build does it, and with the join at the end. The two PDFs are compared by
what a reader and a PDF reader meet: the text of every page (pdftotext), the page labels, the
bookmarks (title, level, page), every named destination's page, the document's title, author
and language, and the structure tree (every tagged element on the page whose content it is).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _lay_out(tmp: Path, name: str):
    from book_fixture import make_book

    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    tei = tmp / "book.xml"
    if not tei.exists():
        tei.write_bytes(make_book(chapters=3, paragraphs=5))
    project = load_project(ROOT)
    project.settings["build_dir"] = str(tmp / f"build-{name}")
    target = tmp / f"{name}.pdf"
    render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, chapters_from=0), volume=False,
               target=target, jobs=2)
    return target


def _pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")


def _facts(path: Path) -> dict:
    pdf = pikepdf.open(path)
    index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    marks = []

    def walk(items, level):
        for item in items:
            dest = item.destination
            marks.append((level, item.title, index.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) else None))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 1)
    dests = {str(name): index.get(dest[0].objgen) for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    info = pdf.trailer.Info
    return {"labels": [pikepdf.Page(page).label for page in pdf.pages], "bookmarks": marks, "dests": dests,
            "title": str(info.get("/Title")), "author": str(info.get("/Author")), "lang": str(pdf.Root.get("/Lang")),
            "misplaced tags": _misplaced_tags(pdf, index)}


def _misplaced_tags(pdf, index: dict) -> int:
    """Tagged elements that the page's ``/StructParents`` entry does not place on that page."""
    tree = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
    wrong = 0
    for number, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            continue
        for element in tree.get(int(page.obj.StructParents), []):
            if isinstance(element, pikepdf.Dictionary) and "/Pg" in element and index.get(element.Pg.objgen) != number:
                wrong += 1
    return wrong


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    from edition.render.pdf import joining, pieces

    tmp = tmp_path_factory.mktemp("joining")
    events: list[tuple[str, object]] = []
    patch = pytest.MonkeyPatch()
    try:
        keep, advance = pieces.PiecePool._keep, joining.Joining.advance

        def kept(self, job, *args, **kwargs):
            events.append(("laid out", job.label))
            return keep(self, job, *args, **kwargs)

        def advanced(self, jobs, known):
            advance(self, jobs, known)
            events.append(("joined", len(self.added)))

        def never(*args, **kwargs):
            raise AssertionError("the chapters were joined at the end, not as they were laid out")

        patch.setattr(pieces.PiecePool, "_keep", kept)
        patch.setattr(joining.Joining, "advance", advanced)
        patch.setattr(pieces, "join_anew", never)
        as_they_come = _lay_out(tmp, "as-they-come")
        seen = list(events)
        patch.undo()
        patch.setattr(joining.Joining, "finish", lambda self, *args: (None, 0))
        at_once = _lay_out(tmp, "at-once")
    finally:
        patch.undo()
    return as_they_come, at_once, seen


def test_a_chapter_is_joined_before_the_last_is_laid_out(books):
    _, _, events = books
    chapters = [label for kind, label in events if kind == "laid out" and label not in ("blank", "front matter")]
    last = max(i for i, event in enumerate(events) if event == ("laid out", chapters[-1]))
    assert any(kind == "joined" and count >= 1 for kind, count in events[:last])
    assert ("joined", 3) in events   # every chapter, before the front matter is put before them


def test_the_join_as_they_come_is_the_join_at_once(books):
    as_they_come, at_once, _ = books
    assert _pages_text(as_they_come) == _pages_text(at_once)
    mine, theirs = _facts(as_they_come), _facts(at_once)
    assert mine == theirs
    assert mine["labels"][:2] == ["i", "ii"] and "1" in mine["labels"]
    assert mine["misplaced tags"] == 0
    assert mine["title"] and mine["title"] != "None"
    # the front matter's bookmarks first, then the chapters', each on the page its heading is on
    pages = _pages_text(as_they_come)
    for level, title, page in mine["bookmarks"]:
        assert page is not None and title.split()[0] in pages[page], (title, page)
