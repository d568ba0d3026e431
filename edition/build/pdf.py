"""``edition pdf``: validate, then lay out the PDF of some texts (or all, and the volume).

In: the project, the ids of the texts asked for, option overrides (trim, press marks, apparatus
types). Out: ``build/pdf/<id>.pdf`` for each text asked for, and ``build/pdf/edition.pdf`` when
none is named; a line per PDF written. Nothing is written when the TEI has errors, unless it
is a draft (``--draft``, ``[build] draft``): each PDF then says "Draft — N errors" on every page.

Like ``edition build``, the PDFs are made in a staging copy of ``build/`` published whole
once all are done (``edition.build.publish.in_staging``): a failure or a kill leaves
``build/`` and every PDF in it as they were.
"""

from __future__ import annotations

from edition.build import (
    allow_deep_nesting,
    build_lock,
    draft,
    in_staging,
    load_documents,
    validate_documents,
)
from edition.diagnostics import EditionError
from edition.project import PROJECT_FILE
from edition.render.pdf import VOLUME, render_pdf
from edition.render.pdf.options import pdf_options
from edition.render.pdf.progress import current


def run_pdf(project, text_ids: list[str], *, echo=print, quiet: bool = False, jobs: int | None = None,
            **overrides) -> int:
    """``edition pdf``: validate, then write the PDF of each text in ``text_ids`` (all, and the
    volume, when empty); print what was written (``quiet``: only the diagnostics); the progress
    goes to the active ``progress.Progress``; ``jobs``: the processes laying out a book-length
    text's chapters (``edition.render.pdf.pieces``). Returns the exit status."""
    options = pdf_options(project.pdf, source=project.root / PROJECT_FILE, **overrides)
    project.check_tei_dir()
    allow_deep_nesting()
    documents = load_documents(project)
    for text_id in text_ids:
        if text_id not in {d.id for d in documents}:
            project.text(text_id)  # raises with close matches
    report = validate_documents(project, documents)
    if report.errors and not project.draft:
        raise EditionError(*report.sorted())
    for diagnostic in draft.demoted(report).sorted() if project.draft else []:
        echo(diagnostic.format())
    chosen = [d for d in documents if not text_ids or d.id in text_ids]
    todo = [([d], False, f"{d.id}.pdf") for d in chosen]
    if not text_ids and options.wants_volume(len(documents)):
        todo.append((documents, True, f"{VOLUME}.pdf"))
    with build_lock(project):
        made, _ = in_staging(project, lambda staged: _lay_out(staged, todo, options, report, jobs))
    out = project.build_dir / "pdf"
    for name, volume, info in made:
        for diagnostic in info.diagnostics:
            echo(diagnostic.format())
        if quiet:
            continue
        target = out / name
        if volume:
            anew = ", ".join(info.laid_out) or "nothing: every piece came from build/.cache"
            echo(f"wrote {target} ({info.pages} pages; laid out anew: {anew}; {info.seconds:.1f} s)")
        else:
            chapters = f"; {info.pieces} chapters, laid out anew: {', '.join(info.laid_out) or 'none'}" \
                if info.pieces else ""
            echo(f"wrote {target} ({info.pages} pages, {info.passes} layout pass(es), "
                 f"{info.entries} apparatus entries{chapters}, {info.seconds:.1f} s)")
    return 0


def _lay_out(staged, todo, options, report, jobs: int | None) -> list:
    """Write each PDF of ``todo`` into the staging folder (a book-length text's chapters laid out
    by ``jobs`` processes); (file name, volume, ``PdfResult``) each."""
    out = staged.build_dir / "pdf"
    progress = current()
    progress.task("pdf", len(todo))
    made = []
    for docs, volume, name in todo:
        progress.book(name)
        info = render_pdf(staged, docs, options, volume=volume, target=out / name, jobs=jobs)
        if staged.draft:
            draft.stamp_pdf(out / name, draft.label(len(report.errors)))
        progress.finished()
        made.append((name, volume, info))
    return made
