"""One PDF written (``render_pdf``), and one text's laid out away from the build folder: the
unit of work of a process pool.

In: the project (its settings and root, which the worker must see at the same path), the
``PdfOptions``, the text's TEI path and its layout seed from the last build (bytes, or None).
Out: a ``TextPdf``: every file the layout made (the PDF, the new seed), as bytes keyed by their
path under ``build/``, and the layout's findings. The worker writes nothing of the build: the
parent writes the files into the staging folder (``edition.build.publish``), so a worker on
another machine, or one killed half-way, leaves the build as it was.

The layout is ``render_pdf``'s, the very one the serial build runs, into a scratch folder; the
unpacked fonts (``fonts.FONT_CACHE``) are kept per process, in one scratch folder that outlives
the texts, so that each face is decompressed once per worker rather than once per text.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import Diagnostic
from edition.fsutil import write_atomic
from edition.render.pdf.assemble import with_page_labels
from edition.render.pdf.bookparts import book_parts
from edition.render.pdf.chapters import likely_chaptered, mark_chapters
from edition.render.pdf.document import compose_book
from edition.render.pdf.fonts import FONT_CACHE
from edition.render.pdf.forkserver import start_server
from edition.render.pdf.layout import PdfResult, make_pdf
from edition.render.pdf.memory import release_memory
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.pieces import render_pieces
from edition.render.pdf.seed import seed_path
from edition.render.pdf.volume import write_volume
from edition.tei.document import Document


@dataclass
class TextPdf:
    """What one text's layout made: files by their path under ``build/``, and its findings."""

    text_id: str
    files: dict[str, bytes]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    passes: int = 0
    seconds: float = 0.0


def render_pdf(project, documents, options: PdfOptions, *, volume: bool, target: Path,
               jobs: int | None = None) -> PdfResult:
    """Write one PDF: the whole edition (``volume``) or the single text in ``documents``; a
    book-length text in pieces laid out by ``jobs`` processes (default: one per core)."""
    if volume:
        info = write_volume(project, documents, options, target, jobs=jobs)
        release_memory()   # the joined pieces' heap: not held while the build goes on
        return info
    if jobs != 1 and likely_chaptered(documents[0], options):
        start_server()   # its workers' layout modules imported while the book is composed
    parts = book_parts(project, documents, options)
    book = compose_book(parts, volume=False)
    if mark_chapters(book.tree, options):   # labelled as the pieces are joined
        book = None   # the pieces make their own: not held while they are laid out and joined
        data, info = render_pieces(project, documents[0], options, jobs=jobs, parts=parts)
    else:
        data, info = make_pdf(book, options, project.root,
                              seed=seed_path(project.build_dir, f"text-{documents[0].id}"))
        data = with_page_labels(data, info.anchors.get(documents[0].id, 0))   # front matter i, ii …; the text 1, 2 …
    write_atomic(target, data)
    del data, book, parts
    release_memory()   # the layout's (or the join's) heap: not held while the build goes on
    info.path = target
    return info


def seed_of(build_dir: Path, text_id: str) -> bytes | None:
    """The text's seed from the last build, to send with its work (None when there is none)."""
    path = seed_path(build_dir, f"text-{text_id}")
    try:
        return path.read_bytes()
    except OSError:
        return None


@functools.cache
def _fonts_folder() -> Path:
    """This process's unpacked fonts: made once, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="edition-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def layout_text(project, options: PdfOptions, tei_path: Path, seed: bytes | None, fonts: Path | None = None) -> TextPdf:
    """Lay out one text's PDF as the serial build does, in a scratch folder; return its files.
    ``fonts``: the build's unpacked fonts, shared when this worker can write there (a worker
    on this machine), else this process's own."""
    document = Document.load(tei_path)
    with tempfile.TemporaryDirectory(prefix="edition-text-") as tmp:
        scratch = Path(tmp)
        (scratch / FONT_CACHE).parent.mkdir(parents=True)
        shared = fonts is not None and fonts.is_dir() and os.access(fonts, os.W_OK)
        (scratch / FONT_CACHE).symlink_to(fonts if shared else _fonts_folder(), target_is_directory=True)
        seed_file = seed_path(scratch, f"text-{document.id}")
        if seed is not None:
            seed_file.parent.mkdir(parents=True, exist_ok=True)
            seed_file.write_bytes(seed)
        away = dataclasses.replace(project, output_dir=scratch)
        # one process here: the pool that sent this text already keeps every core busy
        info = render_pdf(away, [document], options, volume=False, target=scratch / "pdf" / f"{document.id}.pdf",
                          jobs=1)
        files = {path.relative_to(scratch).as_posix(): path.read_bytes()
                 for path in sorted(scratch.rglob("*"))
                 if path.is_file() and not path.is_relative_to(scratch / FONT_CACHE)}
        diagnostics = [_moved(d, scratch) for d in info.diagnostics]
    return TextPdf(document.id, files, diagnostics, info.pages, info.passes, info.seconds)


def _moved(diagnostic: Diagnostic, scratch: Path) -> Diagnostic:
    """A finding that names a file of the scratch folder names it relative to ``build/``
    (``place`` puts it back where the parent publishes it)."""
    if diagnostic.path and Path(diagnostic.path).is_relative_to(scratch):
        return dataclasses.replace(diagnostic, path=f"{SCRATCH}/{Path(diagnostic.path).relative_to(scratch).as_posix()}")
    return diagnostic


SCRATCH = "<build>"


def place(diagnostic: Diagnostic, build_dir: Path) -> Diagnostic:
    """The inverse of ``_moved``: a scratch path put back under the build folder."""
    if diagnostic.path and diagnostic.path.startswith(SCRATCH + "/"):
        return dataclasses.replace(diagnostic, path=str(build_dir / diagnostic.path[len(SCRATCH) + 1:]))
    return diagnostic
