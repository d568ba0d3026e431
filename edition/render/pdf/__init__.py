"""TEI → print-ready PDF (WeasyPrint): one PDF per text and the whole edition as one volume.

In: the project, its TEI documents, ``PdfOptions`` (``[pdf]`` of ``edition.toml``). Out:
``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``, PDF/A-3a (tagged, with the TEI
attached) unless another variant is chosen. The HTML is the web edition's renderer's
(``edition.render.html``); ``document`` assembles the volume around it, ``linekeys`` numbers
the printed lines and keys the apparatus to them (several layout passes), ``footnotes`` orders
the foot of the page, ``templates/static/print.css`` is the book's typography.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from edition.diagnostics import Diagnostic
from edition.fsutil import write_atomic
from edition.render.pdf.document import PrintBook, build_book, stylesheet_path
from edition.render.pdf.footnotes import ordered_footnotes
from edition.render.pdf.linekeys import keyed_layout
from edition.render.pdf.options import PdfOptions, pdf_options

VOLUME = "edition"


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


def _weasy_options(options: PdfOptions) -> dict:
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


def _first_pages(document) -> dict[str, int]:
    """Each anchor's page index: where the element starts (a box split over pages is on each)."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


def make_pdf(book: PrintBook, options: PdfOptions, root: Path, *, attach: bool = True) -> tuple[bytes, PdfResult]:
    """Lay out the book (line-keyed when it has an apparatus) and return the PDF bytes.

    ``attach``: embed the book's TEI files (PDF/A-3 associated files), unless the variant is
    PDF/UA-1; a piece of the volume (``edition.render.pdf.volume``) carries none.
    """
    start = time.perf_counter()
    fonts = shared_fonts()
    css = weasyprint.CSS(filename=str(stylesheet_path()), font_config=fonts)
    weasy = _weasy_options(options)

    def render(html: str):
        return weasyprint.HTML(string=html, base_url=str(root)).render(stylesheets=[css], font_config=fonts,
                                                                        **weasy)

    with ordered_footnotes():
        result = keyed_layout(book.tree, render, interval=options.line_interval, restart=options.line_numbers,
                              types=options.apparatus,
                              source=str(book.attachments[0]) if len(book.attachments) == 1 else None)
    document = result.document
    document.metadata.title = book.title
    document.metadata.authors = book.authors
    document.metadata.lang = book.lang
    attachments = []
    if attach and options.variant != "pdf/ua-1":
        attachments = [weasyprint.Attachment(filename=str(p), name=p.name, relationship="Source",
                                             description=f"TEI source of {p.stem}", created=_file_date(p),
                                             modified=_file_date(p)) for p in book.attachments]
    data = document.write_pdf(attachments=attachments, **weasy)
    info = PdfResult(Path(), len(document.pages), result.passes, result.entries,
                     time.perf_counter() - start, book.diagnostics + result.diagnostics, result.html,
                     _first_pages(document))
    return data, info


def render_pdf(project, documents, options: PdfOptions, *, volume: bool, target: Path) -> PdfResult:
    """Write one PDF: the whole edition (``volume``) or the single text in ``documents``."""
    if volume:
        from edition.render.pdf.volume import write_volume
        return write_volume(project, documents, options, target)
    book = build_book(project, documents, options, volume=volume)
    data, info = make_pdf(book, options, project.root)
    write_atomic(target, data)
    info.path = target
    return info


def render_pdfs(project, documents, report, options: PdfOptions | None = None,
                only: list[str] | None = None) -> list[Path]:
    """The build's PDF renderer: ``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``.

    Incremental (``edition.build``): ``documents`` holds only the texts that changed, whose PDFs
    are redone; the volume, which holds every text (``documents.all``), is assembled again from
    its pieces, of which only the changed texts' are laid out again (``volume``).
    """
    options = options or pdf_options(project.pdf)
    out = project.build_dir / "pdf"
    written = []
    chosen = [d for d in documents if not only or d.id in only]
    for document in chosen:
        info = render_pdf(project, [document], options, volume=False, target=out / f"{document.id}.pdf")
        report.extend(info.diagnostics)
        written.append(info.path)
    all_documents = list(getattr(documents, "all", documents))
    if not only and all_documents:
        info = render_pdf(project, all_documents, options, volume=True, target=out / f"{VOLUME}.pdf")
        report.extend(info.diagnostics)
        written.append(info.path)
    return written


render_pdfs.incremental = True


def run_pdf(project, text_ids: list[str], *, echo=print, **overrides) -> int:
    """``edition pdf``: validate, then write the PDF of each text in ``text_ids`` (all, and the
    volume, when empty); print what was written. Returns the exit status."""
    from edition.build import load_documents, validate_documents
    from edition.diagnostics import EditionError

    options = pdf_options(project.pdf, **overrides)
    documents = load_documents(project)
    for text_id in text_ids:
        if text_id not in {d.id for d in documents}:
            project.text(text_id)  # raises with close matches
    report = validate_documents(project, documents)
    if report.errors:
        raise EditionError(*report.sorted())
    out = project.build_dir / "pdf"
    chosen = [d for d in documents if not text_ids or d.id in text_ids]
    jobs = [([d], False, out / f"{d.id}.pdf") for d in chosen]
    if not text_ids:
        jobs.append((documents, True, out / f"{VOLUME}.pdf"))
    for docs, volume, target in jobs:
        echo(f"laying out {target.name} …")
        info = render_pdf(project, docs, options, volume=volume, target=target)
        for diagnostic in info.diagnostics:
            echo(diagnostic.format())
        if volume:
            anew = ", ".join(info.laid_out) or "nothing: every piece came from build/.cache"
            echo(f"wrote {target} ({info.pages} pages; laid out anew: {anew}; {info.seconds:.1f} s)")
        else:
            echo(f"wrote {target} ({info.pages} pages, {info.passes} layout pass(es), "
                 f"{info.entries} apparatus entries, {info.seconds:.1f} s)")
    return 0
