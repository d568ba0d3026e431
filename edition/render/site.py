"""``edition build`` → ``build/html/``: the static web edition.

In: the project, its parsed TEI documents and the build's ``Report``. Out: ``build/html/``
holding ``index.html`` (the edition, its texts, how they were edited, the witnesses), one
``<id>.html`` per text (rendered by ``edition.render.html`` into the Jinja2 templates),
``index-2.html`` … when the texts fill more than one page of the list (``edition.render.home``:
by date, author or a TEI field, ``[html] texts_by``, ``texts_per_page``),
``search.html`` (its Pagefind index in ``pagefind/`` is ``edition.render.search``'s, a renderer
of its own that reads these pages), the TEI files in ``tei/`` for download, and the static assets in
``static/`` (CSS, scripts, the self-hosted fonts vendored by ``edition/render/vendor.py` (`make assets`)`).

Templates come from ``FileSystemLoader([project.user_templates, packaged templates])``, so an
editor's own ``templates/text.html`` (or any partial) shadows ours. Every file is written with
``write_atomic`` and only when its bytes changed, so an unchanged rebuild rewrites nothing.

Per text (``edition.render.sitetext``): a text's pages are made anew only when something they
show changed (its TEI, the templates, the settings, the other texts' titles), by the build's
workers when several are; the other texts' pages stay as they are and their records give the
home pages what they list. The pages about every text (home, search) are made each time the
renderer runs. The outputs are the same bytes whichever way they were made.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from edition.diagnostics import warning
from edition.fsutil import claim, write_atomic
from edition.project import Project
from edition.render import search
from edition.render.fontset import BOOK_FAMILY, FACES, VENDOR_DIR, unicode_range
from edition.render.home import check_settings, home_pages
from edition.render.pagecite import CitationCache
from edition.render.pdf.progress import current
from edition.render.sitetext import (
    Records,
    Shared,
    TextPages,
    environment_for,
    make_environment,
    render_pages,
    shared_facts,
    template_folders,
    text_key,
)
from edition.resources import static_dir
from edition.tei.document import Document


def environment(project: Project) -> Environment:
    """The Jinja2 environment: the editor's templates first, then the packaged ones."""
    return make_environment(template_folders(project))


# Fewer texts to make than this are made here: starting a worker costs more than it saves.
POOL_FROM = 4


def build_site(project: Project, documents: list[Document], report, pool=None) -> list[Path]:
    """Write the web edition, its pages and their search index; return the files (re)written."""
    written = write_pages(project, documents, report, pool)
    indexing = search.index_site(project, documents, report)
    return written + (indexing.finish() if hasattr(indexing, "finish") else indexing)


def write_pages(project: Project, documents: list[Document], report, pool=None) -> list[Path]:
    """Write the web edition's pages (the build's renderer; its search index is the next one,
    ``edition.render.search.index_site``); return the files that were (re)written.

    Each text's pages are made anew only when what they show changed (``sitetext``: else its
    record and its pages stay as the last build left them), by ``pool``'s workers when there
    are several (``edition.build.workers``); the pages about every text (home, search) are
    made from every text's record.
    """
    out_dir = project.build_dir / "html"
    documents = list(getattr(documents, "all", documents))
    written: list[Path] = []

    def put(rel: str, data: str | bytes) -> None:
        path = out_dir / rel
        if write_atomic(path, data):
            written.append(path)

    shared = shared_facts(project, documents)
    made = _text_pages(project, documents, shared, pool, put)
    for doc in documents:
        report.extend(made[doc.id].diagnostics)
    texts = [(doc, made[doc.id].meta, made[doc.id].rendered) for doc in documents]
    env = environment_for(shared.folders, shared.key)
    homes = {page.name: env.get_template("home.html").render(**shared.common, page_id="index", texts=page.texts,
                                                             home=page)
             for page in home_pages(project, texts)}
    for doc in documents:
        report.extend(made[doc.id].cite_warnings)
        put(f"tei/{doc.id}.xml", doc.path.read_bytes())
    for name, home in homes.items():
        put(name, home)
    put("search.html", env.get_template("search.html").render(**shared.common, page_id="search"))
    _static(project, put, report)
    return written


def _text_pages(project: Project, documents: list[Document], shared: Shared, pool, put) -> dict[str, TextPages]:
    """Every text's ``TextPages``: its record when still true, else made (here or by workers)
    and its pages written; the citation cache and the records kept for the next build."""
    out_dir = project.build_dir / "html"
    records = Records(project.build_dir)
    citations = CitationCache(project)
    made: dict[str, TextPages] = {}
    todo: list[tuple[Document, str, str, dict | None]] = []
    for doc in documents:
        key = text_key(shared, doc)
        citation_key, citation = citations.lookup(doc)
        kept = records.load(doc.id, key, out_dir, draft=project.draft)
        if kept is not None:
            made[doc.id] = kept
            claim(out_dir / name for name in kept.pages)
        else:
            todo.append((doc, key, citation_key, citation))
    if pool is not None and len(todo) >= POOL_FROM:
        work = [(render_pages, (project, doc.path, shared, key, ckey, cite)) for doc, key, ckey, cite in todo]
        fresh = (result for _, result in pool.run(work))
    else:
        fresh = (render_pages(project, doc, shared, key, ckey, cite) for doc, key, ckey, cite in todo)
    progress = current()   # the command's (edition build), else one that shows nothing
    progress.task("html", len(todo))
    for result in fresh:
        made[result.text_id] = result
        progress.book_done(result.text_id, done="made")
    progress.close()
    for doc, *_ in todo:   # once every text is made: a text that cannot be stops them all, unwritten
        for name, html in made[doc.id].pages.items():
            put(name, html)
        records.save(made[doc.id])
    for doc in documents:   # in the edition's order, whatever order the workers finished in
        citations.keep(doc.id, made[doc.id].citation)
    citations.save()
    records.prune({doc.id for doc in documents})
    return made


write_pages.check_settings = check_settings
write_pages.parallel = True   # takes ``pool``: edition.build hands it its workers


def _static(project: Project, put, report) -> None:
    """Copy the static assets (an editor's ``templates/static`` shadows ours) and the fonts."""
    sources = [static_dir()]
    user_static = project.user_templates / "static"
    if user_static.is_dir() and user_static.resolve() != static_dir().resolve():
        sources.append(user_static)
    files: dict[str, Path] = {}
    for folder in sources:   # later folders win
        for path in folder.rglob("*"):
            if path.is_file() and "vendor" not in path.relative_to(folder).parts[:1]:
                if folder == user_static and not path.resolve().is_relative_to(project.root.resolve()):
                    # a link to a file elsewhere on this computer (/etc/passwd) is never published
                    report.add(warning("W900", "not published: a link to a file outside the project "
                                       f"({path.resolve()})", path, hint="copy the file into templates/static/"))
                    continue
                files[path.relative_to(folder).as_posix()] = path
    if VENDOR_DIR.is_dir():
        for path in VENDOR_DIR.rglob("*"):
            if path.is_file():
                files["vendor/" + path.relative_to(VENDOR_DIR).as_posix()] = path
    for rel, path in sorted(files.items()):
        put(f"static/{rel}", path.read_bytes())
    put("static/fonts.css", font_css())


def font_css() -> str:
    """``@font-face`` rules for the vendored faces (none when ``make assets`` has not run): the
    book face, and each script face with the ``unicode-range`` it is the fallback for, so that a
    browser fetches it only for a page that has such a character."""
    rules = []
    for face in FACES:
        if not face.path.is_file():
            continue
        scope = "" if face.family == BOOK_FAMILY else f" unicode-range: {unicode_range(face.family)};"
        rules.append(f"@font-face {{ font-family: '{face.family}'; font-weight: {face.weight};"
                     f" font-style: {face.style}; font-display: swap;{scope}"
                     f" src: url('vendor/fonts/{face.path.name}') format('woff2'); }}")
    return "\n".join(rules) + "\n"
