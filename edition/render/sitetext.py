"""One text's web pages: the unit of the web edition's work, made here or by a worker, kept between builds.

In: the project, one text (a parsed ``Document``, or the path of its TEI for a worker that reads
it), the ``Shared`` facts of the edition that every text's page shows, and the text's formatted
citations when the citation cache has them (``edition.render.pagecite``). Out: a ``TextPages``:
the text's pages as ``{file name: html}`` (``<id>.html``, or a contents page and one page per
division of a long text), its metadata and rendering for the home page, its findings and the
citations formatted for it. Nothing is written: ``edition.render.site`` writes the pages.

What a text's pages show, and so its key (``text_key``): the text's TEI (its bytes and where it
stands), and the ``Shared`` facts: the tool, the citation styles, the templates (the editor's
and ours, by content), the settings the pages read (``[edition]``, ``[html]``, the outputs, the
build being a draft), and the other texts' ids and titles (the navigation a template may show,
and the page names a long text's division pages must not take, E460). Nothing else of another
text is on a text's page: a change to one text changes its key alone, unless its title
changed (then every page is made again, as the navigation may name it).

``Records`` keeps each text's ``TextPages`` (without the pages' HTML, which is the published
files, checked by their SHA-256) in ``build/.cache/html-texts/<id>.pickle``; a record is used
only when its key is the text's key now and every page it names is in the build with the bytes
it was written with. The key covers the tool's fingerprint, so a record is only ever read by
the code that wrote it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from edition import __version__
from edition.citation.item import split_above, text_url
from edition.diagnostics import Diagnostic, EditionError, error, warning
from edition.fsutil import claim, digest, write_atomic
from edition.project import GENERATED_NAMES, Project
from edition.render.chapters import render_split, set_paratext_apart, write_split_pages
from edition.render.draftmark import unmarked
from edition.render.html import RenderContext, render_text
from edition.render.metadata import (
    TextMeta,
    edited_by,
    highwire_tags,
    json_ld,
    name_in_sentence,
    text_metadata,
)
from edition.render.pagecite import code_version, format_citations
from edition.render.pdf.paratext import split_paratext
from edition.render.rendered import RenderedText
from edition.render.variantmap import variant_map
from edition.resources import package_fingerprint, templates_dir
from edition.tei.document import Document
from edition.tei.pages import page_plan
from edition.tei.witnesses import is_parallel_segmentation, witnesses_of

RECORDS = Path(".cache") / "html-texts"   # in build/: one record per text


@dataclass(frozen=True)
class Shared:
    """What every text's pages show of the edition, and its digest."""

    common: dict          # the templates' common context: settings, titles, navigation
    taken: frozenset      # page names of the texts and of the build's own pages (E460)
    epub: bool            # the downloads list an EPUB
    split_above: int | None
    folders: tuple        # the template folders, the editor's first
    key: str


@dataclass
class TextPages:
    """One text's pages and what the site needs of it besides."""

    text_id: str
    key: str
    meta: TextMeta
    rendered: RenderedText              # as the home page lists it
    diagnostics: list[Diagnostic]       # the rendering's (W460 first)
    cite_warnings: list[Diagnostic]     # the citations' (W603), said after every text's
    citation: dict | None = None        # the citation cache's entry (None: not cacheable)
    sha: dict[str, str] = field(default_factory=dict)   # file name → SHA-256 of its page
    pages: dict[str, str] = field(default_factory=dict)  # file name → html (not in the record)


def template_folders(project: Project) -> tuple[str, ...]:
    """The editor's templates first, then the packaged ones."""
    return tuple(str(p) for p in (project.user_templates, templates_dir()) if p.is_dir())


def _templates_digest(folders: tuple[str, ...]) -> str:
    """The templates by content (the static assets are copied, not shown by a template)."""
    parts = []
    for number, folder in enumerate(folders):
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root)
            if rel.parts[0] != "static" and "__pycache__" not in rel.parts:
                parts.append(f"{number}:{rel.as_posix()}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return digest(*parts)


@functools.lru_cache(maxsize=4)
def environment_for(folders: tuple[str, ...], digest: str) -> Environment:
    """The Jinja2 environment of these folders, kept while they are unchanged (``digest``): one
    per process, so a worker compiles each template once for all its texts."""
    return make_environment(folders)


def make_environment(folders: tuple[str, ...]) -> Environment:
    """A Jinja2 environment of these folders (the first shadows the next)."""
    env = Environment(loader=FileSystemLoader(list(folders)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson_script"] = lambda value: json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    env.filters["edited_by"] = edited_by   # a body's name in a sentence: "edited by the …"
    env.filters["name_in_sentence"] = name_in_sentence
    return env


def shared_facts(project: Project, documents: list[Document]) -> Shared:
    """The edition's facts every text's page shows (module docstring)."""
    settings = project.settings
    common = {
        "edition": settings, "edition_title": settings.get("title", "Edition"),
        "language": settings.get("language", "en"), "version": __version__,
        "nav": [(doc.id, doc.title) for doc in documents],
        # no text, nothing to search: no index is made (``search``), and no search box shown
        "search_enabled": project.html.get("search", True) and bool(documents),
    }
    taken = frozenset({f"{d.id}.html" for d in documents} | {f"{name}.html" for name in GENERATED_NAMES})
    folders = template_folders(project)
    facts = json.dumps({"edition": settings, "html": project.html, "outputs": project.outputs,
                        "draft": project.draft, "nav": common["nav"], "taken": sorted(taken)},
                       sort_keys=True, ensure_ascii=False, default=str)
    key = digest(package_fingerprint(), code_version(), _templates_digest(folders), facts)
    return Shared(common, taken, "epub" in project.outputs, split_above(project), folders, key)


def text_key(shared: Shared, doc: Document) -> str:
    """Everything the text's pages show: the edition's facts and the text's TEI."""
    return digest(shared.key, doc.id, str(doc.path), doc.path.read_bytes())


def render_pages(project: Project, text: Document | Path, shared: Shared, key: str,
                 citation_key: str, citation: dict | None) -> TextPages:
    """The text's pages (module docstring); ``text`` a parsed TEI or its path (a worker)."""
    doc = text if isinstance(text, Document) else Document.load(text)
    env = environment_for(shared.folders, shared.key)
    diagnostics: list[Diagnostic] = []
    plan = page_plan(doc.root, doc.id, shared.split_above)
    split = None
    if plan.split:   # a long text: one page per top-level division (edition.render.chapters)
        check_page_names(plan, doc, shared.taken)
        split = render_split(doc, plan, RenderContext())
        rendered = split.whole
    else:
        rendered = render_text(doc, RenderContext())
        if shared.split_above and plan.size > shared.split_above:
            diagnostics.append(warning("W460", f"the text has {plan.size} characters (more than [html] split_above, "
                                       f"{shared.split_above}) but fewer than two top-level divisions: one page",
                                       doc.path, hint="divide the text into <div>s in its <body> to publish it "
                                                      "page by page"))
    diagnostics.extend(rendered.diagnostics)
    # a witness's own paratext (issue line, standfirst, byline, credit) stands apart from the
    # numbered text, after it, as in the PDF
    body, paratext = split_paratext(rendered.body, doc.title)
    rendered = replace(rendered, body=body, paratext_html=paratext)
    if split is not None:   # a long text's pages: the list after its last page's text
        set_paratext_apart(split, paratext, doc.title)
    meta = text_metadata(doc, project)
    cites, entry, cite_warnings = format_citations(project, doc, citation_key, citation)
    variants = variant_map(doc, rendered.body, meta.title)
    downloads = _downloads(doc, shared.epub)
    if split is None:
        pages = {f"{doc.id}.html": env.get_template("text.html").render(
            **shared.common, page_id=doc.id, meta=meta, text=rendered, highwire=highwire_tags(meta),
            jsonld=json_ld(meta), variants=variants, downloads=downloads, cite=cites.passage, cite_text=cites.text)}
    else:
        extra = {**shared.common, "highwire": highwire_tags(meta), "jsonld": json_ld(meta)}
        pages = write_split_pages(env, extra, doc, meta, split, plan,
                                  lambda f: text_url(project, doc.id, None, None, f), cites, variants, downloads)
    sha = {name: hashlib.sha256(html.encode("utf-8")).hexdigest() for name, html in pages.items()}
    return TextPages(doc.id, key, meta, rendered, diagnostics, cite_warnings, entry, sha, pages)


def check_page_names(plan, doc: Document, taken: frozenset) -> None:
    """A division page (``<id>.<n>.html``) must not be another text's page (a text ``<id>.<n>``)."""
    clash = next((p for p in plan.parts if p.file in taken), None)
    if clash is not None:
        raise EditionError(error("E460", f"the page of division {clash.number} of '{plan.text_id}' would be "
                                 f"{clash.file}, the page of another text", doc.path,
                                 hint="rename one of the two TEI files, or raise [html] split_above"))


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


def canonical_pickle(value) -> bytes:
    """``value`` pickled by what it holds alone: without the memo, which records which parts are
    the same object, and that differs between a text made here and one a worker sent (a
    string is shared here, two copies there), so the record's bytes would too."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True   # no memo: a tree of plain values (no cycles) pickles the same anywhere
    pickler.dump(value)
    return out.getvalue()


class Records:
    """The texts' ``TextPages`` kept between builds (module docstring)."""

    def __init__(self, build_dir: Path):
        self.folder = build_dir / RECORDS

    def _path(self, text_id: str) -> Path:
        return self.folder / f"{text_id}.pickle"

    def load(self, text_id: str, key: str, site: Path, draft: bool = False) -> TextPages | None:
        """The text's record when it is the text's now and its pages are in ``site`` as written
        (``draft``: as written once the marks of a draft build are off; the key of a draft's
        pages is never a final build's, ``shared_facts``)."""
        try:
            record = pickle.loads(self._path(text_id).read_bytes())
        except Exception:  # noqa: BLE001 — absent, cut short, of another layout: made again
            return None
        if not isinstance(record, TextPages) or record.key != key or record.text_id != text_id:
            return None
        pages = {}
        for name, sha in record.sha.items():
            try:
                data = (site / name).read_bytes()
            except OSError:
                return None
            page = data.decode("utf-8", errors="replace")
            if draft and hashlib.sha256(data).hexdigest() != sha:
                page = unmarked(page)
                data = page.encode("utf-8")
            if hashlib.sha256(data).hexdigest() != sha:
                return None   # changed since (by hand): made again
            pages[name] = page
        record.pages = pages
        claim([self._path(text_id)])   # still this build's record
        return record

    def save(self, made: TextPages) -> None:
        """Keep the text's record (its pages are the files just written)."""
        write_atomic(self._path(made.text_id), canonical_pickle(replace(made, pages={})), durable=False)

    def prune(self, text_ids: set[str]) -> None:
        """Drop the records of texts the edition no longer holds."""
        if self.folder.is_dir():
            for path in self.folder.glob("*.pickle"):
                if path.stem not in text_ids:
                    path.unlink(missing_ok=True)
