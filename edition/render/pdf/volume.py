"""The volume (``build/pdf/edition.pdf``) laid out in pieces, each kept until its input changes.

In: the project, every TEI document of the edition, the ``PdfOptions``. Out: the volume's PDF
bytes and a ``PdfResult``.

Laid out as one HTML document, the volume costs as much as all the texts' own PDFs together,
and all of it again whenever one text changes. So it is laid out in pieces: the front matter,
then each text alone, starting on a recto, the first on arabic page 1 (the front matter is
numbered in roman, print.css), a later one counted on from the text before (``number_from``),
and the pieces are joined into one tagged PDF
(``edition.render.pdf.assemble``); a book-length text's pieces are its chapters (``pieces``),
joined here with the others, once. What a book needs across pieces is carried as data: the
contents get their page numbers from where the texts' layouts put each heading, and a link to
another piece keeps its target by name.

Each laid-out piece is kept in ``build/.cache/pdf-volume/`` under a hash of all it is made
from: its HTML (which holds its first page number), the print stylesheet, the options, the
TEI files it carries, and the tool. After one text changes, that text is laid out again; the
texts after it only if its page count moved where they start; the front matter only if the
contents' page numbers (or its own inputs) changed. The front matter's length moves no text
(it is numbered apart): the texts are laid out first, once, then the front matter with their
page numbers; and a book-length first text's chapters are its own PDF's, from the same cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint
from lxml import html as lxml_html

from edition.fsutil import write_atomic
from edition.render.pdf.assemble import (
    Piece,
    Volume,
    has_tables,
    nest_outline,
    stand_ins,
)
from edition.render.pdf.bookparts import BookParts, book_parts
from edition.render.pdf.chapters import is_chaptered, mark_chapters
from edition.render.pdf.document import PrintBook, compose_book, stylesheet_path
from edition.render.pdf.furnish import add_link_targets
from edition.render.pdf.layout import PdfResult, make_pdf
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.pieces import text_in_volume
from edition.render.pdf.progress import current
from edition.render.pdf.seed import seed_path
from edition.render.pdf.startpage import TEXT_FIRST, blank_book, number_from, recto
from edition.resources import package_fingerprint

CACHE_DIR = Path(".cache") / "pdf-volume"
FORMAT = "1"             # bump when what a piece's file holds changes


@dataclass
class LaidOut:
    """A piece as laid out (or found in the cache)."""

    data: bytes
    pages: int
    anchors: dict[str, int]   # id → index of its page within the piece
    passes: int
    entries: int
    chapters: list[Piece] = field(default_factory=list)   # a book-length text: its chapters, not ``data``
    levels: list = field(default_factory=list)   # … and their bookmarks' levels (``assemble.nest_outline``)


class PieceCache:
    """Laid-out pieces under ``build/.cache/pdf-volume``, by the hash of what they are made of."""

    def __init__(self, project, options: PdfOptions):
        self.folder = project.build_dir / CACHE_DIR
        self.root = project.root
        self.build_dir = project.build_dir
        self.options = options
        self.salt = "\0".join([FORMAT, package_fingerprint(), weasyprint.__version__, repr(options),
                               hashlib.sha256(stylesheet_path().read_bytes()).hexdigest()])
        self.used: set[str] = set()
        self.laid_out: list[str] = []

    def piece(self, book: PrintBook, label: str, *, attach: bool = False) -> LaidOut:
        """``book`` laid out, from the cache when the same piece was laid out before.

        ``label`` names the piece in ``laid_out``, the list of the pieces laid out anew."""

        digest = hashlib.sha256(self.salt.encode("utf-8"))
        digest.update(lxml_html.tostring(book.tree, encoding="utf-8"))
        if attach:
            for path in book.attachments:
                digest.update(f"{path.name}\0{int(path.stat().st_mtime)}\0".encode("utf-8"))
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        key = digest.hexdigest()[:32]
        self.used.add(key)
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            facts = json.loads(meta.read_text(encoding="utf-8"))
            return LaidOut(pdf.read_bytes(), facts["pages"], facts["anchors"], 0, facts["entries"])
        except (OSError, ValueError, KeyError):
            pass
        current().part(f"the volume's {label}")
        # a text's own PDF and its piece of the volume break their lines and pages alike (only
        # page numbers differ): one seed serves both, so the second layout of a build takes a pass
        data, info = make_pdf(book, self.options, self.root, attach=attach,
                              seed=seed_path(self.build_dir, f"text-{label}"))
        self.laid_out.append(label)
        write_atomic(pdf, data, durable=False)
        write_atomic(meta, json.dumps({"pages": info.pages, "anchors": info.anchors, "entries": info.entries},
                                      sort_keys=True), durable=False)
        return LaidOut(data, info.pages, info.anchors, info.passes, info.entries)

    def finish(self) -> None:
        """Forget the pieces this volume no longer uses."""
        for path in self.folder.iterdir():
            if path.suffix in (".pdf", ".json") and path.stem not in self.used:
                path.unlink(missing_ok=True)


def _front(parts: BookParts, pages: dict[str, int]) -> PrintBook:
    """The front matter with the contents' page numbers (stand-ins for the texts' anchors)."""
    return compose_book(parts, volume=True, texts=[], pages=pages,
                        link_targets=[entry["id"] for entry in parts.toc])


def _sections(parts: BookParts) -> list[PrintBook]:
    """Each text as a book of its own, with stand-in anchors for its links to other texts."""
    books = [compose_book(parts, volume=True, front=False, texts=[text]) for text in parts.texts]
    for book in books:   # a book-length text's chapters open pages here as in its own PDF
        mark_chapters(book.tree, parts.options)
    ids = [set(book.tree.xpath("//@id")) for book in books]
    every = set().union(*ids) if ids else set()
    for book, own in zip(books, ids):
        wanted = {href[1:] for href in book.tree.xpath("//a/@href") if href.startswith("#")}
        add_link_targets(book.tree, sorted((wanted - own) & every))
    return books


def _text(project, parts: BookParts, book: PrintBook, cache: PieceCache, first: int,
          jobs: int | None) -> LaidOut:
    """A text of the volume laid out (or from the cache); a book-length one from its chapters,
    as for its own PDF (``pieces``)."""
    label = book.tree.xpath("string(//section/@data-text)")
    if not is_chaptered(book.tree):
        return cache.piece(book, label)
    chapters, levels, info = text_in_volume(project, parts, book, parts.options, first, jobs=jobs)
    # each chapter laid out anew is a piece of the volume's count ("text: chapter"); none when the
    # text's own PDF laid them out first (the same pieces: the text starts on page 1 in both)
    cache.laid_out.extend(f"{label}: {chapter}" for chapter in info.laid_out)
    return LaidOut(b"", info.pages, info.anchors, info.passes, info.entries, chapters, levels)


def render_volume(project, documents, options: PdfOptions, *, jobs: int | None = None) -> tuple[bytes, PdfResult]:
    """Lay out (or take from the cache) the volume's pieces and join them; return the PDF bytes.

    The result's diagnostics are the volume's own; each text's are its own PDF's. ``jobs``: the
    processes that lay out a book-length text's chapters."""

    start = time.perf_counter()
    parts = book_parts(project, documents, options)
    cache = PieceCache(project, options)
    sections = _sections(parts)
    # the texts are numbered from arabic 1 after the front matter (print.css): where they start
    # does not depend on the front matter's length, so they are laid out before it, once
    first = TEXT_FIRST
    pages: dict[str, int] = {}
    laid: list[LaidOut] = []
    for book in sections:
        number_from(book, first)
        piece = _text(project, parts, book, cache, first, jobs)
        laid.append(piece)
        own = stand_ins(book.tree)
        for anchor, index in piece.anchors.items():
            if anchor not in own:
                pages.setdefault(anchor, first + index)
        first = recto(first + piece.pages)
    front_book = _front(parts, pages)
    front = cache.piece(front_book, "front matter")
    volume = Volume(Piece(front.data, recto=False, stand_ins=stand_ins(front_book.tree)),
                    blank=cache.piece(blank_book(parts), "blank page and attached files", attach=True).data)
    for piece, book in zip(laid, sections):
        if not piece.chapters:
            volume.add(Piece(piece.data, recto=True, stand_ins=stand_ins(book.tree), tables=has_tables(book.tree)))
            continue
        # a book-length text's chapters joined here, once, not first into the text and the text
        # then into the volume: its bookmarks nested as the text's own PDF nests them
        outline = len(volume.outline)
        for index, chapter in enumerate(piece.chapters):
            volume.add(dataclasses.replace(chapter, recto=index == 0))
        nest_outline(volume, piece.levels, outline)
        piece.chapters = []   # added: not held while the next text is
    data = volume.finish(front=recto(front.pages + 1) - 1)
    cache.finish()
    info = PdfResult(Path(), volume.pages, sum(p.passes for p in laid) + front.passes,
                     sum(p.entries for p in laid), time.perf_counter() - start, [],
                     laid_out=cache.laid_out)
    return data, info


def write_volume(project, documents, options: PdfOptions, target: Path, *, jobs: int | None = None):
    """Write the volume to ``target`` (atomically) and return its ``PdfResult``."""
    data, info = render_volume(project, documents, options, jobs=jobs)
    write_atomic(target, data)
    info.path = target
    return info
