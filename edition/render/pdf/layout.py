"""One PDF laid out by WeasyPrint: a ``PrintBook`` → PDF bytes and what the layout found.

In: a ``PrintBook`` (``edition.render.pdf.document``: the print HTML of one or more texts) and
the ``PdfOptions``. Out: the PDF bytes, PDF/A-3a unless another variant is chosen, with the TEI
files attached, and a ``PdfResult`` (pages, layout passes, apparatus entries, the page of every
anchor). The layout is line-keyed (``linekeys``: several passes when the book has an apparatus),
and the foot of the page is ordered by kind (``footnotes``). One font configuration serves
every layout of the process.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint
from lxml import html as lxml_html
from weasyprint.text.fonts import FontConfiguration

from edition.diagnostics import Diagnostic
from edition.render.pdf.actualtext import actual_text
from edition.render.pdf.carry import Carried, carrying
from edition.render.pdf.document import PrintBook, stylesheet_path
from edition.render.pdf.footnotes import misplaced, ordered_footnotes
from edition.render.pdf.html5tree import parsed_html
from edition.render.pdf.linekeys import (
    KeyedResult,
    _apply_fixes,
    _serialize,
    escalate,
    keyed_layout,
    read_layout,
)
from edition.render.pdf.memory import fewer_collections, spare_the_settled
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.printhtml import key_blocks, streams
from edition.render.pdf.progress import current
from edition.render.pdf.seed import load_seed, save_seed, seeded_layout
from edition.render.pdf.subsetting import lean_subset


@dataclass
class PdfResult:
    """One written PDF and what making it took."""

    path: Path
    pages: int
    passes: int
    entries: int
    seconds: float
    diagnostics: list[Diagnostic]
    html: str = ""   # the HTML of the final layout pass
    anchors: dict[str, int] = field(default_factory=dict)   # id → index of the page that holds it
    laid_out: list[str] = field(default_factory=list)   # the volume: pieces laid out now, not cached
    lines: int = 0          # numbered lines printed (a piece's next piece numbers on from them)
    strings: dict[str, str] = field(default_factory=dict)   # the named strings it assigns, as they end
    pieces: int = 0         # a book-length text: the chapters it was laid out in (``pieces``)
    worker_mib: float = 0.0   # the peak memory of the process that laid it out (the largest, of pieces)
    worker_cpu: float = 0.0   # CPU seconds spent in worker processes (pieces), not this one's
    bookmarks: list[tuple[int, str]] = field(default_factory=list)   # (level, state) of each, in order
    page_lines: list[int] = field(default_factory=list)   # numbered lines printed on each page


def weasy_options(options: PdfOptions) -> dict:
    if options.variant == "none":
        return {"pdf_tags": True}
    return {"pdf_variant": options.variant}


@functools.cache
def shared_fonts() -> FontConfiguration:
    """One font configuration for every layout of this process.

    WeasyPrint loads each ``@font-face`` into the configuration it is given and skips faces it
    already holds; without a shared one, every layout pass of every PDF loads the faces again
    (and, given WOFF2, decodes them in pure Python: ``edition.render.pdf.fonts`` unpacks them
    once per project instead).
    """
    return FontConfiguration()


def _file_date(path: Path) -> dt.datetime:
    """An attached file's date: its modification time, no later than ``SOURCE_DATE_EPOCH`` when
    that is set (WeasyPrint's default, the time of the build, would make every build differ)."""
    when = path.stat().st_mtime
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        when = min(when, int(epoch))
    return dt.datetime.fromtimestamp(int(when), dt.timezone.utc)


def _page_lines(reading, pages: int) -> list[int]:
    """The numbered lines on each of the ``pages`` (what a piece's length is guessed from, ``pieces``)."""
    counts = [0] * pages
    for line in reading.lines if reading else ():
        if 0 <= line.page < pages:
            counts[line.page] += 1
    return counts


def _first_pages(document) -> dict[str, int]:
    """Each anchor's page index: where the element starts (a box split over pages is on each)."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


@functools.lru_cache(maxsize=2)
def _print_css(path: str, stamp: tuple[int, int]) -> weasyprint.CSS:
    """The book's stylesheet parsed once per process and version of the file (``stamp``: its
    modification time and size): ~17 ms a layout, two or three a text, 23 for the book fixture.
    A ``CSS`` is read, never changed, by the layouts that use it; its faces are in ``shared_fonts``."""
    return weasyprint.CSS(filename=path, font_config=shared_fonts())


def renderer(options: PdfOptions, root: Path):
    """WeasyPrint's layout of a print HTML string (a ``weasyprint.Document``), as every pass makes it."""
    spare_the_settled()   # once, before the first layout makes its objects (``memory``)
    fonts = shared_fonts()
    path = stylesheet_path()
    stat = path.stat()
    css = _print_css(str(path), (stat.st_mtime_ns, stat.st_size))
    weasy = weasy_options(options)

    def render(html: str, counted: bool = True):
        if counted:   # not the estimate of a cold layout's lines (``estimate``): no pass of the book's
            current().layout_pass()
        # the tree WeasyPrint's parser would build, built by lxml (html5tree): ~0.2 s less a pass
        with fewer_collections():
            return parsed_html(html, str(root)).render(stylesheets=[css], font_config=fonts, **weasy)
    return render


def make_pdf(book: PrintBook, options: PdfOptions, root: Path, *, attach: bool = True,
             seed: Path | None = None, first_line: int = 1,
             strings: dict[str, str] | None = None) -> tuple[bytes, PdfResult]:
    """Lay out the book (line-keyed when it has an apparatus) and return the PDF bytes.

    ``attach``: embed the book's TEI files (PDF/A-3 associated files), unless the variant is
    PDF/UA-1; a piece of the volume (``edition.render.pdf.volume``) carries none. ``seed``: the
    file that keeps the line numbers of this book's last layout, to start from (``seed``).
    A piece of a text (``pieces``) numbers its lines from ``first_line`` and inherits the running
    heads' ``strings`` of the pieces before it (``carry``).
    """
    start = time.perf_counter()
    weasy = weasy_options(options)
    render = renderer(options, root)
    with ordered_footnotes(), carrying(Carried(dict(strings or {}))) as carried:
        source = str(book.attachments[0]) if len(book.attachments) == 1 else None
        result = seeded_layout(book.tree, render, load_seed(seed), interval=options.line_interval,
                               restart=options.line_numbers, types=options.apparatus,
                               tiers=options.apparatus_tiers, source=source, first_line=first_line,
                               estimate=True)
        if result is None:
            result = keyed_layout(book.tree, render, interval=options.line_interval, restart=options.line_numbers,
                                  types=options.apparatus, tiers=options.apparatus_tiers, source=source,
                                  first_line=first_line)
        save_seed(seed, result)
        ended = carried.read_end()
    document = result.document
    document.metadata.title = book.title
    document.metadata.authors = book.authors
    document.metadata.lang = book.lang
    attachments = []
    if attach and options.variant != "pdf/ua-1":
        attachments = [weasyprint.Attachment(filename=str(p), name=p.name, relationship="Source",
                                             description=f"TEI source of {p.stem}", created=_file_date(p),
                                             modified=_file_date(p)) for p in book.attachments]
    # lines in a script face carry their text (WeasyPrint's ToUnicode loses letters); the fonts
    # are subset without decoding the tables the subset drops
    with actual_text(), lean_subset(), fewer_collections():
        data = document.write_pdf(attachments=attachments, **weasy)
    info = PdfResult(Path(), len(document.pages), result.passes, result.entries,
                     time.perf_counter() - start, book.diagnostics + result.diagnostics, result.html,
                     _first_pages(document), lines=len(result.reading.lines) if result.reading else 0,
                     strings=ended, bookmarks=[(mark[0], mark[3]) for page in document.pages
                                               for mark in page.bookmarks],
                     page_lines=_page_lines(result.reading, len(document.pages)))
    return data, info


def first_reading(book: PrintBook, options: PdfOptions, root: Path, *, seed: Path, first_line: int = 1,
                  strings: dict[str, str] | None = None) -> PdfResult:
    """The keyed layout's first pass alone (the HTML as it is, ``linekeys``), kept as the book's
    seed, and no PDF: its numbered lines, pages and the strings it ends with, which a piece of a
    text (``pieces``) needs from the pieces before it before it can be laid out. Laid out from
    this seed, the book takes the passes it would have taken after this one (``seed``)."""
    start = time.perf_counter()
    render = renderer(options, root)
    with ordered_footnotes(), carrying(Carried(dict(strings or {}))) as carried:
        owners = key_blocks(book.tree)
        base = _serialize(book.tree)
        document = render(base)
        reading = read_layout(document, owners, streams(book.tree), options.line_numbers, first_line) \
            if owners else None
        fixes: dict[str, str] = {}
        escalate(fixes, misplaced(document))   # as the keyed layout's second pass would
        ended = carried.read_end()
    if reading is not None:
        fixed = lxml_html.document_fromstring(base)
        _apply_fixes(fixed, fixes)
        save_seed(seed, KeyedResult(document, 1, 0, 0, [], reading, _serialize(fixed)))
    return PdfResult(Path(), len(document.pages), 1, 0, time.perf_counter() - start, [],
                     lines=len(reading.lines) if reading else 0, strings=ended,
                     page_lines=_page_lines(reading, len(document.pages)))
