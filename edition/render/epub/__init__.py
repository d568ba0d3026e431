"""TEI → EPUB 3: the edition on e-readers, with its notes and apparatus.

In: the project and its parsed TEI documents (and, when the PDF output was built, the print
edition's PDFs for the page list). Out: ``build/epub/<id>.epub`` per text and
``build/epub/edition.epub`` for the whole edition. The text is the one TEI → HTML renderer's
(``edition.render.html``, no second renderer), made XHTML by ``content``; the front matter
names each text's source, witnesses and editorial method; the navigation document holds the
contents and a page list of the print edition (each printed page points at the first passage
that begins on it), so a citation by printed page can be found. Passage ids are kept as
fragment ids (``<id>.xhtml#q12.p3``). The package is zipped by ``package`` (deterministic).

Incremental like the other outputs: only the changed texts' EPUBs are made again, and the
edition's EPUB, which holds every text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import select_autoescape
from lxml import html as lxml_html

from edition.citation.cite import csl_reference
from edition.citation.item import text_item
from edition.citation.outputs import (
    PdfUnreadable,
    pdf_destinations,
    pdf_page_labels,
    printed_page,
)
from edition.citation.refs import load_text
from edition.fsutil import write_atomic
from edition.render.coverage import printed_chars
from edition.render.epub.content import (
    check_well_formed,
    render_text_document,
    xhtml_id,
)
from edition.render.epub.package import Package, identifier, modified
from edition.render.fontset import BOOK_FAMILY, FACES, families_for
from edition.render.html import RenderContext, render_text
from edition.render.metadata import text_metadata
from edition.render.rendered import RenderedText
from edition.render.site import environment
from edition.resources import templates_dir

VOLUME = "edition"
# The book face's cuts the EPUB carries (the style sheet sets nothing in semibold italic or bold
# italic); a script face comes whole, and only in an EPUB whose texts use its script.
BOOK_CUTS = ("EBGaramond-Regular", "EBGaramond-Italic", "EBGaramond-SemiBold", "EBGaramond-Bold")
SUMMARY = ("A critical edition in reflowable text: structured headings and a table of contents, "
           "the notes as footnotes linked from their calls and back, and the critical apparatus "
           "as a list of entries linked from each variant and back.")


@dataclass
class EpubText:
    """One text as the EPUB holds it."""

    file: str                   # its content document, ``<id>.xhtml``
    meta: object                # ``edition.render.metadata.TextMeta``
    rendered: RenderedText
    xhtml: str
    cite: str
    source: Path                # the TEI file
    chars: frozenset[str]       # every character the text prints (for the faces it needs)
    editors: list[str]          # the text's editors as its TEI names them

    @property
    def toc(self):
        return _toc(self.rendered.toc)

    @property
    def witnesses(self):
        return self.rendered.witnesses


def _toc(entries):
    """The renderer's contents with ids made EPUB-safe."""
    for entry in entries:
        entry.id = xhtml_id(entry.id)
        _toc(entry.children)
    return entries


def epub_environment(project):
    """The site's Jinja2 environment, escaping XHTML and package documents too."""
    env = environment(project)
    env.autoescape = select_autoescape(["html", "xhtml", "opf", "xml"])
    return env


def text_citation(project, doc) -> str:
    """The text's citation in the front matter (Chicago, from the one CSL item of the edition)."""
    return csl_reference(text_item(project, load_text(project, doc.id)), "chicago")


def prepare_text(project, env, doc, report) -> EpubText:
    """Render one text for the EPUB."""
    rendered = render_text(doc, RenderContext(cite_controls=False))
    report.extend(rendered.diagnostics)
    meta = text_metadata(doc, project)
    xhtml = render_text_document(env, meta, rendered, edition=project.settings)
    check_well_formed(f"{doc.id}.xhtml", xhtml)
    return EpubText(f"{doc.id}.xhtml", meta, rendered, xhtml, text_citation(project, doc), doc.path,
                    printed_chars(doc), doc.editors)


def page_list(pdf: Path, texts: list[EpubText]) -> list[tuple[str, str]]:
    """(printed page, href) for each page of the print edition on which a passage begins.

    The list follows the reading order, as EPUB requires: a page whose first passage stands
    earlier in the EPUB than the previous page's (the print edition sets a witness's paratext
    after the text, the EPUB where the TEI has it) is left out.
    """
    try:
        destinations = pdf_destinations(pdf)
        labels = pdf_page_labels(pdf) if destinations else None
    except PdfUnreadable:
        return []
    if not destinations:
        return []
    first: dict[int, tuple[int, str]] = {}     # page → (position in reading order, href)
    position = 0
    for text in texts:
        reading = lxml_html.fragment_fromstring(text.rendered.body, create_parent="div")
        for el in reading.iter():
            raw = el.get("id") if isinstance(el.tag, str) else None
            page = destinations.get(raw) if raw else None
            if page is not None:
                position += 1
                first.setdefault(page, (position, f"{text.file}#{xhtml_id(raw)}"))
    pages, last = [], 0
    for page, (where, href) in sorted(first.items()):
        if where > last:
            pages.append((str(printed_page(labels or [], page)), href))   # the folio printed on it
            last = where
    return pages


def make_epub(project, env, texts: list[EpubText], *, key: str, pdf: Path) -> bytes:
    """The EPUB of ``texts`` (one text, or the edition's every text)."""
    settings = project.settings
    single = texts[0].meta if len(texts) == 1 and key != VOLUME else None
    title = single.title if single else settings.get("title", "Edition")
    language = (single.language if single else settings.get("language")) or "en"
    pages = page_list(pdf, texts)
    authors = list(single.authors) if single else []
    # a text's editors as its TEI names them, else the edition's (as the text's PDF says)
    editors = (texts[0].editors if single else []) or list(settings.get("editors", []))
    common = dict(title=title, language=language, authors=authors, editors=editors,
                  publisher=settings.get("publisher", ""), edition_title=settings.get("title", title),
                  date=settings.get("date"), licence=single.licence if single else settings.get("licence", ""),
                  subtitle=single.subtitle if single else settings.get("subtitle"), texts=texts, pages=pages,
                  pdf_note=f"Page numbers are those of the print edition ({pdf.name})." if pages else "")
    documents = {"front.xhtml": env.get_template("epub/front.xhtml").render(**common),
                 "nav.xhtml": env.get_template("epub/nav.xhtml").render(**common)}
    for text in texts:
        documents[text.file] = text.xhtml
    for name in ("front.xhtml", "nav.xhtml"):
        check_well_formed(name, documents[name])
    faces = embedded_faces(frozenset().union(*(t.chars for t in texts)))
    fonts = {f"fonts/{face.stem}.woff2": face.path.read_bytes() for face in faces}
    inputs = [project.root / "edition.toml"] + [t.source for t in texts]
    opf = env.get_template("epub/package.opf").render(
        **common, identifier=identifier(settings.get("base_url", ""), settings.get("title", ""), key),
        rights=common["licence"], description=settings.get("description"),
        source=f"{settings.get('base_url', '')}pdf/{pdf.name}" if pages else None,
        modified=modified(inputs), fonts=sorted(fonts),
        accessibility_summary=SUMMARY)
    user_css = project.user_templates / "epub" / "epub.css"
    css = (user_css if user_css.is_file() else templates_dir() / "epub" / "epub.css").read_bytes()
    css = font_rules(faces).encode("utf-8") + css
    return Package(documents=documents, opf=opf, css=css, fonts=fonts).bytes()


def embedded_faces(chars: frozenset[str]) -> list:
    """The faces an EPUB of texts made of ``chars`` carries (``edition.render.fontset.FACES``)."""
    families = set(families_for(chars))
    return [face for face in FACES if face.family in families and face.path.is_file()
            and (face.family != BOOK_FAMILY or face.stem in BOOK_CUTS)]


def font_rules(faces) -> str:
    """``@font-face`` rules for the carried faces (paths from ``css/epub.css``)."""
    return "".join(f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                   f'font-style: {face.style}; src: url("../fonts/{face.stem}.woff2"); }}\n' for face in faces)


def render_epubs(project, documents, report) -> list[Path]:
    """The build's EPUB renderer: ``build/epub/<id>.epub`` per text and ``build/epub/edition.epub``."""
    env = epub_environment(project)
    out = project.build_dir / "epub"
    everyone = list(getattr(documents, "all", documents))
    redo = {doc.id for doc in documents}
    prepared = {doc.id: prepare_text(project, env, doc, report) for doc in everyone}
    written = []
    for doc in everyone:
        if doc.id in redo:
            target = out / f"{doc.id}.epub"
            if write_atomic(target, make_epub(project, env, [prepared[doc.id]], key=doc.id,
                                              pdf=project.build_dir / "pdf" / f"{doc.id}.pdf")):
                written.append(target)
    if everyone:
        target = out / f"{VOLUME}.epub"
        if write_atomic(target, make_epub(project, env, [prepared[d.id] for d in everyone], key=VOLUME,
                                          pdf=project.build_dir / "pdf" / f"{VOLUME}.pdf")):
            written.append(target)
    return written


render_epubs.incremental = True
