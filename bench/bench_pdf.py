"""PDF speed: the whole volume, and the line-keyed layout against one WeasyPrint pass.

Measures in one run: (1) ``build/pdf/edition.pdf``-style volume of every TEI file in ``tei/``;
(2) for the collated text (the TEI with the most ``<app>``), the keyed layout (all passes plus
writing the PDF) against a single WeasyPrint pass (render + write) of the very HTML of the
keyed layout's last pass. Goal: keyed under 2.5 × the single pass. Both start with no font
loaded: the keyed layout decodes the book face once for all its passes (``shared_fonts``), the
single pass once, as plain WeasyPrint does.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 2.5


def _collated(documents):
    return max(documents, key=lambda d: len(d.xpath("//tei:text//tei:app")))


def run() -> list[str]:
    """Measure and return the lines to print."""
    import weasyprint

    from edition.build import load_documents
    from edition.project import load_project
    from edition.render.pdf import make_pdf, render_pdf, shared_fonts, weasy_options
    from edition.render.pdf.document import build_book, stylesheet_path
    from edition.render.pdf.footnotes import ordered_footnotes
    from edition.render.pdf.options import pdf_options

    project = load_project(ROOT)
    options = pdf_options(project.pdf)
    documents = load_documents(project)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        # the volume's pieces are cached under the build folder: a fresh one, for a cold layout
        saved = dict(project.settings)
        project.settings["build_dir"] = tmp
        start = time.perf_counter()
        info = render_pdf(project, documents, options, volume=True, target=Path(tmp) / "edition.pdf")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = render_pdf(project, documents, options, volume=True, target=Path(tmp) / "edition.pdf")
        lines.append(f"volume: {len(documents)} texts, {info.pages} pages, {cold:.1f} s ({len(info.laid_out)} pieces "
                     f"laid out); again, nothing changed: {time.perf_counter() - start:.2f} s "
                     f"({len(again.laid_out)} laid out)")
        project.settings.clear()
        project.settings.update(saved)

    document = _collated(documents)
    book = build_book(project, [document], options, volume=False)
    shared_fonts.cache_clear()   # the volume above loaded the fonts: start as cold as the single pass
    start = time.perf_counter()
    _, keyed = make_pdf(book, options, project.root)
    keyed_time = time.perf_counter() - start

    css = weasyprint.CSS(filename=str(stylesheet_path()))
    weasy = weasy_options(options)
    start = time.perf_counter()
    with ordered_footnotes():
        single = weasyprint.HTML(string=keyed.html, base_url=str(project.root)).render(stylesheets=[css], **weasy)
    single.write_pdf(**weasy)
    single_time = time.perf_counter() - start
    ratio = keyed_time / single_time
    lines.append(f"{document.id}: keyed layout {keyed_time:.2f} s ({keyed.passes} passes, {keyed.entries} entries,"
                 f" {keyed.pages} pages); one WeasyPrint pass of the same HTML {single_time:.2f} s")
    lines.append(f"ratio {ratio:.2f} × (goal < {GOAL} ×): {'met' if ratio < GOAL else 'NOT met'}")
    return lines
