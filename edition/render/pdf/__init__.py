"""TEI → print-ready PDF (WeasyPrint): one PDF per text and the whole edition as one volume.

In: the project, its TEI documents, ``PdfOptions`` (``[pdf]`` of ``edition.toml``). Out:
``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``, PDF/A-3a (tagged, with the TEI
attached) unless another variant is chosen. The HTML is the web edition's renderer's
(``edition.render.html``); ``document`` assembles the print HTML around it, ``layout`` lays it
out (``linekeys`` numbers the printed lines and keys the apparatus to them in several passes,
``footnotes`` orders the foot of the page), ``volume`` lays the whole edition out in cached
pieces joined by ``assemble``; ``templates/static/print.css`` is the book's typography.

The package itself imports no part of the PDF stack (WeasyPrint takes a second to import):
the web edition's modules use its light modules (``paratext``, ``progress``), and the names
below that lay out (``render_pdf``, ``make_pdf`` …) are imported on first use.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from edition.diagnostics import Report
from edition.fsutil import claim, write_atomic
from edition.project import PROJECT_FILE
from edition.render.pdf.options import PdfOptions, pdf_options
from edition.render.pdf.progress import current

__all__ = ["VOLUME", "PdfResult", "make_pdf", "render_pdf", "render_pdfs", "shared_fonts", "weasy_options",
           "write_volume"]

VOLUME = "edition"


def __getattr__(name: str):
    """The laying-out names, imported from their modules on first use (the module docstring)."""
    if name in ("PdfResult", "make_pdf", "shared_fonts", "weasy_options"):
        from edition.render.pdf import layout
        return getattr(layout, name)
    if name == "render_pdf":
        from edition.render.pdf.pertext import render_pdf
        return render_pdf
    if name == "write_volume":
        from edition.render.pdf.volume import write_volume
        return write_volume
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_pdfs(project, documents, report, options: PdfOptions | None = None, *, pool=None,
                jobs: int | None = None) -> list[Path]:
    """The build's PDF renderer: ``build/pdf/<id>.pdf`` per text and ``build/pdf/edition.pdf``.

    Incremental (``edition.build``): ``documents`` holds only the texts that changed, whose PDFs
    are redone; the volume, which holds every text (``documents.all``), is assembled again from
    its pieces, of which only the changed texts' are laid out again (``volume``). ``pool`` (from
    ``edition.build.workers``): the texts' own PDFs are laid out by its workers (``pertext``),
    the volume here meanwhile; a book-length text (``chapters.likely_chaptered``) here too,
    before the volume, its chapters in this process's own pool and kept in the build's piece
    cache, where the volume finds them. ``jobs``: the processes that lay out a book-length text's
    chapters here (``pieces``; default: one per core).
    """
    from edition.render.pdf.chapters import likely_chaptered

    options = options or check_settings(project)
    written: list[Path] = []
    all_documents = list(getattr(documents, "all", documents))
    current().task("pdf", len(documents) + options.wants_volume(len(all_documents)))
    # a book-length text is laid out here, its chapters on every core and kept in the build's
    # piece cache, which its piece of the volume then shares; the other texts go to the workers
    # (one text alone, an edit, is laid out here: a worker would first have to start)
    long = [d for d in documents if likely_chaptered(d, options)]
    short = [d for d in documents if d not in long]
    pooled = _TextsInPool(project, short, options, pool) if pool is not None and len(short) > 1 else None
    if pooled is None:
        _texts_and_volume(project, documents, all_documents, options, report, written, jobs)
        return written
    try:
        here = {}   # said in the texts' order, the volume's findings after them, as in the serial order
        for document in long:
            here[document.id] = Report()
            _texts(project, [document], options, here[document.id], [], jobs)
        volume = Report()
        _volume(project, all_documents, options, volume, written, jobs)
        found = pooled.finish()
        for document in documents:
            report.extend(here[document.id].diagnostics if document in long else found.get(document.id, []))
        report.extend(volume.diagnostics)
        written[:0] = [project.build_dir / "pdf" / f"{d.id}.pdf" for d in documents]
    finally:
        if pooled is not None:
            pooled.stop()
    return written


def _texts_and_volume(project, documents, all_documents, options: PdfOptions, report, written: list[Path],
                      jobs: int | None = None) -> None:
    """The serial part: the texts in ``documents`` one after the other, then the volume."""
    _texts(project, documents, options, report, written, jobs)
    _volume(project, all_documents, options, report, written, jobs)


def _texts(project, documents, options: PdfOptions, report, written: list[Path], jobs: int | None) -> None:
    from edition.render.pdf.pertext import render_pdf

    out = project.build_dir / "pdf"
    progress = current()
    for document in documents:
        progress.book(document.id)
        info = render_pdf(project, [document], options, volume=False, target=out / f"{document.id}.pdf",
                          jobs=jobs)
        progress.finished(f"{info.pages} pages, {info.passes} layout pass(es), {info.seconds:.1f} s")
        report.extend(info.diagnostics)
        written.append(info.path)


def _volume(project, all_documents, options: PdfOptions, report, written: list[Path], jobs: int | None) -> None:
    from edition.render.pdf.pertext import render_pdf
    from edition.render.pdf.seed import prune_seeds

    out = project.build_dir / "pdf"
    if not options.wants_volume(len(all_documents)):
        # off ([pdf] volume), or "auto" and the edition grew past volume_max_texts: an old
        # volume would be a stale one
        (out / f"{VOLUME}.pdf").unlink(missing_ok=True)
        prune_seeds(project.build_dir, [d.id for d in all_documents])
    elif all_documents:
        current().book(f"the volume ({VOLUME}.pdf)")
        info = render_pdf(project, all_documents, options, volume=True, target=out / f"{VOLUME}.pdf", jobs=jobs)
        current().finished(f"{info.pages} pages, {len(info.laid_out)} piece(s) laid out anew, {info.seconds:.1f} s")
        report.extend(info.diagnostics)
        written.append(info.path)
        prune_seeds(project.build_dir, [d.id for d in all_documents])


class _TextsInPool:
    """Each text's PDF laid out by a worker (``pertext``) while this process lays out the
    volume: a thread takes the results as they come, writes their files into the build and
    counts them; ``finish`` reports the findings in the texts' order, whichever came first."""

    def __init__(self, project, documents, options: PdfOptions, pool):
        from edition.render.pdf.fonts import FONT_CACHE
        from edition.render.pdf.pertext import TextPdf, layout_text, seed_of

        self.build_dir = project.build_dir
        fonts = self.build_dir / FONT_CACHE
        fonts.mkdir(parents=True, exist_ok=True)
        self.fonts, self.fonts_before = fonts, set(fonts.iterdir())
        self.work = [(layout_text, (project, options, d.path, seed_of(self.build_dir, d.id), fonts))
                     for d in documents]
        self.done: dict[int, TextPdf] = {}
        self.failure: BaseException | None = None
        self.stopped = threading.Event()
        self.progress = current()
        self.thread = threading.Thread(target=self._collect, args=(pool,), name="edition-pdf-texts", daemon=True)
        self.thread.start()

    def _collect(self, pool) -> None:
        try:
            for index, made in pool.run(self.work):
                if self.stopped.is_set():
                    return   # the build stopped: nothing more goes into its staging folder
                for rel, data in made.files.items():
                    write_atomic(self.build_dir / rel, data)
                self.progress.book_done(made.text_id, f"{made.pages} pages, {made.passes} layout pass(es), "
                                                      f"{made.seconds:.1f} s")
                self.done[index] = made
        except BaseException as exc:  # noqa: BLE001 — raised again in the build's thread by ``finish``
            self.failure = exc

    def finish(self) -> dict[str, list]:
        """Wait for every text; raise what stopped a worker; return each text's findings, by id."""
        from edition.render.pdf.pertext import place

        self.thread.join()
        if self.failure is not None:
            raise self.failure
        # the faces the workers unpacked into the build are its outputs, as when this process does it
        claim(sorted(set(self.fonts.iterdir()) - self.fonts_before))
        return {made.text_id: [place(d, self.build_dir) for d in made.diagnostics] for made in self.done.values()}

    def stop(self) -> None:
        self.stopped.set()


def check_settings(project) -> PdfOptions:
    """The [pdf] settings checked (E701 with the line of edition.toml): the build calls this
    before anything is rendered, so a bad value stops it before any output is made."""
    return pdf_options(project.pdf, source=project.root / PROJECT_FILE)


def prepare(project, documents) -> None:
    """Before the build renders anything: when a text will be laid out in pieces, the fork server
    its workers come from is started, to import the layout meanwhile (``forkserver``)."""
    from edition.render.pdf.chapters import likely_chaptered
    from edition.render.pdf.forkserver import start_server

    options = check_settings(project)
    if (os.cpu_count() or 1) > 1 and any(likely_chaptered(d, options) for d in documents):
        start_server()


render_pdfs.incremental = True
render_pdfs.check_settings = check_settings
render_pdfs.prepare = prepare
render_pdfs.parallel = True   # takes ``pool``: edition.build hands it its workers
