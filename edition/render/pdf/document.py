"""The print volume as HTML: title page, front matter, contents, and the texts.

In: the project, its TEI documents and the ``PdfOptions``. Out: a ``PrintBook`` — the print
HTML (``templates/print/volume.html`` with ``templates/static/print.css``), the facts for the
PDF's metadata, the TEI files to attach, the renderer's diagnostics.
Each text's HTML and facts come from ``edition.render.pdf.bookparts`` (the shared renderer's
``render_text`` with notes inline); nothing here renders TEI itself. The faces are the
web edition's (``edition.render.pdf.fonts``), a script's face only for texts that use it, and a
character no face draws is a warning (``edition.render.coverage``); the print furniture
(bookmarks, running titles, footnote rules) is put on the tree by ``edition.render.pdf.furnish``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import weasyprint
from lxml import html as lxml_html

from edition import __version__
from edition.diagnostics import Diagnostic
from edition.render.metadata import edited_by
from edition.render.pdf.bookparts import BookParts, book_parts
from edition.render.pdf.fonts import FONT_CACHE, font_faces
from edition.render.pdf.furnish import furnish
from edition.render.pdf.imprint import licences
from edition.render.pdf.options import PdfOptions
from edition.resources import static_dir, templates_dir


@dataclass
class PrintBook:
    """What the PDF writer needs: the HTML tree and the document's facts."""

    tree: object
    title: str
    authors: list[str]
    lang: str
    attachments: list[Path] = field(default_factory=list)
    numbered: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


def build_date() -> str:
    """The build date (ISO), from SOURCE_DATE_EPOCH when set so that builds repeat."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit() \
        else dt.datetime.now(dt.UTC)
    return when.strftime("%Y-%m-%d")


def build_book(project, documents, options: PdfOptions, *, volume: bool) -> PrintBook:
    """The print HTML for the whole edition (``volume``) or for one text (one document)."""
    return compose_book(book_parts(project, documents, options), volume=volume)


def book_citations(project, text_id: str | None) -> tuple[str, str]:
    """The imprint line (the edition, cited) and "How to cite" (the text, or the edition).

    Both are the Chicago reference entries ``edition cite`` prints, from the one CSL item and
    the one URL function (``edition.citation``), so the book links where the web page is.
    """
    from edition.citation.cite import cite
    from edition.diagnostics import EditionError

    edition = cite(project, None, "chicago", html=False)["reference"]
    if text_id is None:
        return edition, edition
    try:
        return edition, cite(project, text_id, "chicago", html=False)["reference"]
    except EditionError:   # a text outside the project's TEI folder: the edition is still citable
        return edition, edition


def compose_book(parts: BookParts, *, volume: bool, front: bool = True, texts: list[dict] | None = None,
                 pages: dict[str, int] | None = None,
                 link_targets: list[str] = ()) -> PrintBook:
    """One printable HTML document made of ``parts``.

    By default the whole book: front matter, contents (page numbers by ``target-counter``) and
    every text. The volume is laid out in pieces (``edition.render.pdf.volume``): the front
    matter alone (``texts=[]``, the contents' page numbers given in ``pages``), and each text
    alone (``front=False``, one text; ``volume.number_from`` sets its first page number).
    ``link_targets`` are ids that other pieces hold: empty anchors stand in for them, so that
    WeasyPrint keeps the links to them, which the assembled volume resolves.

    Steps: the title page, the front matter, the contents, the HTML from the template, the
    print furniture on the tree, and the document's metadata.
    """
    shown = parts.texts if texts is None else texts
    title, title_page = _title_page(parts, volume)
    html = _print_templates(str(parts.project.user_templates)).get_template("print/volume.html").render(
        **_page_settings(parts, title, _faces(parts, front, shown)), **_front_matter(parts, volume),
        volume=volume, front=front, title_page=title_page,
        toc=_contents(parts, volume, pages), texts=shown)
    tree = lxml_html.document_fromstring(html)
    furnish(tree, link_targets)
    authors, lang = _book_metadata(parts, volume)
    return PrintBook(tree=tree, title=title, authors=authors,
                     lang=lang, attachments=[d.path for d in parts.documents],
                     numbered=any(t["numbered"] for t in shown),
                     diagnostics=list(parts.diagnostics))


def _title_page(parts: BookParts, volume: bool) -> tuple[str, dict]:
    """The document's title and its title page: the edition's, or one text's from the edition."""
    settings = parts.project.settings
    edition_title = settings.get("title", "Edition")
    editors = ", ".join(settings.get("editors", []))
    if volume:
        return edition_title, {"title": edition_title, "subtitle": settings.get("subtitle"), "editors": editors}
    text = parts.texts[0]
    # the text's editors as its TEI names them, else the edition's; none named: none printed
    # ("Edited by the edition developers": a body's name in a sentence, edition.render.metadata)
    text_editors = [n for n in text["editors"] if n] or list(settings.get("editors", []))
    return text["title"], {"title": text["title"], "subtitle": f"From {edition_title}", "author": text["author"],
                           "editors": edited_by(text_editors)}


def _page_settings(parts: BookParts, title: str, faces: str) -> dict:
    """What the template needs for the page itself: language, metadata, fonts, page size."""
    settings, options = parts.project.settings, parts.options
    return dict(lang=settings.get("language", "en"), title=title, authors=settings.get("editors", []),
                description=settings.get("subtitle"), keywords=["critical edition", "TEI"],
                version=__version__, weasyprint_version=weasyprint.__version__, build_date=build_date(),
                font_faces=faces, page_size=options.page_size, body_size=options.body_size,
                press=options.press)


def _faces(parts: BookParts, front: bool, shown: list[dict]) -> str:
    """The @font-face rules: the book's; a text of the volume alone has its own scripts' faces,
    so that its piece stays cached when another text brings in a new script."""
    if front:
        return parts.font_faces
    faces, _ = font_faces(parts.project.build_dir / FONT_CACHE,
                          set().union(*(parts.chars.get(t["id"], frozenset()) for t in shown)))
    return faces


def _front_matter(parts: BookParts, volume: bool) -> dict:
    """The imprint page: publisher, the edition cited, statements, sources, licence, how to cite."""
    settings, all_texts = parts.project.settings, parts.texts
    edition_line, cite = book_citations(parts.project, None if volume else all_texts[0]["id"])
    return dict(
        publisher=settings.get("publisher", ""), edition_line=edition_line,
        statements=[{"label": t["title"] if volume else "", "text": t["statement"]}
                    for t in all_texts if t["statement"]],
        sources=[t["source"] if not volume or t["source"].startswith(t["title"]) else f"{t['title']}: {t['source']}"
                 for t in all_texts if t["source"]],
        licences=licences(settings, all_texts, volume), how_to_cite=cite)


def _contents(parts: BookParts, volume: bool, pages: dict[str, int] | None) -> list[dict]:
    """The contents, with page numbers when the pieces' pages are known (none for one section)."""
    toc = [dict(entry, page=(pages or {}).get(entry["id"])) for entry in parts.toc]
    return toc if (volume or len(toc) > 1) else []


def _book_metadata(parts: BookParts, volume: bool) -> tuple[list[str], str]:
    """A text's PDF is by the text's authors (none when the TEI names none), in its language;
    the volume is the editors' work, in the edition's language."""
    settings = parts.project.settings
    if volume:
        return list(settings.get("editors", [])), settings.get("language", "en")
    text = parts.texts[0]
    return list(text["authors"]), text["lang"]


@functools.lru_cache(maxsize=8)
def _print_templates(user_templates: str) -> jinja2.Environment:
    """The print templates, an editor's own first; one environment, so that a template is compiled
    once (the volume composes several books). Jinja checks a cached template's file for changes
    each time it is fetched, so ``edition serve`` sees an edited template."""
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(user_templates), jinja2.FileSystemLoader(str(templates_dir()))]), autoescape=True)
    env.filters["last_words_kept"] = last_words_kept
    return env


def last_words_kept(title: str | None) -> str:
    """A title whose last two words are joined by a no-break space, so that its last line never
    holds one word alone ("Edition" under "Five Witnesses: A Digital Critical")."""
    words = (title or "").split()
    if len(words) < 3:
        return " ".join(words)
    return " ".join(words[:-2]) + f" {words[-2]}\u00a0{words[-1]}"


def stylesheet_path() -> Path:
    """The print stylesheet (an editor's own ``templates/static/print.css`` is not needed)."""
    return static_dir() / "print.css"
