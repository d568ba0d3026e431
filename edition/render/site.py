"""``edition build`` → ``build/html/``: the static web edition.

In: the project, its parsed TEI documents and the build's ``Report``. Out: ``build/html/``
holding ``index.html`` (the edition, its texts, how they were edited, the witnesses), one
``<id>.html`` per text (rendered by ``edition.render.html`` into the Jinja2 templates),
``index-2.html`` … when the texts fill more than one page of the list (``edition.render.home``:
by date, author or a TEI field, ``[html] texts_by``, ``texts_per_page``),
``search.html`` with a Pagefind index in ``pagefind/`` (every word of every text, variant
readings included), the TEI files in ``tei/`` for download, and the static assets in
``static/`` (CSS, scripts, the self-hosted fonts vendored by ``edition/render/vendor.py` (`make assets`)`).

Templates come from ``FileSystemLoader([project.user_templates, packaged templates])``, so an
editor's own ``templates/text.html`` (or any partial) shadows ours. Every file is written with
``write_atomic`` and only when its bytes changed, so an unchanged rebuild rewrites nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from edition import __version__
from edition.citation.item import split_above, text_url
from edition.diagnostics import EditionError, error, warning
from edition.fsutil import write_atomic
from edition.project import GENERATED_NAMES, Project
from edition.render import search
from edition.render.chapters import render_split, set_paratext_apart, write_split_pages
from edition.render.fontset import BOOK_FAMILY, FACES, VENDOR_DIR, unicode_range
from edition.render.home import check_settings, home_pages
from edition.render.html import RenderContext, render_text
from edition.render.metadata import highwire_tags, json_ld, text_metadata
from edition.render.pagecite import NO_CITATIONS, CitationCache, PageCitations
from edition.render.pdf.paratext import split_paratext
from edition.render.variantmap import variant_map
from edition.resources import static_dir, templates_dir
from edition.tei.document import Document
from edition.tei.pages import page_plan
from edition.tei.witnesses import is_parallel_segmentation, witnesses_of

SEARCH_STAMP = Path(".cache") / "html-search.sha256"   # in build/: what the index was made from


def environment(project: Project) -> Environment:
    """The Jinja2 environment: the editor's templates first, then the packaged ones."""
    folders = [str(p) for p in (project.user_templates, templates_dir()) if p.is_dir()]
    env = Environment(loader=FileSystemLoader(folders), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson_script"] = lambda value: json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return env


def build_site(project: Project, documents: list[Document], report) -> list[Path]:
    """Write the whole web edition; return the files that were (re)written."""
    out_dir = project.build_dir / "html"
    env = environment(project)
    documents = list(getattr(documents, "all", documents))
    written: list[Path] = []

    def put(rel: str, data: str | bytes) -> None:
        path = out_dir / rel
        if write_atomic(path, data):
            written.append(path)

    texts, splits = [], {}
    for doc in documents:
        plan = page_plan(doc.root, doc.id, split_above(project))
        if plan.split:   # a long text: one page per top-level division (edition.render.chapters)
            check_page_names(plan, documents)
            splits[doc.id] = (render_split(doc, plan, RenderContext()), plan)
            rendered = splits[doc.id][0].whole
        else:
            rendered = render_text(doc, RenderContext())
            if split_above(project) and plan.size > split_above(project):
                report.add(warning("W460", f"the text has {plan.size} characters (more than [html] split_above, "
                                   f"{split_above(project)}) but fewer than two top-level divisions: one page",
                                   doc.path, hint="divide the text into <div>s in its <body> to publish it page by page"))
        report.extend(rendered.diagnostics)
        # a witness's own paratext (issue line, standfirst, byline, credit) stands apart from the
        # numbered text, after it, as in the PDF
        body, paratext = split_paratext(rendered.body, doc.title)
        rendered = replace(rendered, body=body, paratext_html=paratext)
        if doc.id in splits:   # a long text's pages: the list after its last page's text
            set_paratext_apart(splits[doc.id][0], paratext, doc.title)
        texts.append((doc, text_metadata(doc, project), rendered))
    common = _common(project, [(d, m) for d, m, _ in texts])
    maps = {doc.id: variant_map(doc, rendered.body, meta.title) for doc, meta, rendered in texts}

    def text_pages(doc, meta, rendered, cites: PageCitations) -> dict[str, str]:
        """``{file name: html}`` of a text: its page, or its contents and division pages."""
        if doc.id not in splits:
            return {f"{doc.id}.html": text_page(doc, meta, rendered, cites)}
        split, plan = splits[doc.id]
        extra = {**common, "highwire": highwire_tags(meta), "jsonld": json_ld(meta)}
        return write_split_pages(env, extra, doc, meta, split, plan, lambda f: text_url(project, doc.id, None, None, f),
                                 cites, maps[doc.id], _downloads(doc, "epub" in project.outputs))

    def text_page(doc, meta, rendered, cites: PageCitations) -> str:
        return env.get_template("text.html").render(
            **common, page_id=doc.id, meta=meta, text=rendered, highwire=highwire_tags(meta),
            jsonld=json_ld(meta), variants=maps[doc.id], downloads=_downloads(doc, "epub" in project.outputs), cite=cites.passage, cite_text=cites.text)

    homes = {page.name: env.get_template("home.html").render(**common, page_id="index", texts=page.texts, home=page)
             for page in home_pages(project, texts)}
    index_job = None
    if project.html.get("search", True):
        # The index reads the text (data-pagefind-body), never the citations (a script and a
        # block marked data-pagefind-ignore): it is built from the pages without them while
        # citeproc formats them, which takes about as long.
        pages = {name: html for doc, meta, rendered in texts
                 for name, html in text_pages(doc, meta, rendered, NO_CITATIONS).items()}
        pages.update(homes)
        index_job = search.start_index(pages, out_dir / "pagefind", project.build_dir / SEARCH_STAMP)
    citations = CitationCache(project)
    try:
        for doc, meta, rendered in texts:
            for name, html in text_pages(doc, meta, rendered, citations.get(doc, report)).items():
                put(name, html)
            put(f"tei/{doc.id}.xml", doc.path.read_bytes())
        citations.save()
        for name, home in homes.items():
            put(name, home)
        put("search.html", env.get_template("search.html").render(**common, page_id="search"))
        _static(project, put, report)
    finally:
        if index_job is not None:
            written.extend(index_job.result())
    return written


def check_page_names(plan, documents) -> None:
    """A division page (``<id>.<n>.html``) must not be another text's page (a text ``<id>.<n>``)."""
    taken = {f"{d.id}.html" for d in documents} | {f"{name}.html" for name in GENERATED_NAMES}
    clash = next((p for p in plan.parts if p.file in taken), None)
    if clash is not None:
        raise EditionError(error("E460", f"the page of division {clash.number} of '{plan.text_id}' would be "
                                 f"{clash.file}, the page of another text", project_hint_path(documents, plan),
                                 hint="rename one of the two TEI files, or raise [html] split_above"))


def project_hint_path(documents, plan):
    return next((d.path for d in documents if d.id == plan.text_id), None)


build_site.check_settings = check_settings


def _common(project: Project, texts) -> dict:
    settings = project.settings
    return {
        "edition": settings, "edition_title": settings.get("title", "Edition"),
        "language": settings.get("language", "en"), "version": __version__,
        "nav": [(doc.id, meta.title) for doc, meta in texts],
        "search_enabled": project.html.get("search", True),
    }


def _downloads(doc: Document, epub: bool = False) -> list[tuple[str, str, str]]:
    """(label, relative URL, format) of every download of a text.

    The witnesses' texts are those ``edition.render.witnesses`` writes (same test, same
    file names), so a link is never to a file the txt output does not make.
    """
    items = [("TEI P5 XML", f"tei/{doc.id}.xml", "XML"), ("PDF", f"../pdf/{doc.id}.pdf", "PDF"),
             ("Plain text (edited)", f"../txt/{doc.id}.txt", "TXT")]
    if epub:
        items.insert(2, ("EPUB (e-readers)", f"../epub/{doc.id}.epub", "EPUB"))
    if doc.xpath("//tei:listWit") and is_parallel_segmentation(doc.root):
        for wit, siglum in witnesses_of(doc.root):
            items.append((f"Plain text of witness {siglum}", f"../txt/{doc.id}.{wit}.txt", "TXT"))
    return items


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
