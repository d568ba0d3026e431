"""A book-length text laid out in pieces (its chapters apart, in worker processes, joined) is the
book one whole layout of the same HTML makes.

For a small book of the book fixture's shape (three chapters, ~120 apparatus entries) and for our
edition's collated text (Woods, whose sections are its chapters when ``chapters_from = 0``):
the same text on every page (pdftotext), the same pixels at 40 dpi, every lemma and line number
on the same page and line, the same bookmarks, named destinations and links; every entry at the
foot of its lemma's page under the printed line (counted from the margin numbers, the lemma
found by the TEI's words: ``test_pdf_apparatus``); each chapter (its TEI heading) opens a page.
Then the cache: laid out again, nothing is laid out; one word changed in one chapter, only that
chapter is. And a build killed (SIGKILL, SIGTERM) while its workers lay out chapters leaves the
previous PDF byte for byte, and no worker behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pdf_support import norm, read_pdf
from PIL import Image, ImageChops
from test_pdf_apparatus import _covers, norm_text, placed_apps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
WOODS = ROOT / "tei" / "woods-2005-bolivia.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def small_book(path: Path, chapters: int = 3, paragraphs: int = 5) -> Path:
    from book_fixture import make_book

    path.write_bytes(make_book(chapters=chapters, paragraphs=paragraphs))
    return path


def _project(build_dir: Path):
    from edition.project import load_project

    project = load_project(ROOT)
    project.settings["build_dir"] = str(build_dir)
    return project


def lay_out_whole(tei: Path, target: Path) -> None:
    """One layout of the whole HTML (chapters marked as in the pieces), no cache, no seed."""
    from edition.render.pdf.bookparts import book_parts
    from edition.render.pdf.chapters import mark_chapters
    from edition.render.pdf.document import compose_book
    from edition.render.pdf.layout import make_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = _project(target.parent / "whole-build")
    options = pdf_options(project.pdf, chapters_from=0)
    book = compose_book(book_parts(project, [Document.load(tei)], options), volume=False)
    assert len(mark_chapters(book.tree, options)) > 1
    data, _ = make_pdf(book, options, project.root)
    target.write_bytes(data)


def lay_out_pieces(tei: Path, target: Path, build_dir: Path):
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = _project(build_dir)
    return render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, chapters_from=0), volume=False,
                      target=target, jobs=2)


@pytest.fixture(scope="module", params=["book", pytest.param("woods", marks=pytest.mark.slow)])
def laid(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pieces")
    tei = small_book(folder / "book.xml") if request.param == "book" else WOODS
    if not tei.is_file():
        pytest.skip("our edition's text is not here")
    whole, pieces = folder / "whole.pdf", folder / "pieces.pdf"
    lay_out_whole(tei, whole)
    info = lay_out_pieces(tei, pieces, folder / "build")
    return tei, whole, pieces, info


def tei_chapters(tei: Path) -> list:
    """The TEI's chapters, read from the TEI: the first level of the body's divisions (the
    witnesses' paratext aside) with more than one, under single wrappers."""
    level = etree.parse(str(tei)).xpath("//t:text/t:body", namespaces=NS)
    while len(level) == 1:
        level = level[0].xpath("t:div[not(@type='paratext')]", namespaces=NS)
    return level


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def test_the_pieces_are_chapters_laid_out_apart(laid):
    tei, _, _, info = laid
    assert info.pieces == len(tei_chapters(tei)) > 1
    assert not [d for d in info.diagnostics if d.code in ("W701", "W710")]


def test_same_text_on_every_page(laid):
    _, whole, pieces, _ = laid
    ours, theirs = page_texts(pieces), page_texts(whole)
    assert len(ours) == len(theirs)
    for number, (a, b) in enumerate(zip(ours, theirs), start=1):
        assert a == b, f"page {number} differs"


def test_same_pixels_at_40_dpi(laid, tmp_path):
    _, whole, pieces, _ = laid
    for name, pdf in (("w", whole), ("p", pieces)):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / name)], check=True)
    images = sorted(tmp_path.glob("w-*.png"))
    assert images and len(images) == len(list(tmp_path.glob("p-*.png")))
    for image in images:
        a = Image.open(image).convert("RGB")
        b = Image.open(tmp_path / image.name.replace("w-", "p-", 1)).convert("RGB")
        assert a.size == b.size and ImageChops.difference(a, b).getbbox() is None, f"{image.name} differs"


def test_every_lemma_and_line_number_where_the_whole_layout_puts_it(laid):
    tei, whole, pieces, _ = laid
    ours, theirs = read_pdf(pieces), read_pdf(whole)
    assert [p.margin for p in ours] == [p.margin for p in theirs]
    numbers = [n for page in ours for n, _ in page.margin]
    assert numbers == sorted(numbers) and numbers[0] == 5   # numbered on across the chapters
    assert placed_apps(tei, ours) == placed_apps(tei, theirs)


def test_every_entry_on_its_lemmas_page_under_its_line(laid):
    tei, _, pieces, _ = laid
    pages = read_pdf(pieces)
    places = placed_apps(tei, pages)
    assert len(places) > 40
    missing = []
    for app_id, (page, line, word) in places.items():
        groups = [text for label, text, _ in pages[page].groups if int(label.split("–")[0]) == line
                  or (norm(word) == "" and _covers(label, line))]
        token = word if norm(word) == "" else norm(word)
        if not any((token in text if norm(word) == "" else token in norm_text(text)) for text in groups):
            missing.append(f"{app_id}: page {page + 1}, line {line}, '{word}'")
    assert not missing, "\n".join(missing[:10])


def _outline(pdf: pikepdf.Pdf) -> list[tuple]:
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found = []

    def walk(item, depth):
        while item is not None:
            found.append((depth, str(item.Title), pages.get(item.Dest[0].objgen), int(item.get("/Count", 0))))
            walk(item.get("/First"), depth + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.get("/First"), 0)
    return found


def _destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    return {str(k): pages.get(v[0].objgen) for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def _links(pdf: pikepdf.Pdf) -> list[tuple]:
    found = []
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == "/Link":
                action = annot.get("/A") or {}
                found.append((index, str(annot.get("/Dest") or action.get("/D") or action.get("/URI")),
                              [round(float(x)) for x in annot.Rect]))
    return found


def test_bookmarks_destinations_and_links_as_one_layout(laid):
    tei, whole, pieces, _ = laid
    with pikepdf.open(whole) as theirs, pikepdf.open(pieces) as ours:
        outline = _outline(ours)
        assert outline == _outline(theirs)
        assert int(ours.Root.Outlines.Count) == int(theirs.Root.Outlines.Count)
        assert _destinations(ours) == _destinations(theirs)
        assert _links(ours) == _links(theirs)
    heads = [" ".join(h.xpath("string()").split()) for h in etree.parse(str(tei)).xpath("//t:body//t:head",
                                                                                         namespaces=NS)]
    titles = [title for _, title, _, _ in outline]
    assert all(head in titles for head in heads)
    assert len({depth for depth, *_ in outline}) > 1   # nested, not one flat list


def test_each_chapter_opens_a_page(laid):
    tei, _, pieces, _ = laid
    texts = page_texts(pieces)
    for chapter in tei_chapters(tei)[1:]:
        words = " ".join(chapter.xpath("string(t:head)", namespaces=NS).split()) or \
            " ".join(chapter.xpath("string(.//t:p[1])", namespaces=NS).split()[:3])
        # the first line below the running head (the contents list the heading too, lower down)
        tops = [" ".join(([line for line in text.splitlines()[1:] if line.strip()] or [""])[0].split())
                for text in texts]
        assert any(top.startswith(words) or words in top for top in tops), f"no page opens with {words!r}"


def test_cached_pieces_and_one_changed_chapter(tmp_path):
    tei = small_book(tmp_path / "book.xml")
    info = lay_out_pieces(tei, tmp_path / "a.pdf", tmp_path / "build")
    assert set(info.laid_out) >= {"ch1", "ch2", "ch3"}
    again = lay_out_pieces(tei, tmp_path / "b.pdf", tmp_path / "build")
    assert again.laid_out == [] and page_texts(tmp_path / "b.pdf") == page_texts(tmp_path / "a.pdf")
    text = tei.read_text(encoding="utf-8")
    at = text.index('xml:id="ch2"')
    word = text.index("revolution", at)
    tei.write_text(text[:word] + "Revolution" + text[word + len("revolution"):], encoding="utf-8")
    changed = lay_out_pieces(tei, tmp_path / "c.pdf", tmp_path / "build")
    assert changed.laid_out == ["ch2"]
    assert "Revolution" in " ".join(page_texts(tmp_path / "c.pdf"))


def test_a_cold_layout_lays_each_chapter_out_once(tmp_path, monkeypatch):
    """Each chapter's first pass is read first (its lines and running heads), so each is then
    laid out once, from where it starts: one process lays them out in turn, each knowing the
    pages of those before it. The first chapter, which needs nothing of the others, is laid out
    at once, not read first. The volume of that one text starts where its own PDF does: it
    takes every chapter from the text's own (no layout at all)."""
    from edition.render.pdf import piecepool, render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    made: list[str] = []
    keep = piecepool.PiecePool._keep
    monkeypatch.setattr(piecepool.PiecePool, "_keep",
                        lambda self, job, *rest: made.append(job.label + " read" * job.reading) or keep(self, job, *rest))
    tei = small_book(tmp_path / "book.xml")
    project = _project(tmp_path / "build")
    options = pdf_options(project.pdf, chapters_from=0)
    info = render_pdf(project, [Document.load(tei)], options, volume=False, target=tmp_path / "book.pdf", jobs=1)
    chapters = [f"ch{n}" for n in range(1, len(tei_chapters(tei)) + 1)]
    assert info.pieces == len(chapters) == 3
    assert sorted(label for label in made if label.startswith("ch")) == sorted(chapters + [f"{c} read" for c in chapters[1:]])
    made.clear()
    volume = render_pdf(project, [Document.load(tei)], options, volume=True, target=tmp_path / "edition.pdf", jobs=1)
    # the volume's front matter is the text's (title page, imprint, contents, blank) with the
    # half-title and its blank verso before it; the text's pages are the same
    assert volume.pages == info.pages + 2 and not [label for label in made if label.startswith("ch")]
    assert page_texts(tmp_path / "edition.pdf")[6:] == page_texts(tmp_path / "book.pdf")[4:]


def test_the_volume_shares_the_chapters_of_a_text_in_another_language(tmp_path, monkeypatch):
    """A text whose language is not the edition's: its PDF says the text's language, the volume
    the edition's (the first piece's, the join keeps), and a chapter, which carries neither into
    either, is the same piece in both: the volume lays out none of them again."""
    from edition.render.pdf import piecepool, render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    made: list[str] = []
    keep = piecepool.PiecePool._keep
    monkeypatch.setattr(piecepool.PiecePool, "_keep", lambda self, job, *rest: made.append(job.label) or keep(self, job, *rest))
    tei = small_book(tmp_path / "book.xml", paragraphs=2)
    tei.write_text(tei.read_text(encoding="utf-8").replace('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">',
                                                           '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="la">', 1),
                   encoding="utf-8")
    project = _project(tmp_path / "build")
    assert project.settings.get("language", "en") == "en"
    options = pdf_options(project.pdf, chapters_from=0)
    info = render_pdf(project, [Document.load(tei)], options, volume=False, target=tmp_path / "book.pdf", jobs=1)
    assert info.pieces == len(tei_chapters(tei)) == 3
    made.clear()
    volume = render_pdf(project, [Document.load(tei)], options, volume=True, target=tmp_path / "edition.pdf", jobs=1)
    assert volume.pages == info.pages + 2 and not [label for label in made if label.startswith("ch")]   # + half-title, verso
    with pikepdf.open(tmp_path / "book.pdf") as own, pikepdf.open(tmp_path / "edition.pdf") as whole:
        assert (str(own.Root.Lang), str(whole.Root.Lang)) == ("la", "en")
    assert page_texts(tmp_path / "edition.pdf")[6:] == page_texts(tmp_path / "book.pdf")[4:]


# -- a build killed while its workers lay out chapters -------------------------------------------

def _edition_project(root: Path) -> Path:
    from edition.scaffold import init_project

    init_project(root)
    (root / "tei" / "example.xml").unlink()
    small_book(root / "tei" / "book.xml", chapters=3, paragraphs=3)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[pdf]\n", "[pdf]\nchapters_from = 0\n", 1),
                    encoding="utf-8")
    return root


def _pool_processes(pid: int) -> list[int]:
    """The fork server of the build ``pid`` and the workers it forked (they share its command
    line); not every descendant: importing WeasyPrint runs ldconfig and gcc (``ctypes``)."""
    from edition.signals import children

    def command(process: int) -> bytes:
        try:
            return Path(f"/proc/{process}/cmdline").read_bytes()
        except OSError:
            return b""

    servers = [c for c in children(pid) if b"multiprocessing.forkserver" in command(c)]
    return [*servers, *(w for server in servers for w in children(server))]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_build_leaves_the_previous_pdf_whole(tmp_path, how):
    root = _edition_project(tmp_path / "ed")
    command = [sys.executable, "-m", "edition", "pdf", "book", "--jobs", "2", "-q"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, timeout=600)
    target = root / "build" / "pdf" / "book.pdf"
    before = target.read_bytes()
    tei = root / "tei" / "book.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("revolution", "Revolution"), encoding="utf-8")
    # the layout caches go: a warm rebuild of a few pieces may end before the signal comes, and
    # this is about a build stopped mid-way
    shutil.rmtree(root / "build" / ".cache")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 3:   # the fork server and two workers
        time.sleep(0.2)
        workers = _pool_processes(process.pid)
    assert len(workers) >= 3, "the build did not start its workers"
    # soon after the workers start: a cold layout from an estimate takes one pass a chapter, and
    # the whole build may end within a second of them
    time.sleep(0.2)
    process.send_signal(how)
    status = process.wait(timeout=60)
    assert status == (-signal.SIGKILL if how == signal.SIGKILL else 143)
    assert target.read_bytes() == before
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the build"


def test_the_volume_prints_a_long_text_as_its_own_pdf(tmp_path):
    """The volume lays the text out from the same chapters (their own PDF's seeds: a pass each,
    only the page numbers differ), so its pages are the text's own PDF's but for those numbers."""
    from edition.build import load_documents
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options

    root = _edition_project(tmp_path / "ed")
    project = load_project(root)
    documents, options = load_documents(project), pdf_options(project.pdf)
    own = render_pdf(project, documents, options, volume=False, target=tmp_path / "book.pdf", jobs=2)
    assert own.pieces == 3
    volume = render_pdf(project, documents, options, volume=True, target=tmp_path / "edition.pdf", jobs=2)
    assert volume.passes <= 2, "the volume laid the chapters out again from nothing"   # its front matter, then one
    opening = etree.parse(str(root / "tei" / "book.xml")).xpath("string(//t:body/t:div[1]/t:head)", namespaces=NS)

    def text_pages(path: Path) -> list[list[str]]:
        pages = page_texts(path)   # from the page the first chapter's heading opens (not the contents')
        first = next(i for i, text in enumerate(pages) if opening in [line.strip() for line in text.splitlines()])
        # the running head's page number differs: compare the lines below it
        return [[" ".join(line.split()) for line in text.splitlines()[1:] if line.strip()] for text in pages[first:]]

    assert text_pages(tmp_path / "edition.pdf") == text_pages(tmp_path / "book.pdf")


def test_page_labels_roman_before_the_text_arabic_as_printed_after(laid):
    """Labelled as the pieces are joined (``joining``): the pages before the text in roman
    numerals; from the text on, each page's label is the number its running head prints."""
    import pikepdf

    _, _, pieces, _ = laid
    texts = page_texts(pieces)
    with pikepdf.open(str(pieces)) as pdf:
        nums = list(pdf.Root.PageLabels.Nums)
    labels = dict(zip([int(n) for n in nums[0::2]], nums[1::2]))
    start = max(labels)
    assert labels[0].S == "/r" and labels[start].S == "/D" and 0 < start < len(texts)
    checked = 0
    for index in range(start, len(texts)):
        head = next((line.split() for line in texts[index].splitlines() if line.strip()), [])
        shown = [word for word in head if word.isdigit()]
        if shown:   # a page with a running head (an opening page has none)
            assert str(int(labels[start].St) + index - start) in shown, (index, head)
            checked += 1
    assert checked >= (len(texts) - start) // 2


def test_the_volume_nests_a_long_texts_bookmarks_as_its_own_pdf(tmp_path):
    """The volume joins a long text's chapters itself (not the text joined first, then added):
    the text's bookmarks nest there as in the text's own PDF (its title, its chapters under it),
    each on the page that prints its heading."""
    from edition.build import load_documents
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options

    root = _edition_project(tmp_path / "ed")
    project = load_project(root)
    documents, options = load_documents(project), pdf_options(project.pdf)
    render_pdf(project, documents, options, volume=False, target=tmp_path / "book.pdf", jobs=2)
    render_pdf(project, documents, options, volume=True, target=tmp_path / "edition.pdf", jobs=2)
    heads = [" ".join(h.split()) for h in etree.parse(str(root / "tei" / "book.xml")).xpath(
        "//t:body/t:div/t:head/text()", namespaces=NS)]

    def bookmarks(path: Path) -> list[tuple[int, str, str]]:
        pages = page_texts(path)
        found = []
        with pikepdf.open(path) as pdf:
            index = {page.objgen: i for i, page in enumerate(pdf.pages)}
            with pdf.open_outline() as outline:
                def walk(items, depth):
                    for item in items:
                        page = index[item.destination[0].objgen] if item.destination is not None else None
                        found.append((depth, " ".join(item.title.split()), pages[page] if page is not None else ""))
                        walk(item.children, depth + 1)
                walk(outline.root, 0)
        return found

    own, whole = bookmarks(tmp_path / "book.pdf"), bookmarks(tmp_path / "edition.pdf")
    chapters = [(depth, title) for depth, title, _ in own if title in heads]
    assert [title for _, title in chapters] == heads and len({depth for depth, _ in chapters}) == 1
    assert chapters[0][0] > 0   # under the text's title
    start = next(i for i, (_, title, _) in enumerate(whole) if title == own[0][1])
    assert [(d, t) for d, t, _ in whole[start:start + len(own)]] == [(d, t) for d, t, _ in own]
    for _, title, page in whole[start:]:
        if title in heads:
            assert title in " ".join(page.split()), f"{title!r} is not on its bookmark's page"
