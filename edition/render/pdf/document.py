"""The print volume as HTML: front matter, contents, and each text from the shared renderer.

In: the project, its TEI documents and the ``PdfOptions``. Out: a ``PrintBook`` — the print
HTML (``templates/print/volume.html`` with ``templates/static/print.css``), the facts for the
PDF's metadata, the TEI files to attach, the renderer's diagnostics.
The text of every text is ``edition.render.html.render_text`` with notes inline (so that print
CSS floats them to the foot of the page); nothing here renders TEI itself. The faces are the
web edition's (``edition.render.pdf.fonts``), a script's face only for texts that use it, and a
character no face draws is a warning (``edition.render.coverage``); every
division gets a PDF bookmark, one without a heading a label from its type and first words.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import weasyprint
from lxml import etree
from lxml import html as lxml_html

from edition import __version__
from edition.diagnostics import Diagnostic
from edition.render.coverage import missing_glyphs, printed_chars
from edition.render.html import RenderContext, render_text
from edition.render.pdf.endnotes import unreferenced_notes
from edition.render.pdf.entries import ORDER
from edition.render.pdf.fonts import FONT_CACHE, font_faces
from edition.render.pdf.imprint import licence_text, licences, unmapped_types
from edition.render.pdf.margins import margin_notes_in_line
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.paratext import set_paratext_apart
from edition.render.pdf.printhtml import collapse_space, visible_text
from edition.render.variantmap import variant_map
from edition.resources import static_dir, templates_dir
from edition.tei.pages import page_plan, page_starts
from edition.tei.witnesses import siglum_of


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


def running_title(title: str, limit: int = 48) -> str:
    """The title for the running head: whole if short, else cut at a word with an ellipsis."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _first_sentences(text: str, limit: int = 320) -> str:
    """The opening sentences of a statement, up to about ``limit`` characters (imprint size)."""
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) + len(sentence) > limit:
            break
        out += " " + sentence
    return out if len(out) <= limit + 80 else out[:limit].rsplit(" ", 1)[0] + " …"


_NOT_CITED = ("note", "idno", "ptr", "ref", "listWit", "extent", "abbr")
_TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def _bibl_text(bibl, *, title: bool = True) -> str:
    """A ``bibl`` as a short reference: ``Title. Author, publisher, date.`` (notes and ids left out)."""
    head = ""
    parts = [" ".join((bibl.text or "").split())]
    for child in bibl:
        if not isinstance(child.tag, str) or etree.QName(child).localname in _NOT_CITED:
            continue
        words = " ".join("".join(child.itertext()).split()).strip(" ,;")
        if etree.QName(child).localname == "title" and not head:
            head = words if title else ""
        else:
            parts.append(words)
    rest = ", ".join(p for p in parts if p.strip(" ,;"))
    if head and rest:
        head += "" if head[-1:] in ".!?" else "."
    text = " ".join(p for p in (head, rest) if p)
    return text + ("" if not text or text[-1:] in ".!?" else ".")


def _source(document) -> str:
    """The source as a short reference: the first ``bibl``, then each witness's (a collation)."""
    found = document.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:bibl[not(ancestor::tei:witness)]")
    text = _bibl_text(found[0]) if found else ""
    witnesses = []
    for witness in document.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:witness[tei:bibl]"):
        siglum = siglum_of(witness)
        # the witnesses share the work's title: name what tells them apart
        witnesses.append(f"{siglum}: {_bibl_text(witness.xpath('tei:bibl', namespaces=_TEI_NS)[0], title=False)}")
    if witnesses:
        text = f"{text} Witnesses: {' '.join(witnesses)}".strip()
    return _first_sentences(text, 320)


def _header(document, expr: str) -> str:
    found = document.xpath(expr)
    return " ".join(" ".join(found[0].itertext()).split()) if found else ""


def _text_entry(document, options: PdfOptions, starts: frozenset = frozenset()) -> tuple[dict, list, list[Diagnostic]]:
    rendered = render_text(document, RenderContext(notes="inline", cite_controls=False, page_starts=starts))
    toc = []

    def walk(entries, level):
        for entry in entries:
            toc.append({"id": entry.id, "label": entry.label, "level": level})
            walk(entry.children, level + 1)

    walk(rendered.toc, 2)
    lang = document.root.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    # the witnesses' own title page, issue lines, bylines and credits stand after the text,
    # so that its line 1 is the first line of its body; notes no call points to follow as endnotes
    body = margin_notes_in_line(set_paratext_apart(rendered.body, document.title)) + unreferenced_notes(rendered, document)
    entry = {
        "id": document.id, "title": document.title, "running": running_title(document.title), "author": "; ".join(document.authors) or None,
        "authors": document.authors, "editors": document.editors, "licence": licence_text(document.licence),
        "lang": lang,
        "source": _source(document),
        "statement": _first_sentences(_header(document, "tei:teiHeader/tei:encodingDesc/tei:editorialDecl")),
        # a text with margin notes is set with a wider margin (print.css, .with-margin-notes)
        "margin_notes": 'margin-note"' in body or "margin-note " in body,
        "body": body, "numbered": bool(rendered.app_count or rendered.placed_standoff)
        and bool(document.xpath("//tei:text//tei:app")),
        # the readers' map of where the witnesses differ, in the text's opening (outside its numbered lines)
        "variants": variant_map(document, rendered.body, document.title),
    }
    return entry, toc, rendered.diagnostics + unmapped_types(document, options)


@dataclass
class BookParts:
    """The volume's parts as data: each text's entry, the contents, what rendering noticed."""

    project: object
    documents: list
    options: PdfOptions
    texts: list[dict]
    toc: list[dict]
    diagnostics: list[Diagnostic]
    font_faces: str = ""
    chars: dict[str, frozenset[str]] = field(default_factory=dict)   # each text's characters, by id


def book_parts(project, documents, options: PdfOptions) -> BookParts:
    """Render each text's HTML once (``edition.render.html``) for a book or the volume's parts."""
    diagnostics: list[Diagnostic] = []
    texts, toc = [], []
    chars: dict[str, frozenset[str]] = {}
    for document in documents:
        plan = page_plan(document.root, document.id, project.html.get("split_above"))
        entry, text_toc, found = _text_entry(document, options, page_starts(plan))
        entry["chapters"] = options.chapters_open if plan.split else None   # print.css
        entry["lemma_witnesses"] = options.lemma_witnesses
        texts.append(entry)
        diagnostics.extend(found)
        toc.append({"id": entry["id"], "label": entry["title"], "level": 1})
        toc.extend(text_toc)
        chars[entry["id"]] = printed_chars(document)
        diagnostics.extend(missing_glyphs(document, chars[entry["id"]]))
    # a script's face only when a text uses that script, so an English text's PDF does not grow
    faces, problems = font_faces(project.build_dir / FONT_CACHE, set().union(*chars.values()))
    return BookParts(project, list(documents), options, texts, toc, diagnostics + problems, faces, chars)


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
    _furnish(tree, link_targets)
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
    text_editors = ", ".join(text["editors"]) or editors
    return text["title"], {"title": text["title"], "subtitle": f"From {edition_title}", "author": text["author"],
                           "editors": f"Edited by {text_editors}" if text_editors else ""}


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


def _furnish(tree, link_targets) -> None:
    """Running titles, bookmarks, apparatus rules, additions and stand-in link targets."""
    for head in tree.iter("h2", "h3"):
        # the heading as printed: not its variants' hidden readings nor their marks
        head.set("data-running", running_title(visible_text(head)))
    _bookmark_headless(tree)
    mark_opening_paragraphs(tree)
    _rule_notes(tree)
    _attach_additions(tree)
    add_link_targets(tree, link_targets)


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


def add_link_targets(tree, ids) -> None:
    """Stand-in anchors for ``ids``: each on the first link to it (so that no element is added
    to the page or to the PDF's structure), else an empty span at the end of the body."""
    spare = []
    for anchor in ids:
        link = next((a for a in tree.xpath("//a[@href=$h]", h="#" + anchor) if a.get("id") is None), None)
        if link is not None:
            link.set("id", anchor)
            link.set("data-stand-in", "")
        else:
            spare.append(anchor)
    if not spare:
        return
    holder = (tree.xpath("//nav[@id='contents']") or tree.xpath("//section[@data-text]") or [tree.body])[-1]
    box = lxml_html.Element("div")
    box.set("class", "link-targets")
    box.set("aria-hidden", "true")
    for anchor in spare:
        span = lxml_html.Element("span")
        span.set("id", anchor)
        span.set("data-stand-in", "")
        box.append(span)
    holder.append(box)


_NOT_READ = ("pn", "cite", "app-mark", "rdg", "alt", "note", "margin-note", "pb", "ms", "ln", "surplus-mark")


def division_label(div) -> str:
    """A bookmark label for a division without a heading: whose part it is, else its type and first words."""
    said = div.xpath("./p[contains(concat(' ', @class, ' '), ' div-label ')]")
    if said:
        said = " ".join(said[0].text_content().split())
        return said[:1].upper() + said[1:]
    kind = (div.get("data-type") or "part").replace("_", " ")
    kind = kind[:1].upper() + kind[1:]
    first = next(iter(div.xpath(".//p | .//li | .//*[contains(concat(' ', @class, ' '), ' l ')]")), None)
    if first is None:
        return kind
    copy = lxml_html.fragment_fromstring(lxml_html.tostring(first, encoding="unicode"), create_parent="div")
    for el in list(copy.iter()):
        if el.getparent() is not None and set((el.get("class") or "").split()) & set(_NOT_READ):
            el.drop_tree()   # margin numbers, hidden readings, footnotes: not words of the division
    words = copy.text_content().split()
    return f"{kind}: {' '.join(words[:6])}{' …' if len(words) > 6 else ''}" if words else kind


def mark_opening_paragraphs(tree) -> None:
    """Class ``opening`` on each text's first paragraph, however deep its divisions nest: set
    under the text's title, it is not indented (CSS cannot find the first of a kind in a tree)."""
    for body in tree.xpath("//div[contains(concat(' ', @class, ' '), ' tei-text ')]"
                           "/div[contains(concat(' ', @class, ' '), ' body ')]"):
        first = next(iter(body.xpath(".//p[not(ancestor::*[contains(concat(' ', @class, ' '), ' note ')])]")), None)
        if first is not None:
            first.set("class", f"{first.get('class') or ''} opening".strip())


def _bookmark_headless(tree) -> None:
    """Give every division without a heading a bookmark, at the level its heading would have."""
    for div in tree.xpath("//div[contains(concat(' ', @class, ' '), ' div ')]"):
        depth = len(div.xpath("ancestor::*[(self::section or self::div) and "
                              "contains(concat(' ', @class, ' '), ' div ')]"))
        label = division_label(div).replace("\\", "\\\\").replace('"', '\\"')
        div.set("style", f'bookmark-level: {min(depth + 2, 6)}; bookmark-label: "{label}"')


def _rule_notes(tree) -> None:
    """Give each note its kind and a footnote rule (the page keeps one), so notes sit under a rule."""
    for note in tree.xpath("//span[contains(concat(' ', @class, ' '), ' note ')]"):
        rule = lxml_html.Element("span")
        rule.set("class", "lk-sep")
        rule.set("data-tier", "notes")
        rule.set("data-fn-order", str(ORDER["rule-notes"]))
        rule.set("aria-hidden", "true")
        note.set("data-fn-order", str(ORDER["notes"]))
        # WeasyPrint keeps the source's line ends in a footnote body as breaks: collapse them.
        tail, note.tail = note.tail, None
        collapse_space(note)
        note.tail = tail
        note.text = (note.text or "").lstrip()   # no indent from the source's line end
        label = (note.get("data-n") or "").strip()
        if label and re.match(rf"\s*[(\[]?{re.escape(label)}[)\].]", "".join(note.itertext())):
            note.set("class", note.get("class") + " labelled")   # the note prints its own number
        rule.tail, note.tail = note.tail, None
        note.addnext(rule)   # after the note: the rule (no height) goes wherever the note went


def _attach_additions(tree) -> None:
    """Join an addition (a unit with an empty lemma) to the word before it.

    ``word <empty unit> next`` puts an empty box between two spaces, where WeasyPrint may break
    the line early; ``word<empty unit> next`` reads the same and keys the addition to its word.
    """
    for app in tree.xpath("//span[contains(concat(' ', @class, ' '), ' app ')]"):
        lem = next((c for c in app if "lem" in (c.get("class") or "").split()), None)
        if lem is None or "".join(lem.itertext()).strip():
            continue
        previous = app.getprevious()
        if previous is not None:
            before = previous.tail or ""
            previous.tail = before.rstrip()
        else:
            before = app.getparent().text or ""
            app.getparent().text = before.rstrip()
        if before != before.rstrip() and not (app.tail or "")[:1].isspace():
            app.tail = " " + (app.tail or "")


def stylesheet_path() -> Path:
    """The print stylesheet (an editor's own ``templates/static/print.css`` is not needed)."""
    return static_dir() / "print.css"
