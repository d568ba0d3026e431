"""TEI → print-ready PDF (WeasyPrint): one PDF per text and the whole edition as one volume.

In: the project, its TEI documents, ``PdfOptions`` (``[pdf]`` of ``edition.toml``). Out:
``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``, PDF/A-3a (tagged, with the TEI
attached) unless another variant is chosen. The HTML is the web edition's renderer's
(``edition.render.html``); ``document`` assembles the print HTML around it, ``layout`` lays it
out (``linekeys`` numbers the printed lines and keys the apparatus to them in several passes,
``footnotes`` orders the foot of the page), ``volume`` lays the whole edition out in cached
pieces joined by ``assemble``; ``templates/static/print.css`` is the book's typography.
"""

from __future__ import annotations

from pathlib import Path

from edition.fsutil import write_atomic
from edition.project import PROJECT_FILE
from edition.render.pdf.assemble import with_page_labels
from edition.render.pdf.chapters import mark_chapters
from edition.render.pdf.document import book_parts, compose_book
from edition.render.pdf.layout import PdfResult, make_pdf, shared_fonts, weasy_options
from edition.render.pdf.options import PdfOptions, pdf_options
from edition.render.pdf.pieces import render_pieces
from edition.render.pdf.progress import current
from edition.render.pdf.seed import prune_seeds, seed_path
from edition.render.pdf.volume import write_volume

__all__ = ["VOLUME", "PdfResult", "make_pdf", "render_pdf", "render_pdfs", "shared_fonts", "weasy_options"]

VOLUME = "edition"


def render_pdf(project, documents, options: PdfOptions, *, volume: bool, target: Path,
               jobs: int | None = None) -> PdfResult:
    """Write one PDF: the whole edition (``volume``) or the single text in ``documents``; a
    book-length text in pieces laid out by ``jobs`` processes (default: one per core)."""
    if volume:
        return write_volume(project, documents, options, target, jobs=jobs)
    parts = book_parts(project, documents, options)
    book = compose_book(parts, volume=False)
    if mark_chapters(book.tree, options):
        data, info = render_pieces(project, documents[0], options, jobs=jobs, parts=parts)
    else:
        data, info = make_pdf(book, options, project.root,
                              seed=seed_path(project.build_dir, f"text-{documents[0].id}"))
    data = with_page_labels(data, info.anchors.get(documents[0].id, 0))   # front matter i, ii …; the text 5, 6 …
    write_atomic(target, data)
    info.path = target
    return info


def render_pdfs(project, documents, report, options: PdfOptions | None = None, *,
                jobs: int | None = None) -> list[Path]:
    """The build's PDF renderer: ``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``.

    Incremental (``edition.build``): ``documents`` holds only the texts that changed, whose PDFs
    are redone; the volume, which holds every text (``documents.all``), is assembled again from
    its pieces, of which only the changed texts' are laid out again (``volume``). ``jobs``: the
    processes that lay out a book-length text's chapters (``pieces``; default: one per core).
    """
    options = options or check_settings(project)
    out = project.build_dir / "pdf"
    written = []
    all_documents = list(getattr(documents, "all", documents))
    progress = current()
    progress.task("pdf", len(documents) + bool(all_documents))
    for document in documents:
        progress.book(document.id)
        info = render_pdf(project, [document], options, volume=False, target=out / f"{document.id}.pdf",
                          jobs=jobs)
        progress.finished(f"{info.pages} pages, {info.passes} layout pass(es), {info.seconds:.1f} s")
        report.extend(info.diagnostics)
        written.append(info.path)
    if all_documents:
        progress.book(f"the volume ({VOLUME}.pdf)")
        info = render_pdf(project, all_documents, options, volume=True, target=out / f"{VOLUME}.pdf", jobs=jobs)
        progress.finished(f"{info.pages} pages, {len(info.laid_out)} piece(s) laid out anew, {info.seconds:.1f} s")
        report.extend(info.diagnostics)
        written.append(info.path)
        prune_seeds(project.build_dir, [d.id for d in all_documents])
    return written


def check_settings(project) -> PdfOptions:
    """The [pdf] settings checked (E701 with the line of edition.toml): the build calls this
    before anything is rendered, so a bad value stops it before any output is made."""
    return pdf_options(project.pdf, source=project.root / PROJECT_FILE)


render_pdfs.incremental = True
render_pdfs.check_settings = check_settings
