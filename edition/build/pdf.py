"""``edition pdf``: validate, then lay out the PDF of some texts (or all, and the volume).

In: the project, the ids of the texts asked for, option overrides (trim, press marks, apparatus
types). Out: ``build/pdf/<id>.pdf`` for each text asked for, and ``build/pdf/edition.pdf`` when
none is named; a line per PDF written. Nothing is written when the TEI has errors, unless it
is a draft (``--draft``, ``[build] draft``): each PDF then says "Draft — N errors" on every page.
"""

from __future__ import annotations

from edition.build import allow_deep_nesting, draft, load_documents, validate_documents
from edition.diagnostics import EditionError
from edition.project import PROJECT_FILE
from edition.render.pdf import VOLUME, render_pdf
from edition.render.pdf.options import pdf_options
from edition.render.pdf.progress import current


def run_pdf(project, text_ids: list[str], *, echo=print, quiet: bool = False, **overrides) -> int:
    """``edition pdf``: validate, then write the PDF of each text in ``text_ids`` (all, and the
    volume, when empty); print what was written (``quiet``: only the diagnostics); the progress
    goes to the active ``progress.Progress``. Returns the exit status."""
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
    out = project.build_dir / "pdf"
    chosen = [d for d in documents if not text_ids or d.id in text_ids]
    jobs = [([d], False, out / f"{d.id}.pdf") for d in chosen]
    if not text_ids and options.wants_volume(len(documents)):
        jobs.append((documents, True, out / f"{VOLUME}.pdf"))
    progress = current()
    progress.task("pdf", len(jobs))
    for docs, volume, target in jobs:
        progress.book(target.name)
        info = render_pdf(project, docs, options, volume=volume, target=target)
        if project.draft:
            draft.stamp_pdf(target, draft.label(len(report.errors)))
        progress.finished()
        for diagnostic in info.diagnostics:
            echo(diagnostic.format())
        if quiet:
            continue
        if volume:
            anew = ", ".join(info.laid_out) or "nothing: every piece came from build/.cache"
            echo(f"wrote {target} ({info.pages} pages; laid out anew: {anew}; {info.seconds:.1f} s)")
        else:
            echo(f"wrote {target} ({info.pages} pages, {info.passes} layout pass(es), "
                 f"{info.entries} apparatus entries, {info.seconds:.1f} s)")
    return 0
